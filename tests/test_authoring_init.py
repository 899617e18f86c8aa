"""`factcli init` and `factcli add-source`, and factcli as a pre-commit hook (issue #13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from factbases import ROOT, write_cross_factbase
from running import run_factcli
from typer.testing import CliRunner

from factcli.authoring.add_source import find_sections
from factcli.cli import app
from factcli.loader import load_dir

ARTICLE = (
    "Rain floods Pellin\n"
    "What happened:\n"
    "PELLIN - At least 40 homes were flooded on Sunday, officials said.\n"
    "The river’s level: 6 metres, the highest since 1998.\n"
    "Reactions:\n"
    "The mayor said help was on its way.\r\n"
)


# --- init --------------------------------------------------------------------------------------------


def test_init_makes_an_empty_fact_base_that_validates(tmp_path):
    base = tmp_path / "facts"
    result = CliRunner().invoke(app, ["init", str(base)])
    assert result.exit_code == 0, result.output
    for folder in ("actors", "sources", "claims", "measures", "schema"):
        assert (base / folder).is_dir()
    for kind in ("claim", "actors", "source", "measures"):
        assert (base / "schema" / f"{kind}.schema.json").is_file()
    assert "factcli validate" in (base / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "draft: true" in (base / "README.md").read_text(encoding="utf-8")
    done = run_factcli("validate", "--facts", str(base))
    assert done.returncode == 0 and done.stdout == f"ok: 0 claims, 1 actor, 0 sources in {base}: no problems\n"


def test_init_writes_schemas_each_file_names(tmp_path):
    """The schemas a new fact base's files name in their first line are factcli's own, as `factcli schema` prints."""
    base = tmp_path / "facts"
    CliRunner().invoke(app, ["init", str(base)])
    for kind in ("claim", "actors", "source", "measures"):
        printed = run_factcli("schema", kind).stdout
        assert (base / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8") == printed


@pytest.mark.parametrize("existing", ["notes.txt", "actors"])
def test_init_refuses_a_folder_that_holds_anything(tmp_path, existing):
    (tmp_path / existing).mkdir() if existing == "actors" else (tmp_path / existing).write_text("mine\n")
    done = run_factcli("init", str(tmp_path))
    assert done.returncode == 1 and done.stdout == ""
    assert (
        done.stderr == f"factcli: {tmp_path} is not empty ({existing}): init makes a new fact base in an empty folder\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]


def test_init_takes_a_fresh_git_repository(tmp_path):
    _git(tmp_path, "init", "-q")
    assert run_factcli("init", str(tmp_path)).returncode == 0
    assert (tmp_path / ".git").is_dir() and (tmp_path / "actors" / "actors.yaml").is_file()


# --- add-source ----------------------------------------------------------------------------------------


def _init(tmp_path: Path) -> Path:
    base = tmp_path / "facts"
    assert CliRunner().invoke(app, ["init", str(base)]).exit_code == 0
    return base


def test_add_source_keeps_the_text_byte_for_byte_and_finds_its_sections(tmp_path):
    base = _init(tmp_path)
    article = tmp_path / "article.txt"
    article.write_bytes(ARTICLE.encode("utf-8"))
    done = run_factcli(
        "add-source",
        str(article),
        "--id",
        "pellin-floods",
        "--publisher",
        "Example Wire",
        "--url",
        "https://example.org/a",
        "--published",
        "2031-04-02",
        "--facts",
        str(base),
    )
    assert done.returncode == 0, done.stderr
    assert "sections: What happened, Reactions" in done.stdout
    assert (base / "sources" / "pellin-floods.txt").read_bytes() == ARTICLE.encode("utf-8")
    fb = load_dir(base)
    source = fb.sources["pellin-floods"]
    assert (source.title, source.sections, source.published, source.publisher, source.url) == (
        "Rain floods Pellin",
        ("What happened", "Reactions"),
        "2031-04-02",
        "Example Wire",
        "https://example.org/a",
    )
    narrator = fb.actors["pellin-floods-narrator"]
    assert narrator.kind == "narrator" and narrator.name == "Narrator (pellin-floods)"
    assert run_factcli("validate", "--facts", str(base)).returncode == 0


def test_add_source_reads_standard_input(tmp_path):
    base = _init(tmp_path)
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("factcli")),
            "add-source",
            "-",
            "--id",
            "piped",
            "--title",
            "Piped",
            "--facts",
            str(base),
        ],
        input=ARTICLE.encode("utf-8"),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (base / "sources" / "piped.txt").read_bytes() == ARTICLE.encode("utf-8")
    assert load_dir(base).sources["piped"].title == "Piped"


def test_add_source_overwrites_nothing(tmp_path):
    base = _init(tmp_path)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert run_factcli("add-source", str(article), "--id", "pellin", "--facts", str(base)).returncode == 0
    (base / "sources" / "pellin.yaml").write_text("# edited by hand\n" + (base / "sources" / "pellin.yaml").read_text())
    before = {p: p.read_bytes() for p in base.rglob("*") if p.is_file()}
    again = run_factcli("add-source", str(article), "--id", "pellin", "--facts", str(base))
    assert again.returncode == 1 and again.stdout == ""
    assert (
        again.stderr.startswith("factcli: ")
        and "already exists" in again.stderr
        and "overwrites nothing" in again.stderr
    )
    assert {p: p.read_bytes() for p in base.rglob("*") if p.is_file()} == before


def test_add_source_keeps_a_narrator_the_fact_base_has(tmp_path):
    base = write_cross_factbase(tmp_path / "facts")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    done = run_factcli("add-source", str(tmp_path / "a.txt"), "--id", "daily-report-2", "--facts", str(base))
    assert done.returncode == 0 and (base / "actors" / "daily-report-2.yaml").is_file()
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    actors = base / "actors" / "more.yaml"
    actors.write_text(
        "actors:\n  - id: other-narrator\n    name: Narrator (other)\n    kind: narrator\n", encoding="utf-8"
    )
    done = run_factcli("add-source", str(tmp_path / "b.txt"), "--id", "other", "--facts", str(base))
    assert done.returncode == 0 and not (base / "actors" / "other.yaml").exists()
    assert run_factcli("validate", "--facts", str(base)).returncode == 0


@pytest.mark.parametrize(
    ("args", "data", "message"),
    [
        (
            ["--id", "Bad Id"],
            ARTICLE.encode(),
            "--id 'Bad Id' is not an id: use lower-case letters, digits and single hyphens",
        ),
        (
            ["--id", "x", "--published", "May 7"],
            ARTICLE.encode(),
            "--published 'May 7' is not a date: write it as 2025-05-07",
        ),
        (
            ["--id", "x"],
            b"Title\nText:\nIndia\xe9s army\n",
            "the text is not UTF-8 (line 3, byte 0xe9): save it as UTF-8",
        ),
        (["--id", "x"], b"  \n", "the text is empty"),
    ],
)
def test_add_source_says_what_is_wrong_in_one_line(tmp_path, args, data, message):
    base = _init(tmp_path)
    (tmp_path / "a.txt").write_bytes(data)
    done = run_factcli("add-source", str(tmp_path / "a.txt"), *args, "--facts", str(base))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"factcli: {message}") and done.stderr.count("\n") == 1
    assert not list((base / "sources").glob("*.yaml"))


def test_add_source_into_a_folder_that_is_no_fact_base(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    done = run_factcli("add-source", str(tmp_path / "a.txt"), "--id", "x", "--facts", str(tmp_path / "nowhere"))
    assert done.returncode == 1 and f"run 'factcli init {tmp_path / 'nowhere'}'" in done.stderr


@pytest.mark.parametrize(
    ("text", "sections"),
    [
        ("Title\nContext:\nA.\nDive Deeper:\nB.\n", ["Context", "Dive Deeper"]),
        ("Title\nThe toll:\nA: b.\nNote: this is a sentence, not a heading.\n", ["The toll"]),
        ("Just a headline\nAnd its text, without headings.\n", ["Just a headline"]),
    ],
)
def test_sections_are_the_heading_lines(text, sections):
    assert find_sections(text) == sections


# --- pre-commit ------------------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",  # factcli, pre-commit
    }
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, timeout=300)


def _pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    tool = str(Path(sys.executable).with_name("pre-commit"))
    return subprocess.run([tool, *args], capture_output=True, text=True, env=env, cwd=repo, timeout=300)


BAD_CLAIM = """\
id: bad
claimant: nobody
statement: Something.
disputed: false
source:
  id: nowhere
  section: Nowhere
  quote: nothing
"""


def test_init_and_pre_commit_refuse_a_bad_record_in_a_fresh_repository(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    assert _git(repo, "init", "-q").returncode == 0
    assert run_factcli("init", str(repo)).returncode == 0
    installed = _pre_commit(repo, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert _git(repo, "add", "-A").returncode == 0
    good = _git(repo, "commit", "-qm", "a new fact base")
    assert good.returncode == 0, good.stdout + good.stderr
    (repo / "claims" / "bad.yaml").write_text(BAD_CLAIM, encoding="utf-8")
    _git(repo, "add", "claims/bad.yaml")
    refused = _git(repo, "commit", "-qm", "a bad claim")
    said = refused.stdout + refused.stderr  # git passes the hook's words on stderr
    assert refused.returncode != 0
    assert "claims/bad.yaml:2:11: claimant: unknown actor 'nobody'" in said
    assert _git(repo, "log", "--oneline").stdout.count("\n") == 1  # the bad claim was not committed


def test_the_repositorys_hook_runs_from_this_checkout(tmp_path):
    """.pre-commit-hooks.yaml, tried from this very checkout (its `system` hook: nothing downloaded)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    run_factcli("init", str(repo))
    _git(repo, "add", "-A")
    ok = _pre_commit(repo, "try-repo", str(ROOT), "factcli-validate-system", "--all-files")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (repo / "claims" / "bad.yaml").write_text(BAD_CLAIM, encoding="utf-8")
    _git(repo, "add", "-A")
    refused = _pre_commit(repo, "try-repo", str(ROOT), "factcli-validate-system", "--all-files")
    assert refused.returncode == 1 and "unknown actor 'nobody'" in refused.stdout
