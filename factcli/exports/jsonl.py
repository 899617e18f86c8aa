"""JSON Lines: one claim per line, as ``factcli list --jsonl`` prints it."""

from __future__ import annotations

from collections.abc import Sequence

from factcli import contract
from factcli.exports import Options
from factcli.model import Claim, FactBaseView

OPTIONS: tuple[str, ...] = ()
NEEDS_FILE = False


def to_jsonl(fb: FactBaseView, claims: Sequence[Claim]) -> str:
    """One claim per line, exactly as ``factcli list --jsonl`` prints it (see ``factcli.contract``)."""
    return contract.dumps_lines(contract.claim_object(fb, c) for c in claims)


def render(fb: FactBaseView, claims: Sequence[Claim], options: Options) -> str:
    return to_jsonl(fb, claims)
