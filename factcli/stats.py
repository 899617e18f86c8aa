"""Summaries over a fact base: claims per actor and source, figures side by side by measure."""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from factcli.model import Claim, FactBaseView, Figure


class ActorCounts(NamedTuple):
    claims: int  # claims the actor made itself
    claims_disputed: int  # of those, how many someone disputes
    disputes: int  # claims of others the actor disputes


def actor_counts(fb: FactBaseView) -> dict[str, ActorCounts]:
    made: Counter[str] = Counter()
    made_disputed: Counter[str] = Counter()
    disputing: Counter[str] = Counter()
    for claim in fb.claims:
        made[claim.claimant] += 1
        made_disputed[claim.claimant] += claim.disputed
        for by in claim.disputed_by:
            disputing[by] += 1
    return {a: ActorCounts(made[a], made_disputed[a], disputing[a]) for a in fb.actors}


def source_counts(fb: FactBaseView) -> dict[str, int]:
    return dict(Counter(claim.source.id for claim in fb.claims))


def figure_groups(
    claims: list[Claim], measure: str | None = None
) -> list[tuple[str | None, list[tuple[Claim, Figure]]]]:
    """Figures grouped by measure (sorted), so different numbers for one thing stand together.

    Figures with no measure come last, one group each: nothing says they compare. Given a
    ``measure``, only its figures (a claim giving it may give others too).
    """
    by_measure: dict[str, list[tuple[Claim, Figure]]] = {}
    loose: list[tuple[str | None, list[tuple[Claim, Figure]]]] = []
    for claim in claims:
        for figure in claim.figures:
            if measure is not None and figure.measure != measure:
                continue
            if figure.measure:
                by_measure.setdefault(figure.measure, []).append((claim, figure))
            else:
                loose.append((None, [(claim, figure)]))
    return [(m, by_measure[m]) for m in sorted(by_measure)] + loose
