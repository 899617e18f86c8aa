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

from factcli.intervals import Interval
from factcli.model import Actor, Claim, FactBaseView, Figure, Source
from factcli.terminal import escape_json

if TYPE_CHECKING:  # pragma: no cover
    from factcli.jsonstream import Group


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
FIGURE_DERIVED: Derived = {"high": lambda fb, f: _bounds(f.interval())}
NESTED_DERIVED = {"disputes": REACTION_DERIVED, "confirmations": REACTION_DERIVED, "unverified": REACTION_DERIVED}
NESTED_DERIVED["figures"] = FIGURE_DERIVED


def _bounds(interval: Interval) -> dict[str, object]:
    """A figure's interval as ``low`` and ``high`` (null where unbounded), whole numbers as such."""
    return {"low": _number(interval.low), "high": _number(interval.high)}


def _number(x: float | None) -> float | int | None:
    return int(x) if x is not None and x.is_integer() and abs(x) < 2**53 else x


ACTOR_DERIVED: Derived = {"part_of": lambda fb, a: {"affiliations": list(fb.affiliations(a.id))}}
NOT_SHOWN = frozenset({"path"})  # where the loader found a record: ``file`` says it for claims
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


def figure_group_objects(fb: FactBaseView, rows: Iterable[tuple[str | None, Claim, Figure]]) -> Iterator[Group]:
    """``figure_group_object`` for each group of ``FactBaseView.iter_figures``, its figures read as written."""
    from factcli.jsonstream import Group
    from factcli.stats import grouped_figures

    for measure, items in grouped_figures(rows):
        yield Group({"measure": measure}, "figures", (figure_object(fb, c, f) for c, f in items))


def figure_object(fb: FactBaseView, claim: Claim, figure: Figure) -> dict:
    """One figure as ``figures --json`` lists it in its group: the figure, who gave it, where."""
    return {
        **record_object(fb, figure, FIGURE_DERIVED, hidden=FIGURE_NOT_SHOWN),
        "claim": claim.id,
        "claimant": claim.claimant,
        "claimant_name": fb.actors[claim.claimant].name,
        "source": record_object(fb, claim.source),
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
