"""Entry point for ``factcli`` and ``python -m factcli``."""

from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    # Piping into `head` closes stdout early: end quietly like other Unix tools, no traceback.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if sys.stdout is None:  # started with stdout closed (`factcli list >&-`): nowhere to answer
        _fail("standard output is closed", 2)
    if os.environ.get("NO_COLOR"):
        # NO_COLOR promises no ANSI codes at all, but Rich drops only the colours: bold, dim and
        # reverse stay. To a dumb terminal Rich writes no codes whatever, so this process presents
        # itself as one to every console in it: the tables, Typer's help and error panels, the
        # index's progress line. A dumb terminal is also taken to be 80 by 25, so the real size
        # is handed on (unless the user set it): a narrow or wide terminal keeps its width.
        _keep_terminal_size()
        os.environ["TERM"] = "dumb"
    from factcli.terminal import tolerate_unencodable

    tolerate_unencodable(sys.stdout)  # help and messages too, not only the tables
    try:
        from factcli.cli import command

        try:
            command(sys.argv[1:])(standalone_mode=True)
        finally:
            sys.stdout.flush()  # a write error (disk full) surfaces here, inside the handler below
            # The answer is out. A Ctrl-C now, while the interpreter joins worker threads on its way
            # out, must not turn a finished command into a death by signal.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        # Ctrl-C: the conventional 128 + SIGINT, and no traceback.
        sys.stderr.write("\n")
        os._exit(130)
    except OSError as exc:
        # Output that cannot be written (a full disk, a closed descriptor): one line, not a traceback.
        _fail(f"cannot write the output: {exc.strerror or exc}", 1)


def _keep_terminal_size() -> None:
    """Set ``COLUMNS`` and ``LINES`` to the terminal's size where unset, as Rich reads them first."""
    for fd in (sys.stdout, sys.stderr, sys.stdin):
        try:
            size = os.get_terminal_size(fd.fileno())
        except (AttributeError, ValueError, OSError):  # not a terminal, or closed
            continue
        os.environ.setdefault("COLUMNS", str(size.columns))
        os.environ.setdefault("LINES", str(size.lines))
        return


def _fail(message: str, status: int) -> None:
    try:
        sys.stderr.write(f"factcli: {message}\n")
        sys.stderr.flush()
    finally:
        os._exit(status)  # skip the interpreter's own final flush of the broken stdout


if __name__ == "__main__":
    main()
