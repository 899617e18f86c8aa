"""Checking a fact base: each file against its kind's schema, then the references between files.

The loader and the index share these checks. The loader has every file's parsed
document at hand (``InDocument``); the index checks what changed against records it
stored long ago, whose line and column it looks up only when a problem needs them
(``InFile``). Either way a problem names its file, line, column and field.

Checking one claim against a fact base is ``check_claim(mapping, fb)``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Generic, NamedTuple, Protocol, TypeVar

from factcli import dates, schema
from factcli.files import MAX_FACT_FILE, MAX_SOURCE_TEXT, Unreadable, read_file, shown
from factcli.model import Actor, Claim, Measure, Reaction, Source, from_mapping
from factcli.placeholders import is_placeholder
from factcli.problems import FieldPath, Problem, format_path
from factcli.suggest import did_you_mean
from factcli.terminal import shorten
from factcli.yamlsafe import Document, Mark, YamlError, decode, parse

if TYPE_CHECKING:  # pragma: no cover
    from factcli.model import FactBaseView


# --- where a record stands -----------------------------------------------------------------------


class Place(Protocol):
    """A fact file, able to say where a field of it stands (line and column) when a problem needs it."""

    @property
    def file(self) -> str: ...

    def mark(self, field: FieldPath, key: bool = False) -> Mark | None:
        """The mark of ``field`` (of its key, with ``key``), or of its nearest ancestor that has one."""

    def plain(self, field: FieldPath) -> str | None:
        """The raw text of ``field`` when it is a plain scalar, for a hint about YAML's surprises."""

    def value(self) -> object:
        """The file's parsed value (None when it cannot be read)."""


class InDocument(NamedTuple):
    """A file as the loader parsed it: every mark at hand."""

    file: str
    doc: Document

    def mark(self, field: FieldPath, key: bool = False) -> Mark | None:
        return (self.doc.key_marks.get(field) if key else None) or self.doc.mark(field)

    def plain(self, field: FieldPath) -> str | None:
        mark = self.doc.marks.get(field)
        return mark.plain if mark is not None else None

    def value(self) -> object:
        return self.doc.value


class InFile:
    """A file whose records are known without their marks: it is parsed again only to pin a problem."""

    def __init__(self, file: str, path: str | os.PathLike[str], within: str):
        self.file, self.path, self.within = file, path, within  # within: the fact base's real path
        self._doc: Document | None = None
        self._read = False

    def _document(self) -> Document | None:
        if not self._read:
            self._read = True
            try:
                self._doc = parse(decode(read_file(self.path, MAX_FACT_FILE, self.within)))
            except (YamlError, Unreadable):
                self._doc = None  # changed since: the problem names the file alone
        return self._doc

    def mark(self, field: FieldPath, key: bool = False) -> Mark | None:
        doc = self._document()
        return InDocument(self.file, doc).mark(field, key) if doc is not None else None

    def plain(self, field: FieldPath) -> str | None:
        # None: its values came from a reader that leaves every scalar YAML could misread (010,
        # yes) to yamlsafe.parse, or from the index, which stores only checked records. Parsing
        # the file here for every number the schema checks would cost a full parse a file.
        return None

    def value(self) -> object:
        doc = self._document()
        return doc.value if doc is not None else None


class Unplaced(NamedTuple):
    """A record that has no file yet (``check_claim``): problems name its field alone."""

    file: str

    def mark(self, field: FieldPath, key: bool = False) -> Mark | None:
        return None

    def plain(self, field: FieldPath) -> str | None:
        return None

    def value(self) -> object:
        return None


class Record(Protocol):
    """What every record has: an id, and the file it came from."""

    @property
    def id(self) -> str: ...

    @property
    def path(self) -> str: ...


R = TypeVar("R", bound=Record)


class Located(NamedTuple, Generic[R]):
    """A record, its file, and where in that file's document it stands.

    ``at`` is None where the index read a record back without it: it is found from
    the record's id when a problem needs it.
    """

    record: R
    place: Place
    at: FieldPath | None = ()

    def problem(self, field: FieldPath, message: str, hint: str = "", key: bool = False) -> Problem:
        at = self.at if self.at is not None else _path_of(self.place.value(), self.record.id)
        return problem_at(self.place, (*at, *field), message, hint, key)


def _path_of(value: object, record_id: str) -> FieldPath:
    """Where the record ``record_id`` stands in its file's value: ``("claims", i)``, ``("actors", i)`` or the top."""
    for key in ("claims", "actors", "measures"):
        items = value.get(key) if isinstance(value, dict) else None
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict) and item.get("id") == record_id:
                return (key, i)
    return ()


def problem_at(place: Place, field: FieldPath, message: str, hint: str = "", key: bool = False) -> Problem:
    mark = place.mark(field, key)
    line, column = (mark.line, mark.column) if mark is not None else (0, 0)
    # A name from the file system need not be UTF-8: its stray bytes are shown as \xff.
    return Problem(shown(place.file), line, column, format_path(field), shown(message), shown(hint))


# --- the problems found so far -------------------------------------------------------------------


class Report:
    """Every problem found so far, and the ids declared by files that have a problem of their own.

    A reference to an id declared in a broken file is not reported again as unknown
    (one broken actors file would otherwise flag every claim). Every source file's id
    counts as declared: a source whose text has a problem is reported there, once.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.declared_actor_ids: set[str] = set()
        self.declared_source_ids: set[str] = set()
        self.declared_measure_ids: set[str] = set()
        self.declared_claim_ids: set[str] = set()

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def at(self, located: Located, field: FieldPath, message: str, hint: str = "") -> None:
        self.problems.append(located.problem(field, message, hint))


def display_name(path: str | os.PathLike[str]) -> str:
    """The path as the user can open it: relative to the working directory when under it."""
    path = Path(path)
    if path.is_absolute():
        try:
            return str(path.relative_to(Path.cwd()))
        except (ValueError, OSError):  # not under it, or the working directory is gone
            pass
    return str(path)


# --- one file against its kind's schema ----------------------------------------------------------


def check_shape(kind: str, value: object, place: Place, report: Report) -> bool:
    """Check a file's value against its kind's schema (``schema.KINDS``); True when it has no problem."""
    before = len(report.problems)

    def found(field: FieldPath, message: str, hint: str) -> None:
        unknown = message.startswith("unknown field")
        report.add(problem_at(place, field, message, hint, key=unknown))

    schema.KINDS[kind].check(value, (), found, place.plain)
    return len(report.problems) == before


# --- records from checked files ------------------------------------------------------------------

Files = Iterable[tuple[object, Place]]  # (parsed value, where it came from)


def build_actors(files: Files, report: Report) -> list[Located[Actor]]:
    """The actors of actors files; a file with a problem gives none (its ids are noted as broken)."""
    return _build_registry("actors", Actor, files, report, report.declared_actor_ids)


def build_measures(files: Files, report: Report) -> list[Located[Measure]]:
    """The measures of measures files; a file with a problem gives none (its ids are noted as broken)."""
    return _build_registry("measures", Measure, files, report, report.declared_measure_ids)


def _build_registry(kind: str, cls: type[R], files: Files, report: Report, broken_ids: set[str]) -> list[Located[R]]:
    """The records listed under ``kind`` in registry files (actors, measures)."""
    out: list[Located[R]] = []
    for value, place in files:
        if not check_shape(kind, value, place, report):
            entries = value.get(kind) if isinstance(value, dict) else None
            for raw in entries if isinstance(entries, list) else ():
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    broken_ids.add(raw["id"])
            continue
        assert isinstance(value, dict)
        for i, raw in enumerate(value[kind]):
            out.append(Located(from_mapping(cls, raw, path=place.file), place, (kind, i)))
    return out


def actor_record(raw: Mapping, file: str) -> Actor:
    """A checked actor mapping as an ``Actor``."""
    return from_mapping(Actor, raw, path=file)


def read_source_text(path: str | os.PathLike[str], within: str) -> str:
    """A source's text as quotes are checked against it (line endings are not content); never
    from outside ``within``, the fact base's real path."""
    return decode(read_file(path, MAX_SOURCE_TEXT, within)).replace("\r\n", "\n")


def build_sources(
    files: Iterable[tuple[object, Place, str | os.PathLike[str]]],
    report: Report,
    within: str,
) -> list[Located[Source]]:
    """The sources of source files ((value, place, the file's path) each), with their texts read
    (never from outside ``within``, the fact base's real path)."""
    out: list[Located[Source]] = []
    for value, place, path in files:
        if not check_shape("source", value, place, report):
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                report.declared_source_ids.add(value["id"])
            continue
        assert isinstance(value, dict)
        raw = value
        report.declared_source_ids.add(raw["id"])
        filename = os.path.basename(path)
        stem = os.path.splitext(filename)[0]
        if raw["id"] != stem:
            report.add(
                problem_at(
                    place,
                    ("id",),
                    f"id {shorten(raw['id'])} does not match the file name {shorten(filename)}",
                    f"rename the file to {raw['id']}.yaml",
                )
            )
            continue
        name = raw["text"]
        if name in (".", "..") or "/" in name or "\\" in name or "\x00" in name or os.path.isabs(name):
            # Only a file beside this one: a shared fact base must not read /etc/passwd or ~/.ssh into a quote.
            report.add(
                problem_at(
                    place,
                    ("text",),
                    f"the source text must be a file name beside {shorten(filename)}, not a path",
                    f"move the text next to it and write only its name, like '{stem}.txt'",
                )
            )
            continue
        text_path = os.path.join(os.path.dirname(path), name)
        try:
            text = read_source_text(text_path, within)
        except YamlError as exc:
            text_file = os.path.join(os.path.dirname(place.file), name)  # named as its source file is
            report.add(Problem(shown(text_file), exc.line, exc.column, "", exc.message, exc.hint))
            continue
        except Unreadable as exc:
            report.add(problem_at(place, ("text",), f"the source text {shorten(name)}: {exc}"))
            continue
        source = from_mapping(Source, raw, text=text, path=place.file)
        located = Located(source, place)
        spans = source.section_spans()
        for i, section in enumerate(source.sections):
            if section not in spans:
                report.at(
                    located,
                    ("sections", i),
                    f"section heading {shorten(section)} is not in the source text",
                    f"a line reading '{shorten(section, quote=False)}:'",
                )
        out.append(located)
    return out


def build_claims(files: Files, report: Report) -> list[Located[Claim]]:
    """Claims from their files: one claim named after its id, or many under ``claims:``."""
    out: list[Located[Claim]] = []
    for value, place in files:
        if not check_shape("claim", value, place, report):
            items = value.get("claims") if isinstance(value, dict) and "claims" in value else [value]
            for item in items if isinstance(items, list) else ():
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    report.declared_claim_ids.add(item["id"])  # a claim naming it is not told it is unknown
            continue
        assert isinstance(value, dict)
        raw = value
        if "claims" in raw:
            file_source = raw.get("source")
            for i, item in enumerate(raw["claims"]):
                located = Located(claim_record(item, place.file), place, ("claims", i))
                if file_source is not None and item["source"]["id"] != file_source:
                    report.at(
                        located,
                        ("source", "id"),
                        f"source {shorten(item['source']['id'])} is not the file's source {shorten(file_source)}",
                        "a file's claims all come from the source named at its top",
                    )
                out.append(located)
            continue
        located = Located(claim_record(raw, place.file), place)
        filename = os.path.basename(place.file)
        if raw["id"] != os.path.splitext(filename)[0]:
            report.at(
                located,
                ("id",),
                f"id {shorten(raw['id'])} does not match the file name {shorten(filename)}",
                f"rename the file to {raw['id']}.yaml",
            )
        out.append(located)
    return out


def claim_record(raw: Mapping, file: str) -> Claim:
    """A checked claim mapping as a ``Claim``."""
    return from_mapping(Claim, raw, path=file)


# --- the references between files ----------------------------------------------------------------


def check_references(
    actors: list[Located[Actor]],
    sources: list[Located[Source]],
    claims: list[Located[Claim]],
    report: Report,
    measures: list[Located[Measure]] | None = None,
) -> None:
    """The checks that need the whole fact base: unique ids, references, cycles, quotes.

    ``measures`` None leaves figures' measures unchecked (the index checks them in SQL);
    a fact base with no measures registry keeps its measures free, as version 1 did.
    """
    actor_ids = _unique(actors, "actor", report)
    source_ids = _unique(sources, "source", report) | report.declared_source_ids
    _unique(claims, "claim", report)
    known_actors = actor_ids | report.declared_actor_ids  # an actor in a broken file is reported there, not here
    for actor in actors:
        for i, parent in enumerate(actor.record.part_of):
            if parent not in known_actors:
                report.at(actor, ("part_of", i), f"unknown actor {parent!r}", did_you_mean(parent, actor_ids))
    _check_cycles(actors, report)
    _check_aliases(actors, report)
    measure_ids = check_measures(measures, report) if measures is not None else None
    sources_by_id = {source.record.id: source.record for source in sources}
    try:
        for claim in claims:
            check_claim_references(claim, actor_ids, known_actors, sources_by_id, source_ids, report, measure_ids)
    finally:
        _SPANS.clear()  # (the sources' texts are not kept alive past the check)


def check_measures(measures: list[Located[Measure]], report: Report) -> set[str] | None:
    """The measures' ids, each once; None when the fact base keeps no registry (measures are then free)."""
    ids = _unique(measures, "measure", report) | report.declared_measure_ids
    for measure in measures:
        if is_placeholder("description", measure.record.description):
            report.at(
                measure,
                ("description",),
                "the description is still the drafter's placeholder",
                "say what exactly the measure counts, and over what period",
            )
    return ids or None


def check_claim_references(
    located: Located[Claim],
    actor_ids: set[str],
    known_actors: set[str],
    sources: Mapping[str, Source],
    known_sources: set[str],
    report: Report,
    measure_ids: set[str] | None = None,
) -> None:
    """One claim against the actors, sources and measures: its claimant, the actors it is about,
    its reactions, source, section, quotes and figures, and whatever it may say of itself alone."""
    claim = located.record

    def actor(field: FieldPath, actor_id: str) -> bool:
        if actor_id in known_actors:
            return True
        report.at(located, field, f"unknown actor {actor_id!r}", did_you_mean(actor_id, actor_ids))
        return False

    actor(("claimant",), claim.claimant)
    for i, about in enumerate(claim.about):
        if actor(("about", i), about) and about == claim.claimant:
            report.at(
                located, ("about", i), "about lists the claimant itself", "about names the actors beside the claimant"
            )
    for name, i, reaction in claim.reactions():
        if actor((name, i, "by"), reaction.by) and reaction.by == claim.claimant and name != "unverified":
            verb = "dispute" if name == "disputes" else "confirm"
            report.at(located, (name, i, "by"), f"a claimant cannot {verb} its own claim")
        _check_reaction_source(located, name, i, reaction, report)
    if claim.disputed and not claim.disputes:
        report.at(
            located,
            ("disputed",),
            "disputed is true but no dispute is recorded",
            "add who disputes it under disputes, with the quote",
        )
    if claim.disputes and not claim.disputed:
        report.at(located, ("disputed",), "disputes are recorded but disputed is false", "set disputed: true")
    if claim.updates == claim.id:
        report.at(located, ("updates",), "a claim cannot update itself")
    for i, other in enumerate(claim.matches):
        if other == claim.id:
            report.at(located, ("matches", i), "a claim cannot match itself")
    for i, figure in enumerate(claim.figures):
        if is_placeholder("unit", figure.unit):
            report.at(
                located,
                ("figures", i, "unit"),
                "the unit is still the drafter's placeholder",
                f"write what {figure.text!r} counts, as the source says it",
            )
        if measure_ids is not None and figure.measure is not None and figure.measure not in measure_ids:
            report.at(
                located,
                ("figures", i, "measure"),
                f"unknown measure {figure.measure!r}",
                did_you_mean(figure.measure, measure_ids) or "add it to a file in measures/",
            )
        if figure.qualifier == "range" and figure.low is not None and figure.high is not None:
            if figure.low > figure.high:
                report.at(located, ("figures", i, "low"), f"low {figure.low} is above high {figure.high}")
    source = sources.get(claim.source.id)
    if source is None:
        if claim.source.id not in known_sources:
            report.at(
                located,
                ("source", "id"),
                f"unknown source {claim.source.id!r}",
                did_you_mean(claim.source.id, known_sources),
            )
    else:
        check_quotes(located, source, report)
    check_reactions(located, sources, known_sources, report)


def _check_reaction_source(located: Located[Claim], name: str, i: int, reaction: Reaction, report: Report) -> None:
    """A reaction's ``source`` names another source reporting it: the JSON gives it as null for a
    reaction in the claim's own source, so it is not written for one."""
    if reaction.source is not None and reaction.source == located.record.source.id:
        report.at(
            located,
            (name, i, "source"),
            f"names the claim's own source {reaction.source!r}",
            "leave source out: the quote is checked in the claim's own source",
        )


def _spans(source: Source) -> dict[str, tuple[int, int]]:
    """``source.section_spans()``, worked out once per source however many claims quote it (a
    100,000-claim fact base asked it 200,000 times): kept by the source object itself, which is
    immutable, so a source built again (a changed text) is never answered for by an old one."""
    held = _SPANS.get(id(source))
    if held is not None and held[0] is source:
        return held[1]
    if len(_SPANS) > 4096:  # (a caller other than check_references, which empties it, asking many)
        _SPANS.clear()
    spans = source.section_spans()
    _SPANS[id(source)] = (source, spans)  # (the source kept alive, so its id cannot be reused)
    return spans


_SPANS: dict[int, tuple[Source, dict[str, tuple[int, int]]]] = {}


def check_quotes(located: Located[Claim], source: Source, report: Report) -> None:
    """The claim's section, quote and figure texts, word for word in ``source``."""
    claim = located.record
    spans = _spans(source)
    if claim.source.section not in source.sections:
        report.at(
            located,
            ("source", "section"),
            f"source {source.id!r} has no section {shorten(claim.source.section)}",
            did_you_mean(claim.source.section, source.sections) or "sections: " + ", ".join(source.sections),
        )
    pos = source.text.find(claim.source.quote)
    if pos < 0:
        report.at(
            located,
            ("source", "quote"),
            "quote is not found word for word in the source text",
            _quote_hint(claim.source.quote),
        )
    elif claim.source.section in spans:
        if not _in_section(source, claim.source.section, claim.source.quote):
            report.at(located, ("source", "quote"), f"quote is not in the section {shorten(claim.source.section)}")
    for i, figure in enumerate(claim.figures):
        if figure.text not in claim.source.quote:
            report.at(
                located, ("figures", i, "text"), f"figure text {shorten(figure.text)} is not in the claim's quote"
            )
        if figure.qualifier != "range" and (figure.value is None) != (figure.qualifier == "unspecified"):
            report.at(
                located,
                ("figures", i, "qualifier"),
                "a figure has value null exactly when its qualifier is 'unspecified'",
                "a vague 'several' is value: null, qualifier: unspecified",
            )


def check_reactions(
    located: Located[Claim], sources: Mapping[str, Source], known_sources: set[str], report: Report
) -> None:
    """Each dispute, confirmation and caveat: its quote word for word in the source reporting it
    (its own ``source``, else the claim's), inside its ``section`` when it names one."""
    claim = located.record
    for name, i, reaction in claim.reactions():
        source_id = reaction.source if reaction.source is not None else claim.source.id
        source = sources.get(source_id)
        if source is None:
            if reaction.source is not None and source_id not in known_sources:
                report.at(
                    located,
                    (name, i, "source"),
                    f"unknown source {source_id!r}",
                    did_you_mean(source_id, known_sources),
                )
            continue
        _check_reaction_quote(located, (name, i), reaction, source, report)


def _check_reaction_quote(
    located: Located[Claim], field: FieldPath, reaction: Reaction, source: Source, report: Report
) -> None:
    what = {"disputes": "dispute", "confirmations": "confirmation", "unverified": "caveat"}[str(field[0])]
    if reaction.section is not None and reaction.section not in source.sections:
        report.at(
            located,
            (*field, "section"),
            f"source {source.id!r} has no section {shorten(reaction.section)}",
            did_you_mean(reaction.section, source.sections) or "sections: " + ", ".join(source.sections),
        )
        return
    if reaction.quote not in source.text:
        where = "the source text" if reaction.source is None else f"the text of source {source.id!r}"
        report.at(
            located,
            (*field, "quote"),
            f"{what} quote is not found word for word in {where}",
            _quote_hint(reaction.quote),
        )
    elif reaction.section is not None and not _in_section(source, reaction.section, reaction.quote):
        report.at(located, (*field, "quote"), f"{what} quote is not in the section {shorten(reaction.section)}")


def _in_section(source: Source, section: str, quote: str) -> bool:
    spans = _spans(source)
    if section not in spans:
        return True  # reported as a missing heading where the source is checked
    start, end = spans[section]
    return any(start <= p and p + len(quote) <= end for p in _occurrences(source.text, quote))


def check_links(
    claims: list[Located[Claim]], actors: Mapping[str, Actor], sources: Mapping[str, Source], report: Report
) -> None:
    """How claims point at each other (``updates``, ``matches``), given every claim they name.

    An update names a claim that exists, by the same side, not dated after it, and
    updated by no other claim (two would be the same claim in two sources: ``matches``);
    updates never loop. A match names a claim that exists, in another source.
    """
    by_id = {located.record.id: located for located in claims}
    updater: dict[str, str] = {}
    for located in claims:
        claim = located.record
        if claim.updates is not None and claim.updates != claim.id:
            _check_update(located, by_id, updater, actors, sources, report)
        for i, other_id in enumerate(claim.matches):
            other = by_id.get(other_id)
            if other is None and other_id in report.declared_claim_ids:
                continue
            if other is None:
                report.at(located, ("matches", i), f"unknown claim {other_id!r}", did_you_mean(other_id, by_id))
            elif other_id != claim.id and other.record.source.id == claim.source.id:
                report.at(
                    located,
                    ("matches", i),
                    f"claim {other_id!r} is in the same source {claim.source.id!r}",
                    "matches link one claim as reported by different sources",
                )
    _check_update_loops(claims, report)


def _check_update(
    located: Located[Claim],
    by_id: Mapping[str, Located[Claim]],
    updater: dict[str, str],
    actors: Mapping[str, Actor],
    sources: Mapping[str, Source],
    report: Report,
) -> None:
    claim = located.record
    assert claim.updates is not None
    earlier = by_id.get(claim.updates)
    if earlier is None and claim.updates in report.declared_claim_ids:
        return
    if earlier is None:
        report.at(located, ("updates",), f"unknown claim {claim.updates!r}", did_you_mean(claim.updates, by_id))
        return
    first = updater.setdefault(claim.updates, claim.id)
    if first != claim.id:
        report.at(
            located,
            ("updates",),
            f"claim {claim.updates!r} is already updated by {first!r}",
            "if both report the same revision, keep one update and mark the other as matching it",
        )
    if not set(_sides(claim.claimant, actors)) & set(_sides(earlier.record.claimant, actors)):
        report.at(
            located,
            ("updates",),
            f"claim {claim.updates!r} is by another side ({earlier.record.claimant!r})",
            "a claim updates an earlier one by its own side; for another side's answer, use disputes",
        )
    mine, theirs = _date(claim, sources), _date(earlier.record, sources)
    if mine is not None and theirs is not None and dates.before(mine, theirs):
        report.at(
            located,
            ("updates",),
            f"claim {claim.updates!r} is dated {theirs}, after this claim's {mine}",
            "a claim updates an earlier one",
        )


def _check_update_loops(claims: list[Located[Claim]], report: Report) -> None:
    updates = {c.record.id: c.record.updates for c in claims if c.record.updates is not None}
    reported: set[str] = set()
    for located in claims:
        start = located.record.id
        seen, nxt = {start}, updates.get(start)
        while nxt is not None and nxt not in seen and nxt != start:
            seen.add(nxt)
            nxt = updates.get(nxt)
        if nxt == start and start != updates.get(start) and not seen & reported:
            reported |= seen
            report.at(
                located, ("updates",), f"updates loop back to claim {start!r}", "an update points to an earlier claim"
            )


def _sides(actor_id: str, actors: Mapping[str, Actor]) -> list[str]:
    """The top-level actors ``actor_id`` speaks for (itself when part of none)."""
    top, seen, stack = [], set(), [actor_id]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        parents = actors[current].part_of if current in actors else ()
        if not parents:
            top.append(current)
        stack.extend(parents)
    return top or [actor_id]


def _date(claim: Claim, sources: Mapping[str, Source]) -> str | None:
    if claim.as_of is not None:
        return claim.as_of
    source = sources.get(claim.source.id)
    return source.published if source is not None else None


def _quote_hint(quote: str) -> str:
    if any(mark in quote for mark in "'\"‘’“”"):
        return "check straight against curly quotes and apostrophes"
    return "copy the words exactly from the source text"


def _occurrences(text: str, needle: str) -> Iterator[int]:
    pos = text.find(needle)
    while pos >= 0:
        yield pos
        pos = text.find(needle, pos + 1)


def _unique(items: list[Located[R]], what: str, report: Report) -> set[str]:
    first: dict[str, str] = {}
    for located in items:
        record = located.record
        if record.id in first:
            report.at(located, ("id",), f"duplicate {what} id {record.id!r} (first in {first[record.id]})")
        else:
            first[record.id] = record.path or located.place.file
    return set(first)


def _check_aliases(actors: list[Located[Actor]], report: Report) -> None:
    """An alias names one actor only: not another's alias, name or id (``--actor`` would have to guess)."""
    from factcli.model import _folded

    owners: dict[str, set[str]] = {}
    for located in actors:
        actor = located.record
        for label in (actor.id, actor.name, *actor.aliases):
            owners.setdefault(_folded(label), set()).add(actor.id)
    for located in actors:
        actor = located.record
        for i, alias in enumerate(actor.aliases):
            others = sorted(owners.get(_folded(alias), set()) - {actor.id})
            if others:
                report.at(
                    located,
                    ("aliases", i),
                    f"alias {shorten(alias)} also names {', '.join(repr(o) for o in others)}",
                    "an alias names one actor only: remove it from all but one",
                )


def _check_cycles(actors: list[Located[Actor]], report: Report) -> None:
    parents = {located.record.id: located.record.part_of for located in actors}
    for located in actors:
        actor = located.record
        stack, seen = list(actor.part_of), set()
        while stack:
            nxt = stack.pop()
            if nxt == actor.id:
                report.at(located, ("part_of",), f"actor {actor.id!r} is part of itself through part_of")
                break
            if nxt not in seen:
                seen.add(nxt)
                stack.extend(parents.get(nxt, ()))


# --- claims drafted and not yet reviewed ------------------------------------------------------------


def draft_problems(fb: FactBaseView) -> list[Problem]:
    """One problem for each claim ``factcli draft`` proposed and no one has reviewed yet (``draft: true``).

    They load (so the other commands answer without them, with a warning), but the fact base
    does not validate until a person has checked each one against its source.
    """
    within = os.path.realpath(fb.root)
    problems = []
    for claim in fb.drafts():
        place = InFile(claim.path, claim.path, within)
        at = _path_of(place.value(), claim.id)
        mark = place.mark((*at, "draft"), key=True)
        line, column = (mark.line, mark.column) if mark is not None else (0, 0)
        message = "drafted, not reviewed: check it against the source, then delete `draft: true`"
        problems.append(Problem(shown(claim.path), line, column, format_path(at), message))
    return sorted(problems)


# --- one claim against a fact base ---------------------------------------------------------------


def check_claim(value: object, fb: FactBaseView, file: str = "<claim>") -> list[Problem]:
    """Every problem with one claim (a parsed mapping) as a record of the fact base ``fb``.

    Its shape, then its references: claimant and disputers among ``fb``'s actors,
    its source, section and quotes in ``fb``'s sources, its figures' measures in
    ``fb``'s registry, its links with ``fb``'s claims. The problems name ``file``
    and each field; an empty list means the claim would be valid in ``fb``.
    """
    report = Report()
    place = Unplaced(file)

    def found(field: FieldPath, message: str, hint: str) -> None:
        report.add(problem_at(place, field, message, hint))

    schema.CLAIM.check(value, (), found, lambda field: None)
    if report.problems:
        return report.problems
    assert isinstance(value, Mapping)
    located = Located(claim_record(value, file), place)
    actor_ids = set(fb.actors)
    check_claim_references(located, actor_ids, actor_ids, fb.sources, set(fb.sources), report, set(fb.measures) or None)
    others = [Located(c, Unplaced(c.path)) for c in _linked_claims(fb, located.record)]
    check_links([*others, located], fb.actors, fb.sources, report)  # the draft last: a second update is it
    return sorted(p for p in report.problems if p.file == file)


def _linked_claims(fb: FactBaseView, claim: Claim) -> list[Claim]:
    """The claims of ``fb`` that the links of ``claim`` can meet: those linked already, and those it names."""
    links = fb.links()
    ids = {*links.updated_by, *links.updated_by.values(), *links.matches, *claim.matches}
    ids.update([claim.updates] if claim.updates is not None else [])
    ids.discard(claim.id)
    return [c for c in (fb.claim(i) for i in sorted(ids)) if c is not None]
