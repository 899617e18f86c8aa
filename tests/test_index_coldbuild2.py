"""A rebuild after every file changed (issue #15's cold build): less work, the same index."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from factbases import copy_factbase, write_factbase

import factcli
from factcli import index, loader
from factcli.index import update
from factcli.index.cache import index_path
from factcli.model import Source

TWO_CORES = len(os.sched_getaffinity(0)) >= 2 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) >= 2


@pytest.fixture(autouse=True)
def cache(private_index_cache: Path) -> Path:
    return private_index_cache


@pytest.fixture()
def facts(tmp_path: Path) -> Path:
    return write_factbase(tmp_path / "facts")


@pytest.fixture()
def in_workers(monkeypatch):
    """Every rebuild of a claim file checked in worker processes, as a large fact base's is."""
    if not TWO_CORES:
        pytest.skip("the worker processes run only on two cores or more")
    monkeypatch.setattr(update, "PARALLEL_MIN", 1)
    monkeypatch.setattr(update, "BULK_FILES", 1)


def spans_counted(monkeypatch) -> Counter:
    calls: Counter = Counter()
    spans = Source.section_spans

    def counted(self):
        calls[self.id] += 1
        return spans(self)

    monkeypatch.setattr(Source, "section_spans", counted)
    return calls


def test_a_sources_sections_are_found_once_however_many_claims_quote_it(facts, tmp_path, monkeypatch):
    """The loader's checks find a source's section spans once for all its claims, not twice a claim."""
    fb = loader.load_dir(facts)
    quoted = Counter(claim.source.id for claim in fb.claims)
    source_id, claims = quoted.most_common(1)[0]
    assert claims >= 2
    calls = spans_counted(monkeypatch)
    loader.load_dir(facts)
    assert calls[source_id] <= 2  # once when the source is built, once when its claims are checked


def test_the_spans_found_are_not_kept_once_the_check_is_done(facts, monkeypatch):
    """The spans found for the loader's check are dropped with it: the sources' texts are not kept alive."""
    from factcli import validate

    loader.load_dir(facts)
    assert validate._SPANS == {}


def test_the_old_rows_are_deleted_while_the_workers_parse(facts, monkeypatch, in_workers):
    """Every claim file changed: the rows they replace are forgotten once the workers are running,
    not before they start (a core would wait idle meanwhile)."""
    factcli.load(facts)
    for path in sorted((facts / "claims").rglob("*.yaml")):
        path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    workers_then: list[int] = []
    forget = update.Updater._forget_changed

    def counted(self) -> None:
        workers_then.append(len(multiprocessing.active_children()))
        forget(self)

    monkeypatch.setattr(update.Updater, "_forget_changed", counted)
    fb = factcli.load(facts)
    assert isinstance(fb, index.IndexedFactBase)
    assert workers_then and workers_then[0] >= 1
    assert fb.claims == loader.load_dir(facts).claims


def test_a_rebuild_in_workers_holds_the_same_rows_as_one_in_process(facts, tmp_path, monkeypatch):
    """The workers' rows (sent as marshal bytes, facets in key order) are the very rows the index
    holds when the claims are checked in this process."""
    if not TWO_CORES:
        pytest.skip("the worker processes run only on two cores or more")
    other = copy_factbase(facts, tmp_path / "other")
    factcli.load(facts)
    monkeypatch.setattr(update, "PARALLEL_MIN", 1)
    monkeypatch.setattr(update, "BULK_FILES", 1)
    factcli.load(other)

    def rows(root: Path) -> dict[str, list]:
        conn = sqlite3.connect(index_path(root))
        try:
            return {
                table: sorted(map(tuple, conn.execute(f"SELECT * FROM {table}")), key=repr)
                for table in ("claims", "facets", "figures")
            }
        finally:
            conn.close()

    ours, theirs = rows(facts), rows(other)
    assert ours["facets"] and ours == theirs


def test_a_problem_in_a_worker_is_reported_by_the_loader(facts, monkeypatch, in_workers):
    """A claim file with a problem, found by a worker: the loader's own report, as before."""
    factcli.load(facts)
    path = sorted((facts / "claims").rglob("*.yaml"))[0]
    path.write_text(path.read_text(encoding="utf-8").replace("claimant: ", "claimant: nobody-", 1), encoding="utf-8")
    with pytest.raises(factcli.FactBaseError, match="unknown actor 'nobody-"):
        factcli.load(facts)
