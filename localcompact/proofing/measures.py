"""Plain-English measures of a draft: pure functions of its text (no Django import).

- `sentences`: the text cut into sentences at a full stop, question or exclamation mark
  followed by a space and a capital letter or digit, and at every line break (so each
  heading and list item counts as a sentence of its own, as readers meet them).
- `long_sentences`: sentences of more than `LONG_SENTENCE_WORDS` words. Plain-English
  guides commonly advise keeping an average sentence to 15 to 20 words and treating
  more than 25 as long; the figure is ours, not a compact's.
- `passive_sentences`: a simple heuristic, documented here because it is one: a form
  of "to be" (am, is, are, was, were, be, been, being), optionally followed by up to two
  adverbs (ending in -ly, or "not", "never", "always", "also", "often", "still"...),
  then a past participle: a word ending in -ed or -en (of five letters or more) or one
  of a short list of irregular participles. It finds most passives ("the plan was
  agreed", "grants will be paid") and also some adjectives that look like participles
  ("is interested"), so it reports sentences to look at, not faults.
- `readability`: Flesch reading ease and Flesch-Kincaid grade, from `textstat`
  (syllables from its bundled dictionaries; nothing is fetched at run time).
- `dates_in` and `consultation_dates`: dates written as "3 March 2027", "3rd March
  2027", "March 3, 2027", "03/03/2027" (day first, as in the UK) or "2027-03-03", and
  which of them says when a consultation opens and closes, from the words around it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import textstat

LONG_SENTENCE_WORDS = 25

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'’”)\]]*\s+(?=[\"'‘“(\[]?[A-Z0-9£])")
_WORD = re.compile(r"[A-Za-z0-9£][A-Za-z0-9'’\-]*")


def sentences(text: str) -> list[str]:
    """The text's sentences, each with its white space made single."""
    found: list[str] = []
    for line in re.split(r"\s*\n\s*", text or ""):
        line = " ".join(line.split())
        if not line:
            continue
        found.extend(part for part in _SENTENCE_BREAK.split(line) if part.strip())
    return [part.strip() for part in found]


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


@dataclass(frozen=True)
class Long:
    sentence: str
    words: int


def long_sentences(items: list[str], limit: int = LONG_SENTENCE_WORDS) -> list[Long]:
    """The sentences of more than `limit` words, in order."""
    found = []
    for sentence in items:
        count = len(words(sentence))
        if count > limit:
            found.append(Long(sentence=sentence, words=count))
    return found


_BE = r"(?:am|is|are|was|were|be|been|being|isn't|aren't|wasn't|weren't)"
_IRREGULAR = frozenset(
    [
        "made",
        "paid",
        "held",
        "given",
        "taken",
        "sent",
        "shown",
        "done",
        "known",
        "seen",
        "set",
        "put",
        "kept",
        "told",
        "found",
        "built",
        "brought",
        "bought",
        "sought",
        "thought",
        "met",
        "led",
        "left",
        "run",
        "won",
        "cut",
        "spent",
        "lent",
        "read",
        "heard",
        "written",
        "chosen",
        "drawn",
        "grown",
        "laid",
        "sold",
        "understood",
        "undertaken",
        "withdrawn",
    ]
)
_PARTICIPLE = r"(?:[a-z]{3,}ed|[a-z]{3,}en|" + "|".join(sorted(_IRREGULAR)) + r")"
_ADVERBS = "not|never|always|also|often|still|already|then|now|all|both"
_PASSIVE = re.compile(
    rf"\b{_BE}\s+(?:(?:{_ADVERBS}|[a-z]+ly)\s+){{0,2}}(?P<participle>{_PARTICIPLE})\b",
    re.IGNORECASE,
)
# -en words that are not participles but would match (adjectives and nouns)
_NOT_PARTICIPLES = frozenset(
    [
        "open",
        "often",
        "even",
        "eleven",
        "seven",
        "heaven",
        "garden",
        "golden",
        "wooden",
        "sudden",
        "hidden",
        "citizen",
        "children",
        "women",
        "men",
        "listen",
        "happen",
        "kitten",
        "token",
    ]
)


@dataclass(frozen=True)
class Passive:
    sentence: str
    phrase: str


def passive_sentences(items: list[str]) -> list[Passive]:
    """The sentences with a verb group that looks passive, and the words that do."""
    found = []
    for sentence in items:
        for match in _PASSIVE.finditer(sentence):
            if match.group("participle").lower() in _NOT_PARTICIPLES:
                continue
            found.append(Passive(sentence=sentence, phrase=match.group(0)))
            break
    return found


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    reading_ease: float
    grade: float

    @property
    def ease_band(self) -> str:
        """The usual reading of a Flesch score."""
        score = self.reading_ease
        if score >= 80:
            return "easy"
        if score >= 60:
            return "plain English"
        if score >= 50:
            return "fairly difficult"
        if score >= 30:
            return "difficult"
        return "very difficult"


def readability(text: str) -> Readability:
    items = sentences(text)
    joined = " ".join(s if s[-1:] in ".!?" else f"{s}." for s in items)
    if not items:
        return Readability(words=0, sentences=0, reading_ease=0.0, grade=0.0)
    return Readability(
        words=len(words(text)),
        sentences=len(items),
        reading_ease=round(float(textstat.flesch_reading_ease(joined)), 1),
        grade=round(float(textstat.flesch_kincaid_grade(joined)), 1),
    )


# Dates ---------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATE_FORMS = [
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
]


@dataclass(frozen=True)
class FoundDate:
    on: dt.date
    text: str
    start: int
    end: int


def dates_in(text: str) -> list[FoundDate]:
    """Every real date written in one of the forms above, in the order they appear."""
    found: dict[int, FoundDate] = {}
    for form in _DATE_FORMS:
        for match in form.finditer(text or ""):
            if any(f.start <= match.start() < f.end for f in found.values()):
                continue
            month = match.group("month")
            month_number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
            try:
                on = dt.date(int(match.group("year")), month_number, int(match.group("day")))
            except ValueError:
                continue
            found[match.start()] = FoundDate(
                on=on, text=match.group(0), start=match.start(), end=match.end()
            )
    return [found[key] for key in sorted(found)]


_OPENING = re.compile(
    r"\b(?:opens?|opening|opened|starts?|starting|begins?|beginning|launch(?:es|ed|ing)?|from)\b",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"\b(?:closes?|closing|closed|close|deadline|until|till|ends?|ending|no later than"
    r"|(?:respond|responses?|replies|reply|comments?)\s+(?:\w+\s+){0,3}by)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ConsultationDates:
    opens: FoundDate | None
    closes: FoundDate | None
    sentence_opens: str = ""
    sentence_closes: str = ""


def _nearest_cue(before: str) -> str | None:
    """Which cue ("opens" or "closes") comes last in the words before a date."""
    opening = [m.end() for m in _OPENING.finditer(before)]
    closing = [m.end() for m in _CLOSING.finditer(before)]
    if not opening and not closing:
        return None
    return "opens" if max(opening, default=-1) > max(closing, default=-1) else "closes"


def consultation_dates(text: str) -> ConsultationDates:
    """The first date said to open the consultation and the first said to close it.

    In each sentence, a date takes the cue ("opens", "from", "starts"...; "closes",
    "until", "deadline", "responses by"...) nearest before it, or failing that the
    first cue after it. "From A to B" gives A the opening and B the closing.
    """
    opens = closes = None
    sentence_opens = sentence_closes = ""
    for sentence in sentences(text):
        found = dates_in(sentence)
        previous = 0
        for index, date in enumerate(found):
            before = sentence[previous : date.start]
            cue = _nearest_cue(before)
            if cue is None and index > 0 and re.search(r"\b(?:to|and|until)\b", before):
                cue = "closes"
            if cue is None:
                after = sentence[
                    date.end : found[index + 1].start if index + 1 < len(found) else None
                ]
                cue = _nearest_cue(after)
            previous = date.end
            if cue == "opens" and opens is None:
                opens, sentence_opens = date, sentence
            elif cue == "closes" and closes is None:
                closes, sentence_closes = date, sentence
    return ConsultationDates(
        opens=opens, closes=closes, sentence_opens=sentence_opens, sentence_closes=sentence_closes
    )
