"""Stored figures made ready for the templates: the HTML page and the PDF share this."""

import datetime as dt

from localcompact.obligations.charts import COLOURS
from localcompact.obligations.selectors import FIGURES
from localcompact.rulebook import long_date

from .charts import laid_out
from .selectors import kept_note, kept_share

# Figures shown in their own tables rather than among a section's headline figures.
DETAIL = ("code-", "standard-", "by-stage-", "by-outcome-", "by-finding-", "indicator-")


def _standard_rows(rows: list[dict]) -> list[dict]:
    return [
        {
            **row,
            "share_this": kept_share(row["this"]),
            "share_previous": kept_share(row["previous"]),
            "note_this": kept_note(row["this"]),
            "note_previous": kept_note(row["previous"]),
            "counts_this": [row["this"][k] for k, _ in FIGURES],
            "counts_previous": [row["previous"][k] for k, _ in FIGURES],
        }
        for row in rows
    ]


def report_context(figures: dict) -> dict:
    year = figures["year"]
    sections = []
    for section in figures["sections"]:
        item = dict(section)
        item["charts"] = [
            {**chart, "layout": laid_out(chart, year=year)} for chart in section["charts"]
        ]
        item["standards"] = _standard_rows(section.get("standards", []))
        item["headline"] = [f for f in section["figures"] if not f["key"].startswith(DETAIL)]
        item["standards_table"] = bool(item["standards"]) and not any(
            chart["kind"] == "stacked" for chart in section["charts"]
        )
        for case in item.get("published", []):
            case["published_on_text"] = long_date(dt.date.fromisoformat(case["published_on"]))
        if "by_standard" in section:
            item["by_standard"] = _standard_rows(section["by_standard"])
        sections.append(item)
    return {
        "figures": figures,
        "year": year,
        "previous_year": figures["previous"],
        "sections": sections,
        "statuses": FIGURES,
        "legend": [(label, COLOURS[key]) for key, label in FIGURES],
        "as_of_text": long_date(dt.date.fromisoformat(figures["as_of"])),
        "complete": figures["complete"],
    }
