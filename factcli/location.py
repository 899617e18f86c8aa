"""Where the fact base lives: ``--facts``, ``$FACTCLI_FACTS``, or the one shipped with factcli.

Kept apart from the loader so the command line can name it without importing YAML.
"""

from __future__ import annotations

import os
from pathlib import Path

FACTS_ENV = "FACTCLI_FACTS"
# The folders of a fact base, and the kind of fact file each holds.
KIND_DIRS = {"actors": "actors", "sources": "source", "claims": "claim", "measures": "measures"}


def default_facts_dir() -> Path:
    """``$FACTCLI_FACTS``, else the fact base shipped with the package (or beside it in a checkout)."""
    env = os.environ.get(FACTS_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    shipped = here / "facts"
    return shipped if shipped.is_dir() else here.parent / "facts"
