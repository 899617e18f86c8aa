"""Claims in other sources that likely say the same thing, scored, for a person to confirm as ``matches:``.

Two claims from different sources are candidates when their statements or their quotes
are alike (rapidfuzz's ``token_set_ratio`` on case- and quote-folded words: word order and
one side's extra words cost nothing, so "Oskara says two jets downed" meets "two Tarsovian
aircraft were shot down, Dollen said" on the words they share), and more so when their
figures for one measure are the same figure. Figures that differ but can both be true
("38 killed", "at least 31") earn nothing: a toll and its later update read alike, and are not
the same claim. Figures for the same measure that cannot both be true are not a match: they are
a conflict, and say so. Claims of one update chain (one updates the other, or both update one)
are the story's later figures, not re-reports: they lose ``UPDATE_PENALTY``.

Measured on examples/ (its confirmed ``matches:`` are the truth) by ``benchmarks/bench_match.py``:
see README "Authoring".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from factcli.intervals import Interval, intersects, interval
from factcli.model import Claim, Figure
from factcli.query import fold

THRESHOLD = 70.0  # the least score shown: below it, on examples/, pairs that only read alike ("said", "the")
MEASURE_BONUS = 25.0  # the same figure for the same measure: the same report, most likely
OTHER_MEASURES_PENALTY = 15.0  # one or both count something, never the same thing: alike words, other events
UPDATE_PENALTY = 40.0  # one claim updates the other (or both are in one chain): a later figure, not a re-report


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
    chain = _update_chains(claims)
    mine = [c for c in claims if source is None or c.source.id == source]
    found: list[Candidate] = []
    for claim in mine:
        for other in claims:
            if other.source.id == claim.source.id or (source is None and other.id <= claim.id):
                continue
            (statement, quote), (other_statement, other_quote) = folded[claim.id], folded[other.id]
            by_words = max(fuzz.token_set_ratio(statement, other_statement), fuzz.token_set_ratio(quote, other_quote))
            reasons = [f"words alike ({by_words:.0f})"]
            same, agree, disagree = _shared_measures(claim.figures, other.figures)
            score = by_words
            if same:
                score = min(100.0, score + MEASURE_BONUS)
                reasons.append("same measure, same figure: " + ", ".join(same))
            if agree:
                reasons.append("same measure, figures differ but can both be true: " + ", ".join(agree))
            if not (same or agree or disagree) and (_measures(claim) or _measures(other)):
                score = max(0.0, score - OTHER_MEASURES_PENALTY)
                counted = ", ".join(sorted(_measures(claim) | _measures(other)))
                reasons.append(f"no figure of one measure in both: {counted}")
            if chain[claim.id] == chain[other.id]:
                score = max(0.0, score - UPDATE_PENALTY)
                reasons.append("in one update chain: a later figure, not the same claim")
            if disagree:
                reasons.append("same measure, figures cannot both be true: " + ", ".join(disagree))
                score = min(score, threshold - 1) if not (same or agree) else score
            if score >= threshold:
                found.append(Candidate(claim.id, other.id, other.source.id, round(score, 1), tuple(reasons)))
    return sorted(found, key=lambda c: (c.claim, -c.score, c.other))


def _update_chains(claims: Sequence[Claim]) -> dict[str, str]:
    """Each claim's update chain, named by its first claim: claims linked by ``updates`` share one."""
    parent = {c.id: c.id for c in claims}

    def root(claim_id: str) -> str:
        while parent[claim_id] != claim_id:
            parent[claim_id] = parent[parent[claim_id]]
            claim_id = parent[claim_id]
        return claim_id

    for claim in claims:
        if claim.updates in parent:
            parent[root(claim.id)] = root(claim.updates)
    return {c.id: root(c.id) for c in claims}


def _shared_measures(figures: Iterable[Figure], others: Iterable[Figure]) -> tuple[list[str], list[str], list[str]]:
    """The measures both claims give figures for: the same figure, figures that differ but can
    both be true, and figures that cannot both be true."""
    same: list[str] = []
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
            if not intersects(a, b):
                found = disagree
            elif any(n is not None for n in _stated(figure)) and _stated(figure) == _stated(other):
                found = same
            else:
                found = agree
            found.append(f"{figure.measure} ({figure.text} / {other.text})")
    return list(dict.fromkeys(same)), list(dict.fromkeys(agree)), list(dict.fromkeys(disagree))


def _measures(claim: Claim) -> set[str]:
    return {f.measure for f in claim.figures if f.measure is not None}


def _stated(figure: Figure) -> tuple[float | None, ...]:
    """The numbers a figure states, whatever its qualifier: "at least 31" and "31" state the same one."""
    return (figure.value,) if figure.value is not None else (figure.low, figure.high)


def _interval(figure: Figure) -> Interval | None:
    try:
        return interval(figure.qualifier, figure.value, figure.low, figure.high)
    except ValueError:
        return None
