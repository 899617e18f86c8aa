"""The embedded index (issue 6): the same answers as the YAML, and never a stale one.

Small fact bases in temporary directories; FACTCLI_CACHE_DIR points at a temporary
directory for each test. The large runs are in benchmarks/bench_index.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factbases import SHIPPED, write_factbase
from running import run_factcli

import factcli
from factcli import index, loader, validate
from factcli.index import connection, errors, read, update  # noqa: F401 (their names are patched below)
from factcli.problems import FactBaseError
from factcli.query import Filters, UnknownName, select

ROOT = Path(__file__).resolve().parent.parent
import corpus as make_corpus  # noqa: E402 (tests/corpus.py: the generator the benchmarks use too)

QUERIES = [
    {},
    {"actors": ["pakistan"]},
    {"actors": ["Asif"], "disputed": False},
    {"disputed": True},
    {"disputed": False, "sort": "claimant"},
    {"topics": ["strikes", "casualties"]},
    {"source": "asif-welcomes-us-help", "sort": "source"},
    {"search": "NUCLEAR"},
    {"search": "ß"},
    {"has_figure": True, "sort": "figures"},
    {"sort": "disputed", "limit": 5},
    {"actors": ["india", "united-states"], "limit": 0},
    {"limit": -3},
]


@pytest.fixture(autouse=True)
def cache(private_index_cache: Path) -> Path:
    return private_index_cache


@pytest.fixture()
def facts(tmp_path: Path) -> Path:
    """The small story fact base of tests/factbases.py, to edit."""
    return write_factbase(tmp_path / "facts")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "facts"
    make_corpus.make_corpus(400, root, seed=3, layout="per-claim")
    return root


def plain(root) -> factcli.FactBase:
    return loader.load_dir(root)


def same_answers(root, queries) -> None:
    ref = plain(root)
    fb = factcli.load(root)
    assert isinstance(fb, index.IndexedFactBase)
    assert fb.root == ref.root
    assert list(fb.actors.items()) == list(ref.actors.items())
    assert list(fb.sources.items()) == list(ref.sources.items())
    assert fb.claims == ref.claims
    assert fb.topics() == ref.topics()
    assert all(fb.claim(c.id) == c for c in ref.claims[:50])
    assert fb.claim("no-such-claim") is None
    for q in queries:
        assert fb.query(**q) == ref.query(**q), q
    from factcli import contract

    for c in ref.claims[:20]:
        assert contract.claim_object(fb, c) == contract.claim_object(ref, c)


def test_the_index_answers_as_the_loader_on_the_story(facts):
    factcli.load(facts)  # builds the index
    same_answers(facts, QUERIES)


@pytest.mark.slow
def test_the_index_answers_as_the_loader_on_a_generated_corpus(corpus):
    ref = plain(corpus)
    country = next(a for a in ref.actors.values() if a.kind == "country").id
    person = next(a for a in ref.actors.values() if a.kind == "person")
    queries = [
        {},
        {"actors": [country]},
        {"actors": [person.name.upper()], "sort": "figures"},
        {"actors": [country], "disputed": True, "limit": 20},
        {"topics": [ref.topics()[0]], "has_figure": True, "sort": "source"},
        {"source": next(iter(ref.sources)), "sort": "disputed"},
        {"search": "several", "sort": "claimant", "limit": 7},
    ]
    factcli.load(corpus)
    same_answers(corpus, queries)


def test_unknown_names_raise_the_same_errors(facts):
    factcli.load(facts)
    fb, ref = factcli.load(facts), plain(facts)
    for bad in ({"actors": ["pakistn"]}, {"topics": ["strike"]}, {"source": "asif"}, {"sort": "nope"}):
        with pytest.raises(UnknownName) as got:
            select(fb, Filters(**bad))
        with pytest.raises(UnknownName) as want:
            select(ref, Filters(**bad))
        assert str(got.value) == str(want.value)


@pytest.mark.parametrize("how", ["absolute", "relative", "inside"])
def test_file_paths_are_shown_as_the_loader_shows_them(facts, monkeypatch, how):
    if how == "absolute":
        monkeypatch.chdir(facts.parent.parent)
        root = facts.resolve()
    elif how == "relative":
        monkeypatch.chdir(facts.parent)
        root = Path("./facts/")
    else:
        monkeypatch.chdir(facts / "claims")
        root = facts.resolve()
    factcli.load(root)
    fb, ref = factcli.load(root), plain(root)
    assert [c.path for c in fb.claims] == [c.path for c in ref.claims]
    assert [a.path for a in fb.actors.values()] == [a.path for a in ref.actors.values()]


def claim_file(root: Path, claim_id: str) -> Path:
    return next(root.glob(f"claims/**/{claim_id}.yaml"))


def count_parses(monkeypatch) -> list:
    calls = []
    real = index.read.read_value

    def counting(data):
        calls.append(data)
        return real(data)

    monkeypatch.setattr(index.read, "read_value", counting)
    return calls


def test_an_edited_file_is_read_again(facts, monkeypatch):
    factcli.load(facts)
    path = claim_file(facts, "kashmir-attack-killed-26")
    path.write_text(path.read_text().replace("statement: ", "statement: Edited. "))
    calls = count_parses(monkeypatch)
    claim = factcli.load(facts).claim("kashmir-attack-killed-26")
    assert claim.statement.startswith("Edited. ")
    assert len(calls) == 1  # only the changed file
    same_answers(facts, QUERIES)


def test_a_same_size_edit_with_its_mtime_set_back_is_seen(facts):
    """Same size, same mtime_ns as when indexed (``touch -r``): the ctime still tells."""
    factcli.load(facts)
    path = claim_file(facts, "kashmir-attack-killed-26")
    st = path.stat()
    text = path.read_text()
    path.write_text(text.replace("killed 26", "killed 62"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    with pytest.raises(FactBaseError):  # the quote no longer matches the source: never answered from the index
        factcli.load(facts)


def test_a_racy_file_is_compared_by_content(facts, monkeypatch):
    """A file changed so soon after indexing that even its stat is the same: the content hash tells."""
    path = claim_file(facts, "kashmir-attack-killed-26")
    path.write_text(path.read_text())  # written just now: racy when indexed
    factcli.load(facts)
    stale_listing = index.scan.scan(str(facts))
    path.write_text(path.read_text().replace("killed 26", "killed 62"))
    monkeypatch.setattr(index.scan, "scan", lambda root: stale_listing)  # as if the stat had not changed
    with pytest.raises(FactBaseError):
        factcli.load(facts)


def test_an_added_file_is_read(facts, monkeypatch):
    factcli.load(facts)
    src = claim_file(facts, "kashmir-attack-killed-26")
    new = src.with_name("kashmir-attack-copy.yaml")
    new.write_text(src.read_text().replace("id: kashmir-attack-killed-26", "id: kashmir-attack-copy"))
    calls = count_parses(monkeypatch)
    fb = factcli.load(facts)
    assert fb.claim("kashmir-attack-copy") is not None
    assert len(calls) == 1
    same_answers(facts, QUERIES)


def test_a_removed_file_is_gone(facts):
    factcli.load(facts)
    claim_file(facts, "kashmir-attack-killed-26").unlink()
    fb = factcli.load(facts)
    assert fb.claim("kashmir-attack-killed-26") is None
    assert "kashmir-attack-killed-26" not in [c.id for c in fb.query()]
    same_answers(facts, QUERIES)


def test_a_touched_file_is_not_parsed_again(facts, monkeypatch):
    factcli.load(facts)
    path = claim_file(facts, "kashmir-attack-killed-26")
    later = time.time_ns() + 5_000_000_000
    os.utime(path, ns=(later, later))
    calls = count_parses(monkeypatch)
    fb = factcli.load(facts)
    assert calls == []
    assert fb.claim("kashmir-attack-killed-26") == plain(facts).claim("kashmir-attack-killed-26")
    same_answers(facts, QUERIES)


def test_a_changed_source_text_is_checked_against_the_claims_citing_it(facts):
    factcli.load(facts)
    text = facts / "sources" / "asif-welcomes-us-help.txt"
    text.write_text(text.read_text().replace("killed 26 people", "killed many people"))
    with pytest.raises(FactBaseError) as got:
        factcli.load(facts)
    with pytest.raises(FactBaseError) as want:
        plain(facts)
    assert got.value.problems == want.value.problems


def test_an_unchanged_fact_base_parses_nothing(facts, monkeypatch):
    factcli.load(facts)
    calls = count_parses(monkeypatch)
    sys.modules.pop("nothing", None)
    factcli.load(facts).query(actors=["pakistan"])
    assert calls == []


def test_the_warm_path_imports_no_yaml_rich_or_multiprocessing(facts):
    code = (
        "import sys, factcli; fb = factcli.load(sys.argv[1]); fb.query(actors=['pakistan'], limit=2);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'rich', 'multiprocessing', 'concurrent')))"
    )
    env = {**os.environ}
    subprocess.run([sys.executable, "-c", code, str(facts)], check=True, env=env, capture_output=True)
    out = subprocess.run([sys.executable, "-c", code, str(facts)], check=True, env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


def test_a_corrupt_index_falls_back_with_one_warning_then_is_rebuilt(facts):
    first = run_factcli("list", "--actor", "pakistan", "--json", "--facts", str(facts))
    assert first.returncode == 0 and first.stderr == ""
    path = index.index_path(facts)
    assert path.exists()
    path.write_bytes(b"this is not a database, it was overwritten by something" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    second = run_factcli("list", "--actor", "pakistan", "--json", "--facts", str(facts))
    assert second.returncode == 0
    assert second.stdout == first.stdout
    assert len(second.stderr.splitlines()) == 1 and "warning" in second.stderr and "corrupt" in second.stderr
    third = run_factcli("list", "--actor", "pakistan", "--json", "--facts", str(facts))
    assert third.stdout == first.stdout and third.stderr == ""


def test_an_unwritable_cache_falls_back_with_one_warning(facts, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    env = {index.CACHE_ENV: str(blocker / "cache")}
    want = run_factcli("list", "--json", "--facts", str(facts), env={index.NO_INDEX_ENV: "1"})
    for _ in range(2):
        got = run_factcli("list", "--json", "--facts", str(facts), env=env)
        assert got.returncode == 0 and got.stdout == want.stdout
        assert len(got.stderr.splitlines()) == 1 and "warning" in got.stderr


@pytest.mark.unprivileged
def test_a_read_only_cache_directory_falls_back_with_one_warning(facts, tmp_path):
    cache = tmp_path / "ro-cache"
    cache.mkdir()
    cache.chmod(0o500)
    try:
        want = run_factcli("list", "--json", "--facts", str(facts), env={index.NO_INDEX_ENV: "1"})
        got = run_factcli("list", "--json", "--facts", str(facts), env={index.CACHE_ENV: str(cache / "sub")})
        assert got.returncode == 0 and got.stdout == want.stdout
        assert len(got.stderr.splitlines()) == 1 and "warning" in got.stderr
    finally:
        cache.chmod(0o700)


def test_a_read_only_index_file_falls_back_with_one_warning(facts, monkeypatch):
    """An index that cannot be written (here: opened read-only by SQLite) is bypassed, answers stay right."""
    factcli.load(facts)
    path = claim_file(facts, "kashmir-attack-killed-26")
    path.write_text(path.read_text().replace("statement: ", "statement: Edited. "))
    real_connect = index.connection.sqlite3.connect

    def read_only(db, *args, **kw):
        return real_connect(f"file:{db}?mode=ro", *args, uri=True, **kw)

    monkeypatch.setattr(index.connection.sqlite3, "connect", read_only)
    fb = factcli.load(facts)
    assert not isinstance(fb, index.IndexedFactBase)
    assert fb.claim("kashmir-attack-killed-26").statement.startswith("Edited. ")


@pytest.mark.slow
def test_two_commands_at_once_both_answer_right(corpus):
    want = run_factcli("list", "--json", "--facts", str(corpus), env={index.NO_INDEX_ENV: "1"})
    for _ in range(2):  # cold, then after an edit
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "factcli", "list", "--json", "--facts", str(corpus)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            assert out == want.stdout
            assert err == ""
        first = sorted(corpus.glob("claims/*/*.yaml"))[0]
        later = time.time_ns() + 7_000_000_000
        os.utime(first, ns=(later, later))


@pytest.mark.slow
def test_an_invalid_fact_base_is_reported_exactly_as_without_the_index(facts):
    run_factcli("validate", "--facts", str(facts))  # a valid index exists first
    path = claim_file(facts, "kashmir-attack-killed-26")
    path.write_text(path.read_text().replace("claimant: ", "claimant: nobody-", 1) + "extra: field\n")
    (facts / "actors" / "actors.yaml").write_text(
        (facts / "actors" / "actors.yaml").read_text().replace("- pakistan-government", "- pakistan-govt", 1)
    )
    for command in (["validate"], ["list", "--json"], ["show", "kashmir-attack-killed-26"]):
        with_index = run_factcli(*command, "--facts", str(facts))
        without = run_factcli(*command, "--facts", str(facts), env={index.NO_INDEX_ENV: "1"})
        assert with_index.returncode == without.returncode == 1
        assert with_index.stderr == without.stderr
        assert with_index.stdout == without.stdout
        assert "unknown actor" in with_index.stderr


def test_a_fact_base_with_problems_is_never_stored(facts):
    path = claim_file(facts, "kashmir-attack-killed-26")
    path.write_text(path.read_text().replace("quote: ", "quote: not in the text ", 1))
    for _ in range(2):
        with pytest.raises(FactBaseError):
            factcli.load(facts)
    path.write_text(path.read_text().replace("quote: not in the text ", "quote: ", 1))
    same_answers(facts, QUERIES)


def test_no_index_when_turned_off(facts, cache, monkeypatch):
    monkeypatch.setenv(index.NO_INDEX_ENV, "1")
    fb = factcli.load(facts)
    assert not isinstance(fb, index.IndexedFactBase)
    assert not any(cache.iterdir())


def test_the_cache_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv(index.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert index.cache_dir() == tmp_path / "factcli"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert index.cache_dir() == Path.home() / ".cache" / "factcli"
    assert index.index_path("/a/b") != index.index_path("/a/c")


def test_index_and_loader_find_the_same_fact_base(monkeypatch, tmp_path):
    assert index.default_facts_dir() == loader.default_facts_dir() == SHIPPED
    monkeypatch.setenv(loader.FACTS_ENV, str(tmp_path))
    assert index.default_facts_dir() == loader.default_facts_dir() == tmp_path


def test_the_listing_matches_discover(facts):
    (facts / ".hidden").mkdir()
    (facts / ".hidden" / "x.yaml").write_text("a: 1\n")
    (facts / "claims" / ".swap.yaml").write_text("a: 1\n")
    (facts / "claims" / "notes.txt").write_text("x\n")
    listed = [entry[0] for entry in index.scan.scan(str(facts))]
    assert listed == [str(p.relative_to(facts)) for p in loader.discover(facts)]


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [x, 'y', \"z\"]\nc: {d: null, e: yes, f: 1.5, g: ~, h: 0x1F}\n",
        "a: &x 1\nb: *x\n",
        "a: 1\na: 2\n",
        "!!python/object/apply:os.system ['true']\n",
        "a: 2024-01-01\n",
        "? [1, 2]\n: x\n",
        "a: 1\n---\nb: 2\n",
        "",
        "a: [1\n",
        "yes: 1\n",
        "<<: {a: 1}\n",
        "a: '1'\nb: \"no\"\nc: .inf\nd: -0\ne: 1_000\n",
    ],
)
def test_the_fast_reader_agrees_with_yamlsafe_or_defers(text):
    from factcli.yamlsafe import YamlError, parse

    try:
        want = parse(text).value
    except YamlError:
        want = YamlError
    try:
        got = index.read.fast_value(text)
    except index.read._Defer:
        return  # yamlsafe.parse itself decides
    assert want is not YamlError and got == want and type(got) is type(want)


def test_racy_files_stop_being_hashed_once_old_enough(facts, monkeypatch):
    path = claim_file(facts, "kashmir-attack-killed-26")
    path.write_text(path.read_text())  # recent: racy when indexed
    fb = factcli.load(facts)
    assert index.connection.marshal.loads(fb._conn.execute("SELECT value FROM meta WHERE key = 'racy'").fetchone()[0])
    fb._conn.close()
    monkeypatch.setattr(index.scan, "RACY_NS", 0)  # as if three seconds had passed
    factcli.load(facts)
    fb = factcli.load(facts)
    assert (
        index.connection.marshal.loads(fb._conn.execute("SELECT value FROM meta WHERE key = 'racy'").fetchone()[0])
        == {}
    )
    same_answers(facts, QUERIES)


def test_an_index_of_another_format_is_replaced(facts):
    factcli.load(facts)
    import sqlite3

    conn = sqlite3.connect(index.index_path(facts))
    conn.execute(
        "UPDATE meta SET value = 'CREATE TABLE claims (id TEXT);' WHERE key = 'schema'"
    )  # written by another version
    conn.execute("DROP TABLE claims")
    conn.execute("CREATE TABLE claims (id TEXT)")
    conn.commit()
    conn.close()
    same_answers(facts, QUERIES)
    assert index.errors._warned is False


def test_trouble_inside_the_index_falls_back_with_one_warning(facts, monkeypatch, capsys):
    """If the loader's internals the index calls change shape, factcli still answers, from the YAML."""

    def changed_shape(*args):
        raise AttributeError("module 'factcli.loader' has no attribute '_build_claims'")

    monkeypatch.setattr(index.update, "check_claims", changed_shape)
    fb = factcli.load(facts)
    assert not isinstance(fb, index.IndexedFactBase)
    assert fb.claims == plain(facts).claims
    assert capsys.readouterr().err.count("warning") == 1


# --- the line-by-line reader: the same values as yamlsafe.parse, or it steps aside -----------------

QUICK_VALUES = [
    "1",
    "yes",
    "No",
    "null",
    "~",
    "1.5",
    ".inf",
    "-.inf",
    ".NaN",
    "0x1F",
    "010",
    "0b11",
    "1_000",
    "-3",
    "+4",
    "1e3",
    "12:30:00",
    "2020-01-01",
    "'2020-01-01'",
    "'it''s'",
    "'it's'",
    '"quoted: yes"',
    '"esc\\\\aped"',
    '"a" b',
    "'x' # comment",
    "India's strikes",
    "x #not a comment",
    "x # a comment",
    "a: b",
    "a:b",
    "ends:",
    "-",
    "- b",
    "? b",
    "%x",
    "@x",
    "`x",
    '"unterminated',
    "'unterminated",
    "[1, 2]",
    "{c: d}",
    "|",
    ">",
    "&x 1",
    "*x",
    "!!str 1",
    "!x y",
    "b \t",
    "=",
    "<<",
    "x, y",
    "x]",
    "'\u00e9\u2019 \U0001f600'",
    '""',
    "''",
    "é",
    "y",
    "n",
    "off",
    "TRUE",
    "Null",
    "0o17",
    "1:2",
    " x",
    "  x",
    "http://x.invalid/a#b",
    "a - b",
    "x:",
    "x :",
    "-1",
    "- ",
    "#x",
]
QUICK_CASES = (
    [f"a: {v}\n" for v in QUICK_VALUES]
    + [f"- {v}\n" for v in QUICK_VALUES]
    + [
        "a: 1\nb: yes\nc: null\nd:\n",
        "-  x\n-   y: 1\n    z: 2\n",
        "- a: 1\n  b:\n  - x\n",
        "a:\n    - b\n    -\n      c: 1\n",
        "a: 1\n# c\n  # d\nb: 2 # e\n",
        "a:\n- x\n- y\n",  # an indentless sequence
        "a:\n  - x\n  -\n  - - y\n",
        "a:\n  - b: 1\n    c: 2\n  -   d: 3\n      e: 4\n  - f: 5\n     g: 6\n",
        "a: first\n  continued\nb: 2\n",
        "a: 1\na: 2\n",
        "yes: 1\n",
        "on: 1\nnull: 2\n1: 3\n",
        "a: [1, 2]\nb: {c: d}\n",
        "a: |\n  text\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "--- \na: 1\n",
        "---\na: 1\n...\n",
        "a: 1\n---\nb: 2\n",
        "a:\tb\n",
        "a: b\r\nc: d\r\n",
        "a: b\x85c\n",
        "a: b \n",
        "\ufeffa: b\n",
        "  a: 1\n  b: 2\n",
        "a: 1\n b: 2\n",
        "- a\n- b\n",
        "just text\n",
        "",
        "# only a comment\n",
        "a:\n  b:\n    c:\n      - d: 2020-01-01\n",
        "a: 2020-01-01\n",
        "a: '2020-01-01'\n",
        "a: 12:30:00\n",
        "a: -\n",
        "a: - b\n",
        "a: ? b\n",
        "a: %x\n",
        "a: @x\n",
        "a: `x\n",
        'a: "unterminated\n',
        "a: 'unterminated\n",
        "a: b\n\n\n# trailing\n",
        "a: '\u00e9\u2019 \U0001f600'\n",
        "a: \"\"\nb: ''\n",
        "claims:\n  - id: x\n    figures:\n      - value: null\n        qualifier: unspecified\n    topics:\n      - a\n  - id: y\n",
    ]
)


@pytest.mark.parametrize("text", QUICK_CASES)
def test_quick_reader_agrees_with_the_safe_parser_or_defers(text):
    from factcli.yamlsafe import YamlError, parse

    try:
        quick = index.read.quick_value(text)
    except index.read._Defer:
        return
    try:
        expected = parse(text).value
    except YamlError as exc:
        pytest.fail(f"quick_value read {quick!r} where parse reports {exc.message}")
    assert repr(quick) == repr(expected)


@pytest.mark.slow
def test_quick_reader_reads_the_shapes_factcli_writes(corpus, story):
    from factcli.yamlsafe import parse

    files = [*story.rglob("*.yaml"), *corpus.rglob("*.yaml")]
    per_article = corpus.parent / "per-article"
    make_corpus.make_corpus(120, per_article, seed=4, layout="per-article")
    files += list(per_article.rglob("*.yaml"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert repr(index.read.quick_value(text)) == repr(parse(text).value), path


@pytest.mark.slow
def test_a_claim_moved_to_another_source_or_to_an_unknown_one(corpus, tmp_path):
    # A small update reads back only the sources the changed claims cite: citing another
    # existing source must still be right, and citing a missing one the loader's error.
    root = tmp_path / "facts"
    shutil.copytree(corpus, root)
    factcli.load(root)
    ref = plain(root)
    a, b = ref.claims[0], next(c for c in ref.claims if c.source.id != ref.claims[0].source.id)
    path = Path(a.path)
    path = path if path.is_absolute() else Path.cwd() / path
    text = Path(b.path).read_text(encoding="utf-8").replace(f"id: {b.id}\n", f"id: {a.id}\n", 1)
    path.write_text(text, encoding="utf-8")
    fb = factcli.load(root)
    assert isinstance(fb, index.IndexedFactBase)
    assert fb.claim(a.id).source == b.source
    assert fb.claims == plain(root).claims
    path.write_text(text.replace(f"  id: {b.source.id}\n", "  id: no-such-source\n", 1), encoding="utf-8")
    with pytest.raises(FactBaseError) as got:
        factcli.load(root)
    with pytest.raises(FactBaseError) as want:
        plain(root)
    assert str(got.value) == str(want.value) and "unknown source 'no-such-source'" in str(got.value)


# --- a changed actors or source file: only what depends on it is checked again -----------------------


def corpus_copy(corpus, tmp_path) -> Path:
    root = tmp_path / "facts"
    shutil.copytree(corpus, root)
    factcli.load(root)  # a fresh index to update
    return root


def same_problems(root) -> list:
    with pytest.raises(FactBaseError) as got:
        factcli.load(root)
    with pytest.raises(FactBaseError) as want:
        plain(root)
    assert got.value.problems == want.value.problems
    return got.value.problems


def without_actor(root: Path, actor_id: str) -> None:
    """Take ``actor_id``'s entry out of its actors file (entries are blank-line separated)."""
    ref = plain(root)
    path = Path(ref.actors[actor_id].path)
    path = path if path.is_absolute() else Path.cwd() / path
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    kept = [b for b in blocks if f"- id: {actor_id}\n" not in b + "\n"]
    assert len(kept) == len(blocks) - 1
    path.write_text("\n\n".join(kept), encoding="utf-8")


def leaves(fb, ids):
    parents = {p for a in fb.actors.values() for p in a.part_of}
    return sorted(set(ids) - parents)


def count_quote_checks(monkeypatch) -> list:
    monkeypatch.setattr(index.scan, "RACY_NS", 0)  # as if the copied files were old: none is racy
    calls = []
    real = validate.check_quotes
    monkeypatch.setattr(
        validate, "check_quotes", lambda located, *a, **k: calls.append(located.record.id) or real(located, *a, **k)
    )
    return calls


@pytest.mark.slow
def test_removing_an_actor_an_unchanged_claim_names_is_an_error(corpus, tmp_path):
    root = corpus_copy(corpus, tmp_path)
    ref = plain(root)
    without_actor(root, leaves(ref, [c.claimant for c in ref.claims])[0])
    assert any("unknown actor" in p.message and p.field.endswith("claimant") for p in same_problems(root))


@pytest.mark.slow
def test_removing_an_actor_who_only_disputes_is_an_error(corpus, tmp_path):
    root = corpus_copy(corpus, tmp_path)
    ref = plain(root)
    disputers = {d.by for c in ref.claims for d in c.disputes} - {c.claimant for c in ref.claims}
    without_actor(root, leaves(ref, disputers)[0])
    problems = same_problems(root)
    assert problems and all(p.field.endswith("by") for p in problems if "unknown actor" in p.message)


@pytest.mark.slow
def test_an_actor_cycle_in_a_changed_actors_file_is_an_error(corpus, tmp_path):
    root = corpus_copy(corpus, tmp_path)
    path = root / "actors" / "yorvia.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "  - id: yorvia\n    name: Yorvia\n",
            "  - id: yorvia\n    name: Yorvia\n    part_of:\n      - yorvia-government\n",
            1,
        ),
        encoding="utf-8",
    )
    assert any("part of itself" in p.message for p in same_problems(root))


@pytest.mark.slow
def test_a_harmless_actor_edit_checks_no_quote_again(corpus, tmp_path, monkeypatch):
    root = corpus_copy(corpus, tmp_path)
    path = root / "actors" / "yorvia.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("name: Yorvia\n", "name: Republic of Yorvia\n", 1), encoding="utf-8"
    )
    calls = count_quote_checks(monkeypatch)
    fb = factcli.load(root)
    assert isinstance(fb, index.IndexedFactBase) and calls == []
    assert fb.actors["yorvia"].name == "Republic of Yorvia"
    same_answers(root, [{"actors": ["Republic of Yorvia"]}])


@pytest.mark.slow
def test_a_changed_source_text_checks_only_the_claims_that_cite_it(corpus, tmp_path, monkeypatch):
    root = corpus_copy(corpus, tmp_path)
    ref = plain(root)
    source = ref.sources[ref.claims[0].source.id]
    text = root / "sources" / f"{source.id}.txt"
    text.write_text(text.read_text(encoding="utf-8") + "\nA sentence added at the end.\n", encoding="utf-8")
    calls = count_quote_checks(monkeypatch)
    fb = factcli.load(root)
    assert isinstance(fb, index.IndexedFactBase)
    assert sorted(calls) == sorted(c.id for c in ref.claims if c.source.id == source.id)
    assert len(calls) < len(ref.claims)
    assert fb.sources[source.id].text.endswith("A sentence added at the end.\n")


@pytest.mark.slow
def test_a_source_text_that_loses_an_unchanged_claims_quote_is_an_error(corpus, tmp_path):
    root = corpus_copy(corpus, tmp_path)
    ref = plain(root)
    claim = next(c for c in ref.claims if c.source.id != ref.claims[0].source.id)
    text = root / "sources" / f"{claim.source.id}.txt"
    text.write_text(
        text.read_text(encoding="utf-8").replace(claim.source.quote, claim.source.quote.upper(), 1), encoding="utf-8"
    )
    assert any(p.message.startswith("quote is not found") for p in same_problems(root))


@pytest.mark.slow
def test_a_renamed_source_section_is_an_error_for_the_claims_in_it(corpus, tmp_path):
    root = corpus_copy(corpus, tmp_path)
    ref = plain(root)
    claim = ref.claims[-1]
    yaml_file, text = root / "sources" / f"{claim.source.id}.yaml", root / "sources" / f"{claim.source.id}.txt"
    section = claim.source.section
    yaml_file.write_text(
        yaml_file.read_text(encoding="utf-8").replace(f"- {section}\n", f"- {section} Renamed\n", 1), encoding="utf-8"
    )
    text.write_text(
        text.read_text(encoding="utf-8").replace(f"\n{section}:\n", f"\n{section} Renamed:\n", 1), encoding="utf-8"
    )
    assert any("has no section" in p.message for p in same_problems(root))


@pytest.mark.slow
def test_a_source_whose_id_changes_leaves_its_claims_citing_nothing(corpus, tmp_path):
    root = corpus_copy(corpus, tmp_path)
    ref = plain(root)
    old = ref.claims[0].source.id
    for suffix in (".yaml", ".txt"):
        (root / "sources" / f"{old}{suffix}").rename(root / "sources" / f"{old}-renamed{suffix}")
    yaml_file = root / "sources" / f"{old}-renamed.yaml"
    yaml_file.write_text(
        yaml_file.read_text(encoding="utf-8")
        .replace(f"id: {old}\n", f"id: {old}-renamed\n")
        .replace(f"text: {old}.txt", f"text: {old}-renamed.txt"),
        encoding="utf-8",
    )
    assert any(f"unknown source '{old}'" in str(p) for p in same_problems(root))


@pytest.mark.slow
def test_a_large_update_that_adds_files_keeps_every_unchanged_claim(corpus, tmp_path):
    # As many files changed or added as the index holds (the bulk path), yet half of those it
    # holds are unchanged: their claims must survive.
    root = corpus_copy(corpus, tmp_path)
    files = sorted((root / "claims").rglob("*.yaml"))
    half = len(files) // 2
    assert len(files) >= index.update.BULK_FILES
    for path in files[:half]:
        path.write_text(
            path.read_text(encoding="utf-8").replace("statement: ", "statement: Edited. ", 1), encoding="utf-8"
        )
    for path in files[half:]:
        new_id = f"{path.stem}-copy"
        (path.parent / f"{new_id}.yaml").write_text(
            path.read_text(encoding="utf-8").replace(f"id: {path.stem}\n", f"id: {new_id}\n", 1), encoding="utf-8"
        )
    fb = factcli.load(root)
    assert isinstance(fb, index.IndexedFactBase)
    assert len(fb.claims) == 2 * len(files) - half
    same_answers(root, [{}, {"disputed": True}, {"sort": "claimant", "limit": 30}])


def count_sources_built(monkeypatch) -> list:
    monkeypatch.setattr(index.scan, "RACY_NS", 0)  # as if the copied files were old: none is racy
    built = []
    real = validate.build_sources
    monkeypatch.setattr(
        validate,
        "build_sources",
        lambda files, report, within: (
            built.extend(os.path.basename(path) for _, _, path in files) or real(files, report, within)
        ),
    )
    return built


@pytest.mark.slow
def test_a_changed_source_file_is_the_only_source_built_again(corpus, tmp_path, monkeypatch):
    root = corpus_copy(corpus, tmp_path)
    source = sorted((root / "sources").glob("*.yaml"))[1]
    source.write_text(source.read_text(encoding="utf-8").replace('title: "', 'title: "Updated ', 1), encoding="utf-8")
    built = count_sources_built(monkeypatch)
    fb = factcli.load(root)
    assert isinstance(fb, index.IndexedFactBase)
    assert built == [source.name]
    assert fb.sources[source.stem].title.startswith("Updated ")
    same_answers(root, [{}, {"source": source.stem}])


@pytest.mark.slow
def test_a_new_article_builds_only_its_own_source(corpus, tmp_path, monkeypatch):
    root = corpus_copy(corpus, tmp_path)
    ref = plain(root)
    old = ref.claims[0].source.id
    new = f"{old}-follow-up"
    for suffix in (".yaml", ".txt"):
        text = (root / "sources" / f"{old}{suffix}").read_text(encoding="utf-8")
        (root / "sources" / f"{new}{suffix}").write_text(
            text.replace(f"id: {old}\n", f"id: {new}\n").replace(f"text: {old}.txt", f"text: {new}.txt"),
            encoding="utf-8",
        )
    claim = ref.claims[0]
    path = Path(claim.path)
    path = path if path.is_absolute() else Path.cwd() / path
    (path.parent / f"{claim.id}-follow-up.yaml").write_text(
        path.read_text(encoding="utf-8")
        .replace(f"id: {claim.id}\n", f"id: {claim.id}-follow-up\n", 1)
        .replace(f"  id: {old}\n", f"  id: {new}\n", 1),
        encoding="utf-8",
    )
    built = count_sources_built(monkeypatch)
    fb = factcli.load(root)
    assert isinstance(fb, index.IndexedFactBase)
    assert built == [f"{new}.yaml"]
    assert fb.claim(f"{claim.id}-follow-up").source.id == new
    same_answers(root, [{}, {"source": new}, {"source": old}])


@pytest.mark.slow
def test_a_removed_article_goes_with_its_claims(corpus, tmp_path):
    root = corpus_copy(corpus, tmp_path)
    ref = plain(root)
    gone = ref.claims[-1].source.id
    for suffix in (".yaml", ".txt"):
        (root / "sources" / f"{gone}{suffix}").unlink()
    for c in ref.claims:
        if c.source.id == gone:
            (Path(c.path) if Path(c.path).is_absolute() else Path.cwd() / c.path).unlink()
    fb = factcli.load(root)
    assert isinstance(fb, index.IndexedFactBase)
    assert gone not in fb.sources
    same_answers(root, [{}, {"disputed": True}])


# --- found by a review: races with a save, coarse clocks, limits ---------------------------------------


def test_a_text_saved_during_an_update_is_not_hidden_behind_its_new_stat(facts, monkeypatch):
    # Two sources share a text; one is built again (its file changed), the other is taken from the
    # index. The text is saved between the update's first look and its read: the next command
    # must see the change, not the newer stat recorded against the old words.
    monkeypatch.setattr(index.scan, "RACY_NS", 0)
    main = facts / "sources" / "asif-welcomes-us-help.yaml"
    other = facts / "sources" / "second-look.yaml"
    other.write_text(
        main.read_text(encoding="utf-8").replace("id: asif-welcomes-us-help", "id: second-look"), encoding="utf-8"
    )
    factcli.load(facts)
    other.write_text(other.read_text(encoding="utf-8").replace("title: ", "title: Again ", 1), encoding="utf-8")
    text = facts / "sources" / "asif-welcomes-us-help.txt"
    real = index.update._text_rel

    def save_meanwhile(root, rel, value):
        if rel.endswith("second-look.yaml") and str(value.get("title", "")).startswith("Again "):
            text.write_text(
                text.read_text(encoding="utf-8").replace("electronic warfare", "electric warfare"), encoding="utf-8"
            )
        return real(root, rel, value)

    monkeypatch.setattr(index.update, "_text_rel", save_meanwhile)
    factcli.load(facts)  # the update during which the text is saved
    monkeypatch.setattr(index.update, "_text_rel", real)
    assert any("quote is not found" in p.message for p in same_problems(facts))


def test_a_file_saved_again_while_it_is_read_keeps_no_stale_value(facts, monkeypatch):
    # The row's hash must be of the bytes that were parsed, not of a second read.
    monkeypatch.setattr(index.scan, "RACY_NS", 0)
    factcli.load(facts)
    actors = facts / "actors" / "actors.yaml"
    original = actors.read_text(encoding="utf-8")
    actors.write_text(original.replace("name: Pakistan\n", "name: Pakistan!\n"), encoding="utf-8")
    real = index.read.read_value

    def save_meanwhile(data):
        value = real(data)
        if b"Pakistan!" in data:  # the editor saves again, the same size
            actors.write_text(original.replace("name: Pakistan\n", "name: Pakistan?\n"), encoding="utf-8")
        return value

    monkeypatch.setattr(index.read, "read_value", save_meanwhile)
    factcli.load(facts)
    monkeypatch.setattr(index.read, "read_value", real)
    fb = factcli.load(facts)
    assert fb.actors["pakistan"].name == plain(facts).actors["pakistan"].name == "Pakistan?"


def test_a_same_stat_edit_on_a_coarse_clock_is_seen(facts, monkeypatch):
    # On a file system with coarse times (FAT: 2 s), two same-size edits in one tick keep the
    # stat. The file was racy when the index was written, so it is compared by content until
    # an update clears it, however old its stat looks by then.
    tick, racy = 400_000_000, 600_000_000
    monkeypatch.setattr(index.scan, "RACY_NS", racy)
    scan, stat_deps = index.scan.scan, index.scan.stat_deps

    def floor(t: int) -> int:
        return t // tick * tick

    monkeypatch.setattr(
        index.scan, "scan", lambda root: [(r, s, floor(m), floor(c), *ident) for r, s, m, c, *ident in scan(root)]
    )
    monkeypatch.setattr(
        index.scan,
        "stat_deps",
        lambda root, deps: [(r, s, floor(m), floor(c), *ident) for r, s, m, c, *ident in stat_deps(root, deps)],
    )
    path = claim_file(facts, "asif-electronic-warfare")
    good = path.read_text(encoding="utf-8")
    bad = good.replace("as well as using electronic", "as well as using electrunic")
    assert len(bad) == len(good)
    while time.time_ns() % tick > tick // 4:
        time.sleep(0.005)
    start = time.time_ns()
    path.write_text(good.replace("Pakistan used", "Pakistan USED"), encoding="utf-8")
    factcli.load(facts)  # written with the file racy
    path.write_text(bad, encoding="utf-8")  # the same size, within the same tick
    if floor(time.time_ns()) != floor(start):
        pytest.skip("the machine was too slow to edit twice within one tick")
    time.sleep((floor(start) + racy + tick - time.time_ns()) / 1e9)  # old enough not to look recent
    assert any("quote is not found" in p.message for p in same_problems(facts))


def test_a_fact_file_over_the_limit_is_refused_with_the_index_too(facts, monkeypatch, capsys):
    factcli.load(facts)
    monkeypatch.setattr(index.update, "MAX_FACT_FILE", 300)
    monkeypatch.setattr(loader, "MAX_FACT_FILE", 300)
    path = claim_file(facts, "india-struck-nine-sites")
    path.write_text(path.read_text(encoding="utf-8") + "# padding\n" * 40, encoding="utf-8")
    problems = same_problems(facts)
    assert any(
        p.message.startswith("file is too large") and p.file.endswith("india-struck-nine-sites.yaml") for p in problems
    )
    assert "warning" not in capsys.readouterr().err


def test_a_duplicate_claim_id_in_a_new_file_is_reported_without_a_warning(facts):
    run_factcli("validate", "--facts", str(facts))
    copy = facts / "claims" / "copy" / "india-struck-nine-sites.yaml"
    copy.parent.mkdir()
    copy.write_text(claim_file(facts, "india-struck-nine-sites").read_text(encoding="utf-8"), encoding="utf-8")
    done = run_factcli("validate", "--facts", str(facts))
    assert done.returncode == 1
    assert "duplicate claim id 'india-struck-nine-sites'" in done.stderr and "warning" not in done.stderr


def test_a_folder_that_cannot_be_listed_is_reported_not_skipped(facts, monkeypatch):
    # (Root can list any folder, so the refusal is simulated for both readers alike.)
    factcli.load(facts)
    locked = str(facts / "claims" / "asif-welcomes-us-help")
    real = os.scandir

    def scandir(target="."):
        where = os.readlink(f"/proc/self/fd/{target}") if isinstance(target, int) else os.fspath(target)
        if os.path.realpath(where) == os.path.realpath(locked):
            raise PermissionError(13, "Permission denied", where)
        return real(target)

    monkeypatch.setattr(os, "scandir", scandir)
    assert any("cannot list folder" in p.message for p in same_problems(facts))
