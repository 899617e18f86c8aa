"""Claim ids: readable, derived from the claimant and the claim, unique across the fact base.

Negations ("no", "not", "none", "never") are telling words, never filler: an id must not say
the opposite of its claim ("killed no civilians" is ...-killed-no-civilians)."""

from __future__ import annotations

import re

from factcli.authoring.draft.attribution import slug

_FILLER = frozenset(
    """a an the of in on at by for from to into with and or but that which who whom this these those its it
    their there was were is are be been has have had will would could should can may might said says stated
    told according as than also over after before during while about against between both such
    very more most other some any all each his her they he she we our""".split()
)


def short_name(actor_id: str, kind: str) -> str:
    """The claimant's part of an id: a person's last name ("khawaja-muhammad-asif" -> "asif"),
    a body's id as it is; nothing for the narrator (the claim's words say enough)."""
    if kind in ("narrator", "unattributed"):
        return ""
    if kind == "person":
        return actor_id.removesuffix("-anon").rsplit("-", 1)[-1]
    return actor_id.removesuffix("-anon")


_NEGATIONS = frozenset("no not none never nor without".split())


def _with_what_is_negated(telling: list[str], keep: int) -> int:
    """How many telling words to keep: ``keep``, and more while the last is a negation ("reported no"
    says nothing; "reported no strikes" does)."""
    while keep < len(telling) and telling[keep - 1].lower() in _NEGATIONS:
        keep += 1
    return keep


def claim_id(claimant: str, words: str, taken: set[str], keep: int = 5) -> str:
    """A new id from ``claimant`` and the first telling ``words`` of the claim, not in ``taken``
    (and added to it): "india-struck-nine-sites", then "india-struck-nine-sites-2"."""
    telling = [w for w in re.findall(r"[\w’'-]+", words) if w.lower() not in _FILLER]
    words_kept = slug(" ".join(telling), _with_what_is_negated(telling, keep))
    base = "-".join(part for part in (claimant, words_kept) if part) or "claim"
    base = base[:80].rstrip("-")
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate
