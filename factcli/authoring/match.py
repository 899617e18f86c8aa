"""Claims in other sources that likely say the same thing, scored, for a person to confirm as ``matches:``.

Two claims from different sources are candidates when their statements or their quotes
are alike (rapidfuzz's ``token_set_ratio`` on case- and quote-folded words: word order and
one side's extra words cost nothing, so "Oskara says two jets downed" meets "two Tarsovian
aircraft were shot down, Dollen said" on the words they share), and more so when they give
figures for the same measure that can both be true (``factcli.intervals``). Figures for the
same measure that cannot both be true are not a match: they are a conflict, and say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from factcli.intervals import Interval, intersects, interval
from factcli.model import Claim, Figure
from factcli.query import fold

THRESHOLD = 60.0  # the least score shown: below it, pairs that share only common words ("said", "the")
MEASURE_BONUS = 25.0  # figures for the same measure that can both be true: the same event, most likely


class Candidate(NamedTuple):
    """A claim of another source that may say what ``claim`` says."""

    claim: str
    other: str
    other_source: str
    score: float  # 0-100
    reasons: tuple[str, ...]


def candidates(claims: Sequence[Claim], source: str | None = None, threshold: float = THRESHOLD) -> list[Candidate]:
    """For each claim (of ``source``, or every claim), the claims of other sources scoring at least
    ``threshold``, best first; each pair once when no source is given."""
    from rapidfuzz import fuzz  # 19 ms to import: only `factcli match` pays for it

    folded = {c.id: (fold(c.statement), fold(c.source.quote)) for c in claims}
    mine = [c for c in claims if source is None or c.source.id == source]
    found: list[Candidate] = []
    for claim in mine:
        for other in claims:
            if other.source.id == claim.source.id or (source is None and other.id <= claim.id):
                continue
            (statement, quote), (other_statement, other_quote) = folded[claim.id], folded[other.id]
            by_words = max(fuzz.token_set_ratio(statement, other_statement), fuzz.token_set_ratio(quote, other_quote))
            reasons = [f"words alike ({by_words:.0f})"]
            agree, disagree = _shared_measures(claim.figures, other.figures)
            score = by_words
            if agree:
                score = min(100.0, score + MEASURE_BONUS)
                reasons.append("same measure, figures can both be true: " + ", ".join(agree))
            if disagree:
                reasons.append("same measure, figures cannot both be true: " + ", ".join(disagree))
                score = min(score, threshold - 1) if not agree else score
            if score >= threshold:
                found.append(Candidate(claim.id, other.id, other.source.id, round(score, 1), tuple(reasons)))
    return sorted(found, key=lambda c: (c.claim, -c.score, c.other))


def _shared_measures(figures: Iterable[Figure], others: Iterable[Figure]) -> tuple[list[str], list[str]]:
    """The measures both claims give figures for: those whose figures can both be true, and those not."""
    agree: list[str] = []
    disagree: list[str] = []
    others = list(others)
    for figure in figures:
        for other in others:
            if figure.measure is None or figure.measure != other.measure:
                continue
            a, b = _interval(figure), _interval(other)
            if a is None or b is None:
                continue
            (agree if intersects(a, b) else disagree).append(f"{figure.measure} ({figure.text} / {other.text})")
    return list(dict.fromkeys(agree)), list(dict.fromkeys(disagree))


def _interval(figure: Figure) -> Interval | None:
    try:
        return interval(figure.qualifier, figure.value, figure.low, figure.high)
    except ValueError:
        return None
