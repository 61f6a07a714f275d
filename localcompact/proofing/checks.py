"""The checks a compact-proofing report runs on a draft, against one compact version.

`proof(text=..., kind=..., version=...)` returns the measures and the findings. What the
compact requires comes from its definition (standards, their rules, parameters,
strictness, exceptions and clauses; its glossary); nothing here knows a compact's
numbers. What this module knows is how to look for things in prose:

- the plain-English measures (`measures.py`), reported as advice, never blocking;
- jargon (`jargon.py`): terms the compact's glossary explains (for information, with
  a link to the glossary) and terms from the app's word list it does not, unless the
  draft explains them itself (advice);
- whether the draft names the compact (blocking when it does not refer to any compact:
  compact-proofing is about meaningful reference to the compact, Redcar & Cleveland
  jargon buster, "Compact-proofing and branding");
- for a consultation: its opening and closing dates, checked with each minimum-period
  standard the compact sets for consultations (the rulebook's MinimumPeriod, in the
  compact's working-day calendar), and what the compact says a consultation must state
  when it opens (required-record standards due "by opens");
- for a funding plan: the elements the compact's funding standards require
  (required-record fields, and notice before a funding event), looked for by the cues
  in `ELEMENT_CUES`.

A finding the compact makes a "must" or "should" is blocking when it fails; one it
calls best practice is advice. An element whose cue we do not know is listed for a
person to check ("info"), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from localcompact.compacts.models import CompactVersion, GlossaryTerm, Standard, Strictness
from localcompact.rulebook import MinimumPeriod, NoticeBeforeEvent, RequiredRecord, Status
from localcompact.rulebook.verdicts import long_date, prose

from . import jargon, measures
from .models import DraftKind, Level

# How an element a standard requires shows in prose. Keys are the field or event slugs
# the definitions use; values are a plain label and a pattern that finds it.
ELEMENT_CUES: dict[str, tuple[str, str]] = {
    # funding decisions, monitoring and payment
    "overhead-costs-included": (
        "overhead costs (full cost recovery)",
        r"overheads?|full[\s-]cost[\s-]recovery|core costs|management costs",
    ),
    "funding-amount": ("the amount of funding", r"£\s?\d|\bamount of (?:funding|grant)|budget of"),
    "monitoring-requirements": (
        "the monitoring asked for",
        r"\bmonitor(?:ing|ed)?\b|\breport(?:s|ing)? on\b",
    ),
    "proportionality-statement": (
        "why the monitoring is proportionate",
        r"\bproportion(?:ate|al)?\b",
    ),
    "outcome-measures": ("the outcomes to be measured", r"\boutcomes?\b"),
    "risks": ("the risks", r"\brisks?\b"),
    "risk-owners": (
        "who carries each risk",
        r"\brisks?\b[^.]{0,80}\b(?:carr(?:y|ies|ied)|own(?:s|ed|er)?|bear|borne|responsib\w*|allocat\w*)",
    ),
    "terms-of-delivery": (
        "the terms of delivery",
        r"\bterms of (?:delivery|the (?:grant|contract|agreement))\b|\bdelivery terms\b",
    ),
    "risks-accepted": (
        "the risks the funded organisation accepts",
        r"\brisks?\b[^.]{0,80}\baccept\w*",
    ),
    "reasons-for-lack-of-success": (
        "reasons given to unsuccessful applicants",
        r"\bunsuccessful\b[^.]{0,120}\b(?:reasons?|feedback)\b|\b(?:reasons?|feedback)\b[^.]{0,120}\bunsuccessful\b",
    ),
    "funding-ends": (
        "notice before funding ends",
        r"\bnotice\b[^.]{0,120}\b(?:end|ends|ending|stop\w*|withdraw\w*|ceas\w*|clos\w*)\b"
        r"|\b(?:end|ends|ending|stop\w*|withdraw\w*)\b[^.]{0,120}\bnotice\b",
    ),
    "project-start": (
        "funding confirmed before the work starts",
        r"\bconfirm\w*\b[^.]{0,120}\bbefore\b|\b(?:decision|decide)\w*\b[^.]{0,120}\bbefore\b[^.]{0,60}\bstart",
    ),
    "expenditure-start": (
        "payment in advance of spending",
        r"\bin advance\b|\badvance payments?\b|\bpaid (?:up ?front|before)\b",
    ),
    # what a consultation states when it opens
    "response-methods": (
        "the ways people can respond",
        r"\b(?:by|in|through|at|via) (?:e-?mail|post|letter|writing|online|survey"
        r"|questionnaire|phone|telephone|meetings?|focus groups?)\b",
    ),
    "anonymous-responses-allowed": (
        "that people may respond without giving their name",
        r"\banonym\w*|without giving (?:your|their) name",
    ),
    "community-group-response-time": (
        "the time community groups have to respond",
        r"\bcommunity groups?\b[^.]{0,120}"
        r"\b(?:weeks?|days?|longer|more time|extra time|until|by)\b",
    ),
    "accessible-information": (
        "how people can get the information in a form they can use",
        r"\b(?:large print|easy read|braille|audio|other formats?|another format"
        r"|other languages?|accessible)\b",
    ),
    "participation-support": (
        "support to help people take part",
        r"\b(?:expenses|travel costs|childcare|support to take part"
        r"|help(?:s)? (?:people|groups) (?:to )?take part|payment for taking part)\b",
    ),
}
FUNDING_APPLIES_TO = ("funding-decision", "funding-end", "monitoring", "payment")


@dataclass
class Proofed:
    measures: dict
    findings: list[dict]

    @property
    def blocking(self) -> int:
        return sum(1 for f in self.findings if f["level"] == Level.BLOCKING)


def _finding(kind, level, title, detail="", *, items=(), clause="") -> dict:
    return {
        "kind": kind,
        "level": str(level),
        "title": title,
        "detail": detail,
        "items": list(items),
        "clause": str(clause),
    }


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _failing_level(standard: Standard) -> Level:
    return Level.WARNING if standard.strictness == Strictness.BEST_PRACTICE else Level.BLOCKING


# Plain English ---------------------------------------------------------------------------


def _plain_english(text: str) -> tuple[dict, list[dict]]:
    items = measures.sentences(text)
    score = measures.readability(text)
    long = measures.long_sentences(items)
    passive = measures.passive_sentences(items)
    found = {
        "words": score.words,
        "sentences": score.sentences,
        "reading_ease": score.reading_ease,
        "ease_band": score.ease_band,
        "grade": score.grade,
        "long_sentences": len(long),
        "passive_sentences": len(passive),
        "long_limit": measures.LONG_SENTENCE_WORDS,
    }
    findings = [
        _finding(
            "reading-ease",
            Level.OK if score.reading_ease >= 60 else Level.WARNING,
            f"Reading ease {score.reading_ease:g} ({score.ease_band}), "
            f"school grade {score.grade:g}",
            "A Flesch reading ease of 60 or more is usually taken as plain English; shorter "
            "sentences and shorter words raise it."
            if score.reading_ease < 60
            else "The draft reads as plain English by the Flesch measure.",
        )
    ]
    if long:
        findings.append(
            _finding(
                "long-sentences",
                Level.WARNING,
                f"{len(long)} long sentence{'s' if len(long) != 1 else ''}",
                f"Sentences of more than {measures.LONG_SENTENCE_WORDS} words are hard to "
                "follow; try splitting them.",
                items=[f"{entry.sentence} ({entry.words} words)" for entry in long],
            )
        )
    if passive:
        findings.append(
            _finding(
                "passive-voice",
                Level.WARNING,
                f"{len(passive)} sentence{'s' if len(passive) != 1 else ''} that may be passive",
                "Say who does what (\u201cthe council will pay\u201d rather than \u201cpayment "
                "will be made\u201d). This is found by a simple rule, so some may be fine.",
                items=[f"{entry.sentence} (\u201c{entry.phrase}\u201d)" for entry in passive],
            )
        )
    return found, findings


# Jargon ----------------------------------------------------------------------------------


def _glossary_clause(term: GlossaryTerm) -> str:
    if term.source is None:
        return ""
    return f"{term.source.file} {term.clause_ref}".strip()


def _jargon(text: str, glossary: list[GlossaryTerm], compact_name: str) -> list[dict]:
    explained = []
    seen_glossary: set[str] = set()
    for term in glossary:
        if jargon.find(term.term, text):
            explained.append(term)
            seen_glossary.add(term.term.lower())
    unexplained, self_explained = [], []
    for entry in jargon.word_list():
        if not jargon.find(entry.term, text):
            continue
        if any(jargon.find(entry.term, g.term) for g in explained):
            continue  # the glossary explains it
        if jargon.explained_in(entry.term, text):
            self_explained.append(entry)
        else:
            unexplained.append(entry)
    findings = []
    if explained:
        findings.append(
            _finding(
                "jargon-glossary",
                Level.INFO,
                f"{_count(len(explained), 'term')} the compact's glossary explains",
                f"The {compact_name} explains these in its glossary: link readers to it, or "
                "explain them in the draft.",
                items=[
                    f"{term.term}"
                    + (f" ({_glossary_clause(term)})" if _glossary_clause(term) else "")
                    for term in explained
                ],
            )
        )
    if unexplained:
        findings.append(
            _finding(
                "jargon-unexplained",
                Level.WARNING,
                f"{_count(len(unexplained), 'jargon term')} with no explanation",
                "Neither the draft nor the compact's glossary explains these. Use the plainer "
                "words, or explain the term where it first appears.",
                items=[f"\u201c{e.term}\u201d: try \u201c{e.instead}\u201d" for e in unexplained],
            )
        )
    if self_explained:
        findings.append(
            _finding(
                "jargon-explained",
                Level.OK,
                "Jargon the draft explains itself",
                items=[e.term for e in self_explained],
            )
        )
    return findings


# The compact named -------------------------------------------------------------------------


def _compact_reference(text: str, version: CompactVersion, glossary: list[GlossaryTerm]) -> dict:
    proofing_term = next(
        (t for t in glossary if t.term.lower().startswith("compact-proofing")), None
    )
    clause = _glossary_clause(proofing_term) if proofing_term else ""
    names = {version.name, version.compact.name}
    if version.short_name:
        names.add(f"{version.short_name} Compact")
    for name in sorted(n for n in names if n):
        name_pattern = re.escape(name).replace("\\&", "&").replace("&", "(?:&|and)")
        if re.search(name_pattern, text, re.IGNORECASE):
            return _finding(
                "compact-reference",
                Level.OK,
                f"The draft names the {version.name}",
                "Readers can find the compact it keeps to. Say which parts of it apply "
                "where that helps.",
                clause=clause,
            )
    if re.search(r"\bCompact\b", text):
        return _finding(
            "compact-reference",
            Level.WARNING,
            "The draft mentions a compact but not by name",
            f"Name the {version.name} so that readers can find what it promises.",
            clause=clause,
        )
    return _finding(
        "compact-reference",
        Level.BLOCKING,
        f"The draft does not refer to the {version.name}",
        "A compact-proofed document refers to the compact it keeps to, and says how it "
        "does: name the compact and the parts of it that apply.",
        clause=clause,
    )


# Consultations ---------------------------------------------------------------------------


def _consultation(text: str, version: CompactVersion, standards: list[Standard]) -> list[dict]:
    periods = [
        s for s in standards if s.applies_to == "consultation" and s.rule_kind == MinimumPeriod.kind
    ]
    findings = []
    dates = measures.consultation_dates(text)
    if not periods:
        findings.append(
            _finding(
                "consultation-period",
                Level.INFO,
                f"The {version.name} sets no minimum period for consultations",
            )
        )
    for standard in periods:
        rule = standard.rule()
        level = _failing_level(standard)
        if dates.opens is None or dates.closes is None:
            missing = [
                what
                for what, found in (
                    ("when it opens", dates.opens),
                    ("when it closes", dates.closes),
                )
                if found is None
            ]
            findings.append(
                _finding(
                    "consultation-dates",
                    level,
                    "The draft does not say " + " or ".join(missing),
                    f"{standard.title}: give the opening and closing dates (for example "
                    f"\u201cthe consultation opens on 3 March and closes on 26 May 2027\u201d) so "
                    f"that the period of at least {rule.period} can be checked.",
                    clause=standard.clause,
                )
            )
            continue
        if dates.closes.on < dates.opens.on:
            findings.append(
                _finding(
                    "consultation-dates",
                    level,
                    "The closing date is before the opening date",
                    f"It opens on {long_date(dates.opens.on)} and closes on "
                    f"{long_date(dates.closes.on)}.",
                    clause=standard.clause,
                )
            )
            continue
        verdict = rule.check(start=dates.opens.on, end=dates.closes.on, cal=version.calendar)
        found_dates = [
            f"Opens: {dates.opens.text} (\u201c{dates.sentence_opens}\u201d)",
            f"Closes: {dates.closes.text} (\u201c{dates.sentence_closes}\u201d)",
        ]
        if verdict.status == Status.MET:
            findings.append(
                _finding(
                    "consultation-period",
                    Level.OK,
                    f"Open long enough: {standard.title}",
                    verdict.explanation,
                    items=found_dates,
                    clause=standard.clause,
                )
            )
            continue
        detail = verdict.explanation
        if standard.exception_summary:
            detail += (
                " The compact allows a shorter period only in this case: "
                f"{standard.exception_summary} If it applies, say so in the draft."
            )
        findings.append(
            _finding(
                "consultation-period",
                level,
                f"Too short: {standard.title}",
                detail,
                items=found_dates,
                clause=standard.clause,
            )
        )
    at_opening = [
        s
        for s in standards
        if s.applies_to == "consultation"
        and s.rule_kind == RequiredRecord.kind
        and s.params.get("by") == "opens"
    ]
    findings.extend(_elements(text, at_opening, "consultation-element"))
    return findings


# Funding plans -----------------------------------------------------------------------------


def _required(standard: Standard) -> list[str]:
    """The slugs of what a standard needs a plan to say."""
    if standard.rule_kind == RequiredRecord.kind:
        return list(standard.params.get("fields", []))
    if standard.rule_kind == NoticeBeforeEvent.kind:
        return [standard.params.get("event", "")]
    return []


def _elements(text: str, standards: list[Standard], kind: str) -> list[dict]:
    findings = []
    for standard in standards:
        present, missing, unknown = [], [], []
        for slug in _required(standard):
            cue = ELEMENT_CUES.get(slug)
            if cue is None:
                unknown.append(prose(slug))
            elif re.search(cue[1], text, re.IGNORECASE):
                present.append(cue[0])
            else:
                missing.append(cue[0])
        if missing:
            findings.append(
                _finding(
                    kind,
                    _failing_level(standard),
                    f"Missing: {standard.title}",
                    f"{standard.summary} The draft does not seem to cover: "
                    + ", ".join(missing)
                    + ".",
                    items=[f"Found: {p}" for p in present],
                    clause=standard.clause,
                )
            )
        elif present:
            findings.append(
                _finding(
                    kind,
                    Level.OK,
                    f"Covered: {standard.title}",
                    "The draft covers " + ", ".join(present) + ".",
                    clause=standard.clause,
                )
            )
        if unknown:
            findings.append(
                _finding(
                    kind,
                    Level.INFO,
                    f"Check by hand: {standard.title}",
                    "This tool cannot look for these in prose: " + ", ".join(unknown) + ".",
                    clause=standard.clause,
                )
            )
    return findings


def _funding(text: str, version: CompactVersion, standards: list[Standard]) -> list[dict]:
    relevant = [
        s
        for s in standards
        if s.applies_to in FUNDING_APPLIES_TO
        and s.rule_kind in (RequiredRecord.kind, NoticeBeforeEvent.kind)
    ]
    if not relevant:
        return [
            _finding(
                "funding-element",
                Level.INFO,
                f"The {version.name} sets no standards for what a funding plan says",
            )
        ]
    return _elements(text, relevant, "funding-element")


# All of it -------------------------------------------------------------------------------

ORDER = {Level.BLOCKING: 0, Level.WARNING: 1, Level.INFO: 2, Level.OK: 3}


def proof(*, text: str, kind: str, version: CompactVersion) -> Proofed:
    """Measures and findings for `text`, a draft of `kind`, against `version`."""
    glossary = list(GlossaryTerm.objects.filter(version=version).select_related("source"))
    standards = list(
        Standard.objects.filter(version=version).select_related("source").order_by("position")
    )
    found, findings = _plain_english(text)
    findings.append(_compact_reference(text, version, glossary))
    if kind == DraftKind.CONSULTATION:
        findings.extend(_consultation(text, version, standards))
    elif kind == DraftKind.FUNDING_PLAN:
        findings.extend(_funding(text, version, standards))
    findings.extend(_jargon(text, glossary, version.name))
    findings.sort(key=lambda f: ORDER[Level(f["level"])])
    return Proofed(measures=found, findings=findings)
