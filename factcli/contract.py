"""The JSON contract: the plain objects that ``--json``, ``--jsonl`` and exports print.

These shapes are a promise to scripts (jq pipelines, notebooks): fields are only
ever added, never renamed or removed. The README documents them and tests pin them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from functools import lru_cache

from factcli.model import Actor, Claim, FactBaseView, Figure, Source
from factcli.terminal import escape_json


def claim_file(fb: FactBaseView, claim: Claim) -> str:
    """The claim's file relative to its fact base, so the same fact base gives the same JSON anywhere."""
    return _relative(claim.path, fb.root)


@lru_cache(maxsize=4096)  # an article's claims often share one file
def _relative(path: str, root: str) -> str:
    return os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")


def claim_object(fb: FactBaseView, claim: Claim) -> dict:
    actor = fb.actors[claim.claimant]
    return {
        "id": claim.id,
        "claimant": claim.claimant,
        "claimant_name": actor.name,
        "affiliations": list(fb.affiliations(claim.claimant)),
        "statement": claim.statement,
        "figures": [
            {"value": f.value, "unit": f.unit, "qualifier": f.qualifier, "text": f.text, "measure": f.measure}
            for f in claim.figures
        ],
        "disputed": claim.disputed,
        "disputed_by": list(claim.disputed_by),
        "disputes": [{"by": d.by, "by_name": fb.actors[d.by].name, "quote": d.quote} for d in claim.disputes],
        "source": {"id": claim.source.id, "section": claim.source.section, "quote": claim.source.quote},
        "topics": list(claim.topics),
        "file": claim_file(fb, claim),
    }


def actor_object(fb: FactBaseView, actor: Actor, claims: int, claims_disputed: int, disputes: int) -> dict:
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "role": actor.role,
        "aliases": list(actor.aliases),
        "part_of": list(actor.part_of),
        "affiliations": list(fb.affiliations(actor.id)),
        "claims": claims,
        "claims_disputed": claims_disputed,
        "disputes": disputes,
    }


def figure_group_object(fb: FactBaseView, measure: str | None, items: list[tuple[Claim, Figure]]) -> dict:
    return {
        "measure": measure,
        "figures": [
            {
                "value": f.value,
                "unit": f.unit,
                "qualifier": f.qualifier,
                "text": f.text,
                "claim": c.id,
                "claimant": c.claimant,
                "claimant_name": fb.actors[c.claimant].name,
                "source": {"id": c.source.id, "section": c.source.section, "quote": c.source.quote},
            }
            for c, f in items
        ],
    }


def source_object(source: Source, claims: int) -> dict:
    return {
        "id": source.id,
        "title": source.title,
        "sections": list(source.sections),
        "url": source.url,
        "publisher": source.publisher,
        "claims": claims,
    }


def dumps(value: object) -> str:
    """JSON for people and for jq: UTF-8 kept readable, unsafe characters escaped."""
    return escape_json(json.dumps(value, ensure_ascii=False, indent=2))


def dumps_lines(values: Iterable[object]) -> str:
    """JSON Lines: one compact object per line."""
    return "".join(escape_json(json.dumps(v, ensure_ascii=False)) + "\n" for v in values)
