"""The index's leaner facets (issue #11's cold build): the same answers as the fact base in memory."""

from __future__ import annotations

import pytest

from factcli.query import TEXT_JOIN


def _ids(claims):
    return [c.id for c in claims]


@pytest.mark.parametrize("disputed", [False, True, 0, 1])
def test_undisputed_and_disputed_claims_as_in_memory(indexed, disputed):
    """Only disputed claims keep a 'disputed' row: an undisputed one is found by its absence."""
    fb, plain = indexed
    assert _ids(fb.query(disputed=disputed)) == _ids(plain.query(disputed=disputed))
    assert fb.query(disputed=False) and fb.query(disputed=True)


@pytest.mark.parametrize("sort", ["disputed", "figures"])
def test_sorting_on_a_yes_no_or_a_count_as_in_memory(indexed, sort):
    fb, plain = indexed
    assert _ids(fb.query(sort=sort)) == _ids(plain.query(sort=sort))
    assert _ids(fb.query(has_figure=True)) == _ids(plain.query(has_figure=True))


def test_a_search_never_matches_across_the_statement_and_the_quote(indexed):
    """Statement and quote share one row: text spanning the end of one and the start of the other
    must match nothing, with or without the join character."""
    fb, plain = indexed
    claim = next(c for c in plain.claims if c.statement != c.source.quote)
    across = claim.statement[-3:] + claim.source.quote[:3]
    for needle in (across, claim.statement[-3:] + TEXT_JOIN + claim.source.quote[:3], TEXT_JOIN):
        assert _ids(fb.query(search=needle)) == _ids(plain.query(search=needle))
    assert claim.id not in _ids(fb.query(search=claim.statement[-3:] + TEXT_JOIN + claim.source.quote[:3]))
    assert claim.id in _ids(fb.query(search=claim.source.quote[:8]))
    assert claim.id in _ids(fb.query(search=claim.statement[-8:]))
