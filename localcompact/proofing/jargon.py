"""Jargon: the app's word list (`data/jargon.json`, with its source) and the compact's
glossary, matched against a draft."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "jargon.json"


@dataclass(frozen=True)
class Jargon:
    term: str
    instead: str


@functools.cache
def word_list() -> tuple[Jargon, ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(Jargon(term=t["term"], instead=t["instead"]) for t in data["terms"])


@functools.cache
def source_note() -> str:
    return json.loads(DATA.read_text(encoding="utf-8"))["about"]


def variants(term: str) -> list[str]:
    """The ways a term may be written: "Local Area Agreement (LAA)" gives both parts."""
    match = re.fullmatch(r"\s*(.+?)\s*\(([^)]+)\)\s*", term)
    if match:
        return [match.group(1), match.group(2)]
    return [term.strip()]


@functools.cache
def pattern(term: str) -> re.Pattern:
    """A term as a whole word or phrase: spaces and hyphens alike, plurals and other
    endings allowed; an all-capitals abbreviation only in capitals."""
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", term.strip()) if p]
    body = r"[\s\-]+".join(parts)
    if term.isupper():
        return re.compile(rf"(?<![A-Za-z]){body}s?(?![A-Za-z])")
    return re.compile(rf"\b{body}(?:s|es|d|ed|ing|ment|ments)?\b", re.IGNORECASE)


def find(term: str, text: str) -> re.Match | None:
    for variant in variants(term):
        match = pattern(variant).search(text)
        if match:
            return match
    return None


_EXPLAINED_AFTER = re.compile(
    r"^\s*(?:\(|,\s*(?:that is|which means|meaning)\b|\s*[-–:]\s"
    r"|\s+(?:means|is short for|stands for)\b)",
    re.IGNORECASE,
)


def explained_in(term: str, text: str) -> bool:
    """Whether the draft explains the term itself: the term followed by a bracket, a
    colon or dash, "means" or "stands for"; or written out with the term in brackets
    after it ("voluntary and community sector (VCS)")."""
    for variant in variants(term):
        for match in pattern(variant).finditer(text):
            if _EXPLAINED_AFTER.match(text[match.end() : match.end() + 40]):
                return True
        if re.search(rf"\(\s*{re.escape(variant)}\s*\)", text, re.IGNORECASE):
            return True
    return False
