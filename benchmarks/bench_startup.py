"""Whole-process start-up of factcli against a bare interpreter start, as medians of paired runs.

    python benchmarks/bench_startup.py [--runs 41]

Each round runs ``python -c pass`` and each factcli command back to back (the
same interpreter, the same machine load), so the ratio survives a noisy
machine better than two separate medians. Budgets (issue 3): the JSON answer
at most 6x a bare start, the Rich table at most 8x. Exit status 1 when a
budget is missed, so CI or a pre-release check can run it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PYTHON = sys.executable
FACTCLI = (
    str(Path(PYTHON).with_name("factcli")) if Path(PYTHON).with_name("factcli").exists() else shutil.which("factcli")
)

# The floor: a two-command Typer app that prints one line (no budget: for reference).
TYPER_HELLO = """import typer
app = typer.Typer()
@app.command()
def hello(name: str = "world"): print(name)
@app.command()
def bye(): pass
app(["hello"])"""

CASES = [
    ("typer hello app (reference)", [PYTHON, "-c", TYPER_HELLO], None),
    ("list --actor pakistan --json", [FACTCLI, "list", "--actor", "pakistan", "--json"], 6.0),
    ("list --actor pakistan (table)", [FACTCLI, "list", "--actor", "pakistan"], 8.0),
]


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=41)
    args = parser.parse_args()
    # Measure what a user's machine does: byte-code cached. Some sandboxes set
    # PYTHONDONTWRITEBYTECODE, which would make every run compile factcli from source.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["COLUMNS"] = "100"
    package = Path(__file__).resolve().parent.parent / "factcli"
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(package)], env=env, check=True)
    for _, cmd, _ in CASES:  # warm the OS cache and factcli's own index first
        subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env, check=True)

    failed = False
    print(f"{'command':34} {'median':>9} {'bare':>9} {'ratio':>7} {'budget':>7}")
    for name, cmd, budget in CASES:
        bare, ours, ratios = [], [], []
        for _ in range(args.runs):
            b = timed([PYTHON, "-c", "pass"], env)
            o = timed(cmd, env)
            bare.append(b)
            ours.append(o)
            ratios.append(o / b)
        ratio = statistics.median(ratios)
        over = budget is not None and ratio > budget
        failed |= over
        print(
            f"{name:34} {statistics.median(ours) * 1000:7.1f}ms {statistics.median(bare) * 1000:7.1f}ms "
            f"{ratio:6.1f}x {f'{budget:6.1f}x' if budget else '     -'}{'  OVER' if over else ''}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
