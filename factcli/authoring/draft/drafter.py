"""Claim records proposed from a source's text, for a person to review.

Every sentence of every section is read; a sentence joining two reports (", while")
is cut in two. Each part becomes a drafted claim: its quote the exact words of the text
(never anything else), its claimant who speaks there (``attribution``), its figures as
the text gives them (``figures``), an id unique across the fact base (``ids``). Where
the drafter guesses, it says so in a comment beside the guess. Every claim carries
``draft: true``: no command counts it until a person has checked it and deleted that line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from factcli import placeholders
from factcli.authoring.draft.attribution import DENIAL, Cast, Span, Speaker, about, clauses, sentences, slug
from factcli.authoring.draft.figures import FoundFigure, find_figures
from factcli.authoring.draft.ids import claim_id, short_name
from factcli.authoring.writer import Comment, Commented, comment_lines, dump
from factcli.model import Actor, Claim, Measure, Source

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/claim.schema.json\n"


class Draft(NamedTuple):
    """The drafted claims of one source (plain mappings, as written), and what they propose."""

    source: str
    claims: list[dict]
    actors: list[Actor]  # proposed new actors
    measures: list[Measure]  # proposed new measures
    document: dict  # the claims file, comments and all


def narrator_id(source_id: str) -> str:
    return f"{source_id}-narrator"


def draft(
    source: Source,
    actors: Mapping[str, Actor],
    claims: Iterable[Claim],
    measures: Iterable[Measure] = (),
) -> Draft:
    """Draft claim records for the whole text of ``source``, against the fact base's ``actors``,
    its ``claims`` (whose ids are taken, and whose figures' measures are known) and ``measures``."""
    claims = list(claims)
    narrator = narrator_id(source.id)
    cast = Cast(actors.values(), narrator)
    known = _known_measures(claims, measures)
    proposed_measures: dict[str, Measure] = {}
    taken = {c.id for c in claims}
    drafted: list[dict] = []
    text = source.text
    kinds = {a.id: a.kind for a in actors.values()}
    for section, (start, end) in sorted(source.section_spans().items(), key=lambda item: item[1]):
        body = text.find("\n", start, end) + 1 or end  # the heading's own line is not a claim
        previous: str | None = None  # the last speaker, for "it said" (within a section)
        last: dict | None = None  # the last claim, which a denial may answer
        for sentence in sentences(text, body, end):
            for clause in clauses(text, sentence):
                if not any(ch.isalnum() for ch in text[clause.start : clause.end]):
                    continue  # punctuation alone ("...", "—") says nothing
                speaker = cast.speaker(text, clause, previous)
                kinds.update({a.id: a.kind for a in cast.proposed.values()})
                figures = find_figures(text[clause.start : clause.end])
                quote = text[clause.start : clause.end]
                notes = [speaker.note] if speaker.note else []
                if not speaker.reported and not figures:
                    notes.append("the article's own words, no figure: keep it only if it is a claim")
                record = _record(
                    quote=quote,
                    section=section,
                    source=source.id,
                    claimant=speaker.actor,
                    about_ids=about(cast.mentions(text, clause.start, clause.end), speaker.actor),
                    figures=[_figure(f, quote, known, proposed_measures) for f in figures],
                    claim=claim_id(
                        short_name(speaker.actor, kinds.get(speaker.actor, "")), _id_words(text, clause, speaker), taken
                    ),
                    notes=notes,
                )
                if speaker.reported and DENIAL.search(quote) and last is not None and last["claimant"] != speaker.actor:
                    _propose_dispute(last, speaker.actor, quote)
                    if not figures and _ANSWERS_ONLY.search(quote):
                        previous = speaker.actor
                        continue  # "rejected that claim": all it says is the dispute, drafted there
                drafted.append(record)
                if speaker.reported:
                    previous = speaker.actor
                last = record
    document = {"source": source.id, "claims": drafted}
    return Draft(source.id, drafted, list(cast.proposed.values()), list(proposed_measures.values()), document)


def render(result: Draft) -> str:
    """The claims file of ``result``: the schema line, how to review, the claims, and the proposed
    actors and measures as commented YAML to move into actors/ and measures/."""
    head = SCHEMA_LINE + comment_lines(
        f"Drafted by `factcli draft {result.source}`: {len(result.claims)} proposed claims, none reviewed.\n"
        "Review each against the source: keep or delete it, correct its statement, claimant and figures,\n"
        "then delete its `draft: true` line. Until then no command counts it, and `factcli validate` lists it."
    )
    text = head + dump(result.document)
    if result.actors:
        actors = [_actor_mapping(a) for a in result.actors]
        text += "\n" + comment_lines(
            "Proposed actors, not yet in the fact base: check each, then move them (without the '# ')\n"
            f"into actors/, for example actors/{result.source}.yaml\n" + dump({"actors": actors}).rstrip("\n")
        )
    if result.measures:
        measures = [{k: v for k, v in m._asdict().items() if v is not None and k != "path"} for m in result.measures]
        text += "\n" + comment_lines(
            "Proposed measures, not yet in the fact base: say what exactly each counts, then move them\n"
            "(without the '# ') into measures/, for example measures/measures.yaml\n"
            + dump({"measures": measures}).rstrip("\n")
        )
    return text


def plain(record: Mapping) -> dict:
    """A drafted record as the mapping a reader gets back: comments gone, ``Commented`` values unwrapped."""
    out: dict = {}
    for key, value in record.items():
        if isinstance(key, Comment):
            continue
        if isinstance(value, Commented):
            value = value.value
        if isinstance(value, Mapping):
            value = plain(value)
        elif isinstance(value, list):
            value = [plain(v) if isinstance(v, Mapping) else v for v in value]
        out[key] = value
    return out


def _record(
    *,
    quote: str,
    section: str,
    source: str,
    claimant: str,
    about_ids: list[str],
    figures: list[dict],
    claim: str,
    notes: list[str],
) -> dict:
    record: dict = {Comment(note): None for note in notes}
    record["id"] = claim
    record["draft"] = True
    record["claimant"] = claimant
    if about_ids:
        record["about"] = about_ids
    record["statement"] = Commented(_statement(quote), "the source's words: restate them neutrally if need be")
    if figures:
        record["figures"] = figures
    record["disputed"] = False
    record["source"] = {"id": source, "section": section, "quote": quote}
    return record


def _id_words(text: str, clause: Span, speaker: Speaker) -> str:
    """The words an id is made of: what was said, or the words from the reporting verb on
    ("expressed openness to further U.S. mediation"), not the speaker's name again."""
    quote = text[clause.start : clause.end]
    reported = _reported_words(quote)
    if reported is not None:
        return reported
    if clause.start <= speaker.verb < clause.end and speaker.reported:
        return text[speaker.verb : clause.end]
    return quote


def _statement(quote: str) -> str:
    """What was claimed, from the quote: the reported words without the reporting ("X said that ...")."""
    words = (_reported_words(quote) or quote).strip(" ,;:")
    words = words[:1].upper() + words[1:]
    return words if words.endswith((".", "!", "?")) else words + "."


def _reported_words(quote: str) -> str | None:
    """The words reported in ``quote``: after "X said that", or inside '"...," X said'; None if neither."""
    said_that = re.search(
        r"\b(?:said|stated|claimed|announced|reported|noted|added|warned|insisted|confirmed)\s+that\s+", quote
    )
    quoted = re.match(r"^[\"“](?P<words>[^\"”]+?)[,.]?[\"”],?\s+(?:\S+\s+){0,5}(?:said|added|told)\b", quote)
    if quoted:
        return quoted.group("words")
    return quote[said_that.end() :] if said_that else None


def _figure(found: FoundFigure, quote: str, known: dict[str, Measure], proposed: dict[str, Measure]) -> dict:
    figure: dict = {}
    if found.qualifier == "range":
        figure["low"], figure["high"] = found.low, found.high
    else:
        figure["value"] = found.value
    figure["unit"] = found.unit or Commented(
        placeholders.UNIT, "what does it count? no noun follows the figure: write the unit (validate refuses this one)"
    )
    figure["qualifier"] = found.qualifier
    figure["text"] = found.text
    measure = _matching_measure(found, quote, known)
    if measure is not None:
        figure["measure"] = Commented(measure, "an existing measure: check it counts the same thing")
    elif found.unit:
        new = _new_measure(found, quote, proposed)
        if new.id in known:  # named as one the fact base has: that one, not a second of the same id
            del proposed[new.id]
            figure["measure"] = Commented(new.id, "an existing measure: check it counts the same thing")
        else:
            figure["measure"] = Commented(new.id, "a proposed new measure (see below)")
    if found.note:
        return {Comment(found.note): None, **figure}
    return figure


def _words(text: str) -> set[str]:
    """The words of ``text`` as measures are compared: lower-case, stemmed ("killing", "killed": "kill"),
    cut at six letters so a country and its people meet ("Tarsovia", "Tarsovian": "tarsov")."""
    return {_STEM.sub("", w)[:6] for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2 and w not in _FILLER}


_STEM = re.compile(r"(?:ing|ed|es|s)$")
_FILLER = frozenset("the and for from with that this were was has had have said its their".split())


def _known_measures(claims: list[Claim], measures: Iterable[Measure]) -> dict[str, Measure]:
    """The measures of the fact base, and those its figures name (with the units they count)."""
    known = {m.id: m for m in measures}
    for claim in claims:
        for figure in claim.figures:
            if figure.measure and figure.measure not in known:
                known[figure.measure] = Measure(figure.measure, figure.measure.replace("-", " "), figure.unit)
    return known


def _matching_measure(found: FoundFigure, quote: str, known: dict[str, Measure]) -> str | None:
    """The known measure most like the figure's unit and its clause, when the units agree."""
    unit = _words(found.unit)
    if not unit:
        return None
    context = _words(quote) | unit
    best, best_score = None, 1
    for measure in known.values():
        described = _words(" ".join(filter(None, (measure.id, measure.name, measure.unit, measure.description))))
        if not unit & described:
            continue
        score = len(context & described)
        if score > best_score:
            best, best_score = measure.id, score
    return best


_COUNTED = re.compile(
    r"\b(killed|killing|dead|died|deaths?|wounded|injured|downed|downing|shot down|shooting down|struck|hit|destroyed"
    r"|arrested|detained|displaced|missing|launched|fired|evacuated)\b",
    re.IGNORECASE,
)
_HAPPENED = {
    "killing": "killed",
    "dead": "killed",
    "died": "killed",
    "death": "killed",
    "deaths": "killed",
    "downing": "downed",
}
_HAPPENED |= {"shot down": "downed", "shooting down": "downed"}


def _happened_to(found: FoundFigure, quote: str) -> str | None:
    """What happened to what a figure counts: a verb right before it ("killing at least 12 people") or
    after its noun in the same clause ("38 people had been killed"), never one of another figure's
    ("about 40 people had died and that 12 patients remained": the patients did not die)."""
    before = re.search(rf"{_COUNTED.pattern}\s+(?:\w+\s+){{0,1}}$", quote[: found.start], re.IGNORECASE)
    if before:
        return before.group(1)
    after = quote[found.end + len(found.unit) :]
    after = re.split(r",|;|\band\b|\bbut\b|\bwhile\b|\bafter\b", after, maxsplit=1)[0]
    verb = _COUNTED.search(after[:30])
    return verb.group(1) if verb else None


def _new_measure(found: FoundFigure, quote: str, proposed: dict[str, Measure]) -> Measure:
    """A measure for a figure the fact base has none for: its unit and what happened to it nearby
    ("killed 26 people": people killed)."""
    verb = _happened_to(found, quote)
    happened = _HAPPENED.get(verb.lower(), verb.lower()) if verb else ""
    if _COUNTED.fullmatch(found.unit.split()[-1]):
        happened = ""  # "46 wounded": the unit says what happened
    name = f"{found.unit} {happened}".strip()
    measure_id = slug(name) or "measure"
    measure = proposed.get(measure_id) or Measure(
        measure_id,
        name[:1].upper() + name[1:],
        found.unit.split()[-1],
        placeholders.MEASURE_DESCRIPTION,  # validate refuses it until a person says
    )
    proposed[measure_id] = measure
    return measure


# A denial that points back and says nothing more: "rejected that claim as "a lie"", "denied it";
# not "denied these allegations and called for an investigation", "rejected that figure, saying ...".
_ANSWERS_ONLY = re.compile(
    r"\b(?:den(?:ied|ies|y)|dismiss(?:ed|es)?|reject(?:ed|s)?|refut(?:ed|es)|disput(?:ed|es))\s+"
    r"(?:(?:that|this|these|those|the|its|their)\s+(?:\w+\s+)?(?:claims?|reports?|figures?|accounts?|allegations?"
    r"|accusations?|statements?|tolls?|numbers?|charges?)|it|them)\b"
    r"(?:\s+as\s+(?:[\"“][^\"”]*[\"”]|[\w\s-]{1,40}))?[\s.]*$"  # and nothing more: "..., saying" is more
)


def _propose_dispute(record: dict, by: str, quote: str) -> None:
    record["disputed"] = Commented(True, "proposed: the next sentence reads as a denial of this claim")
    disputes = [{"by": by, "quote": quote}]
    keys = list(record)
    position = keys.index("disputed") + 1
    items = list(record.items())
    record.clear()
    record.update(items[:position])
    record["disputes"] = disputes
    record.update(items[position:])


def _actor_mapping(actor: Actor) -> dict:
    out: dict = {"id": actor.id, "name": actor.name, "kind": actor.kind}
    if actor.role:
        out["role"] = actor.role
    if actor.kind == "group" and actor.id.endswith("-anon"):
        out["anonymous"] = True
    if actor.part_of:
        out["part_of"] = list(actor.part_of)
    return out
