"""Reports, data exports, bundles and clones: what leaves the laptop. The names below are the export layer's public
API; ui/ and cli/ import only these (``from lessonkit.export import make_reports``), never the modules inside, and
none of them decides who may see what (that is :mod:`lessonkit.services.disclosure`). Names are resolved lazily, so
importing ``lessonkit.export`` loads neither nbconvert nor pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "BriefResult": "lessonkit.export.brief",
    "COLUMNS": "lessonkit.export.data_export",
    "FORMATS": "lessonkit.export.reports",
    "KINDS": "lessonkit.export.reports",
    "PAPERS": "lessonkit.export.brief_html",
    "ReportJob": "lessonkit.export.reports",
    "ReportResult": "lessonkit.export.reports",
    "brief_page": "lessonkit.export.brief",
    "clone_convening": "lessonkit.export.bundle_clone",
    "convening_plan": "lessonkit.export.reports",
    "criterion_chart": "lessonkit.export.plots",
    "dashboard_pdf": "lessonkit.export.dashboard_plots",
    "diff_html": "lessonkit.export.mou_text",
    "diffs_for": "lessonkit.export.mou_text",
    "export_bundle": "lessonkit.export.bundle",
    "export_data": "lessonkit.export.data_export",
    "flow_chart": "lessonkit.export.flow_plot",
    "import_bundle": "lessonkit.export.bundle",
    "log_data": "lessonkit.export.data_export",
    "missing_font_message": "lessonkit.export.fonts",
    "make_reports": "lessonkit.export.reports",
    "mou_html": "lessonkit.export.mou_text",
    "mou_markdown": "lessonkit.export.mou_text",
    "notes_dataframe": "lessonkit.export.tables",
    "opinion_map": "lessonkit.export.room_charts",
    "outdated_note": "lessonkit.export.mou_text",
    "png": "lessonkit.export.plots",
    "print_briefs": "lessonkit.export.brief",
    "ranking_chart": "lessonkit.export.plots",
    "recurring_chart": "lessonkit.export.dashboard_plots",
    "risk_matrix_chart": "lessonkit.export.care_charts",
    "redaction_preview": "lessonkit.export.report_preview",
    "share_bundle": "lessonkit.export.bundle_share",
    "signals_chart": "lessonkit.export.dashboard_plots",
    "stock_chart": "lessonkit.export.care_charts",
    "tactic_results_chart": "lessonkit.export.dashboard_plots",
    "to_csv": "lessonkit.export.data_export",
    "to_json": "lessonkit.export.data_export",
    "write_data": "lessonkit.export.data_export",
    "write_sheet": "lessonkit.export.glossary_sheet",
}
# names that differ from the defining module's own
_RENAMED = {"mou_html": "to_html", "mou_markdown": "to_markdown"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lessonkit.export' has no attribute {name!r}")
    return getattr(importlib.import_module(module), _RENAMED.get(name, name))
