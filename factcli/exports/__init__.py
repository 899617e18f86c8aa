"""Exports, one module per format, found by name (as Datasette finds its publishers).

Each format module says what it takes and how it is written: ``OPTIONS`` (the names
of ``Options`` it reads), ``NEEDS_FILE`` (it writes a file, not text), and either
``render(fb, claims, options) -> str`` or ``write(fb, claims, path)``. ``check`` holds
the rules of ``factcli export`` (which option goes with which format, the byte order
mark's default), ``export`` writes atomically or returns the text for standard
output, ``write_stdout`` puts it there as UTF-8 bytes: the command line and the
Python API share them::

    from factcli import exports
    exports.export(fb, fb.query(disputed=True), "csv", "claims.csv")
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import IO, NamedTuple

from factcli.model import Claim, FactBaseView

# Format name -> its module in this package, in the order ``--help`` lists them.
FORMATS = {"csv": "csv", "sqlite": "sqlite", "schema-org": "schema_org", "jsonl": "jsonl", "html": "html"}

# Claim fields the exports show in a shape of their own; any other field of ``model.Claim``
# (one added later) follows at the end, as a column named after it, in CSV and SQLite alike.
SHAPED_FIELDS = frozenset(
    {"id", "claimant", "statement", "figures", "disputed", "disputes", "source", "topics", "path"}
    | {"about", "as_of", "updates", "matches", "confirmations", "unverified"}  # record format version 2
)
# (``draft`` is no column: no exported claim is a draft.)
EXTRA_FIELDS = tuple(name for name in Claim._fields if name not in SHAPED_FIELDS and name != "draft")


class Options(NamedTuple):
    """What a format may take beyond the claims (each format's ``OPTIONS`` names those it reads)."""

    bom: bool | None = None  # csv: a UTF-8 byte order mark first; None: with a file yes, on standard output no
    reviewer: str | None = None  # schema-org: wrap disputed claims in a ClaimReview by this organisation
    cell: Callable[[str], str] | None = (
        None  # csv: applied to every text cell (the command line escapes for a terminal)
    )


NO_OPTIONS = Options()


class OptionError(ValueError):
    """An option that does not go with the format, or the output: ``option`` names it."""

    def __init__(self, option: str, message: str):
        self.option = option
        super().__init__(message)


def format_module(name: str) -> ModuleType:
    """The module writing the format ``name`` (imported on first use)."""
    if name not in FORMATS:
        raise OptionError("format", f"unknown format {name!r}; one of: {', '.join(FORMATS)}")
    return importlib.import_module(f"factcli.exports.{FORMATS[name]}")


def to_stdout(output: str | os.PathLike[str] | None) -> bool:
    """Whether ``output`` means standard output (none given, or ``-``)."""
    return output is None or str(output) == "-"


def check(name: str, output: str | os.PathLike[str] | None, options: Options = NO_OPTIONS) -> None:
    """The rules of an export, checked before any work: ``OptionError`` naming the option that breaks one."""
    module = format_module(name)
    if module.NEEDS_FILE and to_stdout(output):
        raise OptionError("output", f"{name} writes a database file: name it with -o FILE")
    for option in ("reviewer", "bom"):
        if getattr(options, option) is not None and option not in module.OPTIONS:
            taker = next(n for n in FORMATS if option in format_module(n).OPTIONS)
            raise OptionError(option, f"only applies to --format {taker}")
    if options.reviewer is not None and not options.reviewer.strip():
        raise OptionError("reviewer", "needs the reviewing organisation's name")


def export(
    fb: FactBaseView,
    claims: Sequence[Claim],
    name: str,
    output: str | os.PathLike[str] | None = None,
    *,
    force: bool = False,
    options: Options = NO_OPTIONS,
) -> str | None:
    """Export ``claims`` as the format ``name``: to the file ``output``, written atomically and
    kept unless ``force`` (returns None), or, with no output, as the text for standard output.

    A file gets a byte order mark in CSV unless ``options.bom`` says otherwise; standard output
    does not (a BOM would stick to the first header in a pipe).
    """
    check(name, output, options)
    module = format_module(name)
    file = not to_stdout(output)
    if options.bom is None and "bom" in module.OPTIONS:
        options = options._replace(bom=file)
    if not file:
        return module.render(fb, claims, options)
    from factcli import atomic

    if module.NEEDS_FILE:
        with atomic.atomic_path(output, force) as tmp:  # type: ignore[arg-type]
            module.write(fb, claims, tmp)
        return None
    atomic.write_atomic(output, module.render(fb, claims, options), force)  # type: ignore[arg-type]
    return None


def write_stdout(text: str, stream: IO[str] | None = None) -> None:
    """``text`` on standard output as UTF-8 bytes, whatever the locale (exports are UTF-8 files)."""
    stream = stream or sys.stdout
    stream.flush()
    stream.buffer.write(text.encode("utf-8"))  # type: ignore[union-attr]
    stream.buffer.flush()  # type: ignore[union-attr]
