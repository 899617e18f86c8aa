"""Summaries over a fact base: claims per actor and source, figures side by side by measure.

Each asks the fact base for counts or figures (``FactBaseView.count_claims``,
``iter_figures``), so the index answers in SQL and only what is shown is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import NamedTuple, TypeVar

from factcli.model import Claim, FactBaseView, Figure, Source

R = TypeVar("R", bound=tuple)  # a row whose first field is a figure's measure


class ActorCounts(NamedTuple):
    claims: int  # claims the actor made itself
    claims_disputed: int  # of those, how many someone disputes
    disputes: int  # claims of others the actor disputes


def actor_counts(fb: FactBaseView) -> dict[str, ActorCounts]:
    from factcli.query import DISPUTED_CLAIMS

    made = fb.count_claims("claimant")
    made_disputed = fb.count_claims("claimant", DISPUTED_CLAIMS)
    disputing = fb.count_claims("disputer")
    return {a: ActorCounts(made.get(a, 0), made_disputed.get(a, 0), disputing.get(a, 0)) for a in fb.actors}


def source_counts(fb: FactBaseView) -> dict[str, int]:
    return fb.count_claims("source")


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


def grouped_figures(rows: Iterable[R]) -> Iterator[tuple[str | None, Iterator[R]]]:
    """Rows of ``FactBaseView.iter_figures`` or ``figures_json`` (the measure first) as the groups of
    ``figure_groups``, each read as it is taken: a measure's figures together, and each figure with
    no measure a group of its own."""
    loose = 0

    def group_of(row: R) -> tuple[str | None, int]:
        nonlocal loose
        if row[0]:
            return row[0], 0
        loose += 1
        return None, loose

    for (measure, _), rows_of_group in groupby(rows, group_of):
        yield measure, rows_of_group


def source_order(sources: Iterable[Source]) -> list[Source]:
    """``sources`` in the order they were published (as the story orders dates), undated last, then by id."""
    from factcli.story import date_key

    return sorted(sources, key=lambda s: (date_key(s.published), s.id))


def story_figure_groups(
    fb: FactBaseView, claims: list[Claim], measure: str | None = None
) -> list[tuple[str | None, list[tuple[Claim, Figure]]]]:
    """``figure_groups`` with each measure's figures in the order of the story (``story.story_order``:
    by date, then source, then where the quote stands in it), so a view answers "in what order"."""
    from factcli.story import story_order

    return figure_groups(story_order(fb, claims), measure)
