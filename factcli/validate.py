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

from factcli import schema
from factcli.files import MAX_FACT_FILE, MAX_SOURCE_TEXT, Unreadable, read_file, shown
from factcli.model import Actor, Claim, Source, from_mapping
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
    for key in ("claims", "actors"):
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
    out: list[Located[Actor]] = []
    for value, place in files:
        if not check_shape("actors", value, place, report):
            entries = value.get("actors") if isinstance(value, dict) else None
            for raw in entries if isinstance(entries, list) else ():
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    report.declared_actor_ids.add(raw["id"])
            continue
        assert isinstance(value, dict)
        for i, raw in enumerate(value["actors"]):
            out.append(Located(actor_record(raw, place.file), place, ("actors", i)))
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
    actors: list[Located[Actor]], sources: list[Located[Source]], claims: list[Located[Claim]], report: Report
) -> None:
    """The checks that need the whole fact base: unique ids, references, cycles, quotes."""
    actor_ids = _unique(actors, "actor", report)
    source_ids = _unique(sources, "source", report) | report.declared_source_ids
    _unique(claims, "claim", report)
    known_actors = actor_ids | report.declared_actor_ids  # an actor in a broken file is reported there, not here
    for actor in actors:
        for i, parent in enumerate(actor.record.part_of):
            if parent not in known_actors:
                report.at(actor, ("part_of", i), f"unknown actor {parent!r}", did_you_mean(parent, actor_ids))
    _check_cycles(actors, report)
    sources_by_id = {source.record.id: source.record for source in sources}
    for claim in claims:
        check_claim_references(claim, actor_ids, known_actors, sources_by_id, source_ids, report)


def check_claim_references(
    located: Located[Claim],
    actor_ids: set[str],
    known_actors: set[str],
    sources: Mapping[str, Source],
    known_sources: set[str],
    report: Report,
) -> None:
    """One claim against the actors and sources: its claimant, disputers, source, section and quotes."""
    claim = located.record
    if claim.claimant not in known_actors:
        report.at(located, ("claimant",), f"unknown actor {claim.claimant!r}", did_you_mean(claim.claimant, actor_ids))
    for i, dispute in enumerate(claim.disputes):
        if dispute.by not in known_actors:
            report.at(
                located, ("disputes", i, "by"), f"unknown actor {dispute.by!r}", did_you_mean(dispute.by, actor_ids)
            )
        elif dispute.by == claim.claimant:
            report.at(located, ("disputes", i, "by"), "a claimant cannot dispute its own claim")
    if claim.disputed and not claim.disputes:
        report.at(
            located,
            ("disputed",),
            "disputed is true but no dispute is recorded",
            "add who disputes it under disputes, with the quote",
        )
    if claim.disputes and not claim.disputed:
        report.at(located, ("disputed",), "disputes are recorded but disputed is false", "set disputed: true")
    source = sources.get(claim.source.id)
    if source is None:
        if claim.source.id not in known_sources:
            report.at(
                located,
                ("source", "id"),
                f"unknown source {claim.source.id!r}",
                did_you_mean(claim.source.id, known_sources),
            )
        return
    check_quotes(located, source, report)


def check_quotes(located: Located[Claim], source: Source, report: Report) -> None:
    """The claim's section, quote, figure texts and dispute quotes, word for word in ``source``."""
    claim = located.record
    spans = source.section_spans()
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
        start, end = spans[claim.source.section]
        if not any(
            start <= p and p + len(claim.source.quote) <= end for p in _occurrences(source.text, claim.source.quote)
        ):
            report.at(located, ("source", "quote"), f"quote is not in the section {shorten(claim.source.section)}")
    for i, figure in enumerate(claim.figures):
        if figure.text not in claim.source.quote:
            report.at(
                located, ("figures", i, "text"), f"figure text {shorten(figure.text)} is not in the claim's quote"
            )
        if (figure.value is None) != (figure.qualifier == "unspecified"):
            report.at(
                located,
                ("figures", i, "qualifier"),
                "a figure has value null exactly when its qualifier is 'unspecified'",
                "a vague 'several' is value: null, qualifier: unspecified",
            )
    for i, dispute in enumerate(claim.disputes):
        if dispute.quote not in source.text:
            report.at(
                located,
                ("disputes", i, "quote"),
                "dispute quote is not found word for word in the source text",
                _quote_hint(dispute.quote),
            )


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
    its source, section and quotes in ``fb``'s sources. The problems name ``file``
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
    check_claim_references(located, actor_ids, actor_ids, fb.sources, set(fb.sources), report)
    return sorted(report.problems)
