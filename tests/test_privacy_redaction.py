"""Privacy levels and redaction (pure domain): who may read what, how authors are credited, what is replaced."""

from __future__ import annotations

from datetime import date

import pytest

from lessonkit.domain.levels import Moderation
from lessonkit.domain.levels import Sensitivity as S
from lessonkit.domain.privacy import Withheld, consent_allows, credit, may_include, parse_level, withheld_because
from lessonkit.domain.records import Consent, Participant
from lessonkit.domain.redaction import Kind, Redactor, is_phone, name_terms, preview
from lessonkit.errors import ValidationError


def person(
    name: str = "Sol", share: str = "network", attribution: str = "pseudonym", record: bool = True
) -> Participant:
    consent = Consent.from_dict({"record": record, "attribution": attribution, "share_up_to": share})
    return Participant(name=name, join_code="KX7R-M3PD", consent=consent, pseudonym=f"{name} Heron", id=1)


@pytest.mark.parametrize(
    ("sensitivity", "share", "level", "expected"),
    [
        (S.PUBLIC, "public", S.PUBLIC, True),
        (S.NETWORK, "public", S.PUBLIC, False),  # the note itself is more private than the audience
        (S.PUBLIC, "network", S.PUBLIC, False),  # the author's consent stops at network
        (S.PUBLIC, "network", S.NETWORK, True),
        (S.CONVENING, "network", S.NETWORK, False),
        (S.RESTRICTED, "restricted", S.RESTRICTED, True),
        (S.CONVENING, "restricted", S.CONVENING, False),
    ],
)
def test_a_record_needs_its_sensitivity_and_its_authors_consent(sensitivity, share, level, expected) -> None:  # type: ignore[no-untyped-def]
    assert may_include(sensitivity, person(share=share), level) is expected


def test_anonymous_records_follow_sensitivity_and_withdrawn_authors_nothing() -> None:
    assert may_include(S.PUBLIC, None, S.PUBLIC) and not may_include(S.NETWORK, None, S.PUBLIC)
    gone = person(share="public", record=False)
    assert not consent_allows(gone, S.RESTRICTED) and not may_include(S.PUBLIC, gone, S.RESTRICTED)


def test_attribution_follows_consent_and_names_stay_inside_the_convening() -> None:
    named = person("Kiri Moana", attribution="named")
    assert credit(named, S.CONVENING) == credit(named, S.RESTRICTED) == "Kiri Moana"
    assert credit(named, S.NETWORK) == credit(named, S.PUBLIC) == "Kiri Moana Heron"  # the pseudonym
    for level in S:
        assert credit(person("Sol", attribution="pseudonym"), level) == "Sol Heron"
        assert credit(person("Falcon", attribution="anonymous"), level) == "a participant"
        assert credit(person("Sol", record=False), level) == "a participant"
        assert credit(None, level) == "a participant"
    unnamed = Participant(name="Ana", join_code="X", consent=Consent(), pseudonym="")  # upgraded, none yet
    assert credit(unnamed, S.PUBLIC) == "a participant"


def test_why_a_record_is_withheld_and_the_default_level_is_public() -> None:
    today = date(2026, 5, 1)
    overdue = Participant("Ana", "KX7R-M3PD", consent=Consent(share_up_to=S.PUBLIC, review_date=date(2026, 4, 1)))
    assert withheld_because(S.RESTRICTED, None, S.NETWORK, today) is Withheld.SENSITIVITY
    assert withheld_because(S.PUBLIC, person(share="convening"), S.NETWORK, today) is Withheld.CONSENT
    assert withheld_because(S.PUBLIC, person(record=False), S.RESTRICTED, today) is Withheld.NOT_RECORDED
    assert withheld_because(S.PUBLIC, overdue, S.NETWORK, today) is Withheld.REVIEW_OVERDUE
    assert withheld_because(S.PUBLIC, overdue, S.CONVENING, today) is None  # inside the convening: shown
    assert withheld_because(S.PUBLIC, None, S.PUBLIC, today, Moderation.HIDDEN) is Withheld.HIDDEN
    assert withheld_because(S.PUBLIC, None, S.PUBLIC, today, Moderation.HIDDEN, include_hidden=True) is None
    assert parse_level(None) is S.PUBLIC and parse_level("Network") is S.NETWORK
    with pytest.raises(ValidationError, match="level"):
        parse_level("secret")


REDACTOR = Redactor(
    names=["Kiri Moana", "Falcon", "Zoë Ångström", "Jo"],
    join_codes=["DEMO-AAAA", "KX7R-M3PD"],
    terms=["Lakeview Community Hall", "São Paulo", "C&A Workers"],
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KIRI MOANA said hi; so did kiri and Moana.", "[name] said hi; so did [name] and [name]."),
        ("Falcon's notes, FALCONS and falconry", "[name]'s notes, [name] and [name]"),  # inflected endings
        ("zoe angstrom and ZOË", "[name] and [name]"),
        ("Jo and Joanna", "[name] and Joanna"),
        (
            "codes demo-aaaa, DEMO AAAA, KX7R-M3PD and TQ4W-9HNP",
            "codes [join code], [join code], [join code] and [join code]",
        ),
        ("a take-away meal", "a take-away meal"),
        ("mail kiri.moana@example.org!", "mail [e-mail]!"),
        ("at Lakeview  community\nhall in sao paulo", "at [redacted] in [redacted]"),
        ("the C&A Workers union", "the [redacted] union"),
    ],
)
def test_redaction_whole_words_any_case_or_accent(text: str, expected: str) -> None:
    assert REDACTOR(text) == expected


@pytest.mark.parametrize(
    "number",
    [
        "+44 20 7946 0958",
        "(555) 123-4567",
        "+1-202-555-0143",
        "0612345678",
        "0044 20 7946 0958",
        "+254 712 345678",
        "020 7946 0958",
        "555.123.4567",
    ],
)
def test_phone_numbers_in_international_and_national_formats(number: str) -> None:
    assert REDACTOR(f"call {number} now") == "call [phone] now"


@pytest.mark.parametrize(
    "text", ["on 2026-03-10", "in 2026 with 30 people", "1,000,000 leaflets", "12.5.2026", "v1.2.3"]
)
def test_dates_and_ordinary_numbers_are_not_phones(text: str) -> None:
    assert REDACTOR(text) == text


def test_what_was_redacted_for_the_preview() -> None:
    found = [REDACTOR.redact(t) for t in ("Falcon met falcon", "mail a@b.org", "nothing here")]
    assert [r.changed for r in found] == [True, True, False]
    assert [(h.kind, h.found) for h in found[0].hits] == [(Kind.NAME, "Falcon"), (Kind.NAME, "falcon")]
    assert preview(found) == [(Kind.NAME, "Falcon", 2), (Kind.EMAIL, "a@b.org", 1)]
    assert name_terms(["Kiri Moana", "Jo"]) == ["Kiri Moana", "Kiri", "Moana", "Jo"]
    assert not is_phone("2026-03-10") and is_phone("+49 30 1234567")


# --- every form of a name (issue 10) ------------------------------------------------------------------------

PEOPLE = Redactor(
    names=["Zofia Kowalczyk", "Олена Шевченко", "Hope Wanjiru", "Γιώργος Παπαδόπουλος", "فاطمة الزهراء", "Grace"],
    organisations=["Mathare Social Justice Centre", "Harbour Tenants Circle (invented)"],
    join_codes=["KX7R-M3PD"],
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks to Kowalczyka and Kowalczykowi; Zofii too.", "Thanks to [name] and [name]; [name] too."),
        ("KOWALCZYK's flyers, kowalczyk’s car", "[name]'s flyers, [name]’s car"),
        ("Без Олени не впоралися, дякуємо Олені та Оленою.", "Без [name] не впоралися, дякуємо [name] та [name]."),
        ("Шевченка не було.", "[name] не було."),
        ("Ο Γιώργου φίλος και ο ΓΙΩΡΓΟΣ", "Ο [name] φίλος και ο [name]"),
        ("قالت فاطمة وفاطمة وفاطمتها", "قالت [name] [name] [name]"),  # with "and", with "her"
        ("met Zofia\nKowalczyk at noon", "met [name] at noon"),
        ("the Mathare Social Justice Centre and MSJC", "the [organisation] and [organisation]"),
        ("ask the harbour tenants  circle", "ask the [organisation]"),
        ("Hope is what we need.", "Hope is what we need."),  # a common word, at the start of a sentence
        ("we lost hope; then we met Hope and Hope Wanjiru.", "we lost hope; then we met [name] and [name]."),
        ("Grace said so. Say grace. Ask Grace.", "Grace said so. Say grace. Ask [name]."),
        ("Wanjiru's list", "[name]'s list"),
    ],
)
def test_every_form_of_a_name_and_an_organisation(text: str, expected: str) -> None:
    assert PEOPLE(text) == expected


def test_a_common_word_name_left_in_place_is_shown_for_review() -> None:
    found = PEOPLE.redact("Hope is what we need. We asked Hope.")
    assert found.text == "Hope is what we need. We asked [name]."
    assert [(h.kind, h.found) for h in found.review] == [(Kind.POSSIBLE, "Hope")]
    rows = preview([found])
    assert rows[0] == (Kind.NAME, "Hope", 1) and rows[-1] == (Kind.POSSIBLE, "Hope", 1)


def test_handles_links_with_a_query_and_emails() -> None:
    text = "see https://ex.org/join?code=KX7R-M3PD, https://beautifultrouble.org/toolbox, @zofia_k and z@ex.org"
    assert PEOPLE(text) == "see [link], https://beautifultrouble.org/toolbox, [handle] and [e-mail]"


@pytest.mark.parametrize(
    ("region", "number"),
    [
        ("DK", "32 12 34 56"),  # eight digits, no leading 0: only the convening's country says it is a phone
        ("PL", "22 123 45 67"),
        ("UA", "44 123 4567"),
        ("BR", "(11) 91234-5678"),
        ("KE", "0712 345 678"),
    ],
)
def test_phone_numbers_of_the_convenings_countries(region: str, number: str) -> None:
    assert Redactor(regions=[region])(f"call {number} now") == "call [phone] now"


def test_a_short_national_number_needs_its_country() -> None:
    assert Redactor()("call 32 12 34 56 now") == "call 32 12 34 56 now"
    assert Redactor(regions=["DK"])("on 2026-03-10 and 12.5.2026") == "on 2026-03-10 and 12.5.2026"
