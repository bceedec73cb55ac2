"""ipywidgets forms, boards and editors: the only layer that imports ipywidgets or IPython.

Workbooks call these one-liners, e.g. ``lessonkit.ui.listening_board("demo")``. Names are resolved lazily so that
importing ``lessonkit.ui`` stays cheap in participant kernels.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # memorandum of understanding (issue 3)
    "AmendmentForm": "lessonkit.ui.mou_amend",
    "MouEditor": "lessonkit.ui.mou_edit",
    "amendment_app": "lessonkit.ui.mou_amend",
    "mou_document": "lessonkit.ui.mou_history",
    "mou_due": "lessonkit.ui.mou_sign",
    "mou_editor": "lessonkit.ui.mou_edit",
    "mou_positions": "lessonkit.ui.mou_stances",
    "mou_proposals": "lessonkit.ui.mou_inbox",
    "mou_signoff": "lessonkit.ui.mou_sign",
    "mou_translations": "lessonkit.ui.mou_translate",
    "mou_versions": "lessonkit.ui.mou_history",
    # listening session
    "ConveningSetup": "lessonkit.ui.setup",
    "GlossaryPanel": "lessonkit.ui.glossary",
    "ListeningForm": "lessonkit.ui.participant",
    "LiveBoard": "lessonkit.ui.board",
    "ModerationPanel": "lessonkit.ui.moderation",
    "NoteTranslationPanel": "lessonkit.ui.note_translate",
    "convening_setup": "lessonkit.ui.setup",
    "glossary_panel": "lessonkit.ui.glossary",
    "listening_board": "lessonkit.ui.board",
    "moderation_panel": "lessonkit.ui.moderation",
    "note_translations": "lessonkit.ui.note_translate",
    "notes_table": "lessonkit.ui.tables",
    "participant_app": "lessonkit.ui.participant",
    # encryption at rest (issue 12)
    "EncryptionPanel": "lessonkit.ui.setup_crypto",
    "encryption_panel": "lessonkit.ui.setup_crypto",
    # running the room: agenda, timer, projector (issue 15)
    "AgendaPanel": "lessonkit.ui.agenda",
    "Projector": "lessonkit.ui.projector_view",
    "agenda_panel": "lessonkit.ui.agenda",
    "projector": "lessonkit.ui.projector_view",
    # reports, exports and redaction (issue 5)
    "RedactionPanel": "lessonkit.ui.reports",
    "ReportsPanel": "lessonkit.ui.reports",
    "reports_panel": "lessonkit.ui.reports",
    # both doors: what the command line does, in the workbooks (issue 14)
    "BriefPanel": "lessonkit.ui.library_brief",
    "BundlePanel": "lessonkit.ui.bundles",
    "ConveningCreator": "lessonkit.ui.convening_create",
    "PaperCards": "lessonkit.ui.cards",
    "RestorePanel": "lessonkit.ui.convening_restore",
    "WithdrawalPanel": "lessonkit.ui.withdrawal",
    "brief_panel": "lessonkit.ui.library_brief",
    "bundle_panel": "lessonkit.ui.bundles",
    "convening_creator": "lessonkit.ui.convening_create",
    "paper_cards": "lessonkit.ui.cards",
    "restore_panel": "lessonkit.ui.convening_restore",
    "withdrawal_panel": "lessonkit.ui.withdrawal",
    # the library shared through CouchDB (issue 17)
    "ConflictPanel": "lessonkit.ui.library_conflicts",
    "conflict_panel": "lessonkit.ui.library_conflicts",
    # after-action reflections, signals and the network dashboard (issue 16)
    "NetworkDashboard": "lessonkit.ui.dashboard",
    "ReflectionForm": "lessonkit.ui.reflect",
    "ReflectionsPanel": "lessonkit.ui.reflection_list",
    "SignalsPanel": "lessonkit.ui.signal_editor",
    "network_dashboard": "lessonkit.ui.dashboard",
    "reflect_app": "lessonkit.ui.reflect",
    "reflections_panel": "lessonkit.ui.reflection_list",
    "signals_panel": "lessonkit.ui.signal_editor",
    # run the room: themes, dot votes, opinion groups (issue 15)
    "AgreeForm": "lessonkit.ui.agree",
    "OpinionPanel": "lessonkit.ui.opinions",
    "ThemesPanel": "lessonkit.ui.themes",
    "VoteForm": "lessonkit.ui.vote",
    "VotePanel": "lessonkit.ui.vote_board",
    "agree_app": "lessonkit.ui.agree",
    "opinion_panel": "lessonkit.ui.opinions",
    "themes_panel": "lessonkit.ui.themes",
    "vote_app": "lessonkit.ui.vote",
    "vote_panel": "lessonkit.ui.vote_board",
    # tactic library and transferability (issue 4)
    "LibraryBrowser": "lessonkit.ui.library",
    "ModuleEditor": "lessonkit.ui.library_edit",
    "RankingView": "lessonkit.ui.scoring_report",
    "ReviewPanel": "lessonkit.ui.library_review",
    "ScoringForm": "lessonkit.ui.scoring",
    "ScoringResults": "lessonkit.ui.scoring_report",
    "ScoringRoundSetup": "lessonkit.ui.scoring_setup",
    "library_browser": "lessonkit.ui.library",
    "library_status": "lessonkit.ui.library",
    "load_sample_library": "lessonkit.ui.library",
    "module_editor": "lessonkit.ui.library_edit",
    "module_view": "lessonkit.ui.library",
    "rank_view": "lessonkit.ui.scoring_report",
    "review_panel": "lessonkit.ui.library_review",
    "scoring_app": "lessonkit.ui.scoring",
    "scoring_results": "lessonkit.ui.scoring_report",
    "scoring_round_setup": "lessonkit.ui.scoring_setup",
    # care and accountability (issue 16): the joint risk register, the mutual-aid ledger, what is due
    "DueList": "lessonkit.ui.due",
    "RiskRegister": "lessonkit.ui.risks",
    "StockPanel": "lessonkit.ui.stock",
    "due_list": "lessonkit.ui.due",
    "ledger_stock": "lessonkit.ui.stock",
    "mutual_aid_ledger": "lessonkit.ui.ledger",
    "risk_register": "lessonkit.ui.risks",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lessonkit.ui' has no attribute {name!r}")
    found = getattr(importlib.import_module(module), name)
    if name[:1].islower() and callable(found):  # a workbook's one-liner: shows an unlock box for a locked convening
        from lessonkit.ui.setup_crypto import unlocking

        return unlocking(found)
    return found
