"""What a figure stands for, and which figures cannot all be true.

A figure as written ("at least 31", "between 30 and 40", "several") stands for a
set of values: an interval on one number line. Two accounts of one measure can
both be true exactly when their intervals meet, so comparing figures is interval
arithmetic, with open and closed ends kept exact: "more than 35" and "35" cannot
both hold, "at least 35" and "35" can.

Also here, because ``compare``, ``conflicts`` and ``timeline`` need them beside
the intervals: which side an actor speaks for, and which claims a later claim
has superseded. Pure and stdlib-only, so the ``--json`` path may import it
without start-up cost.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple, TypeVar

T = TypeVar("T")

APPROXIMATE_MARGIN = 0.10
"""How far "approximately v" reaches either side of v, as a fraction of |v|.

Ten per cent is how far people stretch a round figure: "about 30" admits 27 to
33, but not 20 or 40, which would be said as such. The margin scales with the
value ("about 3,000" admits 2,700 to 3,300), so "about 0" admits only 0.
"""

QUALIFIERS = ("exact", "approximately", "at_least", "more_than", "at_most", "fewer_than", "range", "unspecified")


class Interval(NamedTuple):
    """The values a figure admits: ``low`` to ``high``, ``None`` where unbounded.

    ``low_open``/``high_open`` say an end is excluded ("more than 35" is
    ``Interval(35, None, True, True)``); an unbounded end is always open.
    ``approximate`` only changes how ``describe`` says it ("≈ 27–33", whose
    ends are a margin, not the source's words); it never changes which values
    are admitted.
    """

    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False
    approximate: bool = False

    def contains(self, x: float) -> bool:
        """Whether the value ``x`` is one this interval admits."""
        if self.low is not None and (x < self.low or (x == self.low and self.low_open)):
            return False
        return self.high is None or x < self.high or (x == self.high and not self.high_open)

    @property
    def empty(self) -> bool:
        """Whether no value at all is admitted ("(5, 5]"); no figure stands for such an interval."""
        if self.low is None or self.high is None:
            return False
        return self.low > self.high or (self.low == self.high and (self.low_open or self.high_open))

    def describe(self, ascii: bool = False) -> str:
        """A short phrase for people: "9", "≥ 20", "> 35", "30–40", "≈ 27–33", "any".

        Unusual mixes of ends (what ``common`` can return) keep the brackets:
        "(30, 40]". ``ascii`` spells the symbols for a terminal that has only
        ASCII: ">= 20", "30-40", "~ 27-33".
        """
        ge, le, dash, about = (">=", "<=", "-", "~ ") if ascii else ("≥", "≤", "–", "≈ ")
        low, high = self.low, self.high
        if low is None and high is None:
            return "any"
        if low is None:
            return f"{'<' if self.high_open else le} {number(high)}"
        if high is None:
            return f"{'>' if self.low_open else ge} {number(low)}"
        if low == high and not self.empty:
            return number(low)
        if not (self.low_open or self.high_open):
            return f"{about if self.approximate else ''}{number(low)}{dash}{number(high)}"
        return f"{'(' if self.low_open else '['}{number(low)}, {number(high)}{')' if self.high_open else ']'}"


EVERYTHING = Interval(None, None, True, True)


def number(x: float | None) -> str:
    """A value as people write it: "9" rather than "9.0"; any other value exactly, in its shortest spelling."""
    if x is None:
        return "any"
    if abs(x) < 1e15 and x == int(x):
        return str(int(x))
    return repr(float(x))  # the shortest spelling that reads back as the same value: nothing rounded away


def _tidy(x: float) -> float:
    """``x`` rounded to 12 significant digits, so decimal arithmetic lands where a reader expects.

    1.7 + 0.17 in binary floating point is 1.8699999999999999; without this,
    "about 1.7" would not admit a figure written "1.87". Figures in a fact base are
    decimals with far fewer than 12 digits, so nothing a source wrote is lost.
    """
    return float(f"{x:.12g}")


def _finite(name: str, x: float | None) -> float:
    if x is None or isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, not {x!r}")
    return float(x)


def interval(qualifier: str, value: float | None, low: float | None = None, high: float | None = None) -> Interval:
    """The interval a figure stands for, by its qualifier (record format v2, "figures").

    ``range`` takes ``low`` and ``high`` and ignores ``value``; ``unspecified``
    ("several") admits anything; every other qualifier takes ``value``. Raises
    ``ValueError`` on an unknown qualifier, a missing or non-finite number, or a
    range whose ``low`` is above its ``high``: validation reports those with
    file and line before any comparison runs.
    """
    if qualifier == "unspecified":
        return EVERYTHING
    if qualifier == "range":
        lo, hi = _finite("low", low), _finite("high", high)
        if lo > hi:
            raise ValueError(f"range low {number(lo)} is above high {number(hi)}")
        return Interval(lo, hi)
    v = _finite("value", value)
    if qualifier == "exact":
        return Interval(v, v)
    if qualifier == "approximately":
        margin = APPROXIMATE_MARGIN * abs(v)
        low_end, high_end = _tidy(v - margin), _tidy(v + margin)
        # Past the largest float an end is unbounded: no float lies beyond it, so nothing more is admitted.
        return Interval(
            low_end if math.isfinite(low_end) else None,
            high_end if math.isfinite(high_end) else None,
            not math.isfinite(low_end),
            not math.isfinite(high_end),
            approximate=margin > 0,
        )
    if qualifier == "at_least":
        return Interval(v, None, False, True)
    if qualifier == "more_than":
        return Interval(v, None, True, True)
    if qualifier == "at_most":
        return Interval(None, v, True, False)
    if qualifier == "fewer_than":
        return Interval(None, v, True, True)
    raise ValueError(f"unknown qualifier {qualifier!r}; expected one of {', '.join(QUALIFIERS)}")


def _meet(a: Interval, b: Interval) -> Interval:
    """The intersection of two intervals, possibly ``empty``: the higher low end and the lower high end."""
    if a.low is None or (b.low is not None and (b.low > a.low or (b.low == a.low and b.low_open))):
        low, low_open = b.low, b.low_open
    else:
        low, low_open = a.low, a.low_open
    if a.high is None or (b.high is not None and (b.high < a.high or (b.high == a.high and b.high_open))):
        high, high_open = b.high, b.high_open
    else:
        high, high_open = a.high, a.high_open
    return Interval(low, high, low_open, high_open)


def intersects(a: Interval, b: Interval) -> bool:
    """Whether some value is admitted by both: whether two figures can both be true."""
    return not _meet(a, b).empty


def common(intervals: Iterable[Interval]) -> Interval | None:
    """The values every interval admits, or ``None`` when there is none.

    The common part of no intervals at all is the whole line: nothing constrains it.
    """
    result = EVERYTHING
    for each in intervals:
        result = _meet(result, each)
        if result.empty:
            return None
    return result


def consistent(items: Iterable[T], key: Callable[[T], Interval]) -> bool:
    """Whether all the figures can be true at once (their intervals share a value)."""
    return common(key(item) for item in items) is not None


def conflicts(items: Sequence[T], key: Callable[[T], Interval]) -> list[tuple[T, T]]:
    """The smallest groups of figures that cannot all be true: every disjoint pair, in input order.

    By Helly's theorem in one dimension, intervals that meet pairwise share a
    point: the highest low end is at or below the lowest high end, because those
    two ends belong to two intervals that meet. So a family has no common value
    exactly when two of its intervals are disjoint, and those pairs are the
    smallest groups that cannot hold together.

    Pairs come as ``(items[i], items[j])`` with ``i < j``, sorted by ``(i, j)``.
    An interval lies wholly left of another's low end when its high end is below
    it (or at it, with either end open); sorting the high ends once finds those
    by bisection, so a measure with many figures costs ``n log n`` plus the
    pairs found, not ``n²``. Raises ``ValueError`` on an ``empty`` interval,
    which no figure stands for.
    """
    intervals = [key(item) for item in items]
    for i, each in enumerate(intervals):
        if each.empty:
            raise ValueError(f"item {i} stands for no value at all: {each.describe()}")
    # A high end's rank: at the same value an open end ("fewer than 35") sorts before a closed one ("35").
    ranked = sorted(
        (each.high, 0 if each.high_open else 1, i) for i, each in enumerate(intervals) if each.high is not None
    )
    highs = [(h, rank) for h, rank, _ in ranked]
    pairs: list[tuple[int, int]] = []
    for j, each in enumerate(intervals):
        if each.low is None:
            continue
        # Wholly left of a closed low end v: high < v, or high == v and open. Of an open one: high <= v.
        left = bisect_left(highs, (each.low, 2 if each.low_open else 1))
        pairs.extend((min(i, j), max(i, j)) for _, _, i in ranked[:left])
    return [(items[i], items[j]) for i, j in sorted(pairs)]


def side_of(actor_id: str, affiliations: Mapping[str, Sequence[str]]) -> str:
    """The side an actor speaks for: the top of its ``part_of`` chain, or itself when it has none.

    ``affiliations`` maps an actor to its chain, nearest first (a spokesperson's
    ministry, then the government); three spokespeople of one ministry are one
    side, so figures are counted by side, not by speaker.
    """
    chain = affiliations.get(actor_id)
    return chain[-1] if chain else actor_id


def sides_in_conflict(pairs: Iterable[tuple[T, T]], side: Callable[[T], str]) -> list[tuple[str, str]]:
    """The pairs of sides whose figures cannot both be true, each once, in the order first met.

    ``(a, b)`` and ``(b, a)`` are one pair. A side contradicting itself (two of
    its spokespeople, or a figure and its revision) comes as ``(s, s)``.
    """
    seen: set[frozenset[str]] = set()
    result: list[tuple[str, str]] = []
    for first, second in pairs:
        sides = (side(first), side(second))
        if frozenset(sides) not in seen:
            seen.add(frozenset(sides))
            result.append(sides)
    return result


def _check_no_loop(updates: Mapping[str, str | None]) -> None:
    """Raise ``ValueError`` naming the claims of an ``updates`` loop, if there is one.

    Validation refuses loops with file and line; this guard means a loop that
    slips past it fails loudly instead of hanging ``timeline``. Each claim
    updates at most one other, so one walk per claim, never revisiting a
    finished one, is linear.
    """
    finished: set[str] = set()
    for start in updates:
        path: list[str] = []
        on_path: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in finished:
            if node in on_path:
                loop = path[on_path[node] :] + [node]
                raise ValueError(f"updates loop: {' -> '.join(loop)}")
            on_path[node] = len(path)
            path.append(node)
            node = updates.get(node)
        finished.update(path)


def superseded(updates: Mapping[str, str | None]) -> set[str]:
    """The claims that a later claim updates: directly, or through a chain of updates.

    ``updates`` maps each claim id to the id it updates, or ``None``. An id a
    claim updates is superseded even when it is not itself a key.
    """
    _check_no_loop(updates)
    return {earlier for earlier in updates.values() if earlier is not None}


def latest(updates: Mapping[str, str | None]) -> set[str]:
    """The claims no later claim updates: what ``--latest`` keeps. Both branches of a fork are latest."""
    return set(updates) - superseded(updates)


def chains(updates: Mapping[str, str | None]) -> list[list[str]]:
    """Every update chain, earliest claim first: ``[two, three, five]`` for "two, then three, then five".

    A branch (two claims updating one earlier claim) gives one chain per latest
    claim, sharing their start. Claims that neither update nor are updated are
    in no chain. Chains come in the order their first claim appears in
    ``updates`` (as a key or a target), and branches in the order of their keys,
    so the result is deterministic. Raises ``ValueError`` on a loop.
    """
    _check_no_loop(updates)
    later: dict[str, list[str]] = {}
    order: dict[str, int] = {}
    for claim, earlier in updates.items():
        order.setdefault(claim, len(order))
        if earlier is not None:
            order.setdefault(earlier, len(order))
            later.setdefault(earlier, []).append(claim)
    starts = sorted((c for c in later if updates.get(c) is None), key=order.__getitem__)
    result: list[list[str]] = []
    for start in starts:
        # Depth first without recursion (a chain may be as long as the fact base), collecting the
        # latest claims; each chain is then read back from its latest claim, so no chain is copied.
        stack = [start]
        while stack:
            claim = stack.pop()
            nexts = later.get(claim)
            if nexts:
                stack.extend(reversed(nexts))
                continue
            chain = [claim]
            while (earlier := updates.get(chain[-1])) is not None:
                chain.append(earlier)
            result.append(chain[::-1])
    return result
