"""Problems found in a fact base, each pinned to a file, line, column and field.

Validation collects every problem before reporting, so a person fixing a fact
base sees all of them at once instead of one per run.
"""

from __future__ import annotations

from typing import NamedTuple

from factcli.terminal import escape_line, shorten

FieldPath = tuple[str | int, ...]  # a field inside one document: ("figures", 0, "value")


def format_path(path: FieldPath) -> str:
    """Render a field path the way a person would write it: ``figures[0].value``."""
    out = ""
    for part in path:
        if isinstance(part, str):
            part = shorten(part, 60, quote=False)  # a key can be anything the file says: keep the line short
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class Problem(NamedTuple):
    """One thing wrong with a fact base; problems sort by file, line and column."""

    file: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        # Values echoed from the file are untrusted: never let them reach a terminal raw, and never
        # let one (a key or file name with a newline in it) break the one-line-per-problem rule.
        return escape_line(f"{where}:{field} {self.message}{hint}")


class FactBaseError(Exception):
    """The fact base could not be loaded; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
