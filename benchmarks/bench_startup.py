"""Whole-process start-up of factcli against the Typer floor, as medians of paired runs.

    python benchmarks/bench_startup.py [--runs 41] [--before OTHER/.venv/bin/factcli]

Each round runs the floor (a two-command Typer app printing one line: what any Typer
command line costs before it does anything) and each factcli command back to back (the
same interpreter, the same machine load), so the ratio survives a noisy machine better
than two separate medians. Budgets (issue 15), on the shipped fact base: ``list --actor
pakistan --json`` at most 1.1x the floor, its Rich table and ``show`` at most 1.4x. The
CPU-time ratio (user + system of each child) is printed beside: on a loaded machine it
moves less than the wall-clock one. ``--before`` times another checkout's factcli in
the same rounds. Each checkout keeps its index in a temporary cache of its own. Exit status 1
when a budget is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
FACTCLI = (
    str(Path(PYTHON).with_name("factcli")) if Path(PYTHON).with_name("factcli").exists() else shutil.which("factcli")
)

# The floor: a two-command Typer app that prints one line (the budgets are ratios to it).
TYPER_HELLO = """import typer
app = typer.Typer()
@app.command()
def hello(name: str = "world"): print(name)
@app.command()
def bye(): pass
app(["hello"])"""

FLOOR = [PYTHON, "-c", TYPER_HELLO]
CASES = [
    ("list --actor pakistan --json", [FACTCLI, "list", "--actor", "pakistan", "--json"], 1.1),
    ("list --actor pakistan (table)", [FACTCLI, "list", "--actor", "pakistan"], 1.4),
    ("show pakistan-reports-20-casualties", [FACTCLI, "show", "pakistan-reports-20-casualties"], 1.4),
]


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--before", metavar="FACTCLI", help="another checkout's factcli, timed in the same rounds")
    args = parser.parse_args()
    # Measure what a user's machine does: byte-code cached. Some sandboxes set
    # PYTHONDONTWRITEBYTECODE, which would make every run compile factcli from source.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["COLUMNS"] = "100"
    package = Path(__file__).resolve().parent.parent / "factcli"
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(package)], env=env, check=True)
    # Each checkout keeps its index in a cache of its own: another checkout's would rebuild it.
    env["FACTCLI_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-startup-")
    before_env = {**env, "FACTCLI_CACHE_DIR": tempfile.mkdtemp(prefix="bench-startup-before-")}
    runs = [(name, "", cmd, env, budget) for name, cmd, budget in CASES]
    if args.before:
        runs += [(name, " (before)", [args.before, *cmd[1:]], before_env, budget) for name, cmd, budget in CASES]
    for _, _, cmd, cmd_env, _ in runs:  # warm the OS cache and each checkout's own index first
        subprocess.run(cmd, stdout=subprocess.DEVNULL, env=cmd_env, check=True)
    subprocess.run(FLOOR, stdout=subprocess.DEVNULL, env=env, check=True)

    results: dict[tuple[str, str], tuple[list[float], list[float], list[float], list[float]]] = {
        (name, which): ([], [], [], []) for name, which, _, _, _ in runs
    }
    for _ in range(args.runs):  # every command once a round: a slow spell of the machine hits them all
        for name, which, cmd, cmd_env, _ in runs:
            f_wall, f_cpu = timed(FLOOR, env)
            o_wall, o_cpu = timed(cmd, cmd_env)
            ours, floor, ratios, cpu = results[name, which]
            floor.append(f_wall)
            ours.append(o_wall)
            ratios.append(o_wall / f_wall)
            cpu.append(o_cpu / f_cpu if f_cpu else float("nan"))

    failed = False
    print(f"{'command':46} {'median':>9} {'floor':>9} {'ratio':>7} {'cpu':>7} {'budget':>7}")
    for name, which, _, _, budget in runs:
        ours, floor, ratios, cpu = results[name, which]
        ratio = statistics.median(ratios)
        over = ratio > budget
        failed |= over and not which
        print(
            f"{name + which:46} {statistics.median(ours) * 1000:7.1f}ms {statistics.median(floor) * 1000:7.1f}ms "
            f"{ratio:6.2f}x {statistics.median(cpu):6.2f}x {budget:6.1f}x{'  OVER' if over else ''}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
