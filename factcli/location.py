"""Where the fact base lives: ``--facts``, ``$FACTCLI_FACTS``, or the one shipped with factcli.

Kept apart from the loader so the command line can name it without importing YAML.
"""

from __future__ import annotations

import os
from pathlib import Path

FACTS_ENV = "FACTCLI_FACTS"
# The folders of a fact base, and the kind of fact file each holds.
KIND_DIRS = {"actors": "actors", "sources": "source", "claims": "claim"}
# The largest files factcli reads: anything bigger is a mistake (or an attack), not a fact file.
MAX_FACT_FILE = 16 * 1024 * 1024  # bytes; a fact file is a few hundred, an article's claims a few hundred thousand
MAX_SOURCE_TEXT = 64 * 1024 * 1024  # bytes; an article is a few thousand


def default_facts_dir() -> Path:
    """``$FACTCLI_FACTS``, else the fact base shipped with the package (or beside it in a checkout)."""
    env = os.environ.get(FACTS_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    shipped = here / "facts"
    return shipped if shipped.is_dir() else here.parent / "facts"
