"""The report's charts, laid out here and drawn as inline SVG by templates.

Two kinds, both without script or style attributes (the content security policy), with
colours as SVG presentation attributes and each followed by a table of the same figures:

- "stacked": the compliance page's stacked bars (`obligations.charts.stacked_bar_chart`),
  reused as it is: met on time, met late, missed, excused and still open;
- "bars": for each figure, a bar for the report's year and one for the year before.

The same layouts are drawn in the HTML page and in the PDF.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from localcompact.obligations.charts import COLOURS, stacked_bar_chart
from localcompact.obligations.selectors import FIGURES

WIDTH = 960
LABEL_WIDTH = 380
BAR_AREA = 480
BAR_HEIGHT = 22
ROW_GAP = 16
LEGEND_HEIGHT = 40
THIS_COLOUR = "#0e4f4f"  # the site's theme colour: 9.9:1 on white
PREVIOUS_COLOUR = "#6f777b"  # 4.6:1 on white
MAX_LABEL = 44  # characters of a label on one line of the chart (the table has it all)


@dataclass(frozen=True)
class PairBar:
    label: str
    y: float
    this: float
    previous: float
    this_width: float
    previous_width: float
    this_hidden: str = ""  # a disclosure marker: the value is not published
    previous_hidden: str = ""

    @property
    def label_y(self) -> float:
        return self.y + BAR_HEIGHT + 4

    @property
    def this_y(self) -> float:
        return self.y

    @property
    def previous_y(self) -> float:
        return self.y + BAR_HEIGHT + 2

    @property
    def this_text_x(self) -> float:
        return LABEL_WIDTH + self.this_width + 6

    @property
    def previous_text_x(self) -> float:
        return LABEL_WIDTH + self.previous_width + 6


@dataclass(frozen=True)
class PairChart:
    width: int
    height: float
    bar_height: int
    label_width: int
    bars: list[PairBar]
    this_label: str
    previous_label: str
    this_colour: str = THIS_COLOUR
    previous_colour: str = PREVIOUS_COLOUR


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def pair_chart(rows: list[dict], *, year: int) -> PairChart | None:
    """Lay out rows of {label, this, previous} as two bars each, on one scale."""
    if not rows:
        return None
    largest = max(max(r["this"] or 0, r["previous"] or 0) for r in rows) or 1
    scale = BAR_AREA / largest
    bars, y = [], float(LEGEND_HEIGHT)
    for row in rows:
        this, previous = row["this"] or 0, row["previous"] or 0
        bars.append(
            PairBar(
                _short(row["label"]),
                y,
                this,
                previous,
                round(this * scale, 1),
                round(previous * scale, 1),
                row.get("hidden_this", ""),
                row.get("hidden_previous", ""),
            )
        )
        y += 2 * BAR_HEIGHT + 2 + ROW_GAP
    return PairChart(WIDTH, y, BAR_HEIGHT, LABEL_WIDTH, bars, str(year), str(year - 1))


def _namespace(group: dict) -> SimpleNamespace:
    return SimpleNamespace(
        title=group["title"], rows=[SimpleNamespace(**row) for row in group["rows"]]
    )


def laid_out(chart: dict, *, year: int):
    """The layout for a stored chart's data, by its kind."""
    if chart["kind"] == "stacked":
        return stacked_bar_chart([_namespace(g) for g in chart["groups"]], FIGURES, COLOURS)
    return pair_chart(chart["rows"], year=year)
