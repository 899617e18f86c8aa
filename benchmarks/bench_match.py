"""How well ``factcli match`` finds the re-reports people confirmed by hand.

    python benchmarks/bench_match.py [FACT-BASE]   (default: examples/)

The fact base's ``matches:`` are the truth, each pair once. Its confirmed matches are kept in
(``candidates`` does not read them), so each is one the command should propose. For each
least score: how many pairs are proposed, how many of them are confirmed matches (precision),
and how many confirmed matches are proposed (recall).
"""

from __future__ import annotations

import sys
from pathlib import Path

from factcli.authoring.match import candidates
from factcli.loader import load_dir


def main(root: Path) -> None:
    fb = load_dir(root)
    truth = {frozenset((c.id, other)) for c in fb.claims for other in c.matches}
    print(f"{root}: {len(fb.claims)} claims, {len(truth)} confirmed matches")
    for threshold in (40, 50, 60, 70, 80):
        found = {frozenset((c.claim, c.other)) for c in candidates(fb.claims, threshold=threshold)}
        hits = len(found & truth)
        precision = hits / len(found) if found else 1.0
        print(
            f"  min score {threshold}: {len(found):3d} proposed, {hits} confirmed;"
            f" precision {precision:.2f}, recall {hits / len(truth):.2f}"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "examples")
