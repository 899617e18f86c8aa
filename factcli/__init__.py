"""factcli: who claimed what in the news, which figures, who disputes it, in the source's own words.

A small library with a command line on top. In a notebook::

    import factcli
    fb = factcli.load()                       # the shipped fact base, or load("path/to/facts")
    for claim in fb.query(actors=["pakistan"], disputed=False):
        print(claim.id, claim.statement)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from factcli.model import FactBaseView

__all__ = [
    "load",
    "FactBase",
    "FactBaseView",
    "Claim",
    "Actor",
    "Source",
    "Figure",
    "Dispute",
    "FactBaseError",
    "Problem",
]


def load(path: str | Path | None = None) -> FactBaseView:
    """Load and validate a fact base (default: ``$FACTCLI_FACTS`` or the shipped one).

    Raises ``FactBaseError`` listing every problem when the fact base is not valid.
    Answers come from the embedded index in the user's cache when it is fresh
    (``factcli.index``; ``FACTCLI_NO_INDEX=1`` reads the YAML files every time).
    """
    from factcli.index import load as load_indexed

    return load_indexed(path)


def __getattr__(name: str):
    # The types are imported on first use, so `import factcli` stays cheap for the command line.
    if name in ("FactBase", "FactBaseView", "Claim", "Actor", "Source", "Figure", "Dispute"):
        from factcli import model

        return getattr(model, name)
    if name in ("FactBaseError", "Problem"):
        from factcli import problems

        return getattr(problems, name)
    raise AttributeError(f"module 'factcli' has no attribute {name!r}")
