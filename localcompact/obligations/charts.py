"""A horizontal stacked bar chart, laid out here and drawn as inline SVG by a template.

No script and no style attributes (the content security policy forbids inline styles):
colours and fonts are SVG presentation attributes. The chart is an image whose name is
its <title>; the same figures are in a table, which the image points at. Every colour
is dark enough for white text on it (4.5:1) and each segment is edged in white, so
neighbouring segments never rely on telling two colours apart.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 960
BAR_AREA = 860
BAR_HEIGHT = 26
LABEL_GAP = 22  # from a standard's title to its bar
ROW_GAP = 18  # below a bar
HEADING_HEIGHT = 40
LEGEND_HEIGHT = 44
CHAR_WIDTH = 9  # of 16px Arial, roughly, for spacing the legend
MIN_TEXT_WIDTH = 30  # a segment narrower than this shows no count inside it

COLOURS = {
    "met": "#00703c",
    "met_late": "#a85100",
    "missed": "#d4351c",
    "excused": "#4c2c92",
    "open": "#6f777b",
}
TEXT = "#0b0c0c"


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    x: float
    width: float
    fill: str

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def shows_count(self) -> bool:
        return self.width >= MIN_TEXT_WIDTH


@dataclass(frozen=True)
class Bar:
    title: str
    label_y: float
    bar_y: float
    segments: list[Segment]
    total: int

    @property
    def total_x(self) -> float:
        end = max((s.x + s.width for s in self.segments), default=0)
        return round(end + 8, 1)

    @property
    def text_y(self) -> float:
        return self.bar_y + BAR_HEIGHT / 2 + 5


@dataclass(frozen=True)
class Heading:
    text: str
    y: float


@dataclass(frozen=True)
class LegendItem:
    label: str
    fill: str
    x: float

    @property
    def text_x(self) -> float:
        return self.x + 24


@dataclass(frozen=True)
class StackedBarChart:
    width: int
    height: float
    bar_height: int
    legend: list[LegendItem]
    headings: list[Heading]
    bars: list[Bar]


def stacked_bar_chart(
    groups: Sequence, series: Sequence[tuple[str, str]], colours=COLOURS
) -> StackedBarChart | None:
    """Lay out `groups` (each with a `title` and `rows`; each row a `title`, and a count
    for each key of `series`) as one bar per row, scaled to the largest total."""
    rows = [row for group in groups for row in group.rows]
    if not rows:
        return None
    largest = max(sum(getattr(row, key) for key, _ in series) for row in rows) or 1
    scale = BAR_AREA / largest

    legend, x = [], 0.0
    for key, label in series:
        legend.append(LegendItem(label, colours[key], x))
        x += 24 + CHAR_WIDTH * len(label) + 24

    headings, bars = [], []
    y = float(LEGEND_HEIGHT)
    for group in groups:
        headings.append(Heading(group.title, y + 24))
        y += HEADING_HEIGHT
        for row in group.rows:
            label_y = y + 16
            bar_y = y + LABEL_GAP
            segments, left = [], 0.0
            for key, label in series:
                count = getattr(row, key)
                if count:
                    width = round(count * scale, 1)
                    segments.append(Segment(label, count, round(left, 1), width, colours[key]))
                    left += width
            total = sum(getattr(row, key) for key, _ in series)
            bars.append(Bar(row.title, label_y, bar_y, segments, total))
            y = bar_y + BAR_HEIGHT + ROW_GAP
    return StackedBarChart(WIDTH, y, BAR_HEIGHT, legend, headings, bars)
