"""Load a fact base directory into a validated ``FactBase``, or report every problem in it.

Layout of a fact base (any number of files of each kind)::

    actors/*.yaml            registries of actors
    sources/<id>.yaml        a source document, with its verbatim text in sources/<id>.txt
    claims/**/<id>.yaml      one claim per file, named after its id
    claims/**/<any>.yaml     or many claims in one file: {source: <source id> (optional), claims: [...]}
    measures/*.yaml          registries of what figures measure (optional)

Loading is all-or-nothing: a fact base with any problem raises ``FactBaseError``
listing all of them, so no command ever answers from a half-read fact base.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from factcli import validate
from factcli.files import MAX_FACT_FILE, Unreadable, inside, is_utf8, outside_message, read_file, shown
from factcli.location import FACTS_ENV, KIND_DIRS, default_facts_dir
from factcli.model import FactBase
from factcli.problems import FactBaseError, Problem
from factcli.validate import InDocument, display_name
from factcli.yamlsafe import YamlError, decode, parse


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
            problem(
                Path(exc.filename or folder),
                f"cannot list folder: {exc.strerror or exc}",
                "its fact files would be skipped",
            )
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
                if name.lower().endswith((".yaml", ".yml")):  # never skipped in silence: said, and not read
                    problem(folder / name, "a fact file's name ends in lower-case .yaml or .yml", "rename it")
                continue
            path = folder / name
            if not is_utf8(name):
                problem(path, "file name is not valid UTF-8", "rename it")
            elif is_dir and entry.is_symlink():
                target = os.path.realpath(path)
                if target == real or inside(target, real):
                    problem(
                        path,
                        "symlinked folder: not followed",
                        "its files are in the fact base already; a fact base holds real folders",
                    )
                else:
                    problem(
                        path,
                        f"symlinked folder {outside_message(target)}",
                        "a fact base holds real folders, never links to others",
                    )
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


def load_dir(root: Path | str | None = None) -> FactBase:
    """Load and validate the fact base in ``root`` (default: ``default_facts_dir()``)."""
    root = Path(root) if root is not None else default_facts_dir()
    real = os.path.realpath(root)  # taken once: every read is checked against it
    report = validate.Report()

    def whole_file(path: Path, line: int, column: int, message: str, hint: str = "") -> None:
        # A name from the file system need not be UTF-8: its stray bytes are shown as \xff.
        report.add(Problem(shown(display_name(path)), line, column, "", shown(message), shown(hint)))

    not_a_folder = _not_a_folder(root)
    if not_a_folder:
        whole_file(root, 0, 0, f"fact base directory {not_a_folder}", f"set --facts or ${FACTS_ENV}")
        raise FactBaseError(report.problems)
    if not any((root / folder).is_dir() for folder in KIND_DIRS):
        # Said at once, before any walk (``--facts /`` would list the whole disk first); most
        # likely --facts names the folder above the fact base: say so once, not once per file.
        if _empty(root):
            whole_file(root, 0, 0, "no fact files (*.yaml) in the fact base directory")
            raise FactBaseError(report.problems)
        nested = root / "facts"
        hint = (
            f"did you mean --facts {nested}?"
            if nested.is_dir()
            else "a fact base holds actors/, sources/ and claims/ folders"
        )
        whole_file(root, 0, 0, "not a fact base: no actors/, sources/ or claims/ folder", hint)
        raise FactBaseError(report.problems)
    unlisted: list[tuple[Path, str, str]] = []
    files = discover(root, unlisted, real)
    for path, message, hint in unlisted:
        whole_file(path, 0, 0, message, hint)
    if not files and not unlisted:
        whole_file(root, 0, 0, "no fact files (*.yaml) in the fact base directory")
        raise FactBaseError(report.problems)

    parsed: dict[str, list[tuple[Path, InDocument]]] = {kind: [] for kind in KIND_DIRS.values()}
    for path in files:
        kind = KIND_DIRS.get(path.relative_to(root).parts[0]) if len(path.relative_to(root).parts) > 1 else None
        if kind is None:
            whole_file(
                path,
                1,
                1,
                "fact file outside actors/, sources/, claims/ and measures/",
                "move it into the folder for its kind",
            )
            continue
        try:
            doc = parse(decode(read_file(path, MAX_FACT_FILE, real)))
        except YamlError as exc:
            whole_file(path, exc.line, exc.column, exc.message, exc.hint)
        except Unreadable as exc:
            whole_file(path, 0, 0, str(exc))
        else:
            parsed[kind].append((path, InDocument(display_name(path), doc)))

    actors = validate.build_actors([(p.doc.value, p) for _, p in parsed["actors"]], report)
    sources = validate.build_sources([(p.doc.value, p, path) for path, p in parsed["source"]], report, real)
    measures = validate.build_measures([(p.doc.value, p) for _, p in parsed["measures"]], report)
    claims = validate.build_claims([(p.doc.value, p) for _, p in parsed["claim"]], report)
    validate.check_references(actors, sources, claims, report, measures)
    actors_by_id = {a.record.id: a.record for a in actors}
    sources_by_id = {s.record.id: s.record for s in sources}
    validate.check_links(claims, actors_by_id, sources_by_id, report)
    if report.problems:
        raise FactBaseError(report.problems)
    return FactBase(
        str(root), actors_by_id, sources_by_id, [c.record for c in claims], {m.record.id: m.record for m in measures}
    )


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
