"""The index's cache is private and never trusted blindly (issue 10, items 2, 3 and 11).

Another user who can write the cache could plant an index that makes ``show`` print a
statement no fact file holds; a symlink or FIFO in place of an index file must never be
written through; an index copies a private fact base, so it is kept 0600 in a 0700
directory under a name that does not spell out the fact base's path; and a user with no
home directory runs without an index rather than crashing.

Tests run as root (locally and in CI): another user's files are made by chowning to
``OTHER_UID``. CI also runs the tests marked ``unprivileged`` as an unprivileged user.
"""

from __future__ import annotations

import json
import marshal
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from factbases import copy_factbase
from running import factcli_executable, run_factcli

import factcli
from factcli import index, model
from factcli.cli import app
from factcli.index import errors, scan, update  # noqa: F401 (their names are used below)

CLAIM = "kashmir-attack-killed-26"
REAL = "The terrorist attack in Kashmir killed 26 people"
PLANTED = "PLANTED-BY-ANOTHER-USER"
OTHER_UID = 65534  # nobody
NO_PASSWD_UID = 54321  # a uid with no passwd entry, as in many containers
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
as_root = pytest.mark.skipif(not IS_ROOT, reason="needs root to chown to another user or to setuid")


@pytest.fixture(autouse=True)
def fresh_warning(monkeypatch):
    monkeypatch.setattr(index.errors, "_warned", False)
    monkeypatch.delenv(index.NO_INDEX_ENV, raising=False)


@pytest.fixture()
def facts(story_copy: Path) -> Path:
    return story_copy


@pytest.fixture()
def cache(tmp_path: Path) -> Path:
    path = tmp_path / "cache"
    path.mkdir(mode=0o700)
    return path


def show(facts: Path, cache: Path | str, **kw) -> subprocess.CompletedProcess:
    return run_factcli("show", CLAIM, "--json", "--facts", str(facts), env={index.CACHE_ENV: str(cache)}, **kw)


def statement(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["statement"]


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "warning" in line]


def the_index(cache: Path) -> Path:
    (found,) = [p for p in cache.iterdir() if p.name.endswith(".sqlite3")]
    return found


def plant(facts: Path, cache: Path) -> Path:
    """Build a real index, then change one claim's statement in it, as another user could."""
    assert statement(show(facts, cache)).startswith(REAL)
    db = the_index(cache)
    conn = sqlite3.connect(db)
    with conn:
        (record,) = conn.execute("SELECT record FROM claims WHERE id = ?", (CLAIM,)).fetchone()
        planted = model.to_plain(model.from_plain(model.Claim, marshal.loads(record))._replace(statement=PLANTED))
        assert conn.execute("UPDATE claims SET record = ? WHERE id = ?", (marshal.dumps(planted), CLAIM)).rowcount == 1
    conn.close()
    # The planted index is one factcli would answer from, were the cache trusted: the control.
    done = show(facts, cache)
    assert statement(done) == PLANTED and done.stderr == ""
    return db


def assert_answers_from_the_yaml(done: subprocess.CompletedProcess, why: str) -> None:
    assert done.returncode == 0, done.stderr
    assert statement(done).startswith(REAL)
    assert PLANTED not in done.stdout + done.stderr
    assert len(warnings(done.stderr)) == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    assert why in done.stderr and "reading the YAML files directly" in done.stderr
    assert "Traceback" not in done.stderr


# --- item 2: the cache is trusted only when it is the user's alone --------------------------------


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o1777], ids=["group-writable", "other-writable", "like-tmp"])
def test_a_planted_index_in_a_cache_others_can_write_is_not_used(facts, cache, mode):
    plant(facts, cache)
    cache.chmod(mode)
    for _ in range(2):  # and it stays unused: nothing is rewritten into a shared directory
        assert_answers_from_the_yaml(show(facts, cache), "can be written by other users")


@as_root
def test_a_planted_index_in_a_cache_directory_of_another_user_is_not_used(facts, cache):
    plant(facts, cache)
    os.chown(cache, OTHER_UID, OTHER_UID)
    assert_answers_from_the_yaml(show(facts, cache), "belongs to another user")


@as_root
def test_a_planted_index_file_of_another_user_is_not_used(facts, cache):
    db = plant(facts, cache)
    os.chown(db, OTHER_UID, OTHER_UID)
    assert_answers_from_the_yaml(show(facts, cache), "belongs to another user")


def test_an_index_file_others_can_write_is_not_used(facts, cache):
    db = plant(facts, cache)
    db.chmod(0o666)
    assert_answers_from_the_yaml(show(facts, cache), "can be written by other users")


def test_the_shared_tmp_directory_itself_is_not_used_as_a_cache(facts, tmp_path):
    """``FACTCLI_CACHE_DIR=/tmp``: root's, and everyone's to write."""
    shared = Path(tempfile.gettempdir())
    if not shared.stat().st_mode & stat.S_IWOTH:
        pytest.skip(f"{shared} is not world-writable here")
    before = set(os.listdir(shared))
    done = show(facts, shared)
    assert_answers_from_the_yaml(done, str(shared))
    assert {n for n in set(os.listdir(shared)) - before if n.endswith(".sqlite3")} == set()


@pytest.mark.parametrize("mode", [0o777, 0o770], ids=["other-writable", "group-writable"])
def test_a_cache_inside_a_folder_others_can_write_is_not_used(facts, tmp_path, mode):
    """Whoever can write the folder above could swap the cache directory for one of theirs."""
    shared = tmp_path / "shared"
    cache = shared / "cache"
    cache.mkdir(parents=True, mode=0o700)
    plant(facts, cache)
    shared.chmod(mode)
    assert_answers_from_the_yaml(show(facts, cache), f"is inside {shared}")


def test_a_cache_inside_a_sticky_shared_folder_is_used(facts, tmp_path):
    """As under /tmp: the sticky bit keeps others from renaming the user's own directory."""
    shared = tmp_path / "shared"
    cache = shared / "cache"
    cache.mkdir(parents=True, mode=0o700)
    shared.chmod(0o1777)
    done = show(facts, cache)
    assert statement(done).startswith(REAL) and done.stderr == ""
    assert the_index(cache).exists()


@as_root
def test_a_cache_inside_a_folder_of_another_user_is_not_used(facts, tmp_path):
    shared = tmp_path / "theirs"
    cache = shared / "cache"
    cache.mkdir(parents=True, mode=0o700)
    plant(facts, cache)
    os.chown(shared, OTHER_UID, OTHER_UID)
    assert_answers_from_the_yaml(show(facts, cache), f"is inside {shared}")


def test_a_planted_index_in_a_shared_cache_cannot_make_validate_say_ok(facts, cache):
    """A forged index that claims to be fresh for a broken fact base: validate still reports it."""
    assert run_factcli("validate", "--facts", str(facts), env={index.CACHE_ENV: str(cache)}).returncode == 0
    claim = facts / "claims" / "asif-welcomes-us-help" / f"{CLAIM}.yaml"
    text = claim.read_text()
    claim.write_text(text.replace("quote: ", "quote: Words the source never said. ", 1))
    db = the_index(cache)
    conn = sqlite3.connect(db)
    with conn:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        deps = marshal.loads(meta["deps"])
        listing = (index.scan.scan(str(facts)), index.scan.stat_deps(str(facts), deps))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'listing'", (marshal.dumps(listing),))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'racy'", (marshal.dumps({}),))
    conn.close()
    env = {index.CACHE_ENV: str(cache)}
    # The control: in the user's own cache, the forgery passes (the index is trusted there).
    assert run_factcli("validate", "--facts", str(facts), env=env).returncode == 0
    cache.chmod(0o777)
    done = run_factcli("validate", "--facts", str(facts), env=env)
    assert done.returncode != 0
    assert f"{CLAIM}.yaml" in done.stderr and "Traceback" not in done.stderr
    assert len(warnings(done.stderr)) == 1 and "can be written by other users" in done.stderr


def test_a_planted_index_is_not_used_through_the_runner_either(facts, cache, runner, monkeypatch):
    plant(facts, cache)
    cache.chmod(0o777)
    monkeypatch.setenv(index.CACHE_ENV, str(cache))
    result = runner.invoke(app, ["show", CLAIM, "--facts", str(facts)], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert REAL in result.output and PLANTED not in result.output
    assert result.output.count("warning") == 1 and "can be written by other users" in result.output


# --- item 2: never written through a symlink, a FIFO or anything but a file -------------------


def index_name(facts: Path, cache: Path, monkeypatch) -> Path:
    monkeypatch.setenv(index.CACHE_ENV, str(cache))
    return index.index_path(facts)


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_a_dangling_symlink_in_place_of_an_index_file_is_never_written_through(
    facts, cache, tmp_path, monkeypatch, suffix
):
    target = tmp_path / "elsewhere" / "victim"
    target.parent.mkdir()
    link = Path(f"{index_name(facts, cache, monkeypatch)}{suffix}")
    link.symlink_to(target)
    for _ in range(2):
        done = show(facts, cache)
        assert not os.path.lexists(target)
        assert link.is_symlink() and os.readlink(link) == str(target)
        assert_answers_from_the_yaml(done, "symbolic link")


@pytest.mark.parametrize("content", [b"", b"someone's precious file\n"], ids=["empty", "text"])
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_a_symlink_to_a_file_elsewhere_is_never_written_through(facts, cache, tmp_path, monkeypatch, content, suffix):
    target = tmp_path / "elsewhere" / "victim"
    target.parent.mkdir()
    target.write_bytes(content)
    before = target.stat()
    link = Path(f"{index_name(facts, cache, monkeypatch)}{suffix}")
    link.symlink_to(target)
    done = show(facts, cache)
    assert target.read_bytes() == content
    after = target.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert link.is_symlink()
    assert_answers_from_the_yaml(done, "symbolic link")


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_a_fifo_in_place_of_an_index_file_neither_hangs_nor_is_written(facts, cache, monkeypatch, suffix):
    fifo = Path(f"{index_name(facts, cache, monkeypatch)}{suffix}")
    os.mkfifo(fifo, 0o600)
    done = show(facts, cache)  # run_factcli gives up after 60 s: a hang fails the test
    assert_answers_from_the_yaml(done, "not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_directory_in_place_of_the_index_is_left_alone(facts, cache, monkeypatch):
    folder = index_name(facts, cache, monkeypatch)
    folder.mkdir()
    (folder / "keep").write_text("mine")
    assert_answers_from_the_yaml(show(facts, cache), "index")
    assert (folder / "keep").read_text() == "mine"


# --- item 3: private fact bases stay private -----------------------------------------------------


def test_the_cache_is_created_0700_and_the_index_0600_even_with_umask_000(facts, tmp_path):
    cache = tmp_path / "new" / "nested" / "cache"
    done = show(facts, cache, umask=0)
    assert statement(done).startswith(REAL) and done.stderr == ""
    for folder in (tmp_path / "new", tmp_path / "new" / "nested", cache):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    files = list(cache.iterdir())
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files), files


def test_sqlite_side_files_are_0600_even_with_umask_000(facts, tmp_path, monkeypatch):
    """-wal and -shm exist while a command holds the index open: look at them then."""
    cache = tmp_path / "cache"
    monkeypatch.setenv(index.CACHE_ENV, str(cache))
    old = os.umask(0)
    try:
        fb = factcli.load(facts)
        fb.claim(CLAIM)
        assert isinstance(fb, index.IndexedFactBase)
        names = sorted(p.name for p in cache.iterdir())
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in cache.iterdir()}
    finally:
        os.umask(old)
    assert any(n.endswith("-wal") for n in names) and any(n.endswith("-shm") for n in names), names
    assert set(modes.values()) == {0o600}, modes
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_an_existing_index_file_of_the_user_is_made_0600(facts, cache):
    show(facts, cache)
    db = the_index(cache)
    db.chmod(0o644)
    done = show(facts, cache)
    assert statement(done).startswith(REAL) and done.stderr == ""
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_the_index_file_name_does_not_spell_out_the_fact_base_path(story, tmp_path, cache):
    facts = copy_factbase(story, tmp_path / "Panama-leaks-investigation" / "whistleblower-notes")
    assert statement(show(facts, cache)).startswith(REAL)
    (name,) = os.listdir(cache)
    parts = [p for p in Path(os.path.realpath(facts)).parts if p != "/"]
    for part in parts + ["Panama", "leaks", "whistleblower"]:
        assert part.lower() not in name.lower(), (part, name)


def test_two_fact_bases_get_two_indexes(story, tmp_path, cache):
    for name in ("a", "b"):
        copy_factbase(story, tmp_path / name)
        assert statement(show(tmp_path / name, cache)).startswith(REAL)
    assert len([n for n in os.listdir(cache) if n.endswith(".sqlite3")]) == 2


# --- item 11: no home directory ------------------------------------------------------------------


def env_without_home() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_CACHE_HOME", index.CACHE_ENV)}


@pytest.fixture()
def readable_facts(story):
    """A copy of the story fact base another uid can read (pytest's tmp_path is root's alone)."""
    top = Path(tempfile.mkdtemp(prefix="factcli-nohome-"))
    top.chmod(0o755)
    dest = copy_factbase(story, top / "facts")
    for folder, _dirs, files in os.walk(dest):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    yield dest
    shutil.rmtree(top, ignore_errors=True)


def assert_no_index_one_warning(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert statement(done).startswith(REAL)
    assert len(done.stderr.splitlines()) == 1 and "warning" in done.stderr, done.stderr
    assert "reading the YAML files directly" in done.stderr


# Where the interpreter is root's alone (e.g. under /root/.pyenv), the uid cannot exec it: the
# command is then run once as root (so that every module it needs is imported), and again,
# from the same process, after setuid.
AFTER_SETUID = """
import contextlib, io, os, sys
from factcli import index, loader  # the loader too: the answer after setuid reads the YAML, and the
from factcli.__main__ import main  # source tree may be closed to the uid (a clone in a 0700 folder)
args = sys.argv[1:]
uid = int(os.environ.pop("NO_PASSWD_UID"))
os.environ[index.CACHE_ENV] = os.environ.pop("WARM_CACHE")
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    sys.argv = ["factcli", *args]
    main()
del os.environ[index.CACHE_ENV]
index.errors._warned = False
os.setgroups([])
os.setgid(uid)
os.setuid(uid)
sys.argv = ["factcli", *args]
main()
"""


@as_root
def test_no_home_and_no_passwd_entry_runs_without_an_index(readable_facts, tmp_path):
    import pwd

    with pytest.raises(KeyError):
        pwd.getpwuid(NO_PASSWD_UID)

    def become_a_user_with_no_passwd_entry():
        os.setgroups([])
        os.setgid(NO_PASSWD_UID)
        os.setuid(NO_PASSWD_UID)

    args = ["show", CLAIM, "--json", "--facts", str(readable_facts)]
    common = dict(env=env_without_home(), cwd="/", capture_output=True, text=True, timeout=60)
    try:
        done = subprocess.run([factcli_executable(), *args], preexec_fn=become_a_user_with_no_passwd_entry, **common)
    except PermissionError:
        env = {**env_without_home(), "NO_PASSWD_UID": str(NO_PASSWD_UID), "WARM_CACHE": str(tmp_path / "warm")}
        done = subprocess.run([sys.executable, "-c", AFTER_SETUID, *args], **{**common, "env": env})
    assert_no_index_one_warning(done)
    assert "HOME" in done.stderr


NO_PASSWD = """
import pwd, sys
def missing(uid):
    raise KeyError(f"getpwuid(): uid not found: {uid}")
pwd.getpwuid = missing
from factcli.__main__ import main
sys.argv = ["factcli", *sys.argv[1:]]
main()
"""


def test_no_home_and_no_passwd_entry_simulated_for_any_user(readable_facts, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", NO_PASSWD, "show", CLAIM, "--json", "--facts", str(readable_facts)],
        env=env_without_home(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert_no_index_one_warning(done)
    assert list(tmp_path.iterdir()) == []


def test_no_home_through_the_runner(facts, runner, monkeypatch):
    import pwd

    for name in ("HOME", "XDG_CACHE_HOME", index.CACHE_ENV):
        monkeypatch.delenv(name, raising=False)

    def missing(uid):
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.setattr(pwd, "getpwuid", missing)
    result = runner.invoke(app, ["show", CLAIM, "--facts", str(facts)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert REAL in result.output and result.output.count("warning") == 1


@pytest.mark.parametrize("home", ["relative/home", "."])
def test_a_relative_home_puts_no_index_in_the_current_folder(readable_facts, tmp_path, home):
    done = subprocess.run(
        [factcli_executable(), "show", CLAIM, "--json", "--facts", str(readable_facts)],
        env={**env_without_home(), "HOME": home},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert_no_index_one_warning(done)
    assert list(tmp_path.iterdir()) == []


# --- the corrupt-index warning says what happens ---------------------------------------------------


def test_a_corrupt_index_warning_says_it_was_rebuilt_and_the_answer_comes_from_it(facts, cache):
    show(facts, cache)
    db = the_index(cache)
    db.write_bytes(b"this is not a database" * 100)
    done = show(facts, cache)
    assert statement(done).startswith(REAL)
    assert len(done.stderr.splitlines()) == 1
    assert "corrupt" in done.stderr and "rebuilt" in done.stderr and "YAML" not in done.stderr
    again = show(facts, cache)
    assert again.stdout == done.stdout and again.stderr == ""


def test_a_corrupt_index_of_a_broken_fact_base_is_emptied_and_the_warning_says_so(facts, cache):
    show(facts, cache)
    db = the_index(cache)
    db.write_bytes(b"this is not a database" * 100)
    claim = facts / "claims" / "asif-welcomes-us-help" / f"{CLAIM}.yaml"
    claim.write_text(claim.read_text().replace("quote: ", "quote: Words the source never said. ", 1))
    done = run_factcli("validate", "--facts", str(facts), env={index.CACHE_ENV: str(cache)})
    assert done.returncode != 0 and f"{CLAIM}.yaml" in done.stderr
    (warning,) = warnings(done.stderr)
    assert "corrupt" in warning and "replaced by an empty one" in warning
    assert "rebuilt" not in warning and "YAML" not in warning
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []  # nothing of a broken fact base is kept
    conn.close()


def test_a_corrupt_index_that_cannot_be_rebuilt_says_the_yaml_is_read(facts, cache, monkeypatch, capsys):
    monkeypatch.setenv(index.CACHE_ENV, str(cache))
    factcli.load(facts)._conn.close()  # its WAL checkpointed: the corruption below is what is read
    the_index(cache).write_bytes(b"this is not a database" * 100)

    def failing(self, listing):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(index.update.Updater, "run", failing)
    fb = factcli.load(facts)
    assert not isinstance(fb, index.IndexedFactBase) and fb.claim(CLAIM).statement.startswith(REAL)
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "corrupt" in err and "cannot be rebuilt" in err
    assert "reading the YAML files directly" in err and "has been rebuilt" not in err


# --- as an ordinary user --------------------------------------------------------------------------


@pytest.mark.unprivileged
def test_an_ordinary_users_own_cache_is_trusted_and_private(facts, tmp_path):
    """Ownership is the running user's, not root's: an ordinary user's index is used, no warning."""
    cache = tmp_path / "cache"
    first = show(facts, cache, umask=0)
    second = show(facts, cache)
    assert statement(first).startswith(REAL) and first.stderr == "" and second.stderr == ""
    db = the_index(cache)
    assert db.stat().st_uid == os.geteuid() and stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


@pytest.mark.unprivileged
def test_an_ordinary_user_does_not_use_a_cache_directory_root_owns(facts):
    """Owned by root (another user, here) and writable by no one else: refused by ownership alone."""
    foreign = Path("/")
    assert foreign.stat().st_uid != os.geteuid()
    done = show(facts, foreign)
    assert_answers_from_the_yaml(done, "belongs to another user")
