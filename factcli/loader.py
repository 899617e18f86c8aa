"""Load a fact base directory into a validated ``FactBase``, or report every problem in it.

Layout of a fact base (any number of files of each kind)::

    actors/*.yaml            registries of actors
    sources/<id>.yaml        a source document, with its verbatim text in sources/<id>.txt
    claims/**/<id>.yaml      one claim per file, named after its id
    claims/**/<any>.yaml     or many claims in one file: {source: <source id> (optional), claims: [...]}

Loading is all-or-nothing: a fact base with any problem raises ``FactBaseError``
listing all of them, so no command ever answers from a half-read fact base.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from factcli import schema
from factcli.files import MAX_FACT_FILE, MAX_SOURCE_TEXT, Unreadable, inside, is_utf8, outside_message, read_file, shown
from factcli.location import FACTS_ENV, KIND_DIRS, default_facts_dir
from factcli.model import Actor, Claim, Dispute, FactBase, Figure, Source, SourceRef
from factcli.problems import FactBaseError, Problem, format_path
from factcli.terminal import shorten
from factcli.yamlsafe import Document, YamlError, decode, parse


def discover(root: Path, errors: list[tuple[Path, str, str]] | None = None, real: str | None = None) -> list[Path]:
    """Every YAML file under ``root``, hidden files and folders aside, in a stable order.

    What cannot be read as a fact file is added to ``errors`` (when given) as (path, message,
    hint), so no record is ever skipped silently: a folder that cannot be listed, a name that
    is not valid UTF-8, and a symlinked folder, which is never entered (leading outside the
    fact base, ``real``, it would bring in files that are not the fact base's; inside it, it
    would bring its files in twice).
    """
    found: list[Path] = []
    real = real if real is not None else os.path.realpath(root)

    def problem(path: Path, message: str, hint: str = "") -> None:
        if errors is not None:
            errors.append((path, message, hint))

    def walk(folder: Path) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=_entry_name)
        except OSError as exc:
            problem(Path(exc.filename or folder), f"cannot list folder: {exc.strerror or exc}", "its fact files would be skipped")
            return
        files, folders = [], []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            is_fact = name.endswith((".yaml", ".yml"))
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not (is_fact or is_dir):
                continue
            path = folder / name
            if not is_utf8(name):
                problem(path, "file name is not valid UTF-8", "rename it")
            elif is_dir and entry.is_symlink():
                target = os.path.realpath(path)
                if target == real or inside(target, real):
                    problem(path, "symlinked folder: not followed", "its files are in the fact base already; a fact base holds real folders")
                else:
                    problem(path, f"symlinked folder {outside_message(target)}", "a fact base holds real folders, never links to others")
            elif is_dir:
                folders.append(path)
                if is_fact:  # a folder named like a fact file is listed too, so reading it reports it
                    files.append(path)
            else:
                files.append(path)
        found.extend(files)
        for path in folders:
            walk(path)

    walk(root)
    return found


def _entry_name(entry: os.DirEntry) -> str:
    return entry.name


class _Reader:
    """Collects problems while reading files; knows how to pin one to a document's line."""

    def __init__(self, root: Path, real: str | None = None):
        self.root = root
        self.real = real if real is not None else os.path.realpath(root)  # taken once: every read is checked against it
        self.problems: list[Problem] = []
        # Ids declared by files that have a problem of their own: a reference to one is not
        # reported again as unknown (one broken actors file would otherwise flag every claim).
        self.declared: dict[str, set[str]] = {"actor": set(), "source": set()}

    @staticmethod
    def name(path: Path) -> str:
        """The path as the user can open it: relative to the working directory when under it."""
        if path.is_absolute():
            try:
                return str(path.relative_to(Path.cwd()))
            except (ValueError, OSError):  # not under it, or the working directory is gone
                pass
        return str(path)

    def add(self, path: Path, line: int, column: int, field: str, message: str, hint: str = "") -> None:
        # A name from the file system need not be UTF-8: its stray bytes are shown as \xff.
        self.problems.append(Problem(shown(self.name(path)), line, column, field, shown(message), shown(hint)))

    def at(self, path: Path, doc: Document, field: tuple, message: str, hint: str = "", key: bool = False) -> None:
        mark = doc.key_marks.get(field) if key else None
        mark = mark or doc.mark(field)
        self.add(path, mark.line, mark.column, format_path(field), message, hint)


def load_dir(root: Path | str | None = None) -> FactBase:
    """Load and validate the fact base in ``root`` (default: ``default_facts_dir()``)."""
    root = Path(root) if root is not None else default_facts_dir()
    reader = _Reader(root)
    not_a_folder = _not_a_folder(root)
    if not_a_folder:
        reader.add(root, 0, 0, "", f"fact base directory {not_a_folder}", f"set --facts or ${FACTS_ENV}")
        raise FactBaseError(reader.problems)
    if not any((root / folder).is_dir() for folder in KIND_DIRS):
        # Said at once, before any walk (``--facts /`` would list the whole disk first); most
        # likely --facts names the folder above the fact base: say so once, not once per file.
        if _empty(root):
            reader.add(root, 0, 0, "", "no fact files (*.yaml) in the fact base directory")
            raise FactBaseError(reader.problems)
        nested = root / "facts"
        hint = f"did you mean --facts {nested}?" if nested.is_dir() else "a fact base holds actors/, sources/ and claims/ folders"
        reader.add(root, 0, 0, "", "not a fact base: no actors/, sources/ or claims/ folder", hint)
        raise FactBaseError(reader.problems)
    unlisted: list[tuple[Path, str, str]] = []
    files = discover(root, unlisted, reader.real)
    for path, message, hint in unlisted:
        reader.add(path, 0, 0, "", message, hint)
    if not files and not unlisted:
        reader.add(root, 0, 0, "", "no fact files (*.yaml) in the fact base directory")
        raise FactBaseError(reader.problems)

    docs: dict[str, list[tuple[Path, Document]]] = {"actors": [], "source": [], "claim": []}
    for path in files:
        kind = KIND_DIRS.get(path.relative_to(root).parts[0]) if len(path.relative_to(root).parts) > 1 else None
        if kind is None:
            reader.add(path, 1, 1, "", "fact file outside actors/, sources/ and claims/", "move it into the folder for its kind")
            continue
        doc = read_document(path, reader)
        if doc is not None:
            docs[kind].append((path, doc))

    actors = _build_actors(docs["actors"], reader)
    sources = _build_sources(docs["source"], reader)
    claims = _build_claims(docs["claim"], reader)
    _check_references(actors, sources, claims, reader)
    if reader.problems:
        raise FactBaseError(reader.problems)
    return FactBase(str(root), {a.id: a for a, _ in actors}, {s.id: s for s, _ in sources}, [c for c, _ in claims])


def _not_a_folder(root: Path) -> str:
    """What keeps ``root`` from being read as a folder ("" when nothing does), in a few words."""
    try:
        return "" if stat.S_ISDIR(os.stat(root).st_mode) else "is not a directory"
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        if isinstance(exc, OSError) and exc.errno not in (errno.ENOENT, errno.ENOTDIR):
            return f"cannot be opened: {exc.strerror or exc}"  # e.g. a name too long
        return "does not exist"


def _empty(root: Path) -> bool:
    try:
        with os.scandir(root) as it:
            return next(it, None) is None
    except OSError:
        return False


def read_document(path: Path, reader: _Reader) -> Document | None:
    """Read one fact file as a ``Document``, recording a problem instead of raising."""
    try:
        return parse(decode(read_file(path, MAX_FACT_FILE, reader.real)))
    except YamlError as exc:
        reader.add(path, exc.line, exc.column, "", exc.message, exc.hint)
    except Unreadable as exc:
        reader.add(path, 0, 0, "", str(exc))
    return None


def _checked(path: Path, doc: Document, kind: str, reader: _Reader) -> bool:
    """Check ``doc`` against its kind's schema; True when it has no problem."""
    before = len(reader.problems)

    def report(field: tuple, message: str, hint: str) -> None:
        unknown = message.startswith("unknown field")
        reader.at(path, doc, field, message, hint, key=unknown)

    def plain(field: tuple) -> str | None:
        mark = doc.marks.get(field)
        return mark.plain if mark else None

    schema.KINDS[kind].check(doc.value, (), report, plain)
    return len(reader.problems) == before


# Each builder yields (object, (path, document)) pairs, so later checks can point back at the line.
Located = tuple


def _build_actors(docs, reader: _Reader) -> list[Located]:
    out = []
    for path, doc in docs:
        if not _checked(path, doc, "actors", reader):
            entries = doc.value.get("actors") if isinstance(doc.value, dict) else None
            for raw in entries if isinstance(entries, list) else ():
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    reader.declared["actor"].add(raw["id"])
            continue
        for i, raw in enumerate(doc.value["actors"]):
            actor = Actor(
                id=raw["id"],
                name=raw["name"],
                kind=raw["kind"],
                role=raw.get("role"),
                aliases=tuple(raw.get("aliases", ())),
                part_of=tuple(raw.get("part_of", ())),
                path=reader.name(path),
            )
            out.append((actor, (path, doc, ("actors", i))))
    return out


def _build_sources(docs, reader: _Reader) -> list[Located]:
    out = []
    for path, doc in docs:
        if not _checked(path, doc, "source", reader):
            if isinstance(doc.value, dict) and isinstance(doc.value.get("id"), str):
                reader.declared["source"].add(doc.value["id"])
            continue
        raw = doc.value
        reader.declared["source"].add(raw["id"])
        if raw["id"] != path.stem:
            reader.at(path, doc, ("id",), f"id {shorten(raw['id'])} does not match the file name {shorten(path.name)}", f"rename the file to {raw['id']}.yaml")
            continue
        name = raw["text"]
        if name in (".", "..") or "/" in name or "\\" in name or "\x00" in name or os.path.isabs(name):
            # Only a file beside this one: a shared fact base must not read /etc/passwd or ~/.ssh into a quote.
            reader.at(path, doc, ("text",), f"the source text must be a file name beside {shorten(path.name)}, not a path", f"move the text next to it and write only its name, like '{path.stem}.txt'")
            continue
        text_path = path.parent / name
        try:
            # Line endings are not content: a text saved with CRLF reads as the same words.
            text = decode(read_file(text_path, MAX_SOURCE_TEXT, reader.real)).replace("\r\n", "\n")
        except YamlError as exc:
            reader.add(text_path, exc.line, exc.column, "", exc.message, exc.hint)
            continue
        except Unreadable as exc:
            reader.at(path, doc, ("text",), f"the source text {shorten(name)}: {exc}")
            continue
        source = Source(
            id=raw["id"],
            title=raw["title"],
            sections=tuple(raw["sections"]),
            text=text,
            url=raw.get("url"),
            publisher=raw.get("publisher"),
            path=reader.name(path),
        )
        spans = source.section_spans()
        for i, name in enumerate(source.sections):
            if name not in spans:
                reader.at(path, doc, ("sections", i), f"section heading {shorten(name)} is not in the source text", f"a line reading '{shorten(name, quote=False)}:'")
        out.append((source, (path, doc, ())))
    return out


def _build_claims(docs, reader: _Reader) -> list[Located]:
    """Claims from their files: one claim named after its id, or many under ``claims:``.

    A path may be a plain ``str`` (the index's workers skip ``Path`` objects), provided the
    reader can name it: the index's quiet reader can, ``_Reader.name`` needs a ``Path``.
    """
    out = []
    for path, doc in docs:
        if not _checked(path, doc, "claim", reader):
            continue
        raw = doc.value
        name = reader.name(path)
        if "claims" in raw:
            file_source = raw.get("source")
            for i, item in enumerate(raw["claims"]):
                if file_source is not None and item["source"]["id"] != file_source:
                    reader.at(path, doc, ("claims", i, "source", "id"), f"source {shorten(item['source']['id'])} is not the file's source {shorten(file_source)}", "a file's claims all come from the source named at its top")
                out.append((_claim(item, name), (path, doc, ("claims", i))))
            continue
        filename = os.path.basename(path)
        if raw["id"] != os.path.splitext(filename)[0]:
            reader.at(path, doc, ("id",), f"id {shorten(raw['id'])} does not match the file name {shorten(filename)}", f"rename the file to {raw['id']}.yaml")
        out.append((_claim(raw, name), (path, doc, ())))
    return out


def _claim(raw: dict, name: str) -> Claim:
    return Claim(
        id=raw["id"],
        claimant=raw["claimant"],
        statement=raw["statement"],
        figures=tuple(
            Figure(f["value"], f["unit"], f["qualifier"], f["text"], f.get("measure")) for f in raw.get("figures", ())
        ),
        disputed=raw["disputed"],
        disputes=tuple(Dispute(d["by"], d["quote"]) for d in raw.get("disputes", ())),
        source=SourceRef(**raw["source"]),
        topics=tuple(raw.get("topics", ())),
        path=name,
    )


def _check_references(actors: list[Located], sources: list[Located], claims: list[Located], reader: _Reader) -> None:
    """The checks that need the whole fact base: unique ids, references, cycles, quotes."""
    actor_ids = _unique(actors, "actor", reader)
    source_ids = _unique(sources, "source", reader)
    _unique(claims, "claim", reader)
    sources_by_id = {s.id: s for s, _ in sources}
    declared = getattr(reader, "declared", {"actor": set(), "source": set()})
    known_actors = actor_ids | declared["actor"]  # an actor in a broken file is reported there, not here
    source_ids = source_ids | declared["source"]

    for actor, (path, doc, at) in actors:
        for i, parent in enumerate(actor.part_of):
            if parent not in known_actors:
                reader.at(path, doc, (*at, "part_of", i), f"unknown actor {parent!r}", schema.did_you_mean(parent, actor_ids))
    _check_cycles(actors, reader)

    for claim, (path, doc, at) in claims:
        if claim.claimant not in known_actors:
            reader.at(path, doc, (*at, "claimant"), f"unknown actor {claim.claimant!r}", schema.did_you_mean(claim.claimant, actor_ids))
        for i, dispute in enumerate(claim.disputes):
            if dispute.by not in known_actors:
                reader.at(path, doc, (*at, "disputes", i, "by"), f"unknown actor {dispute.by!r}", schema.did_you_mean(dispute.by, actor_ids))
            elif dispute.by == claim.claimant:
                reader.at(path, doc, (*at, "disputes", i, "by"), "a claimant cannot dispute its own claim")
        if claim.disputed and not claim.disputes:
            reader.at(path, doc, (*at, "disputed"), "disputed is true but no dispute is recorded", "add who disputes it under disputes, with the quote")
        if claim.disputes and not claim.disputed:
            reader.at(path, doc, (*at, "disputed"), "disputes are recorded but disputed is false", "set disputed: true")
        source = sources_by_id.get(claim.source.id)
        if source is None:
            if claim.source.id not in source_ids:
                reader.at(path, doc, (*at, "source", "id"), f"unknown source {claim.source.id!r}", schema.did_you_mean(claim.source.id, source_ids))
            continue
        _check_quotes(claim, source, path, doc, reader, at)


def _check_quotes(claim: Claim, source: Source, path: Path, doc: Document, reader: _Reader, at: tuple = ()) -> None:
    spans = source.section_spans()
    if claim.source.section not in source.sections:
        reader.at(path, doc, (*at, "source", "section"), f"source {source.id!r} has no section {shorten(claim.source.section)}", schema.did_you_mean(claim.source.section, source.sections) or "sections: " + ", ".join(source.sections))
    pos = source.text.find(claim.source.quote)
    if pos < 0:
        reader.at(path, doc, (*at, "source", "quote"), "quote is not found word for word in the source text", _quote_hint(claim.source.quote))
    elif claim.source.section in spans:
        start, end = spans[claim.source.section]
        if not any(start <= p and p + len(claim.source.quote) <= end for p in _all(source.text, claim.source.quote)):
            reader.at(path, doc, (*at, "source", "quote"), f"quote is not in the section {shorten(claim.source.section)}")
    for i, figure in enumerate(claim.figures):
        if figure.text not in claim.source.quote:
            reader.at(path, doc, (*at, "figures", i, "text"), f"figure text {shorten(figure.text)} is not in the claim's quote")
        if (figure.value is None) != (figure.qualifier == "unspecified"):
            reader.at(path, doc, (*at, "figures", i, "qualifier"), "a figure has value null exactly when its qualifier is 'unspecified'", "a vague 'several' is value: null, qualifier: unspecified")
    for i, dispute in enumerate(claim.disputes):
        if dispute.quote not in source.text:
            reader.at(path, doc, (*at, "disputes", i, "quote"), "dispute quote is not found word for word in the source text", _quote_hint(dispute.quote))


def _quote_hint(quote: str) -> str:
    if any(mark in quote for mark in "'\"‘’“”"):
        return "check straight against curly quotes and apostrophes"
    return "copy the words exactly from the source text"


def _all(text: str, needle: str):
    pos = text.find(needle)
    while pos >= 0:
        yield pos
        pos = text.find(needle, pos + 1)


def _unique(items: list[Located], what: str, reader: _Reader) -> set[str]:
    first: dict[str, str] = {}
    for obj, (path, doc, at) in items:
        if obj.id in first:
            reader.at(path, doc, (*at, "id"), f"duplicate {what} id {obj.id!r} (first in {first[obj.id]})")
        else:
            first[obj.id] = obj.path or reader.name(path)
    return set(first)


def _check_cycles(actors: list[Located], reader: _Reader) -> None:
    parents = {a.id: a.part_of for a, _ in actors}
    for actor, (path, doc, at) in actors:
        stack, seen = list(actor.part_of), set()
        while stack:
            nxt = stack.pop()
            if nxt == actor.id:
                reader.at(path, doc, (*at, "part_of"), f"actor {actor.id!r} is part of itself through part_of")
                break
            if nxt not in seen:
                seen.add(nxt)
                stack.extend(parents.get(nxt, ()))
