"""Statistical disclosure control for the report's disagreement counts.

Disagreements are confidential, and with few cases a count can point to a case ("one
case reached mediation, finding upheld"). The public report therefore treats those
counts as official statistics treat small counts of people:

- Primary suppression: a count from 1 to `THRESHOLD - 1` is not given; it is shown as
  "fewer than 5" (`SMALL`). Zero is shown as 0: it points to no case.
- Secondary suppression: a hidden count must not be recoverable by subtraction from a
  total or from the cells beside it. The report's tables add up (raised = closed +
  open; stages, and outcomes, each add up to raised; the outcome "still open" is the
  open count; closed outcomes add up to closed), so where a hidden count could be worked
  out the next smallest count of the same sum is withheld too (`WITHHELD`, never a count
  below the threshold), and where that is not enough the whole breakdown is left out for
  that year (`NOT_PUBLISHED`), leaving only its total. When fewer than `THRESHOLD` cases
  were raised, only that ("fewer than 5") is given for the year.
- The median and longest time to close are given only when at least `THRESHOLD` cases
  closed (a longest time among two cases is one case's time).
- A year-on-year change is given only when both years' counts are given.

Why 5: UK official statistics leave the threshold to the producer (the GSS guidance on
disclosure control for tables of counts asks for small counts to be protected, with
secondary suppression so that totals do not give them back, without fixing a number);
"fewer than 5" is the most common choice for counts of people or cases, and a count of
5 or more no longer points to one case among the few a compact has in a year. The CSV
marks hidden cells with the shorthand UK statistical tables use for confidential values,
"[c]" (e.g. StatsWales' shorthand list: https://stats.llyw.cymru/cy-GB/shorthand), and
a small count as "[c] <5" (`CSV_TEXT`); notes at the end of the CSV say what they mean.

`protect` decides the markers; `attack` is the check it runs: what a reader can work
out from the published cells and the sums, by narrowing each hidden cell's possible
range (a small count is known to be 1 to 4, a withheld one at least 5, a left-out one
at least 0). A hidden small count is protected when its range keeps more than one value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

THRESHOLD = 5

SMALL = "small"  # a count from 1 to THRESHOLD - 1
WITHHELD = "withheld"  # secondary suppression: a count of at least THRESHOLD
NOT_PUBLISHED = "not-published"  # a breakdown left out for the year: any count

TEXT = {
    SMALL: f"fewer than {THRESHOLD}",
    WITHHELD: "withheld",
    NOT_PUBLISHED: "not shown",
}
CSV_TEXT = {
    SMALL: f"[c] <{THRESHOLD}",
    WITHHELD: "[c]",
    NOT_PUBLISHED: "[c]",
}
NOTES = (
    f"Disagreements are confidential: a count of 1 to {THRESHOLD - 1} is shown as "
    f"“fewer than {THRESHOLD}”.",
    "“Withheld” and “not shown” mark counts left out so that a small count cannot be "
    "worked out from a total or from the other counts; the change from the year before "
    "is given only when both years' counts are.",
    f"The median and longest time to close are given only when at least {THRESHOLD} "
    "disagreements closed.",
)
CSV_NOTES = (
    f"[c] <{THRESHOLD}: a count of 1 to {THRESHOLD - 1}, not shown (confidential)",
    "[c]: a count withheld so that a small count cannot be worked out from the others",
)

Equation = tuple[str, tuple[str, ...]]  # total = sum of parts


def box(marker: str | None, value: int) -> tuple[float, float]:
    """What a reader knows of one cell from its marker alone."""
    if marker is None:
        return value, value
    if marker == SMALL:
        return 1, THRESHOLD - 1
    if marker == WITHHELD:
        return THRESHOLD, math.inf
    return 0, math.inf


def attack(
    values: dict[str, int],
    hidden: dict[str, str],
    equations: Iterable[Equation],
    bounds: dict[str, tuple[float, float]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Each cell's range as far as a reader can narrow it from the published cells and
    the sums (interval propagation to a fixed point). `bounds` adds what else is
    published about a cell (e.g. that a median is given only from 5 closed cases)."""
    equations = list(equations)
    ranges = {name: box(hidden.get(name), value) for name, value in values.items()}
    for name, (low, high) in (bounds or {}).items():
        lo, hi = ranges[name]
        ranges[name] = (max(lo, low), min(hi, high))
    for _ in range(100):
        changed = False
        for total, parts in equations:
            members = [(total, 1), *((p, -1) for p in parts)]
            # total - sum(parts) = 0: each member's range from the others'
            for name, sign in members:
                low = high = 0.0
                for other, other_sign in members:
                    if other == name:
                        continue
                    lo, hi = ranges[other]
                    # sign * name = -sum(other_sign * other)
                    s = -other_sign * sign
                    low += s * (lo if s > 0 else hi)
                    high += s * (hi if s > 0 else lo)
                lo, hi = ranges[name]
                new = (max(lo, low), min(hi, high))
                if new != (lo, hi):
                    ranges[name] = new
                    changed = True
        if not changed:
            break
    return ranges


def pinned(
    values: dict[str, int],
    hidden: dict[str, str],
    equations: Iterable[Equation],
    bounds: dict[str, tuple[float, float]] | None = None,
) -> list[str]:
    """Hidden small counts a reader could work out exactly."""
    ranges = attack(values, hidden, equations, bounds)
    return sorted(
        name
        for name in hidden
        if 0 < values[name] < THRESHOLD and ranges[name][0] >= ranges[name][1]
    )


def _by_distance(name: str, equations: list[Equation]) -> list[list[Equation]]:
    """The sums, nearest first: those with `name`, then those sharing a cell with them..."""
    levels, reached, left = [], {name}, list(equations)
    while left:
        level = [eq for eq in left if reached & {eq[0], *eq[1]}]
        if not level:
            break
        levels.append(level)
        left = [eq for eq in left if eq not in level]
        for t, parts in level:
            reached |= {t, *parts}
    return levels


def protect(
    values: dict[str, int],
    equations: list[Equation],
    *,
    total: str,
    shown: Iterable[str],
    bounds: dict[str, tuple[float, float]] | None = None,
) -> dict[str, str]:
    """The marker of each published cell that is not shown as it is.

    `values`: every cell, including totals known to a reader but not published (they
    are treated as published: the cautious assumption). `shown`: the cells the report
    publishes. `total`: the headline count (cases raised), never withheld."""
    shown = set(shown)
    hidden: dict[str, str] = {name: SMALL for name in shown if 0 < values[name] < THRESHOLD}
    if total in hidden:  # fewer than 5 cases: give only that
        return {name: (SMALL if name == total else NOT_PUBLISHED) for name in shown}
    for _ in range(4 * len(values) + 4):
        found = pinned(values, hidden, equations, bounds)
        if not found:
            return hidden
        name = found[0]
        levels = _by_distance(name, equations)
        candidates = []
        for level in levels:  # the nearest sums first: the one with the count, ...
            candidates = [
                (values[c], c)
                for t, parts in level
                for c in (t, *parts)
                if c in shown and c != total and c not in hidden and values[c] >= THRESHOLD
            ]
            if candidates:
                break
        if candidates:
            hidden[min(candidates)[1]] = WITHHELD
            continue
        collapsible = [
            cells
            for level in levels
            for t, parts in level
            if (cells := [c for c in (t, *parts) if c in shown and c != total])
            and any(hidden.get(c) != NOT_PUBLISHED for c in cells)
        ]
        if not collapsible:
            break
        hidden.update(dict.fromkeys(collapsible[0], NOT_PUBLISHED))
    # Still not safe (not expected): give only the total.
    return {name: NOT_PUBLISHED for name in shown if name != total} | (
        {total: SMALL} if total in hidden else {}
    )
