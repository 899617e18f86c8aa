"""A new, empty fact base that validates: its folders, the JSON Schemas its files name in their
first line, a README for the people who will edit it, and a pre-commit configuration that runs
``factcli validate`` before each commit.

Every file is written atomically and none is ever overwritten: ``init`` into a folder that
already holds anything (but hidden files, such as ``.git``) is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

from factcli import atomic, contract
from factcli.authoring.errors import AuthoringError
from factcli.schema import KINDS, json_schema

FOLDERS = ("actors", "sources", "claims", "measures", "schema")

ACTORS = """\
# yaml-language-server: $schema=../schema/actors.schema.json
# Who makes claims, and whom they speak for: `part_of` points up the tree (a minister is part of a
# government, which is part of a country). `factcli add-source` adds each source's narrator.
actors:
  - id: unattributed
    name: Unattributed (the source does not say who)
    kind: unattributed
"""

PRE_COMMIT = """\
# `factcli validate` before each commit: run `pre-commit install` once in each clone.
# factcli must be installed where git runs (`pip install factcli`, or activate its environment).
# If this fact base is a folder inside the repository, move this file to the repository's top
# and write that folder after --facts.
repos:
  - repo: local
    hooks:
      - id: factcli-validate
        name: factcli validate
        entry: factcli validate --facts .
        language: system
        pass_filenames: false
        files: '\\.(ya?ml|txt)$'
"""

README = """\
# A factcli fact base

Who said what, which figure they gave, and who disputes it, traced to each source's exact words.
Check everything with `factcli validate --facts .` (also run before each commit once you have run
`pre-commit install`).

    actors/      who makes claims (actors.yaml; add-source adds each source's narrator)
    measures/    what figures count, shared by figures for the same thing
    sources/     each source: <id>.yaml describing it, <id>.txt its text, verbatim
    claims/      the claims, one file per source (or one per claim)
    schema/      the JSON Schemas editors use to check the files as you type

## Adding an article

    factcli add-source article.txt --id my-source --title "Its headline" --facts .
    factcli draft my-source --facts . -o claims/my-source.yaml

Then review `claims/my-source.yaml`: for each drafted claim, read its quote in the source, keep
or delete the claim, put its statement in neutral words, check the claimant and the figures,
and delete its `draft: true` line. Move the proposed actors and measures at the end of the file
into actors/ and measures/. Until every draft is reviewed, `factcli validate` lists them and
no other command counts them. Then `factcli match --source my-source --facts .` shows the claims
of other sources that may say the same thing, to confirm as `matches:`.
"""


def init_factbase(root: Path) -> list[Path]:
    """Create a new fact base in ``root`` (created, or empty but for hidden files); the files written."""
    _check_empty(root)
    root.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        (root / folder).mkdir(exist_ok=True)
    files = {
        root / "actors" / "actors.yaml": ACTORS,
        root / "README.md": README,
        root / ".pre-commit-config.yaml": PRE_COMMIT,
        **{root / "schema" / f"{kind}.schema.json": contract.dumps(json_schema(kind)) + "\n" for kind in KINDS},
    }
    for folder in ("sources", "claims", "measures"):
        files[root / folder / ".gitkeep"] = ""  # git keeps no empty folder
    written = []
    for path, text in files.items():
        written.append(atomic.write_atomic(path, text))
    return written


def _check_empty(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise AuthoringError(f"{root} exists and is not a folder")
    if root.is_dir():
        try:
            visible = [name for name in os.listdir(root) if not name.startswith(".")]
        except OSError as exc:
            raise AuthoringError(f"cannot list {root}: {exc.strerror or exc}") from None
        if visible:
            shown = ", ".join(sorted(visible)[:3]) + (", ..." if len(visible) > 3 else "")
            raise AuthoringError(f"{root} is not empty ({shown}): init makes a new fact base in an empty folder")
        if (root / ".pre-commit-config.yaml").exists():
            raise AuthoringError(f"{root}/.pre-commit-config.yaml exists: init overwrites nothing")
