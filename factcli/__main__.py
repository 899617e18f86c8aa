"""Entry point for ``factcli`` and ``python -m factcli``."""

from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    # Piping into `head` closes stdout early: end quietly like other Unix tools, no traceback.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        from factcli.cli import app

        app()
    except KeyboardInterrupt:
        # Ctrl-C: the conventional 128 + SIGINT, and no traceback.
        sys.stderr.write("\n")
        os._exit(130)


if __name__ == "__main__":
    main()
