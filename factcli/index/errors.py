"""What goes wrong with the index: the fact base it cannot vouch for, an index it cannot use, and the one warning a command gives."""

from __future__ import annotations

import sys

_warned = False


class IndexUnavailable(Exception):
    """The index cannot be used for this command: answer from the YAML instead."""


class NotVouched(Exception):
    """The fact base has a problem (or something the fast path does not vouch for): ask the loader."""


def warn(message: str) -> None:
    """One warning per command, however many things went wrong."""
    global _warned
    if not _warned:
        _warned = True
        from factcli.terminal import escape_line  # the message can carry an exception's text: a file name

        sys.stderr.write(escape_line(f"factcli: warning: {message}") + "\n")
