"""The forms of the risk register: add a risk (or promote a listening note of category 'risk'), record one partner
group's own rating, review a risk (the rating agreed now, what was said, the next review date)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.risks import RiskCategory, risk_category_label
from lessonkit.i18n import _
from lessonkit.services.participants import list_participants
from lessonkit.services.risks import add_risk, list_risks, rate_risk, review_risk, risk_notes
from lessonkit.ui.care_common import (
    WIDE,
    CareHub,
    CarePanel,
    area,
    group_box,
    keep_choice,
    level_dropdown,
    scale_options,
    text,
)
from lessonkit.ui.html import excerpt

NEW = 0


def _scale(kind: str, description: str, blank: str | None = None) -> widgets.Dropdown:
    options = scale_options(kind, blank)
    return widgets.Dropdown(options=options, value=options[0][1] if blank else 3, description=description,
                            style=WIDE)


def _lines(value: str) -> list[str]:
    return [x.strip() for x in value.splitlines() if x.strip()]


def _risk_options(hub: CareHub) -> list[tuple[str, Any]]:
    return [(f"{r.id}. {excerpt(r.title, 50)}", r.id) for r in list_risks(hub.store)]


class RiskForm(CarePanel):
    """A new risk with the rating the groups agreed, or a listening note promoted into the register."""

    def __init__(self, hub: CareHub) -> None:
        super().__init__(hub)
        self.source = widgets.Dropdown(description=_("From"), style=WIDE, layout=widgets.Layout(width="40em"))
        self.title = text(_("Title"), _("optional when promoting a note: its first words"))
        self.category = widgets.Dropdown(
            options=[(risk_category_label(c), c.value) for c in RiskCategory], description=_("Category"), style=WIDE
        )
        self.likelihood = _scale("likelihood", _("Agreed likelihood"))
        self.impact = _scale("impact", _("Agreed impact"))
        self.description = area(_("What could happen"), _("to whom, and why"))
        self.group = group_box(_("Raised by (group)"), hub.groups())
        self.person = widgets.Dropdown(description=_("Raised by (participant)"), style=WIDE)
        self.mitigations = area(_("Mitigations"), _("one per line"))
        self.who = text(_("If it happens, who acts"))
        self.how = area(_("How"), height="3em")
        self.channel = text(_("Through which channel"), _("e.g. the phone tree, the lawyers' hotline"))
        self.owner = group_box(_("Owner"), hub.groups())
        self.review_date = widgets.DatePicker(description=_("Review date"), style=WIDE)
        self.sensitivity = level_dropdown(_("Sensitivity"))
        self.save = widgets.Button(description=_("Add to the register"), button_style="primary")
        self.save.on_click(lambda _b: self.submit())
        self.labels = {"title": self.title, "category": self.category, "likelihood": self.likelihood,
                       "impact": self.impact, "description": self.description, "group": self.group,
                       "mitigations": self.mitigations, "contingency": self.how, "owner": self.owner,
                       "review_date": self.review_date, "sensitivity": self.sensitivity, "note": self.source}
        self.children = [self.source, self.title, self.category, self.likelihood, self.impact, self.description,
                         self.group, self.person, self.mitigations, self.who, self.how, self.channel, self.owner,
                         self.review_date, self.sensitivity, self.save, self.status]
        self.refresh()

    def refresh(self) -> None:
        notes = [(_("(a new risk)"), NEW)] + [
            (_("Note {id}: {text}").format(id=n.id, text=excerpt(n.text, 60)), n.id or 0)
            for n in risk_notes(self.hub.store)
        ]
        keep_choice(self.source, notes)
        people = [(_("(nobody named)"), "")] + [
            (f"{p.name} ({p.pseudonym})" if p.pseudonym else p.name, p.join_code)
            for p in list_participants(self.hub.store) if p.consent.record
        ]
        keep_choice(self.person, people)
        groups = self.hub.groups()
        self.group.options = self.owner.options = groups

    def submit(self) -> None:
        note_id = self.source.value or None
        contingency = {"who": self.who.value, "how": self.how.value, "channel": self.channel.value}

        def action() -> str:
            made = add_risk(
                self.hub.store,
                self.title.value,
                self.category.value,
                self.likelihood.value,
                self.impact.value,
                description=self.description.value,
                group=self.group.value,
                join_code=(self.person.value or None) if note_id is None else None,
                note_id=note_id,
                mitigations=_lines(self.mitigations.value),
                contingency=contingency,
                owner=self.owner.value,
                review_date=self.review_date.value,
                sensitivity=self.sensitivity.value,  # a promoted note's own level, when stricter
            )
            for w in (self.title, self.description, self.mitigations, self.who, self.how, self.channel):
                w.value = ""
            return _("Added risk {id}: '{title}'.").format(id=made.id, title=made.title)

        self.run(action)


class RatingForm(CarePanel):
    """One partner group's own rating of a risk (rating again replaces the group's earlier rating)."""

    def __init__(self, hub: CareHub) -> None:
        super().__init__(hub)
        self.risk = widgets.Dropdown(description=_("Risk"), style=WIDE, layout=widgets.Layout(width="40em"))
        self.group = group_box(_("Group"), hub.groups())
        self.likelihood = _scale("likelihood", _("Likelihood"))
        self.impact = _scale("impact", _("Impact"))
        self.save = widgets.Button(description=_("Save the group's rating"), button_style="primary")
        self.save.on_click(lambda _b: self.submit())
        self.labels = {"group": self.group, "likelihood": self.likelihood, "impact": self.impact}
        self.children = [self.risk, self.group, self.likelihood, self.impact, self.save, self.status]
        self.refresh()

    def refresh(self) -> None:
        keep_choice(self.risk, _risk_options(self.hub))
        self.group.options = self.hub.groups()

    def submit(self) -> None:
        def action() -> str:
            made = rate_risk(self.hub.store, self.risk.value or 0, self.group.value, self.likelihood.value,
                             self.impact.value)
            return _("{group} rated risk {id}: likelihood {l}, impact {i}.").format(
                group=made.group, id=made.risk_id, l=made.likelihood, i=made.impact
            )

        self.run(action)


class ReviewForm(CarePanel):
    """A review: the rating agreed now (unchanged when left), what was found, who reviewed, the next review date."""

    def __init__(self, hub: CareHub) -> None:
        super().__init__(hub)
        self.risk = widgets.Dropdown(description=_("Risk"), style=WIDE, layout=widgets.Layout(width="40em"))
        self.likelihood = _scale("likelihood", _("Agreed likelihood now"), _("(unchanged)"))
        self.impact = _scale("impact", _("Agreed impact now"), _("(unchanged)"))
        self.note = area(_("What the review found"))
        self.by = text(_("Reviewed by"), _("a group or a role"))
        self.next_review = widgets.DatePicker(description=_("Next review"), style=WIDE)
        self.save = widgets.Button(description=_("Record the review"), button_style="primary")
        self.save.on_click(lambda _b: self.submit())
        self.labels = {"likelihood": self.likelihood, "impact": self.impact, "next_review": self.next_review,
                       "reviews": self.note, "by": self.by}
        self.children = [self.risk, self.likelihood, self.impact, self.note, self.by, self.next_review, self.save,
                         self.status]
        self.refresh()

    def refresh(self) -> None:
        keep_choice(self.risk, _risk_options(self.hub))

    def submit(self) -> None:
        def action() -> str:
            made = review_risk(self.hub.store, self.risk.value or 0, by=self.by.value, note=self.note.value,
                               likelihood=self.likelihood.value, impact=self.impact.value,
                               next_review=self.next_review.value)
            self.note.value = ""
            return _("Reviewed risk {id}: agreed likelihood {l} × impact {i} = {score}.").format(
                id=made.id, l=made.likelihood, i=made.impact, score=made.score
            )

        self.run(action)
