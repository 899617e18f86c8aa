"""The figures a sentence gives, read as the record format writes them.

Digits ("26", "1,200", "1.2 million", "40%") and number words ("five", "twenty-six",
"two dozen"), with the words that qualify them ("at least", "more than", "around",
"up to", "fewer than"), ranges ("between eight and 26", "30-40", "30 to 40") and vague
words kept vague ("several", "dozens": no value). Not figures: ordinals ("a third
aircraft" is the third one), dates and years, times, and the whole in "two of the
three suspects" (the figure is two, of three).

Measured before choosing (issue #13): text2num mangles "$2.5 billion", word2number reads
"two dozen" as 2, quantulum3 drops "at least" and takes 4 s to start, spaCy 2.4 s and
126 MB. News figures are few and regular, so a grammar of a page does the job, in
microseconds, with nothing to download.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class FoundFigure(NamedTuple):
    """A figure found in a text: its span, its words as written, and what they say."""

    start: int
    end: int
    text: str
    qualifier: str
    value: int | float | None
    low: int | float | None = None
    high: int | float | None = None
    unit: str = ""
    note: str = ""  # what a reviewer should check, said in a comment


_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "dozen": 12}

_QUALIFIERS = {
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "a minimum of": "at_least",
    "more than": "more_than",
    "over": "more_than",
    "in excess of": "more_than",
    "upwards of": "more_than",
    "up to": "at_most",
    "at most": "at_most",
    "no more than": "at_most",
    "as many as": "at_most",
    "a maximum of": "at_most",
    "fewer than": "fewer_than",
    "less than": "fewer_than",
    "under": "fewer_than",
    "around": "approximately",
    "about": "approximately",
    "nearly": "approximately",
    "almost": "approximately",
    "some": "approximately",
    "approximately": "approximately",
    "roughly": "approximately",
    "close to": "approximately",
    "an estimated": "approximately",
    "estimated": "approximately",
}
_VAGUE = (
    "tens of thousands",
    "hundreds of thousands",
    "several",
    "dozens",
    "hundreds",
    "thousands",
    "millions",
    "scores",
    "a few",
    "a handful",
    "numerous",
)

# "a third" aircraft is the third one (so three in all), never a fraction.
_ORDINALS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_WORD = "|".join(
    [rf"(?:{t})(?:[-\s](?:{'|'.join(list(_UNITS)[1:10])}))?" for t in _TENS] + sorted(_UNITS, key=len, reverse=True)
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s+(?:hundred|thousand|million|billion|dozen)\b)*"
# A number: digits or words, then any scale words; a currency sign before, a per cent after.
NUMBER = (
    rf"(?:[$€£]\s?)?(?:(?<![\w.,:-])(?:{_DIGITS})(?![\w-]|:\d)|\b(?:{_WORD})\b(?![-\w])|\ba dozen\b)"
    rf"{_SCALE}(?:\s?%|\s+per\s?cent\b)?"
)
_QUALIFIER = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
_DIGIT_NUMBER = rf"(?:{_DIGITS}){_SCALE}"
_SINGLE = (
    rf"(?P<qualified>\b(?P<qualifier>{_QUALIFIER})\s+(?P<q_number>{NUMBER}))"
    rf"|(?P<vague>\b(?:{'|'.join(_VAGUE)})\b)"
    rf"|(?P<number>{NUMBER})"
)
_ONE_FIGURE = re.compile(_SINGLE, re.IGNORECASE)
_FIGURE = re.compile(
    rf"(?P<between>\b(?:between|from)\s+(?P<b_low>{NUMBER})\s+(?:and|to)\s+(?P<b_high>{NUMBER}))"
    rf"|(?P<range>(?<![\w.,:-])(?P<r_low>{_DIGIT_NUMBER})\s*[-–—]\s*(?P<r_high>{_DIGIT_NUMBER})(?![\w-])"
    rf"|(?P<r_low2>{NUMBER})\s+to\s+(?P<r_high2>{NUMBER}))"
    rf"|(?P<qualified>\b(?P<qualifier>{_QUALIFIER})\s+(?P<q_number>{NUMBER}))"
    rf"|(?P<vague>\b(?:{'|'.join(_VAGUE)})\b)"
    rf"|(?P<ordinal>\ba\s+(?:{'|'.join(_ORDINALS)})\b)"
    r"|(?P<none>\bnone(?=\s+of\b))"
    rf"|(?P<number>{NUMBER})",
    re.IGNORECASE,
)

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$", re.IGNORECASE)
_DATE_AFTER = re.compile(rf"^\s*(?:{_MONTHS})\b|^(?:st|nd|rd|th)\b|^\s*[ap]\.?m\b|^:\d", re.IGNORECASE)
_ONE_IS_NOT_A_FIGURE_AFTER = re.compile(r"^\s+(?:of|another|day|side|way|after)\b", re.IGNORECASE)
_ONE_IS_NOT_A_FIGURE_BEFORE = re.compile(r"\b(?:no|any|every|each|the|this|that|which|only)\s+$", re.IGNORECASE)
_OF_THE_BEFORE = re.compile(r"\bof\s+(?:the|its|their|those|these)\s+$", re.IGNORECASE)

# Words that end a unit: function words and the verbs that follow a counted noun.
_STOP = frozenset(
    """a an the of in on at by for from to into onto with without within during after before since until
    and or but nor as than that which who whom whose where when while if because so though although
    had has have having was were is are be been being will would could should can may might must do did does
    said says say told stated claimed reported according near across over under about around among between
    it its they their them he his she her we our you your this these those there here
    per each every all both some any no not only also including""".split()
)
_DURATIONS = frozenset("seconds minutes hours days weeks months years decades day week month year hour".split())
_UNIT_WORD = re.compile(r"\s*([^\W\d_][\w'’-]*)")


def find_figures(text: str) -> list[FoundFigure]:
    """Every figure in ``text``, in order; each one's ``text`` is ``text[start:end]``."""
    found: list[FoundFigure] = []
    for match in _FIGURE.finditer(text):
        figure = _figure(text, match)
        if figure is not None:
            found.append(figure)
            found.extend(_shared(text, figure))
        elif match.group("between") or match.group("range"):  # not a range after all: its numbers, one by one
            for part in _ONE_FIGURE.finditer(text, match.start(), match.end()):
                figure = _figure(text, part)
                if figure is not None:
                    found.append(figure)
    return found


def _figure(text: str, match: re.Match[str]) -> FoundFigure | None:
    start, end, words = match.start(), match.end(), match.group(0)
    groups = match.groupdict()
    if groups.get("between") or groups.get("range"):
        low_words = groups["b_low"] or groups["r_low"] or groups["r_low2"]
        high_words = groups["b_high"] or groups["r_high"] or groups["r_high2"]
        low, high = number_value(low_words), number_value(high_words)
        if low is None or high is None or low >= high:
            return None  # "5-3" is a score or a vote, not a range
        unit, note = _unit_after(text, end)
        return FoundFigure(start, end, words, "range", None, low, high, unit or _unit_of(words), note)
    if groups.get("ordinal"):
        unit, _ = _unit_after(text, end)
        nth = _ORDINALS[words.split()[-1].lower()]
        note = f"{words!r}: the {words.split()[-1].lower()} one, so {nth} in all? check against the earlier count"
        return FoundFigure(start, end, words, "exact", nth, unit=unit, note=note)
    if groups.get("none"):
        unit, note = _unit_after(text, end, skip_of=True)
        return FoundFigure(start, end, words, "exact", 0, unit=unit, note=note)
    if groups.get("vague"):
        unit, note = _unit_after(text, end, skip_of=True)
        return FoundFigure(start, end, words, "unspecified", None, unit=unit, note=note)
    if groups.get("qualified"):
        qualifier = _QUALIFIERS[match.group("qualifier").lower()]
        number_words = match.group("q_number")
    else:
        qualifier, number_words = "exact", words
    value = number_value(number_words)
    if value is None or not _is_a_figure(text, match.start("q_number") if groups.get("qualified") else start, end):
        return None
    unit, note = _unit_after(text, end, skip_of=True)
    own = _unit_of(number_words)
    unit = f"{own} of {unit}" if own == "per cent" and unit else unit or own
    if isinstance(value, int) and 1900 <= value <= 2100 and number_words.isdigit() and not unit:
        return None  # a year
    if unit.lower() in _DURATIONS:
        return None  # "nine days after": when, not how many
    if _OF_THE_BEFORE.search(text, 0, start) and qualifier == "exact":
        return None  # the whole in "two of the three suspects": the figure is the two
    return FoundFigure(start, end, words, qualifier, value, unit=unit, note=note)


_AND_ANOTHER = re.compile(r"\s+and\s+([^\W\d_][\w'’-]*)(?=[\s.,;:!?]|$)")


def _shared(text: str, figure: FoundFigure) -> list[FoundFigure]:
    """A vague word's second noun: "several aircraft and drones" says "several" of each."""
    if figure.qualifier != "unspecified" or not figure.unit:
        return []
    unit_end = text.find(figure.unit, figure.end) + len(figure.unit)
    other = _AND_ANOTHER.match(text, unit_end)
    if other is None or other.group(1).lower() in _STOP:
        return []
    return [figure._replace(unit=other.group(1))]


def _is_a_figure(text: str, start: int, end: int) -> bool:
    """Whether the number at ``start:end`` counts something: not a date, a time, or "one of them"."""
    before, after = text[max(0, start - 20) : start], text[end : end + 12]
    if _DATE_BEFORE.search(before) or _DATE_AFTER.search(after):
        return False
    if text[start:end].lower() == "one":
        return not (_ONE_IS_NOT_A_FIGURE_AFTER.search(after) or _ONE_IS_NOT_A_FIGURE_BEFORE.search(before))
    return True


def _unit_of(number_words: str) -> str:
    """The unit a number carries itself: "%", a currency sign."""
    if number_words.rstrip().endswith("%") or re.search(r"per\s?cent$", number_words, re.IGNORECASE):
        return "per cent"
    return number_words[0] if number_words[:1] in "$€£" else ""


def _unit_after(text: str, end: int, skip_of: bool = False) -> tuple[str, str]:
    """The counted noun after a figure ("five Indian planes" -> "Indian planes"), up to three words,
    and a note for the reviewer when the figure is part of a whole ("two of the three suspects")."""
    pos, note = end, ""
    if skip_of:
        whole = re.match(rf"\s+of\s+(?:the\s+|its\s+|their\s+)?(?:(?P<whole>{NUMBER})\s+)?", text[pos:], re.IGNORECASE)
        if whole:
            pos += whole.end()
            if whole.group("whole"):
                note = f"of {whole.group('whole')}: the figure counts a part of that whole"
    words: list[str] = []
    while len(words) < 3:
        word = _UNIT_WORD.match(text, pos)
        lower = word.group(1).lower() if word else ""
        if not word or lower in _STOP or lower in _UNITS or (words and lower.endswith(("ed", "died"))):
            break  # a function word, a number, or the verb after the counted noun ("people died")
        words.append(word.group(1))
        pos = word.end()
    return " ".join(words).rstrip("’'"), note


def number_value(words: str) -> int | float | None:
    """The value of a number written in digits or words: "1,200" -> 1200, "1.2 million" -> 1200000,
    "twenty-six" -> 26, "two dozen" -> 24, "40%" -> 40; None when it is none of these."""
    tokens = re.findall(r"\d[\d,]*(?:\.\d+)?|[a-z]+", words.lower().replace("-", " "))
    value: float | None = None
    for token in tokens:  # left to right: "two hundred thousand" is (2 x 100) x 1000
        if token[0].isdigit():
            value = float(token.replace(",", ""))
        elif token in _UNITS or token in _TENS:
            value = (value or 0.0) + _UNITS.get(token, _TENS.get(token, 0))
        elif token in _SCALES:
            value = (value if value is not None else 1.0) * _SCALES[token]
        elif token in ("a", "per", "cent"):
            continue
        else:
            return None
    if value is None:
        return None
    return int(value) if value.is_integer() and abs(value) < 2**63 else value
