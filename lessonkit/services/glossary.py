"""The convening's glossary: add a term (or its entry in another language), list the terms, find them in text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from lessonkit.domain.glossary import GlossaryEntry, GlossaryTerm, find_term, sorted_for, terms_in
from lessonkit.errors import NotFoundError, ValidationError
from lessonkit.i18n import _, pgettext
from lessonkit.services.sessions import first_language
from lessonkit.store.base import Store, Tx

TABLE = "glossary"


def load_terms(tx: Tx) -> list[GlossaryTerm]:
    return [GlossaryTerm.from_dict(d) for d in tx.all(TABLE)]


def list_terms(store: Store, language: str | None = None) -> list[GlossaryTerm]:
    """Every term; alphabetical as a reader of ``language`` sees them when a language is given."""
    with store.read() as tx:
        terms = load_terms(tx)
    return sorted_for(terms, language) if language else terms


def add_term(
    store: Store,
    term: str,
    definition: str,
    language: str | None = None,
    expansion: str = "",
    of: str | None = None,
    by: str = "",
) -> GlossaryTerm:
    """Define ``term`` in ``language`` (default: the convening's first language).

    When the term is already in the glossary (written the same in any language), or ``of`` names an existing term,
    the entry is added to it, replacing an earlier entry in the same language; otherwise a new term begins.
    """
    with store.transaction() as tx:
        entry = GlossaryEntry.from_dict(
            {
                "language": language or first_language(tx),
                "term": term,
                "definition": definition,
                "expansion": expansion,
            }
        )
        terms = load_terms(tx)
        target = find_term(terms, of) if of else find_term(terms, entry.term)
        if of and target is None:
            known = ", ".join(t.original.term for t in terms) or pgettext("empty list of terms", "none yet")
            raise NotFoundError(
                _("There is no term '{of}' in the glossary (terms: {known}).").format(of=of, known=known)
            )
        if target is None:
            made = GlossaryTerm((entry,), by=by)
            return replace(made, id=tx.insert(TABLE, made.to_dict()))
        other = find_term([t for t in terms if t.id != target.id], entry.term)
        if other is not None:
            raise ValidationError(
                "term",
                _("'{term}' is already the glossary term '{other}': one word, one meaning.").format(
                    term=entry.term, other=other.original.term
                ),
            )
        changed = target.with_entry(entry, by)
        assert target.id is not None
        tx.update(TABLE, target.id, changed.to_dict())
        return changed


def remove_term(store: Store, name: str) -> GlossaryTerm:
    """Take a term (every language) out of the glossary."""
    with store.transaction() as tx:
        found = find_term(load_terms(tx), name)
        if found is None or found.id is None:
            raise NotFoundError(_("There is no term '{name}' in the glossary.").format(name=name))
        tx.remove(TABLE, found.id)
        return found


def glossary_for(store: Store, texts: Iterable[str]) -> list[GlossaryTerm]:
    """The glossary terms that appear in ``texts`` (e.g. a session's prompts in every language)."""
    with store.read() as tx:
        return terms_in(texts, load_terms(tx))
