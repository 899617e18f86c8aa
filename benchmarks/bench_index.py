"""The index and the JSON answers against their targets (issues 6 and 15), at 10,000 and 100,000 claims.

    python benchmarks/bench_index.py [--sizes 10000 100000] [--layouts per-article per-claim] [--runs 5]
                                     [--workdir DIR] [--before PATH/TO/OTHER/factcli]

Builds each corpus, in each layout (one claims file per article, the default of make_corpus.py, or
one file per claim; 100,000 one-claim files are measured with fewer rounds, they are slow to write
and to build), with make_corpus.py in a temporary directory (or reuses one in --workdir), keeps the
index in a private cache directory, and prints, as medians of paired runs (each round runs the
commands compared back to back, so a ratio survives a noisy machine):

- a cold build after every file changed against parsing the same files with PyYAML's C loader in
  one process (wall and CPU time);
- warm ``factcli list --actor X --limit 20 --json`` against the floor: a two-command Typer app
  printing one line (and against a bare ``python -c pass``);
- the first ``list --json`` after that rebuild, which encodes every claim and stores the text;
- every ``--json`` command (list, list --actor X, disputed, figures, actors, sources, and
  ``export -f jsonl``) with its peak memory (max RSS of the process), and with ``--before`` the same
  command of another factcli (say main's checkout) in the same rounds;
- warm ``compare M --json``, ``conflicts --json`` and ``timeline --source S --json`` (issue 12);
- the peers, on the same question (the claims of one actor and everyone part of it): ``jq`` over one
  JSON file of every claim, the ``sqlite3`` shell over ``factcli export -f sqlite``, and ``yq`` over
  the YAML files (at 10,000 claims; it takes seconds);
- one claim file edited, a new article added, and one actor file edited, against the warm time;
- on the shipped fact base: ``list --actor pakistan --json``, its Rich table and ``show``, against
  the Typer floor, and the time to the first byte of a long Rich table.

The peers are programs of their own: ``apt-get install -y jq sqlite3 yq`` (Debian's yq is the jq
wrapper for YAML). A peer that is not installed is skipped with a note. Exit status 1 when a target
is missed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_startup import TYPER_HELLO  # (this folder is on sys.path when a benchmark runs)

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
FACTCLI = [PYTHON, "-m", "factcli"]
_exe = Path(PYTHON).with_name("factcli")
if _exe.exists():
    FACTCLI = [str(_exe)]
ACTOR = "arvenia"  # a country of make_corpus.py: its government, ministry, army and people count too

PARSE_BASELINE = r"""
import os, sys, yaml
root = sys.argv[1]
n = 0
for dirpath, dirnames, filenames in os.walk(root):
    dirnames.sort()
    for name in sorted(filenames):
        if name.endswith(".yaml"):
            with open(os.path.join(dirpath, name), "rb") as f:
                yaml.load(f.read(), Loader=yaml.CSafeLoader)
            n += 1
"""

PEAK_RSS = r"""
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

# The floor every Typer command line stands on: bench_startup's two-command Typer app printing one line.
TYPER_FLOOR = TYPER_HELLO

# Every --json answer, by name: (arguments, whether it is held to the 1 s and 100 MiB targets).
JSON_COMMANDS = [
    ("list --json", ["list", "--json"]),
    ("list --actor X --json", ["list", "--actor", ACTOR, "--json"]),
    ("disputed --json", ["disputed", "--json"]),
    ("figures --json", ["figures", "--json"]),
    ("actors --json", ["actors", "--json"]),
    ("sources --json", ["sources", "--json"]),
    ("export -f jsonl", ["export", "-f", "jsonl"]),
]
MIB = 1024 * 1024


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=True)
    return time.perf_counter() - start


def cpu_timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU (user + system, of the process and its children) seconds of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(cmd, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def paired(a: list[str], b: list[str], env: dict, runs: int, before_a=None) -> tuple[float, float, float]:
    """Medians of a's time, b's time and a/b over ``runs`` rounds of a then b."""
    ta, tb, ratios = [], [], []
    for _ in range(runs):
        if before_a:
            before_a()
        x = timed(a, env)
        y = timed(b, env)
        ta.append(x)
        tb.append(y)
        ratios.append(x / y)
    return statistics.median(ta), statistics.median(tb), statistics.median(ratios)


def peak_mib(cmd: list[str], env: dict, runs: int = 2) -> float:
    """The peak resident memory of ``cmd`` (the largest of ``runs`` runs), in MiB."""
    peaks = [
        int(subprocess.run([PYTHON, "-c", PEAK_RSS, *cmd], capture_output=True, text=True, env=env, check=True).stdout)
        for _ in range(runs)
    ]
    return max(peaks) * 1024 / MIB


def first_byte(cmd: list[str], env: dict) -> float:
    """Seconds until ``cmd`` writes its first byte (and, read to the end, how long it takes in all)."""
    start = time.perf_counter()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env) as proc:
        assert proc.stdout is not None
        proc.stdout.read(1)
        first = time.perf_counter() - start
        proc.stdout.read()
    return first


def make(n: int, root: Path, layout: str) -> None:
    if (root / ".complete").exists():
        return
    spec = importlib.util.spec_from_file_location("make_corpus", HERE / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    if root.exists():
        shutil.rmtree(root)
    start = time.perf_counter()
    mod.make_corpus(n, root, layout=layout)
    (root / ".complete").write_text("")
    print(f"  corpus of {n} claims written in {time.perf_counter() - start:.1f} s", flush=True)


def edit_all(root: Path, round_no: int) -> None:
    """Change every fact file's content (a comment line), so each must be parsed again."""
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith(".yaml"):
                path = os.path.join(dirpath, name)
                with open(path, "rb") as f:
                    data = f.read()
                data = data.split(b"\n# bench edit", 1)[0]
                with open(path, "wb") as f:
                    f.write(data + b"\n# bench edit %d\n" % round_no)


def yq_filter(actor_ids: list[str]) -> str:
    wanted = json.dumps(sorted(actor_ids))
    return f"[.[] | (.claims // [.])[] | select(.claimant as $c | {wanted} | index($c))] | sort_by(.id)"


def jq_filter(actor_ids: list[str]) -> str:
    wanted = json.dumps(sorted(actor_ids))
    return f"[.[] | select(.claimant as $c | {wanted} | index($c))]"


def sqlite_query(actor_ids: list[str]) -> str:
    wanted = ", ".join(f"'{a}'" for a in sorted(actor_ids))  # ids are slugs: nothing to quote
    return f"SELECT * FROM claims WHERE claimant_id IN ({wanted}) ORDER BY id"


class Table:
    """The rows of the printed table: (claims, layout, what, measured, target, met)."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def row(self, n: int | str, layout: str, what: str, measured: str, target: str, ok: bool) -> None:
        self.rows.append((n, layout, what, measured, target, ok))
        print(f"  {what:58} {measured:>40}   target {target:14} {'ok' if ok else 'MISSED'}", flush=True)


def bench(n: int, layout: str, root: Path, cache: Path, runs: int, table: Table, before: list[str] | None) -> None:
    env = {**os.environ, "FACTCLI_CACHE_DIR": str(cache), "FACTCLI_FACTS": str(root)}
    env.pop("FACTCLI_NO_INDEX", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # else every run compiles factcli from source
    limit20 = [*FACTCLI, "list", "--actor", ACTOR, "--limit", "20", "--json"]
    every = [*FACTCLI, "list", "--actor", ACTOR, "--json"]
    floor = [PYTHON, "-c", TYPER_FLOOR]
    big = n >= 100000 and layout == "per-article"

    def row(what: str, measured: str, target: str, ok: bool) -> None:
        table.row(n, layout, what, measured, target, ok)

    # Cold: every file changed, against parsing the same files with PyYAML's C loader in one process.
    # (Up to 3 rounds at any size, one a noisy machine cannot judge; every other round the parse goes
    # first, so neither side always runs with the files fresh in the page cache.)
    cold_runs = max(1, min(runs, 3))
    baseline = [PYTHON, "-c", PARSE_BASELINE, str(root)]
    walls, cpus = [], []
    for round_no in range(1, cold_runs + 1):
        edit_all(root, round_no)
        if round_no % 2 == 0:
            theirs, theirs_cpu = cpu_timed(baseline, env)
            ours, ours_cpu = cpu_timed(limit20, env)
        else:
            ours, ours_cpu = cpu_timed(limit20, env)
            theirs, theirs_cpu = cpu_timed(baseline, env)
        walls.append(ours / theirs)
        cpus.append((ours, theirs, ours_cpu / theirs_cpu))
    ratio = statistics.median(walls)
    ours, theirs, cpu_ratio = sorted(cpus, key=lambda c: c[0] / c[1])[len(cpus) // 2]
    row(
        "cold build, every file changed / C-loader parse",
        f"{ours:.2f} s / {theirs:.2f} s = {ratio:.2f}x (CPU {cpu_ratio:.2f}x)",
        "<= 0.7x",
        ratio <= 0.7,
    )

    timed(limit20, env)
    warm20, floor_t, ratio = paired(limit20, floor, env, runs)
    row(
        "warm list --actor X --limit 20 --json / Typer floor",
        f"{warm20 * 1000:.0f} ms / {floor_t * 1000:.0f} ms = {ratio:.2f}x",
        "<= 1.2x" if big else "-",
        ratio <= 1.2 or not big,
    )

    # The first big answer after the rebuild encodes every claim and stores the text (the index keeps
    # each answer: see README "How it stays fast"); every later one reads the text back.
    first_list, first_cpu = cpu_timed([*FACTCLI, "list", "--json"], env)
    row(
        "first list --json after the rebuild (encodes, stores)",
        f"{first_list:.2f} s (CPU {first_cpu:.2f} s)",
        "(info)",
        True,
    )

    if before:  # its own index: an index written by other code is rebuilt, not shared
        before = ["env", f"FACTCLI_CACHE_DIR={cache}-before", *before]
    for name, args in JSON_COMMANDS:
        ours_cmd = [*FACTCLI, *args]
        if before:
            subprocess.run([*before, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
            t, old, _ = paired(ours_cmd, [*before, *args], env, runs)
            old_peak = peak_mib([*before, *args], env, 1)
            was = f" (before: {old:.2f} s, {old_peak:.0f} MiB)"
        else:
            t, was = statistics.median(timed(ours_cmd, env) for _ in range(runs)), ""
        peak = peak_mib(ours_cmd, env)
        size = len(subprocess.run(ours_cmd, capture_output=True, env=env, check=True).stdout)
        row(
            f"warm {name} ({size / 1e6:.1f} MB)",
            f"{t:.2f} s, {peak:.0f} MiB{was}",
            "< 1 s, < 100 MiB" if big else "-",
            (t < 1 and peak < 100) or not big,
        )

    story_views(n, layout, root, env, runs, row)

    out = subprocess.run(every, capture_output=True, text=True, env=env, check=True).stdout
    answer = json.loads(out)
    ids = sorted({c["claimant"] for c in answer})
    ours_t = statistics.median(timed(every, env) for _ in range(runs))
    peers = table_of_peers(n, layout, root, env, ids, answer, runs)
    for name, seconds, note in peers:
        if seconds is None:
            row(f"peer: {name}", note, "-", True)
            continue
        held = name.startswith("jq") and n <= 20000
        row(
            f"peer: {name} / warm list --actor X --json",
            f"{seconds * 1000:.0f} ms / {ours_t * 1000:.0f} ms = {seconds / ours_t:.1f}x",
            ">= 3x" if held else "-",
            seconds / ours_t >= 3 or not held,
        )

    claim_files = sorted(root.glob("claims/**/*.yaml"))
    claim = claim_files[len(claim_files) // 2]
    original = claim.read_text()
    counter = iter(range(1, 10**6))

    def edit_one() -> None:
        claim.write_text(original.replace("statement: ", f"statement: Edit {next(counter)}. ", 1))

    edited, warm, ratio = paired(limit20, limit20, env, runs, before_a=edit_one)
    row(
        "one claim file edited / warm",
        f"{edited * 1000:.0f} ms / {warm * 1000:.0f} ms = {ratio:.2f}x",
        "<= 2x",
        ratio <= 2,
    )
    claim.write_text(original)

    # A new article: its source, text and claims, copied from the first under a new name.
    first = sorted(root.glob("sources/*.yaml"))[0].stem
    added: list[Path] = []

    def add_article() -> None:
        slug = f"{first}-bench-{next(counter)}"
        for old in [
            *root.glob(f"sources/{first}.*"),
            *root.glob(f"claims/{first}.yaml"),
            *root.glob(f"claims/{first}/*.yaml"),
        ]:
            new = Path(str(old).replace(first, slug))
            new.parent.mkdir(exist_ok=True)
            new.write_text(old.read_text(encoding="utf-8").replace(first, slug), encoding="utf-8")
            added.append(new)

    edited, warm, ratio = paired(limit20, limit20, env, max(1, runs // 3), before_a=add_article)
    row(
        "a new article added (source, text, claims) / warm",
        f"{edited * 1000:.0f} ms / {warm * 1000:.0f} ms = {ratio:.2f}x",
        "(info)",
        True,
    )
    for path in added:
        path.unlink()
    for folder in {p.parent for p in added if p.parent.parent.name == "claims"}:
        folder.rmdir()
    timed(limit20, env)

    actors = sorted(root.glob("actors/*.yaml"))[0]
    actors_text = actors.read_text()

    def edit_actor() -> None:
        actors.write_text(actors_text + f"# edit {next(counter)}\n")

    edited, warm, ratio = paired(limit20, limit20, env, max(1, runs // 3), before_a=edit_actor)
    row("one actor file edited / warm", f"{edited * 1000:.0f} ms / {warm * 1000:.0f} ms = {ratio:.2f}x", "(info)", True)
    actors.write_text(actors_text)
    timed(limit20, env)


def table_of_peers(n: int, layout: str, root: Path, env: dict, ids: list[str], answer: list, runs: int) -> list:
    """(peer, median seconds or None, note) for each peer answering "the claims of these actors"."""
    found: list = []
    dump = root.parent / f"dump-{n}-{layout}.json"
    database = root.parent / f"export-{n}-{layout}.db"
    if not dump.exists():
        with open(dump, "wb") as f:
            subprocess.run([*FACTCLI, "list", "--json"], stdout=f, env=env, check=True)
    if not database.exists():
        subprocess.run([*FACTCLI, "export", "-f", "sqlite", "-o", str(database)], env=env, check=True)
    if shutil.which("jq"):
        jq = ["jq", jq_filter(ids), str(dump)]
        got = json.loads(subprocess.run(jq, capture_output=True, text=True, check=True).stdout)
        assert [c["id"] for c in got] == [c["id"] for c in answer], "jq and factcli disagree"
        found.append(
            ("jq over one JSON file of every claim", statistics.median(timed(jq, env) for _ in range(runs)), "")
        )
    else:
        found.append(("jq", None, "not installed: apt-get install -y jq"))
    if shutil.which("sqlite3"):
        shell = ["sqlite3", "-json", str(database), sqlite_query(ids)]
        got = json.loads(subprocess.run(shell, capture_output=True, text=True, check=True).stdout or "[]")
        assert [c["id"] for c in got] == [c["id"] for c in answer], "sqlite3 and factcli disagree"
        found.append(
            ("sqlite3 shell over the SQLite export", statistics.median(timed(shell, env) for _ in range(runs)), "")
        )
    else:
        found.append(("sqlite3", None, "not installed: apt-get install -y sqlite3"))
    if n > 20000:
        found.append(("yq", None, "not run above 20,000 claims (seconds per thousand files)"))
    elif shutil.which("yq") and shutil.which("jq"):
        files = sorted(str(p) for p in root.glob("claims/**/*.yaml"))
        yq = ["yq", "-s", yq_filter(ids), *files]
        got = json.loads(subprocess.run(yq, capture_output=True, text=True, check=True).stdout)
        assert [c["id"] for c in got] == [c["id"] for c in answer], "yq and factcli disagree"
        found.append(("yq over the YAML files", statistics.median(timed(yq, env) for _ in range(min(runs, 3))), ""))
    else:
        found.append(("yq", None, "not installed: apt-get install -y yq"))
    return found


def bench_shipped(runs: int, table: Table, work: Path) -> None:
    """The shipped fact base: the everyday answers against the Typer floor, and a long table's first byte."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "FACTCLI_FACTS")}
    env.update(FACTCLI_CACHE_DIR=str(work / "cache-shipped"), COLUMNS="120")
    floor = [PYTHON, "-c", TYPER_FLOOR]
    cases = [
        ("list --actor pakistan --json", ["list", "--actor", "pakistan", "--json"], 1.1),
        ("list --actor pakistan (Rich table)", ["list", "--actor", "pakistan"], 1.4),
        ("show pakistan-reports-20-casualties (Rich)", ["show", "pakistan-reports-20-casualties"], 1.4),
    ]
    for name, args, budget in cases:
        cmd = [*FACTCLI, *args]
        timed(cmd, env)
        ours, floor_t, ratio = paired(cmd, floor, env, runs * 3)
        table.row(
            "shipped",
            "per-claim",
            f"{name} / Typer floor",
            f"{ours * 1000:.0f} ms / {floor_t * 1000:.0f} ms = {ratio:.2f}x",
            f"<= {budget}x",
            ratio <= budget,
        )


def bench_first_row(root: Path, cache: Path, n: int, layout: str, runs: int, table: Table) -> None:
    """A long Rich table (every claim of one actor): when its first byte comes, and when its last."""
    env = {**os.environ, "FACTCLI_CACHE_DIR": str(cache), "FACTCLI_FACTS": str(root), "COLUMNS": "160"}
    cmd = [*FACTCLI, "list", "--actor", ACTOR]
    firsts = [first_byte(cmd, env) for _ in range(runs)]
    whole = statistics.median(timed(cmd, env) for _ in range(runs))
    table.row(
        n,
        layout,
        "Rich table list --actor X: first byte, whole table",
        f"{statistics.median(firsts) * 1000:.0f} ms, {whole * 1000:.0f} ms",
        "(info)",
        True,
    )


def story_views(n: int, layout: str, root: Path, env: dict, runs: int, row) -> None:
    """Warm ``compare``, ``conflicts`` and ``timeline``: at 100,000 claims in article files every
    ``--json`` under 1 s and 100 MiB (issue 15), the tables under half a second (issue 12); the
    ``conflicts`` view (tens of thousands of records there) with its time to the first byte and in
    all. Each with its CPU time (a noisy machine stretches the wall time) and peak memory. The
    measure and source are the first article's."""
    source = sorted(root.glob("sources/*.yaml"))[0].stem
    listed = subprocess.run(
        [*FACTCLI, "list", "--source", source, "--has-figure", "--json"], capture_output=True, text=True, env=env
    )
    measure = next(f["measure"] for c in json.loads(listed.stdout) for f in c["figures"] if f["measure"])
    target_applies = n >= 100000 and layout == "per-article"
    for what, cmd in (
        ("compare M --json", [*FACTCLI, "compare", measure, "--json"]),
        ("conflicts --json", [*FACTCLI, "conflicts", "--json"]),
        ("timeline --source S --json", [*FACTCLI, "timeline", "--source", source, "--json"]),
    ):
        timed(cmd, env)
        took, cpu = median_cpu_timed(cmd, env, runs)
        peak = peak_mib(cmd, env, 1)
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
        size = json.loads(out)
        count = len(size["figures"]) if isinstance(size, dict) else len(size)
        row(
            f"warm {what} ({count} {'figures' if isinstance(size, dict) else 'items'}, {len(out) / 1e6:.1f} MB)",
            f"{took * 1000:.0f} ms (CPU {cpu * 1000:.0f} ms), {peak:.0f} MiB",
            "< 1 s, < 100 MiB" if target_applies else "-",
            (took < 1 and peak < 100) or not target_applies,
        )
    for what, cmd in (
        ("compare M (table)", [*FACTCLI, "compare", measure]),
        ("timeline --source S (table)", [*FACTCLI, "timeline", "--source", source]),
    ):
        timed(cmd, env)
        took, cpu = median_cpu_timed(cmd, env, runs)
        row(
            f"warm {what}",
            f"{took * 1000:.0f} ms (CPU {cpu * 1000:.0f} ms), {peak_mib(cmd, env, 1):.0f} MiB",
            "< 0.5 s" if target_applies else "-",
            took < 0.5 or not target_applies,
        )
    view = [*FACTCLI, "conflicts"]
    first = first_byte(view, env)  # (once: at 100,000 claims it prints for seconds)
    took, cpu = cpu_timed(view, env)
    row(
        "warm conflicts (records, once)",
        f"first byte {first * 1000:.0f} ms, all {took:.1f} s (CPU {cpu:.1f} s), {peak_mib(view, env, 1):.0f} MiB",
        "-",
        True,
    )


def median_cpu_timed(cmd: list[str], env: dict, runs: int) -> tuple[float, float]:
    """Medians of ``cpu_timed``'s wall and CPU seconds over ``runs`` runs."""
    walls, cpus = zip(*(cpu_timed(cmd, env) for _ in range(runs)), strict=True)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument(
        "--layouts", nargs="+", default=["per-article", "per-claim"], choices=["per-article", "per-claim"]
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--workdir", type=Path, help="keep the corpora here between runs (default: a temporary directory)"
    )
    parser.add_argument(
        "--before", type=Path, help="another factcli to time in the same rounds (e.g. main's .venv/bin/factcli)"
    )
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="factcli-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    before = [str(args.before)] if args.before else None
    table = Table()
    try:
        tools = ", ".join(f"{t}: {shutil.which(t) or 'not installed'}" for t in ("jq", "sqlite3", "yq"))
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; {tools}")
        subprocess.run(
            [PYTHON, "-m", "compileall", "-q", str(HERE.parent / "factcli")], check=True, stdout=subprocess.DEVNULL
        )
        print("the shipped fact base:", flush=True)
        bench_shipped(args.runs, table, work)
        for layout in args.layouts:
            for n in args.sizes:
                print(f"{n} claims, {layout}:", flush=True)
                root = work / f"corpus-{n}-{layout}"
                make(n, root, layout)
                cache = work / f"cache-{n}-{layout}"
                shutil.rmtree(cache, ignore_errors=True)
                slow = layout == "per-claim" and n >= 100000
                runs = min(args.runs, 3) if slow else args.runs
                bench(n, layout, root, cache, runs, table, before)
                if n == min(args.sizes):
                    bench_first_row(root, cache, n, layout, runs, table)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print("\n| claims | layout | measure | measured | target | |\n|---:|---|---|---|---|---|")
    for n, layout, what, measured, target, ok in table.rows:
        size = f"{n:,}" if isinstance(n, int) else n
        print(f"| {size} | {layout} | {what} | {measured} | {target} | {'met' if ok else '**missed**'} |")
    missed = {why for _n, _layout, what, _m, _t, ok in table.rows if not ok for key, why in WHY.items() if key in what}
    if missed:
        print('\nWhy the misses, as measured, and what meeting them would take (README: "Measured at scale"):')
        for why in sorted(missed):
            print(f"- {why}")
    return 0 if all(r[5] for r in table.rows) else 1


# For each target this benchmark can miss, what the misses were measured to be made of, and what
# meeting the target would take (keyed by a piece of the row's name).
WHY = {
    "cold build": (
        "cold build: the worker processes' parse, checks and index rows alone take about the CPU time of the"
        " whole C-loader baseline, and the parent's inserts, index building and commit through the WAL cannot"
        " overlap them on two cores; under 0.7x would take a parser several times cheaper than libyaml's or"
        " more cores"
    ),
    "--limit 20": (
        "--limit 20 at 100,000 claims: before answering, the index stats every fact file and source text"
        " (about 6,000 in article files: 25-35 ms of scanning at about 3 us a stat) against a margin of about"
        " 16 ms; it would take trusting folder times or a file-system watcher instead of a stat per file,"
        " giving up the checks of README 'How it stays correct'"
    ),
    "pakistan --json": (
        "the shipped list --json: beyond Typer, factcli's own records and modules take about 9 ms to import,"
        " sqlite3 and the index 3 ms, the freshness check 3 ms and Typer's parsing of 18 options 2 ms, against"
        " a margin of about 10 ms; it would take records that are not NamedTuples and commands registered"
        " without importing their modules (README 'Start-up')"
    ),
    "(Rich": (
        "the Rich table and show: importing rich.console and rich.table takes about 24 ms against a margin"
        " of about 38 ms, before factcli's own 15 ms and the drawing; it would take Rich importing less"
        " (not factcli's to change) or a table renderer of factcli's own"
    ),
    "peer: jq": (
        "jq at 10,000 claims: factcli answers in about 110 ms, of which the Typer floor is about 85, while jq"
        " parses the 9.3 MB file in about 370 ms, so the ratio sits at 3x and moves with the machine's load;"
        " a wider margin would take the start-up of README 'Start-up' (records that are not NamedTuples,"
        " commands registered without importing their modules)"
    ),
    "conflicts --json": (
        "conflicts --json on the synthetic corpus (random figures: 92,149 conflicting pairs, 43 MB): SQL"
        " 0.2-0.3 s, the figures 0.6 s, the objects 0.8 s, encoding and escaping 1.0 s of CPU; it would take"
        " keeping each figure's conflict object in the index as list's and figures' answers are kept"
    ),
}


if __name__ == "__main__":
    sys.exit(main())
