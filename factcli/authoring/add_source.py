"""A new source in a fact base: its text kept byte for byte, its section headings found, its
record and its narrator actor written, and nothing that exists ever overwritten."""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from factcli import atomic
from factcli.authoring.draft.drafter import narrator_id
from factcli.authoring.errors import AuthoringError
from factcli.authoring.writer import Comment, dump
from factcli.files import MAX_FACT_FILE, MAX_SOURCE_TEXT, Unreadable, read_file
from factcli.schema import LABEL, SLUG

# A heading is a short line of its own ending in a colon, starting with a capital: "Context:",
# "Dive Deeper:", "The toll:". A sentence ending in a colon is longer, or has a full stop.
_HEADING = re.compile(r"^(?P<name>[A-Z][^\n:.!?\"“”]{0,48}[^\s:.!?\"“”]|[A-Z]):[ \t]*$", re.MULTILINE)
_MAX_HEADING_WORDS = 6


class NewSource(NamedTuple):
    """What ``add_source`` wrote: the files, and the sections it found in the text."""

    files: list[Path]
    sections: list[str]
    narrator: str | None  # the narrator's id, when it was written (None: the fact base had it)


def find_sections(text: str) -> list[str]:
    """The section headings of a text, in order: lines like ``Context:``; the first line itself
    when there is none (a text without headings is one section, named by its first line)."""
    found = [
        m.group("name")
        for m in _HEADING.finditer(text)
        if len(m.group("name").split()) <= _MAX_HEADING_WORDS and re.match(LABEL, m.group("name"))
    ]
    names = list(dict.fromkeys(found))
    if names:
        return names
    first = text.split("\n", 1)[0].strip()
    if first and first == text.split("\n", 1)[0] and re.match(LABEL, first):
        return [first]
    raise AuthoringError(
        "no section headings found (lines like 'Context:'), and the first line cannot name one: "
        "factcli keeps the text as it is, so give it a first line of its own, such as its headline"
    )


# A banner above the headline: "FICTIONAL EXAMPLE - ...", "BREAKING:", "LIVE UPDATES": a first word or
# two in capitals, then a dash or a colon, or the whole line in capitals.
_BANNER = re.compile(r"^(?:[A-Z][A-Z0-9'’]+(?:\s+[A-Z][A-Z0-9'’]+)*\s*(?:[-–—:]|$))")


def first_title(text: str) -> str:
    """The title a text gives itself: its first line that is neither empty nor a banner
    ("FICTIONAL EXAMPLE - an invented story", "BREAKING:"); "" when there is none."""
    for line in text.split("\n"):
        line = line.strip()
        if line and not _BANNER.match(line):
            return line
    return ""


def check_published(value: str) -> str:
    """An ISO 8601 date or date-time, as given; an ``AuthoringError`` saying how to write it otherwise."""
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value)
            return value
        except ValueError:
            continue
    raise AuthoringError(f"--published {value!r} is not a date: write it as 2025-05-07 or 2025-05-07T14:30:00+05:00")


def add_source(
    root: Path,
    data: bytes,
    source_id: str,
    title: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
) -> NewSource:
    """Write ``sources/<id>.txt`` (``data``, unchanged), ``sources/<id>.yaml`` and, unless the fact base
    has it, ``actors/<id>.yaml`` with the source's narrator. Nothing is written if any would be overwritten."""
    if not re.match(SLUG, source_id):
        raise AuthoringError(f"--id {source_id!r} is not an id: use lower-case letters, digits and single hyphens")
    if published is not None:
        check_published(published)
    if not (root / "sources").is_dir() and not (root / "actors").is_dir():
        raise AuthoringError(f"{root} is not a fact base (no sources/ or actors/ folder): run 'factcli init {root}'")
    text = _text(data)
    sections = find_sections(text)
    title = title or first_title(text)
    if not title:
        raise AuthoringError("give the source a title with --title (it has no line that can be one)")
    narrator = narrator_id(source_id)
    files: dict[Path, bytes | str] = {
        root / "sources" / f"{source_id}.txt": data,
        root / "sources" / f"{source_id}.yaml": _source_yaml(source_id, title, url, publisher, published, sections),
    }
    has_narrator = _declares(root / "actors", narrator)
    if not has_narrator:
        outlet = _publisher_actor(root / "actors", publisher) if publisher else None
        files[root / "actors" / f"{source_id}.yaml"] = _narrator_yaml(narrator, source_id, publisher, outlet)
    for path in files:
        path.parent.mkdir(exist_ok=True)
        try:
            atomic.check_target(path)
        except OSError as exc:
            raise AuthoringError(f"{exc}; add-source overwrites nothing") from None
    for path, content in files.items():
        try:
            atomic.write_atomic(path, content)
        except OSError as exc:
            raise AuthoringError(f"cannot write {path}: {exc}") from None
    return NewSource(list(files), sections, None if has_narrator else narrator)


def _text(data: bytes) -> str:
    if len(data) > MAX_SOURCE_TEXT:
        raise AuthoringError(f"the text is too large ({len(data)} bytes; at most {MAX_SOURCE_TEXT})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise AuthoringError(
            f"the text is not UTF-8 (line {line}, byte 0x{data[exc.start]:02x}): save it as UTF-8"
        ) from None
    if not text.strip():
        raise AuthoringError("the text is empty")
    return text.replace("\r\n", "\n")  # as quotes are checked against it; the file keeps its bytes


def _source_yaml(
    source_id: str, title: str, url: str | None, publisher: str | None, published: str | None, sections: list[str]
) -> str:
    record: dict = {"id": source_id, "title": title}
    if published is not None:
        record["published"] = published
    if publisher is not None:
        record["publisher"] = publisher
    if url is not None:
        record["url"] = url
    record[Comment("The verbatim text, kept byte for byte as received: every quote is checked against it.")] = None
    record["text"] = f"{source_id}.txt"
    record["sections"] = sections
    return "# yaml-language-server: $schema=../schema/source.schema.json\n" + dump(record)


def _narrator_yaml(narrator: str, source_id: str, publisher: str | None, outlet: str | None) -> str:
    # Named after the source, not its publisher: two narrators of one name would make that name ambiguous.
    actor: dict = {"id": narrator, "name": f"Narrator ({source_id})", "kind": "narrator"}
    if outlet is not None:
        actor["part_of"] = [outlet]
    comment = (
        f"# The voice of {source_id} itself{f' ({publisher})' if publisher else ''}: what it says in its own words.\n"
    )
    return "# yaml-language-server: $schema=../schema/actors.schema.json\n" + comment + dump({"actors": [actor]})


def _publisher_actor(folder: Path, publisher: str) -> str | None:
    """The actor ``--publisher`` names, by id, name or alias (case aside), in an actors file of ``folder``;
    None when none does (a file that cannot be read or parsed names none)."""
    from factcli.yamlsafe import YamlError, decode, parse

    wanted = publisher.strip().casefold()
    within = os.path.realpath(folder.parent)
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else ():
        try:
            document = parse(decode(read_file(path, MAX_FACT_FILE, within))).value
        except (Unreadable, YamlError):
            continue
        actors = document.get("actors") if isinstance(document, dict) else None
        for actor in actors if isinstance(actors, list) else ():
            if not isinstance(actor, dict) or not isinstance(actor.get("id"), str):
                continue
            aliases = actor.get("aliases")
            names = [actor["id"], actor.get("name"), *(aliases if isinstance(aliases, list) else [])]
            if any(isinstance(name, str) and name.strip().casefold() == wanted for name in names):
                return actor["id"]
    return None


def _declares(folder: Path, actor_id: str) -> bool:
    """Whether an actors file in ``folder`` declares ``actor_id`` (a file that cannot be read declares nothing;
    nothing from outside the fact base is read)."""
    pattern = re.compile(rf"^\s*-?\s*id:\s*['\"]?{re.escape(actor_id)}['\"]?\s*(?:#.*)?$", re.MULTILINE)
    within = os.path.realpath(folder.parent)
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else ():
        try:
            if pattern.search(read_file(path, MAX_FACT_FILE, within).decode("utf-8", "replace")):
                return True
        except Unreadable:
            continue
    return False
