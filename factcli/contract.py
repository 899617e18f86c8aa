"""The JSON contract: the plain objects that ``--json``, ``--jsonl`` and exports print.

These shapes are a promise to scripts (jq pipelines, notebooks): fields are only
ever added, never renamed or removed. The README documents them and tests pin them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from factcli.model import Actor, Claim, FactBaseView, Figure, Source
from factcli.terminal import escape_json

if TYPE_CHECKING:  # pragma: no cover (imported by the commands that print them: list --json does not)
    from factcli.intervals import Interval
    from factcli.jsonstream import Encoded, Group
    from factcli.story import ComparedFigure, Comparison, Conflict, MeasureUse


def claim_file(fb: FactBaseView, claim: Claim) -> str:
    """The claim's file relative to its fact base, so the same fact base gives the same JSON anywhere."""
    return _relative(claim.path, fb.root)


@lru_cache(maxsize=4096)  # an article's claims often share one file
def _relative(path: str, root: str) -> str:
    return os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")


# The objects follow the records' own fields (``factcli.model``), in their order: a field added
# to a record is in the JSON at once. Beside them stand the values worked out from the fact base
# (names, affiliations), each right after the field it is derived from, and the claim's file last.
Derived = dict[str, Callable[[FactBaseView, Any], dict[str, object]]]

# A derived value may also stand in for its own field: ``matches`` shows both ways (each pair is
# written once, on either claim), a figure's ``low`` and ``high`` the ends of its interval.
CLAIM_DERIVED: Derived = {
    "claimant": lambda fb, c: {
        "claimant_name": fb.actors[c.claimant].name,
        "affiliations": list(fb.affiliations(c.claimant)),
    },
    "disputed": lambda fb, c: {"disputed_by": list(c.disputed_by)},
    "about": lambda fb, c: {"about_names": [fb.actors[a].name for a in c.about]},
    "as_of": lambda fb, c: {"date": fb.date_of(c)},
    "updates": lambda fb, c: {"updated_by": fb.links().updated_by.get(c.id)},
    "matches": lambda fb, c: {"matches": list(fb.links().matches.get(c.id, ()))},
    "confirmations": lambda fb, c: {"confirmed_by": list(c.confirmed_by)},
    "unverified": lambda fb, c: {"unverified_by": list(c.unverified_by)},
}
REACTION_DERIVED: Derived = {"by": lambda fb, r: {"by_name": fb.actors[r.by].name}}
FIGURE_DERIVED: Derived = {"high": lambda fb, f: _bounds(f)}
NESTED_DERIVED = {"disputes": REACTION_DERIVED, "confirmations": REACTION_DERIVED, "unverified": REACTION_DERIVED}
NESTED_DERIVED["figures"] = FIGURE_DERIVED


def _bounds(figure: Figure, interval: Interval | None = None) -> dict[str, object]:
    """A figure's interval (``interval``, when already worked out) as ``low`` and ``high`` (null
    where unbounded), whole numbers as such.

    An end the figure states (a range's ends, any other figure's value) is its number as written:
    the interval is worked out in floating point, which holds no whole number past 2**53 exactly.
    """
    if interval is None:
        interval = figure.interval()
    low, high = (figure.low, figure.high) if figure.qualifier == "range" else (figure.value, figure.value)
    return {"low": _end(interval.low, low), "high": _end(interval.high, high)}


def _end(end: float | None, stated: float | None) -> float | int | None:
    if end is not None and stated is not None and end == float(stated):
        return stated if isinstance(stated, int) else _number(end)
    return _number(end)


def figure_bounds(figure: Figure) -> tuple[float | int | None, float | int | None]:
    """The ends of the interval a figure stands for, as ``low`` and ``high`` say them (exports too)."""
    interval = figure.interval()
    return _number(interval.low), _number(interval.high)


def _number(x: float | None) -> float | int | None:
    return int(x) if x is not None and x.is_integer() and abs(x) < 2**53 else x


ACTOR_DERIVED: Derived = {"part_of": lambda fb, a: {"affiliations": list(fb.affiliations(a.id))}}
# path: where the loader found a record (``file`` says it for claims); draft: no claim shown is one.
NOT_SHOWN = frozenset({"path", "draft"})
FIGURE_NOT_SHOWN = NOT_SHOWN | {"measure"}  # in ``figures``, the group says the measure
SOURCE_NOT_SHOWN = frozenset({"path", "text"})  # a source's full text is for ``show``, not for listings


def record_object(
    fb: FactBaseView, record: Any, derived: Derived | None = None, hidden: frozenset[str] = NOT_SHOWN
) -> dict:
    """A record as a JSON object: its fields in order (nested records as objects, tuples as lists).

    The first objects of a shape are made field by field; after ``WRITE_OUT_AFTER`` of them, by a
    function written out for that shape (``_object_builder``), which a long answer repays at once
    and a short one never pays for.
    """
    key = (type(record), tuple(derived.items()) if derived else (), hidden)
    build = _OBJECTS.get(key)
    if build is None:
        made = _MADE[key] = _MADE.get(key, 0) + 1
        if made <= WRITE_OUT_AFTER:
            return _object_by_field(fb, record, derived, hidden)
        build = _object_builder(*key)
    return build(fb, record)


WRITE_OUT_AFTER = 50
_MADE: dict[tuple[type, tuple, frozenset[str]], int] = {}


def _object_by_field(fb: FactBaseView, record: Any, derived: Derived | None, hidden: frozenset[str]) -> dict:
    out: dict[str, object] = {}
    for name, value in zip(record._fields, record, strict=True):
        if name in hidden:
            continue
        out[name] = _json_value(fb, value, NESTED_DERIVED.get(name))
        if derived and name in derived:
            out.update(derived[name](fb, record))
    return out


def _json_value(fb: FactBaseView, value: object, derived: Derived | None) -> object:
    if isinstance(value, tuple):
        if hasattr(value, "_fields"):
            return record_object(fb, value, derived)
        return [_json_value(fb, item, derived) for item in value]
    return value


_OBJECTS: dict[tuple[type, tuple, frozenset[str]], Callable[[FactBaseView, Any], dict]] = {}


def _object_builder(cls: type, derived: tuple, hidden: frozenset[str]) -> Callable[[FactBaseView, Any], dict]:
    """``record_object`` for the record type ``cls``, written out field by field as one dict display
    (as ``model.from_mapping`` writes its builders): a streamed answer makes 100,000 of these."""
    from factcli.model import PLAIN, RECORD, VALUES, field_kinds

    extra = dict(derived)
    scope: dict[str, Any] = {}
    items = []
    for i, (name, how, sub) in enumerate(field_kinds(cls)):
        if name in hidden:
            continue
        if how in (PLAIN, VALUES):
            items.append(f"{name!r}: r[{i}]" if how == PLAIN else f"{name!r}: list(r[{i}])")
        else:
            nested = tuple(NESTED_DERIVED.get(name, {}).items())
            scope[f"o{i}"] = _OBJECTS.get((sub, nested, NOT_SHOWN)) or _object_builder(sub, nested, NOT_SHOWN)
            items.append(
                f"{name!r}: None if r[{i}] is None else o{i}(fb, r[{i}])"
                if how == RECORD
                else f"{name!r}: [o{i}(fb, x) for x in r[{i}]]"
            )
        if name in extra:
            scope[f"d{i}"] = extra[name]
            items.append(f"**d{i}(fb, r)")
    exec(f"def build(fb, r):\n    return {{{', '.join(items)}}}", scope)  # noqa: S102 (made from field names)
    build = _OBJECTS[(cls, derived, hidden)] = scope["build"]
    return build


def claim_object(fb: FactBaseView, claim: Claim) -> dict:
    out = record_object(fb, claim, CLAIM_DERIVED)
    out["file"] = claim_file(fb, claim)
    return out


def actor_object(fb: FactBaseView, actor: Actor, claims: int, claims_disputed: int, disputes: int) -> dict:
    out = record_object(fb, actor, ACTOR_DERIVED)
    out.update(claims=claims, claims_disputed=claims_disputed, disputes=disputes)
    return out


def figure_group_object(fb: FactBaseView, measure: str | None, items: Iterable[tuple[Claim, Figure]]) -> dict:
    return {"measure": measure, "figures": [figure_object(fb, c, f) for c, f in items]}


def figure_groups_json(rows: Iterable[tuple[str | None, Encoded]]) -> Iterator[Group]:
    """``figures --json``: a group for each measure (and for each figure with no measure) of
    ``FactBaseView.figures_json``, its figures' encoded objects read as they are written."""
    from factcli.jsonstream import Group
    from factcli.stats import grouped_figures

    for measure, items in grouped_figures(rows):
        yield Group({"measure": measure}, "figures", (text for _, text in items))


def figure_object(fb: FactBaseView, claim: Claim, figure: Figure) -> dict:
    """One figure as ``figures --json`` lists it in its group: the figure, who gave it, where."""
    return {
        **record_object(fb, figure, FIGURE_DERIVED, hidden=FIGURE_NOT_SHOWN),
        "claim": claim.id,
        "claimant": claim.claimant,
        "claimant_name": fb.actors[claim.claimant].name,
        "source": record_object(fb, claim.source),
    }


def measure_object(fb: FactBaseView, use: MeasureUse) -> dict:
    """``measures --json``: the registry's fields, then how the figures use the measure (sides with their names)."""
    return {
        **use._asdict(),
        "sides": list(use.sides),
        "side_names": [fb.actors[side].name if side in fb.actors else side for side in use.sides],
    }


def source_object(source: Source, claims: int) -> dict:
    out: dict[str, object] = {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in zip(source._fields, source, strict=True)
        if name not in SOURCE_NOT_SHOWN
    }
    out["claims"] = claims
    return out


def dumps(value: object) -> str:
    """JSON for people and for jq: UTF-8 kept readable, unsafe characters escaped."""
    return escape_json(json.dumps(value, ensure_ascii=False, indent=2))


def dumps_lines(values: Iterable[object]) -> str:
    """JSON Lines: one compact object per line (as ``jsonstream`` writes them)."""
    from factcli.jsonstream import JSONL, write_array

    out: list[str] = []
    write_array(out.append, values, JSONL)
    return "".join(out)


# --- the story across sources: ``compare``, ``conflicts`` (``timeline`` prints claim objects) ------


def interval_object(interval: Interval) -> dict:
    """``{low, high, low_open, high_open, text}``: an end is null where unbounded; ``text`` as people say it."""
    return {
        "low": _plain_number(interval.low),
        "high": _plain_number(interval.high),
        "low_open": interval.low_open,
        "high_open": interval.high_open,
        "text": interval.describe(),
    }


def _plain_number(x: float | None) -> int | float | None:
    """An interval's end as JSON: 20, not 20.0, when it is a whole number."""
    return int(x) if x is not None and abs(x) < 2**63 and x == int(x) else x


def _figure_fields(figure: Figure, claim_id: str, speaker: dict[str, str]) -> dict:
    """A figure of the story: its fields, the interval it stands for, its claim, and who gave it."""
    interval = figure.interval()
    return {
        **figure_record(figure, interval),
        "interval": interval_object(interval),
        "claim": claim_id,
        **speaker,
    }


def figure_record(figure: Figure, interval: Interval) -> dict:
    """``record_object(fb, figure, FIGURE_DERIVED)``, its interval worked out once for the story's
    ``interval`` too: a figure's fields are all plain values (tests hold the two equal)."""
    return {**dict(zip(FIGURE_FIELDS, figure, strict=True)), **_bounds(figure, interval)}


FIGURE_FIELDS = Figure._fields


class Speakers(dict[str, dict[str, str]]):
    """Each claimant's fields in a story's figure (its name, its side and the side's name), worked
    out once per claimant: a long answer names the same few hundred actors again and again."""

    def __init__(self, fb: FactBaseView):
        super().__init__()
        self._fb = fb

    def __missing__(self, claimant: str) -> dict[str, str]:
        from factcli.intervals import side_of

        actors = self._fb.actors
        side = side_of(claimant, {claimant: self._fb.affiliations(claimant)})
        fields = {
            "claimant": claimant,
            "claimant_name": actors[claimant].name,
            "side": side,
            "side_name": actors[side].name,
        }
        self[claimant] = fields
        return fields


def compared_figure_object(fb: FactBaseView, f: ComparedFigure, speakers: Speakers | None = None) -> dict:
    speaker = (speakers or Speakers(fb))[f.claim.claimant]
    return {
        **_figure_fields(f.figure, f.claim.id, speaker),
        "source": f.claim.source.id,
        "date": f.date,
        "updates": f.claim.updates,
        "updated_by": fb.links().updated_by.get(f.claim.id),
        "disputed_by": list(f.claim.disputed_by),
        "confirmed_by": list(f.claim.confirmed_by),
        "unverified_by": list(f.claim.unverified_by),
        "superseded": f.superseded,
        "in_conflict": f.in_conflict,
    }


def comparison_object(fb: FactBaseView, comparison: Comparison) -> dict:
    """``compare --json``: every figure in order, each side's latest, the verdict and the conflicting pairs."""
    speakers = Speakers(fb)
    return {
        "measure": comparison.measure,
        "consistent": comparison.consistent,
        "sides": [
            {"side": side, "side_name": fb.actors[side].name, "latest": compared_figure_object(fb, f, speakers)}
            for side, f in comparison.latest.items()
        ],
        "figures": [compared_figure_object(fb, f, speakers) for f in comparison.figures],
        "conflicts": [
            {"claims": list(dict.fromkeys((a.claim.id, b.claim.id))), "sides": [a.side, b.side]}
            for a, b in comparison.conflicts
        ],
    }


def conflict_objects(fb: FactBaseView, conflicts: Iterable[Conflict]) -> Iterator[dict]:
    """``conflicts --json``: ``conflict_object`` for each conflict, made as it is written."""
    speakers = Speakers(fb)
    for conflict in conflicts:
        yield conflict_object(fb, conflict, speakers)


def conflict_object(fb: FactBaseView, conflict: Conflict, speakers: Speakers) -> dict:
    """A measure whose figures cannot all be true, each figure involved once, and its smallest
    groups that cannot hold together (pairs of claim ids)."""
    figures = conflict.figures
    claims = [m.claim for m in figures]
    return {
        "measure": conflict.measure,
        "claims": list(dict.fromkeys(claims)),
        "groups": [[claims[i], claims[j]] for i, j in conflict.groups],
        "figures": [
            {**_figure_fields(m.figure, m.claim, speakers[m.claimant]), "source": m.source, "date": m.date}
            for m in figures
        ],
    }
