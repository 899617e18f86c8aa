"""schema.org ``Claim`` records as JSON-LD, disputed ones in a ``ClaimReview`` when a reviewer is named."""

from __future__ import annotations

import re
from collections.abc import Sequence

from factcli import contract
from factcli.exports import Options
from factcli.model import Actor, Claim, FactBaseView, Reaction, Source

OPTIONS = ("reviewer",)
NEEDS_FILE = False

# schema.org type for each kind of actor. Narrator claims are the source's own
# voice: their author is the source's publisher when known. Unattributed claims
# have no author: none is invented.
SCHEMA_ORG_TYPES = {
    "person": "Person",
    "country": "Country",
    "government": "Organization",
    "military": "Organization",
    "organisation": "Organization",
    "group": "Organization",
    "media": "Organization",
}
# schema.org has no property for a claim's disputes, confirmations and caveats, and a rating would
# be a verdict the source never gave: each reaction is a ``Comment`` on the claim, named for what it
# does, in the words of the source reporting it (``isPartOf``).
REACTION_NAMES = {
    "disputes": "Disputes the claim",
    "confirmations": "Confirms the claim",
    "unverified": "Could not verify the claim",
}
CLAIM_REVIEWED_MAX = 74  # Google: keep claimReviewed under 75 characters.
DISPUTED_RATING = "Disputed"


def cut_at_word(text: str, limit: int = CLAIM_REVIEWED_MAX) -> str:
    """``text`` in at most ``limit`` characters, cut on a word boundary and ended with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = head.rfind(" ")
    if cut > 0 and text[limit - 1] != " ":
        head = head[:cut]
    return head.rstrip(" ,;:.-–—") + "…"


def _actor_node(fb: FactBaseView, actor: Actor) -> dict | None:
    kind = SCHEMA_ORG_TYPES.get(actor.kind)
    if kind is None:
        return None
    node: dict = {"@type": kind, "name": actor.name}
    if actor.aliases:
        node["alternateName"] = list(actor.aliases)
    if kind == "Person" and actor.role:
        node["jobTitle"] = actor.role
    # Only organisations can stand in affiliation / parentOrganization; a Country is a Place.
    orgs = [fb.actors[p] for p in actor.part_of if SCHEMA_ORG_TYPES.get(fb.actors[p].kind) == "Organization"]
    if orgs:
        key = "affiliation" if kind == "Person" else "parentOrganization" if kind == "Organization" else None
        if key:
            node[key] = [{"@type": "Organization", "name": o.name} for o in orgs]
    return node


def _source_node(source: Source) -> dict:
    node: dict = {"@type": "CreativeWork", "name": source.title}
    if source.url:
        node["url"] = source.url
    if source.publisher:
        node["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published:
        node["datePublished"] = source.published
    return node


def _speaker_node(fb: FactBaseView, actor: Actor, source: Source | None) -> dict | None:
    """Who said it: the actor as a Person, Organization or Country; a narrator's words are its
    source's publisher's, when known; anyone else (unattributed) has no author, none invented."""
    node = _actor_node(fb, actor)
    if node is None and actor.kind == "narrator" and source and source.publisher:
        node = {"@type": "Organization", "name": source.publisher}
    return node


def _about_node(fb: FactBaseView, actor: Actor) -> dict:
    """An actor a claim is about: typed by kind where schema.org has a type for it, else a plain
    ``Thing`` by name ("Local sources"), rather than left out or given a type it may not have."""
    return _actor_node(fb, actor) or {"@type": "Thing", "name": actor.name}


def reaction_node(fb: FactBaseView, claim: Claim, kind: str, reaction: Reaction) -> dict:
    """A reaction as a ``Comment`` on the claim: what it does, the reporting words, who, and where."""
    source = fb.sources.get(reaction.source or claim.source.id)
    node: dict = {"@type": "Comment", "name": REACTION_NAMES[kind], "text": reaction.quote}
    author = _speaker_node(fb, fb.actors[reaction.by], source)
    if author:
        node["author"] = author
    if source:
        node["isPartOf"] = _source_node(source)
    return node


def claim_node(fb: FactBaseView, claim: Claim) -> dict:
    """A schema.org ``Claim``: the neutral statement, the quote it rests on, its author and source."""
    actor = fb.actors[claim.claimant]
    source = fb.sources.get(claim.source.id)
    node: dict = {"@type": "Claim", "identifier": claim.id, "name": claim.statement, "text": claim.source.quote}
    author = _speaker_node(fb, actor, source)
    if author:
        node["author"] = author
    if source:
        node["appearance"] = _source_node(source)
        if actor.kind == "narrator":
            # The source's own voice first appears in the source; for anyone else's words
            # the article is only where we met them, so firstAppearance is not claimed,
            # and nor is the day they said it (the source's date is in ``appearance``).
            node["firstAppearance"] = _source_node(source)
            if source.published:
                node["datePublished"] = source.published
    if claim.about:
        node["about"] = [_about_node(fb, fb.actors[a]) for a in claim.about]
    if claim.as_of:
        node["temporalCoverage"] = claim.as_of  # the date the claim speaks for, as the source gives it
    if claim.topics:
        node["keywords"] = list(claim.topics)
    comments = [reaction_node(fb, claim, kind, r) for kind, _, r in claim.reactions()]
    if comments:
        node["comment"] = comments
    return node


def claim_review_node(fb: FactBaseView, claim: Claim, reviewer: str) -> dict:
    """A ``ClaimReview`` rating a disputed claim "Disputed", with the fields Google's fact-check markup requires."""
    source = fb.sources.get(claim.source.id)
    node: dict = {
        "@type": "ClaimReview",
        "claimReviewed": cut_at_word(claim.statement),
        "author": {"@type": "Organization", "name": reviewer},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": DISPUTED_RATING,
            # The source's own words reporting each dispute, verbatim between quotation marks.
            "ratingExplanation": " ".join(
                f"{fb.actors[d.by].name}: “{d.quote}”{_reported_in(fb, d)}" for d in claim.disputes
            ),
        },
        "itemReviewed": claim_node(fb, claim),
    }
    if source and source.url:
        node["url"] = source.url
    return node


def _reported_in(fb: FactBaseView, reaction: Reaction) -> str:
    """Where another source reports a reaction: " (in Title)"; nothing for the claim's own source."""
    source = fb.sources.get(reaction.source) if reaction.source else None
    return f" (in {source.title})" if source else ""


def to_schema_org(fb: FactBaseView, claims: Sequence[Claim], reviewer: str | None = None) -> dict:
    """A JSON-LD document of ``Claim`` records; with ``reviewer``, disputed ones wrapped in ``ClaimReview``."""
    reviewer = reviewer.strip() if reviewer else None
    graph = [claim_review_node(fb, c, reviewer) if reviewer and c.disputed else claim_node(fb, c) for c in claims]
    return {"@context": "https://schema.org", "@graph": graph}


_HTML_UNSAFE = re.compile(r"[<>&]")


def schema_org_json(fb: FactBaseView, claims: Sequence[Claim], reviewer: str | None = None) -> str:
    """``to_schema_org`` as JSON text, safe to paste into ``<script type="application/ld+json">``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` and so on (the same JSON value),
    so no text in a fact file can close the script element.
    """
    text = contract.dumps(to_schema_org(fb, claims, reviewer))
    return _HTML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def render(fb: FactBaseView, claims: Sequence[Claim], options: Options) -> str:
    return schema_org_json(fb, claims, options.reviewer)


def sources_without_url(fb: FactBaseView, claims: Sequence[Claim]) -> list[str]:
    """The sources of disputed claims that have no url: Google's fact-check markup needs one on a ClaimReview."""
    return sorted({c.source.id for c in claims if c.disputed and not fb.sources[c.source.id].url})
