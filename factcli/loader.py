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

import os
from pathlib import Path

from factcli import validate
from factcli.files import MAX_FACT_FILE, Unreadable, read_file
from factcli.location import FACTS_ENV, KIND_DIRS, default_facts_dir
from factcli.model import FactBase
from factcli.problems import FactBaseError, Problem
from factcli.validate import InDocument, display_name
from factcli.yamlsafe import YamlError, decode, parse


def discover(root: Path, errors: list[tuple[Path, str]] | None = None) -> list[Path]:
    """Every YAML file under ``root``, hidden files and folders aside, in a stable order.

    A folder that cannot be listed is added to ``errors`` (when given), so no
    record is ever skipped silently.
    """
    found: list[Path] = []

    def failed(exc: OSError) -> None:
        if errors is not None:
            errors.append((Path(exc.filename or root), exc.strerror or str(exc)))

    for dirpath, dirnames, filenames in os.walk(root, onerror=failed):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        # A folder named like a fact file is listed too, so reading it reports it instead of skipping it.
        named = [*filenames, *(d for d in dirnames if os.path.isdir(os.path.join(dirpath, d)))]
        found.extend(Path(dirpath, f) for f in sorted(named) if f.endswith((".yaml", ".yml")) and not f.startswith("."))
    return found


def load_dir(root: Path | str | None = None) -> FactBase:
    """Load and validate the fact base in ``root`` (default: ``default_facts_dir()``)."""
    root = Path(root) if root is not None else default_facts_dir()
    report = validate.Report()

    def whole_file(path: Path, line: int, column: int, message: str, hint: str = "") -> None:
        report.add(Problem(display_name(path), line, column, "", message, hint))

    if not root.is_dir():
        what = "is not a directory" if root.exists() else "does not exist"
        whole_file(root, 0, 0, f"fact base directory {what}", f"set --facts or ${FACTS_ENV}")
        raise FactBaseError(report.problems)
    unlisted: list[tuple[Path, str]] = []
    files = discover(root, unlisted)
    for path, why in unlisted:
        whole_file(path, 0, 0, f"cannot list folder: {why}", "its fact files would be skipped")
    if not files and not unlisted:
        whole_file(root, 0, 0, "no fact files (*.yaml) in the fact base directory")
        raise FactBaseError(report.problems)
    if not any((root / folder).is_dir() for folder in KIND_DIRS):
        # Most likely --facts names the folder above the fact base: say so once, not once per file.
        nested = root / "facts"
        hint = (
            f"did you mean --facts {nested}?"
            if nested.is_dir()
            else "a fact base holds actors/, sources/ and claims/ folders"
        )
        whole_file(root, 0, 0, "not a fact base: no actors/, sources/ or claims/ folder", hint)
        raise FactBaseError(report.problems)

    parsed: dict[str, list[tuple[Path, InDocument]]] = {"actors": [], "source": [], "claim": []}
    for path in files:
        kind = KIND_DIRS.get(path.relative_to(root).parts[0]) if len(path.relative_to(root).parts) > 1 else None
        if kind is None:
            whole_file(
                path, 1, 1, "fact file outside actors/, sources/ and claims/", "move it into the folder for its kind"
            )
            continue
        try:
            doc = parse(decode(read_file(path, MAX_FACT_FILE)))
        except YamlError as exc:
            whole_file(path, exc.line, exc.column, exc.message, exc.hint)
        except Unreadable as exc:
            whole_file(path, 0, 0, str(exc))
        else:
            parsed[kind].append((path, InDocument(display_name(path), doc)))

    actors = validate.build_actors([(p.doc.value, p) for _, p in parsed["actors"]], report)
    sources = validate.build_sources([(p.doc.value, p, path) for path, p in parsed["source"]], report)
    claims = validate.build_claims([(p.doc.value, p) for _, p in parsed["claim"]], report)
    validate.check_references(actors, sources, claims, report)
    if report.problems:
        raise FactBaseError(report.problems)
    return FactBase(
        str(root),
        {a.record.id: a.record for a in actors},
        {s.record.id: s.record for s in sources},
        [c.record for c in claims],
    )
