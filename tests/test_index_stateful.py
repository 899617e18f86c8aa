"""The index against the plain loader under random sequences of edits (a Hypothesis state machine).

Each test case copies a small generated fact base (tests/corpus.py) into a
temporary directory, with an index cache of its own, and applies a random sequence
of the edits people make: claims edited, copied, removed, broken and fixed; files
touched; actors renamed, removed and added; source titles and texts changed; whole
articles added and removed; a claim file swapped for a twin with the same size, mtime and ctime
(its folder moved aside and another moved in, or a symlink repointed). After every step ``factcli.load`` (the index) and
``loader.load_dir`` (the YAML, the source of truth) must agree: both raise
``FactBaseError`` with the same problems, or both give the same actors, sources,
claims, topics and query answers, the index's answer coming from the index
(``IndexedFactBase``, no fallback warning), on the update and on the warm load after it.

Four machines: one file per claim or one file per article, each with the real
``index.scan.RACY_NS`` (files written in the last 3 s are compared by content hash,
so a same-size edit with its mtime set back must be seen) and with ``RACY_NS = 0``
(the stat-only fast paths). With ``RACY_NS = 0`` a same-size edit within one clock
tick could legitimately be missed, so there every write also moves the file's mtime
to a new value of its own and the same-size, mtime-restoring edits are left out.

Breaking edits (an unknown claimant, a quote not in the text, a duplicate claim id, a
cited actor removed, a cited quote changed in its source text) are at most two at a
time and each has its repair, so most steps leave a valid fact base.

``FACTCLI_STATEFUL_EXAMPLES`` and ``FACTCLI_STATEFUL_STEPS`` run it longer (defaults 6
and 14 per machine: about 35 s for the file on two slow cores). What it found is kept
below as a plain test.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

import factcli
from factcli import contract, index, loader
from factcli.index import errors, scan  # noqa: F401 (their names are patched below)
from factcli.problems import FactBaseError
from factcli.query import UnknownName

ROOT = Path(__file__).resolve().parent.parent
import corpus as make_corpus  # noqa: E402 (tests/corpus.py: the generator the benchmarks use too)

N_CLAIMS = 60  # three articles of 20 claims (the plain loader, run at every step, is what costs)
CLAIMS_PER_ARTICLE = 20
REAL_RACY_NS = index.scan.RACY_NS
EXAMPLES = int(os.environ.get("FACTCLI_STATEFUL_EXAMPLES", "6"))
STEPS = int(os.environ.get("FACTCLI_STATEFUL_STEPS", "14"))

_PRISTINE: dict[str, Path] = {}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """Generate each layout once per module; every test case copies it."""

    def get(layout: str) -> Path:
        if layout not in _PRISTINE:
            root = tmp_path_factory.mktemp(f"pristine-{layout}") / "facts"
            make_corpus.CLAIMS_PER_ARTICLE = CLAIMS_PER_ARTICLE  # this module's own copy of make_corpus
            make_corpus.make_corpus(N_CLAIMS, root, seed=11, layout=layout)
            # The plain loader parses every actor at every step: drop the countries no article cites.
            cited = cited_actors(root)
            for path in root.glob("actors/*.yaml"):
                if path.name != "international.yaml" and not cited & set(actors_inventory_of(path)):
                    path.unlink()
            loader.load_dir(root)  # still valid
            _PRISTINE[layout] = root
        return _PRISTINE[layout]

    yield get
    _PRISTINE.clear()


# --- reading the generated YAML as text ------------------------------------------------------------

ACTOR_ID = re.compile(r"^  - id: (\S+)$")
ACTOR_KEY = re.compile(r"^    (\w+):")
ACTOR_ITEM = re.compile(r"^      - (\S+)$")
CLAIM_ID = re.compile(r"^(?:id|  - id): (\S+)$", re.M)
CITED = re.compile(r"^\s*(?:claimant|- by): (\S+)$", re.M)
HEADER = "# yaml-language-server: $schema=../../schema/claim.schema.json"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def claim_files(root: Path) -> list[Path]:
    return sorted(root.glob("claims/**/*.yaml"))


def claims_inventory(root: Path) -> dict[str, Path]:
    """Claim id -> the file holding it."""
    out = {}
    for path in claim_files(root):
        for m in CLAIM_ID.finditer(read(path)):
            out.setdefault(m.group(1), path)  # the first: a duplicate's file sorts last (claims/zz-...)
    return out


def find_block(lines: list[str], claim_id: str) -> tuple[int, int, int]:
    """(start, end, indent of its keys) of the claim ``claim_id`` in a claim file's lines."""
    for i, line in enumerate(lines):
        if line == f"id: {claim_id}":  # a one-claim file: the whole file
            return 0, len(lines), 0
        if line == f"  - id: {claim_id}":
            j = i + 1
            while j < len(lines) and not lines[j].startswith("  - id: "):
                j += 1
            return i, j, 4
    raise LookupError(claim_id)


def field_at(lines: list[str], start: int, end: int, prefix: str) -> int:
    """The line in [start, end) that starts with ``prefix`` (indent included)."""
    for i in range(start, end):
        if lines[i].startswith(prefix):
            return i
    raise LookupError(prefix)


def body_lines(lines: list[str], start: int, end: int, base: int) -> list[str]:
    """A claim's lines as a one-claim file writes them (no indent, no comments)."""
    if base == 0:
        return [line for line in lines[start:end] if not line.startswith("#")]
    return ["id: " + lines[start][len("  - id: ") :], *(line[4:] for line in lines[start + 1 : end])]


def as_item(body: list[str]) -> list[str]:
    return ["  - " + body[0], *("    " + line for line in body[1:])]


def prefixed(value: str, prefix: str) -> str:
    """A YAML scalar (plain or double-quoted, as make_corpus writes them) with ``prefix`` put in front."""
    return f'"{prefix}{value[1:]}' if value.startswith('"') else prefix + value


def actors_inventory_of(path: Path) -> list[str]:
    return [m.group(1) for line in read(path).splitlines() if (m := ACTOR_ID.match(line))]


def actors_inventory(root: Path) -> tuple[dict[str, Path], set[str]]:
    """(actor id -> its file, every actor some actor is part_of)."""
    ids, parents = {}, set()
    for path in sorted(root.glob("actors/*.yaml")):
        key = None
        for line in read(path).splitlines():
            if m := ACTOR_ID.match(line):
                ids[m.group(1)], key = path, None
            elif m := ACTOR_KEY.match(line):
                key = m.group(1)
            elif (m := ACTOR_ITEM.match(line)) and key == "part_of":
                parents.add(m.group(1))
    return ids, parents


def cited_actors(root: Path) -> set[str]:
    return {m.group(1) for path in claim_files(root) for m in CITED.finditer(read(path))}


# --- comparing the index with the loader -------------------------------------------------------------


def outcome(load, root: Path):
    try:
        return load(root), None
    except FactBaseError as exc:
        return None, exc


def answer(fb, query: dict):
    try:
        return fb.query(**query)
    except UnknownName as exc:
        return ("UnknownName", str(exc))


def queries_for(ref) -> list[dict]:
    queries = [
        {},
        {"disputed": True},
        {"disputed": False, "sort": "claimant", "limit": 7},
        {"has_figure": True, "sort": "figures"},
        {"sort": "source"},
        {"sort": "disputed", "limit": 5},
        {"search": "SEVERAL"},
        {"search": "edited"},
        {"limit": -3},
    ]
    countries = [a.id for a in ref.actors.values() if a.kind == "country"]
    if countries:
        queries.append({"actors": [countries[0]], "disputed": False})
    if ref.claims:
        c = ref.claims[len(ref.claims) // 2]
        queries += [
            {"actors": [c.claimant], "sort": "figures"},
            {"actors": [ref.actors[c.claimant].name.upper()]},
            {"topics": list(c.topics[:1]), "has_figure": True},
            {"source": c.source.id, "sort": "source"},
        ]
    renamed = [a.name for a in ref.actors.values() if "Renamed" in a.name]
    if renamed:
        queries.append({"actors": renamed[:2]})
    return queries


def assert_same(fb, ref, queries) -> None:
    assert isinstance(fb, index.IndexedFactBase), type(fb)
    assert fb.root == ref.root
    assert list(fb.actors.items()) == list(ref.actors.items())
    assert list(fb.sources.items()) == list(ref.sources.items())
    assert fb.claims == ref.claims
    assert fb.topics() == ref.topics()
    for c in ref.claims[::7]:
        assert fb.claim(c.id) == c
    assert fb.claim("no-such-claim") is None
    for q in queries:
        assert answer(fb, q) == answer(ref, q), q
    for c in ref.claims[::11]:
        assert contract.claim_object(fb, c) == contract.claim_object(ref, c)


# --- the machine -------------------------------------------------------------------------------------


class IndexMachine(RuleBasedStateMachine):
    layout = "per-claim"
    racy = True  # the real RACY_NS (else 0)
    pristine: Path

    def __init__(self):
        super().__init__()
        self.work = Path(tempfile.mkdtemp(prefix="factcli-stateful-"))
        self.root = self.work / "facts"
        shutil.copytree(self.pristine, self.root)
        self.old_env = {k: os.environ.get(k) for k in (index.CACHE_ENV, index.NO_INDEX_ENV)}
        os.environ[index.CACHE_ENV] = str(self.work / "cache")
        os.environ.pop(index.NO_INDEX_ENV, None)
        self.old_racy = index.scan.RACY_NS
        index.scan.RACY_NS = REAL_RACY_NS if self.racy else 0
        self.n = 0
        self.clock = time.time_ns() - 3600 * 10**9  # mtimes handed out in RACY_NS=0 mode: each new
        self.broken: dict[str, tuple[str, str, str]] = {}  # claim id -> (line prefix, good value, bad value)
        self.removed_actors: list[tuple[Path, list[str]]] = []
        self.lost_quotes: list[tuple[Path, str]] = []
        self.duplicates: list[Path] = []
        self.states: list[str] = []  # "ok" / "error" after each step, for the report

    def teardown(self):
        index.scan.RACY_NS = self.old_racy
        for key, value in self.old_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(self.work, ignore_errors=True)
        STATS["steps"] += len(self.states)
        STATS["errors"] += self.states.count("error")
        STATS["cases"] += 1

    # -- writing, honestly -----------------------------------------------------------------------

    def fresh(self) -> int:
        self.n += 1
        return self.n

    def bump(self, path: Path) -> None:
        """With RACY_NS = 0, give every written file an mtime of its own (see the module doc)."""
        if not self.racy:
            self.clock += 1_000_003_000
            os.utime(path, ns=(self.clock, self.clock))

    def write(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.bump(path)

    def write_lines(self, path: Path, lines: list[str]) -> None:
        self.write(path, "\n".join(lines) + "\n")

    def claim_ids(self) -> list[str]:
        return sorted(claims_inventory(self.root))

    def draw_claim(self, data, exclude=()) -> str | None:
        ids = [c for c in self.claim_ids() if c not in exclude]
        return data.draw(st.sampled_from(ids), label="claim") if ids else None

    def locate(self, claim_id: str):
        path = claims_inventory(self.root)[claim_id]
        lines = read(path).splitlines()
        return path, lines, *find_block(lines, claim_id)

    def sources(self) -> list[str]:
        return sorted(p.stem for p in self.root.glob("sources/*.yaml"))

    # -- claims ----------------------------------------------------------------------------------

    @rule(data=st.data())
    def edit_statement(self, data):
        claim_id = self.draw_claim(data)
        if claim_id is None:
            return
        path, lines, start, end, base = self.locate(claim_id)
        i = field_at(lines, start, end, " " * base + "statement: ")
        key, value = lines[i].split(": ", 1)
        lines[i] = f"{key}: {prefixed(value, f'Edited {self.fresh()}. ')}"
        self.write_lines(path, lines)

    @precondition(lambda self: self.racy)
    @rule(data=st.data())
    def same_size_edit_with_mtime_set_back(self, data):
        """One letter of a statement changed, same size, the old mtime put back (``touch -r``)."""
        claim_id = self.draw_claim(data)
        if claim_id is None:
            return
        path, lines, start, end, base = self.locate(claim_id)
        i = field_at(lines, start, end, " " * base + "statement: ")
        key, value = lines[i].split(": ", 1)
        spots = [k for k, ch in enumerate(value) if "a" <= ch <= "y" and k > 0]
        k = data.draw(st.sampled_from(spots), label="letter")
        lines[i] = f"{key}: {value[:k]}{chr(ord(value[k]) + 1)}{value[k + 1 :]}"
        before = path.stat()
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns

    @rule(data=st.data(), shape=st.sampled_from(["own file", "many-claim file"]), header=st.booleans())
    def add_copy(self, data, shape, header):
        claim_id = self.draw_claim(data)
        if claim_id is None:
            return
        path, lines, start, end, base = self.locate(claim_id)
        body = body_lines(lines, start, end, base)
        new_id = f"{claim_id}-copy{self.fresh()}"
        body[0] = f"id: {new_id}"
        source_id = next(line[len("  id: ") :] for line in body if line.startswith("  id: "))
        if claim_id in self.broken:
            self.broken[new_id] = self.broken[claim_id]
        if shape == "own file":
            self.write_lines(self.root / "claims" / source_id / f"{new_id}.yaml", [HEADER, *body])
        elif base == 4:  # beside it, in its own many-claim file
            self.write_lines(path, [*lines, *as_item(body)])
        else:
            top = [f"source: {source_id}"] if header else []
            self.write_lines(self.root / "claims" / f"{new_id}-set.yaml", [*top, "claims:", *as_item(body)])

    @precondition(lambda self: len(claims_inventory(self.root)) > 1)
    @rule(data=st.data())
    def remove_claim(self, data):
        claim_id = self.draw_claim(data)
        if claim_id is None:
            return
        path, lines, start, end, base = self.locate(claim_id)
        self.broken.pop(claim_id, None)
        rest = lines[:start] + lines[end:]
        if base == 0 or not any(line.startswith("  - id: ") for line in rest):
            path.unlink()
        else:
            self.write_lines(path, rest)

    def few_breakages(self) -> bool:
        """At most two things broken at once, so that most steps leave a valid fact base."""
        return len(self.broken) + len(self.removed_actors) + len(self.lost_quotes) + len(self.duplicates) < 2

    # Breaking: two rules pick how (a claim of its own, or what claims rely on), so that a valid
    # fact base stays the common case; each kind has its repair rule, and repair_everything.

    @precondition(few_breakages)
    @rule(
        data=st.data(),
        how=st.sampled_from(
            [
                "unknown claimant",
                "quote not in the text",
                "duplicate id, own file",
                "duplicate id, many-claim file",
            ]
        ),
    )
    def break_a_claim(self, data, how):
        if how.startswith("duplicate id"):
            self.duplicate_a_claim_id(data, "own file" if how.endswith("own file") else "many-claim file")
        else:
            self.break_claim(data, "claimant" if how == "unknown claimant" else "quote")

    @precondition(few_breakages)
    @rule(data=st.data(), how=st.sampled_from(["remove a cited leaf actor", "lose a quote from a source text"]))
    def break_what_claims_cite(self, data, how):
        if how == "remove a cited leaf actor":
            self.remove_leaf_actor(data)
        else:
            self.lose_a_quote(data, data.draw(st.booleans(), label="set the mtime back"))

    @precondition(lambda self: self.broken or self.removed_actors or self.lost_quotes or self.duplicates)
    @rule()
    def repair_everything(self):
        for claim_id in sorted(self.broken):
            self.fix_claim_id(claim_id)
        while self.removed_actors:
            self.restore_actor(0)
        while self.lost_quotes:
            self.restore_quote(0)
        while self.duplicates:
            self.duplicates.pop(0).unlink(missing_ok=True)

    def break_claim(self, data, how):
        claim_id = self.draw_claim(data, exclude=self.broken)
        if claim_id is None:
            return
        path, lines, start, end, base = self.locate(claim_id)
        prefix = " " * base + "claimant: " if how == "claimant" else " " * (base + 2) + "quote: "
        i = field_at(lines, start, end, prefix)
        good = lines[i][len(prefix) :]
        bad = f"nobody-{self.fresh()}" if how == "claimant" else prefixed(good, "Not in the text ")
        lines[i] = prefix + bad
        self.broken[claim_id] = (prefix.strip(), good, bad)
        self.write_lines(path, lines)

    @precondition(lambda self: self.broken)
    @rule(data=st.data())
    def fix_claim(self, data):
        self.fix_claim_id(data.draw(st.sampled_from(sorted(self.broken)), label="claim"))

    def fix_claim_id(self, claim_id: str) -> None:
        key, good, bad = self.broken.pop(claim_id)
        path, lines, start, end, base = self.locate(claim_id)
        prefix = " " * (base + (2 if key == "quote:" else 0)) + key + " "
        i = field_at(lines, start, end, prefix)
        assert lines[i] == prefix + bad
        lines[i] = prefix + good
        self.write_lines(path, lines)

    def duplicate_a_claim_id(self, data, shape):
        """A claim copied into a new file under the same id (fixed by removing that file)."""
        claim_id = self.draw_claim(data)
        if claim_id is None:
            return
        path, lines, start, end, base = self.locate(claim_id)
        body = body_lines(lines, start, end, base)
        n = self.fresh()
        if shape == "own file":
            dup = self.root / "claims" / f"zz-duplicate-{n}" / f"{claim_id}.yaml"
            self.write_lines(dup, [HEADER, *body])
        else:
            dup = self.root / "claims" / f"zz-duplicate-{n}.yaml"
            self.write_lines(dup, ["claims:", *as_item(body)])
        self.duplicates.append(dup)

    @precondition(lambda self: self.duplicates)
    @rule()
    def remove_a_duplicate(self):
        self.duplicates.pop(0).unlink(missing_ok=True)

    @rule(data=st.data())
    def rewrite_claim_from_another(self, data):
        """A claim keeps its id and file but says what another one says (often citing another source)."""
        claim_id = self.draw_claim(data)
        if claim_id is None:
            return
        path, lines, start, end, base = self.locate(claim_id)
        header = next((line[len("source: ") :] for line in lines if line.startswith("source: ")), None)
        if header is None:
            others = [c for c in self.claim_ids() if c != claim_id]
        else:  # a many-claim file naming its source: its own claims fit
            others = [m.group(1) for m in CLAIM_ID.finditer("\n".join(lines)) if m.group(1) != claim_id]
        if not others:
            return
        other = data.draw(st.sampled_from(others), label="other")
        _, olines, ostart, oend, obase = self.locate(other)
        body = [f"id: {claim_id}", *body_lines(olines, ostart, oend, obase)[1:]]
        self.broken.pop(claim_id, None)
        if other in self.broken:
            self.broken[claim_id] = self.broken[other]
        new = [HEADER, *body] if base == 0 else as_item(body)
        self.write_lines(path, lines[:start] + new + lines[end:])

    @rule(data=st.data())
    def change_claimant(self, data):
        claim_id = self.draw_claim(data, exclude=self.broken)
        if claim_id is None:
            return
        path, lines, start, end, base = self.locate(claim_id)
        disputers = {line.split(": ", 1)[1] for line in lines[start:end] if line.lstrip().startswith("- by: ")}
        actors = sorted(set(actors_inventory(self.root)[0]) - disputers)
        who = data.draw(st.sampled_from(actors), label="actor")
        i = field_at(lines, start, end, " " * base + "claimant: ")
        lines[i] = " " * base + f"claimant: {who}"
        self.write_lines(path, lines)

    # -- any file --------------------------------------------------------------------------------

    @rule(data=st.data(), same_time=st.booleans())
    def touch(self, data, same_time):
        """Content unchanged; the mtime moved (or set to what it was: only the ctime changes)."""
        files = sorted(p for p in self.root.rglob("*") if p.is_file())
        path = data.draw(st.sampled_from(files), label="file")
        st_ = path.stat()
        if same_time:
            os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns))
        else:
            self.clock += 1_000_003_000
            os.utime(path, ns=(self.clock, self.clock))

    # -- another file in its place, with the very same stat ------------------------------------

    @rule(data=st.data(), how=st.sampled_from(["folder moved in", "symlink repointed"]))
    def swap_in_a_twin(self, data, how):
        """A claim file replaced by another of the same size, mtime and ctime (one letter of its
        statement changed): its folder moved aside and a twin moved in (as unpacking a newer copy
        and renaming it into place does), or the symlink it has become repointed (``ln -sfn``).
        Only which file it is (inode) tells them apart. Real file operations, no stat faked."""
        ids = [c for c in self.claim_ids() if claims_inventory(self.root)[c] not in self.duplicates]
        if not ids:
            return
        path, lines, start, end, base = self.locate(data.draw(st.sampled_from(ids), label="claim"))
        i = field_at(lines, start, end, " " * base + "statement: ")
        k = next((k for k, ch in enumerate(lines[i]) if "a" <= ch <= "y" and k > len("statement: ") + base), None)
        if k is None:
            return
        old = "\n".join(lines) + "\n"
        new = (
            "\n".join([*lines[:i], lines[i][:k] + chr(ord(lines[i][k]) + 1) + lines[i][k + 1 :], *lines[i + 1 :]])
            + "\n"
        )
        n = self.fresh()
        if how == "folder moved in":
            if path.is_symlink():  # repointed before: its relative link would not survive the move
                return
            folder = self.root / "claims" / f"swapped-{n}"  # a folder of its own, so only it is swapped
            folder.mkdir()
            moved = folder / path.name
            path.rename(moved)
            twin = self.work / f"twin-{n}"
            twin.mkdir()
            (twin / path.name).write_text(new, encoding="utf-8")
            same_stat(moved, twin / path.name)
            self.settle()  # the index has seen the folder as it was
            folder.rename(self.work / f"aside-{n}")
            twin.rename(folder)
        else:
            versions = self.root / "claims" / ".versions"  # hidden: inside the fact base, never listed
            versions.mkdir(exist_ok=True)
            was, now = versions / f"{n}-was.claim", versions / f"{n}-now.claim"
            was.write_text(old, encoding="utf-8")
            now.write_text(new, encoding="utf-8")
            same_stat(was, now)
            path.unlink()
            path.symlink_to(os.path.relpath(was, path.parent))
            self.settle()
            link = path.with_name(f".{path.name}.new")
            link.symlink_to(os.path.relpath(now, path.parent))
            os.replace(link, path)

    def settle(self) -> None:
        """Run a command, so that the index holds the fact base as it is now."""
        fb, _, _ = load_indexed(self.root)
        if isinstance(fb, index.IndexedFactBase):
            fb._conn.close()

    # -- actors ----------------------------------------------------------------------------------

    @rule(data=st.data())
    def edit_actor_name(self, data):
        ids, _ = actors_inventory(self.root)
        actor_id = data.draw(st.sampled_from(sorted(ids)), label="actor")
        path = ids[actor_id]
        lines = read(path).splitlines()
        i = lines.index(f"  - id: {actor_id}")
        j = next(k for k in range(i + 1, len(lines)) if lines[k].startswith("    name: "))
        value = lines[j][len("    name: ") :]
        suffix = f" Renamed {self.fresh()}"
        lines[j] = "    name: " + (value[:-1] + suffix + '"' if value.endswith('"') else value + suffix)
        self.write_lines(path, lines)

    def remove_leaf_actor(self, data):
        ids, parents = actors_inventory(self.root)
        leaves = sorted(set(ids) & cited_actors(self.root) - parents)
        if not leaves:
            return
        actor_id = data.draw(st.sampled_from(leaves), label="actor")
        path = ids[actor_id]
        lines = read(path).splitlines()
        i = lines.index(f"  - id: {actor_id}")
        j = i + 1
        while j < len(lines) and not lines[j].startswith("  - id: "):
            j += 1
        self.removed_actors.append((path, lines[i:j]))
        self.write_lines(path, lines[:i] + lines[j:])

    @rule(data=st.data(), new_file=st.booleans())
    def add_actor(self, data, new_file):
        """A new actor, or one removed earlier put back (at the end of its file)."""
        if self.removed_actors and data.draw(st.booleans(), label="restore"):
            self.restore_actor(data.draw(st.integers(0, len(self.removed_actors) - 1), label="which"))
        else:
            ids, _ = actors_inventory(self.root)
            parent = data.draw(st.sampled_from(sorted(ids)), label="parent")
            n = self.fresh()
            block = [
                f"  - id: extra-actor-{n}",
                f"    name: Extra Actor {n}",
                "    kind: organisation",
                "    part_of:",
                f"      - {parent}",
                "",
            ]
            path = self.root / "actors" / f"extra-{n}.yaml" if new_file else sorted(self.root.glob("actors/*.yaml"))[0]
            self.append_actor(path, block)

    def restore_actor(self, k: int) -> None:
        self.append_actor(*self.removed_actors.pop(k))

    def append_actor(self, path: Path, block: list[str]) -> None:
        lines = read(path).splitlines() if path.exists() else ["actors:"]
        if lines and lines[-1] != "":
            lines.append("")
        self.write_lines(path, lines + block)

    # -- sources ---------------------------------------------------------------------------------

    @rule(data=st.data())
    def edit_source_title(self, data):
        sid = data.draw(st.sampled_from(self.sources()), label="source")
        path = self.root / "sources" / f"{sid}.yaml"
        lines = read(path).splitlines()
        i = next(k for k, line in enumerate(lines) if line.startswith("title: "))
        lines[i] = "title: " + prefixed(lines[i][len("title: ") :], f"Updated {self.fresh()} ")
        self.write_lines(path, lines)

    @rule(data=st.data())
    def append_to_source_text(self, data):
        sid = data.draw(st.sampled_from(self.sources()), label="source")
        path = self.root / "sources" / f"{sid}.txt"
        self.write(path, read(path) + f"A sentence added at the end ({self.fresh()}).\n")

    def lose_a_quote(self, data, set_mtime_back):
        """A cited quote changed in the source text (upper case: the same size)."""
        sid = data.draw(st.sampled_from(self.sources()), label="source")
        path = self.root / "sources" / f"{sid}.txt"
        text = read(path)
        quotes = sorted(
            {
                line.split("quote: ", 1)[1]
                for file in claim_files(self.root)
                for line in read(file).splitlines()
                if line.lstrip().startswith("quote: ") and not line.split("quote: ", 1)[1].startswith(('"', "Not in"))
            }
        )
        quotes = [q for q in quotes if q in text and q.upper() != q]
        if not quotes:
            return
        quote = data.draw(st.sampled_from(quotes), label="quote")
        before = path.stat()
        path.write_text(text.replace(quote, quote.upper(), 1), encoding="utf-8")
        if set_mtime_back and self.racy:
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        else:
            self.bump(path)
        self.lost_quotes.append((path, quote))

    @precondition(lambda self: self.lost_quotes)
    @rule(data=st.data())
    def restore_a_quote(self, data):
        self.restore_quote(data.draw(st.integers(0, len(self.lost_quotes) - 1), label="which"))

    def restore_quote(self, k: int) -> None:
        path, quote = self.lost_quotes.pop(k)
        if path.exists():
            self.write(path, read(path).replace(quote.upper(), quote, 1))

    # -- whole articles --------------------------------------------------------------------------

    @rule(data=st.data())
    def add_article(self, data):
        """An article of the pristine corpus (source, text, claims) under a new slug."""
        old = data.draw(st.sampled_from(sorted(p.stem for p in self.pristine.glob("sources/*.yaml"))), label="article")
        slug = f"{old}-x{self.fresh()}"
        p = self.pristine
        for src in [*p.glob(f"sources/{old}.*"), *p.glob(f"claims/{old}.yaml"), *p.glob(f"claims/{old}/*.yaml")]:
            rel = str(src.relative_to(p)).replace(old, slug)
            self.write(self.root / rel, read(src).replace(old, slug))

    @precondition(lambda self: len(list(self.root.glob("sources/*.yaml"))) > 1)
    @rule(data=st.data())
    def remove_article(self, data):
        sid = data.draw(st.sampled_from(self.sources()), label="article")
        for suffix in (".yaml", ".txt"):
            (self.root / "sources" / f"{sid}{suffix}").unlink(missing_ok=True)
        self.lost_quotes = [(p, q) for p, q in self.lost_quotes if p.stem != sid]
        for path in claim_files(self.root):
            lines = read(path).splitlines()
            ids = [m.group(1) for m in CLAIM_ID.finditer("\n".join(lines))]
            keep = list(lines)
            for claim_id in ids:
                start, end, base = find_block(keep, claim_id)
                if f"{' ' * (base + 2)}id: {sid}" in keep[start:end]:
                    self.broken.pop(claim_id, None)
                    keep = keep[:start] + keep[end:]
            if keep == lines:
                continue
            if not any(CLAIM_ID.match(line) for line in keep):
                path.unlink()
            else:
                self.write_lines(path, keep)

    # -- the check -------------------------------------------------------------------------------

    @invariant()
    def index_agrees_with_the_loader(self):
        ref, want = outcome(loader.load_dir, self.root)
        for attempt in ("update", "warm"):
            fb, got, warning = load_indexed(self.root)
            try:
                assert not warning, f"{attempt}: the index fell back to the YAML with a warning: {warning}"
                if want is not None or got is not None:
                    assert got is not None, f"{attempt}: the index answered, the loader says {want}"
                    assert want is not None, f"{attempt}: the index says {got}, the loader answered"
                    assert got.problems == want.problems
                else:
                    assert_same(fb, ref, queries_for(ref))
            finally:
                if isinstance(fb, index.IndexedFactBase):
                    fb._conn.close()
        self.states.append("error" if want is not None else "ok")


def same_stat(a: Path, b: Path) -> None:
    """Give ``a`` and ``b`` the same size-independent stat: one mtime, and (set in one clock tick) one ctime."""
    stamp = a.stat().st_mtime_ns
    for attempt in range(100):
        time.sleep(0.01 if attempt else 0)  # a new clock tick, past both files' ctimes (multigrain clocks)
        os.utime(a, ns=(stamp, stamp))
        os.utime(b, ns=(stamp, stamp))
        if a.stat().st_ctime_ns == b.stat().st_ctime_ns:
            return
    raise AssertionError("could not give two files the same ctime")


def load_indexed(root: Path):
    """``factcli.load(root)``: (fact base or None, FactBaseError or None, the fallback warning or "")."""
    index.errors._warned = False
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        fb, got = outcome(factcli.load, root)
    return fb, got, err.getvalue() if index.errors._warned else ""


STATS = {"cases": 0, "steps": 0, "errors": 0}

VARIANTS = [
    pytest.param("per-claim", True, id="per-claim-racy"),
    pytest.param("per-claim", False, id="per-claim-racy0"),
    pytest.param("per-article", True, id="per-article-racy"),
    pytest.param("per-article", False, id="per-article-racy0"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("layout", "racy"), VARIANTS)
def test_the_index_agrees_with_the_loader_after_any_edits(pristine, layout, racy, monkeypatch):
    monkeypatch.setattr(index.errors, "_warned", False)
    machine = type(
        f"IndexMachine_{layout.replace('-', '_')}_{'racy' if racy else 'racy0'}",
        (IndexMachine,),
        {
            "layout": layout,
            "racy": racy,
            "pristine": pristine(layout),
        },
    )
    STATS.update(cases=0, steps=0, errors=0)
    started = time.perf_counter()
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.function_scoped_fixture,
                HealthCheck.filter_too_much,
            ],
        ),
    )
    print(
        f"{layout} racy={racy}: {STATS['cases']} cases, {STATS['steps']} checks "
        f"({STATS['errors']} with problems) in {time.perf_counter() - started:.1f} s"
    )
    assert STATS["steps"] > STATS["cases"]


# --- what the machine found, as a plain test -------------------------------------------------------------


def test_a_duplicate_claim_id_in_a_new_file_is_reported_without_a_warning(pristine, tmp_path, monkeypatch):
    """Found by the machine (rule duplicate id, one step): a claim id an unchanged, indexed file
    already holds, added in a new file, made the INSERT INTO claims fail on its key, and the
    command warned "the index ... cannot be used (UNIQUE constraint failed: claims.id); reading
    the YAML files directly" before the loader's (right) report, instead of just the report."""
    monkeypatch.setenv(index.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)
    monkeypatch.setattr(index.errors, "_warned", False)
    root = tmp_path / "facts"
    shutil.copytree(pristine("per-claim"), root)
    fb, got, warning = load_indexed(root)  # a fresh index
    assert isinstance(fb, index.IndexedFactBase) and got is None and not warning
    fb._conn.close()
    first = sorted(root.glob("claims/*/*.yaml"))[0]
    body = [line for line in read(first).splitlines() if not line.startswith("#")]
    (root / "claims" / "duplicate.yaml").write_text("\n".join(["claims:", *as_item(body)]) + "\n", encoding="utf-8")
    _, got, warning = load_indexed(root)
    with pytest.raises(FactBaseError) as want:
        loader.load_dir(root)
    assert got is not None and got.problems == want.value.problems  # the report is right...
    assert not warning  # ...and no "the index ... cannot be used (UNIQUE constraint failed: claims.id)" before it
