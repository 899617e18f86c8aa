"""Write a realistic synthetic fact base of N claims: ``python benchmarks/make_corpus.py N DIR``.

The generator is a test helper (``tests/corpus.py``: the index's tests build small corpora
with it); this script runs it for the benchmarks, with the same arguments.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus import main, make_corpus  # noqa: E402

__all__ = ["main", "make_corpus"]

if __name__ == "__main__":
    raise SystemExit(main())
