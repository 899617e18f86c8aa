"""`factcli export -f html`: the annotated report as a file, read back with an HTML parser.

What a person sees in a browser is tested in tests/test_html_browser.py; here the page is read as a
browser's parser reads it (Python's ``html.parser``): which elements and attributes it holds, which
text each mark covers, what its script block decodes to, and what its security policy allows.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from factbases import ACTORS, CLAIMS, CROSS_CLAIMS, SOURCE, SOURCE_TEXT, write_cross_factbase, write_factbase
from hypothesis import given, settings
from hypothesis import strategies as st
from running import run_factcli

import factcli
from factcli import exports, terminal
from factcli.cli import app
from factcli.exports import html as report
from factcli.model import Source

pytestmark = pytest.mark.usefixtures("story_is_default")
CASUALTIES = "pakistan-reports-20-casualties"


class Page(HTMLParser):
    """A page as a browser's tokenizer reads it: every start tag, each mark's text, each script's text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[tuple[list[int], str]] = []  # (annotation indices, text) in page order
        self.mark_starts: list[int] = []  # where each mark's text starts in all_text()
        self.scripts: list[tuple[dict[str, str | None], str]] = []  # and styles, told apart by their tag below
        self.raw_tags: list[str] = []
        self.text: list[str] = []
        self._open: list[str] = []
        self._mark: list[int] | None = None
        self._script: dict[str, str | None] | None = None
        self.feed(text)
        self.close()

    BLOCKS = frozenset("p h1 h2 h3 dt dd li td th tr div section blockquote caption".split())

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.text.append(" ")  # as a browser lays blocks and cells apart
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "a" and "m" in (attributes.get("class") or "").split():
            self._mark = [int(a) for a in (attributes["data-a"] or "").split()]
            self.marks.append((self._mark, ""))
            self.mark_starts.append(len(self.all_text()))
        if tag in ("script", "style"):
            self._script = attributes
            self.scripts.append((attributes, ""))
            self.raw_tags.append(tag)

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.text.append(" ")
        if tag == "a":
            self._mark = None
        if tag in ("script", "style"):
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self.scripts[-1] = (self.scripts[-1][0], self.scripts[-1][1] + data)
            return
        self.text.append(data)
        if self._mark is not None:
            self.marks[-1] = (self.marks[-1][0], self.marks[-1][1] + data)

    def script_blocks(self) -> list[tuple[dict[str, str | None], str]]:
        return [block for block, tag in zip(self.scripts, self.raw_tags, strict=True) if tag == "script"]

    def words(self) -> str:
        """The page's text as a reader takes it in: runs of white space as one space."""
        return " ".join(self.all_text().split())

    def data(self) -> dict:
        (block,) = [text for attrs, text in self.script_blocks() if attrs.get("type") == "application/json"]
        return json.loads(block)

    def quote_of(self, annotation: int) -> str:
        """The text of every mark covering ``annotation``, in page order: the words highlighted for it."""
        return "".join(text for marks, text in self.marks if annotation in marks)

    def all_text(self) -> str:
        return "".join(self.text)

    def csp(self) -> dict[str, list[str]]:
        (policy,) = [
            a["content"] for t, a in self.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
        ]
        assert policy
        return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def export_page(runner, tmp_path: Path, *args: str) -> tuple[str, Page]:
    out = tmp_path / "story.html"
    result = runner.invoke(app, ["export", "-f", "html", "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    return text, Page(text)


def claim_ids(page: Page) -> list[str]:
    return [c["id"] for c in page.data()["claims"]]


# --- the file --------------------------------------------------------------------------------------


def test_the_report_is_written_atomically_and_says_so(runner, tmp_path):
    out = tmp_path / "story.html"
    result = runner.invoke(app, ["export", "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {len(CLAIMS)} claims to {out} (html)" in result.output
    assert out.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="en">')
    assert [p.name for p in tmp_path.iterdir()] == ["story.html"]


def test_an_existing_file_is_kept_without_force_and_replaced_with_it(runner, tmp_path):
    out = tmp_path / "story.html"
    out.write_bytes(b"someone's page\n")
    result = runner.invoke(app, ["export", "-f", "html", "-o", str(out)])
    assert result.exit_code == 1 and "exists" in result.output and "--force" in result.output
    assert out.read_bytes() == b"someone's page\n"
    assert runner.invoke(app, ["export", "-f", "html", "-o", str(out), "--force"]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_real_process_writes_the_report_and_keeps_an_existing_one(tmp_path):
    out = tmp_path / "story.html"
    done = run_factcli("export", "-f", "html", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert f"wrote {len(CLAIMS)} claims to {out} (html)" in done.stderr
    assert claim_ids(Page(out.read_text(encoding="utf-8")))
    again = run_factcli("export", "-f", "html", "-o", str(out))
    assert again.returncode == 1 and "exists" in again.stderr and "Traceback" not in again.stderr


def test_on_standard_output_the_page_is_utf8_whatever_the_locale(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "factcli", "export", "-f", "html"],
        capture_output=True,
        env={**__import__("os").environ, "PYTHONIOENCODING": "ascii", "SOURCE_DATE_EPOCH": "0"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    page = done.stdout.decode("utf-8")
    assert "Pakistan’s Defense Minister" in page  # the title's curly apostrophe, as UTF-8
    assert "\\u2019s Defense" not in page.split("<script", 1)[0]


@pytest.mark.parametrize(
    "filters", [(), ("--actor", "pakistan"), ("--disputed",), ("--has-figure", "--sort", "figures"), ("-n", "3")]
)
def test_the_report_holds_the_claims_list_selects_in_its_order(runner, tmp_path, filters):
    wanted = [c["id"] for c in json.loads(runner.invoke(app, ["list", "--json", *filters]).stdout)]
    _, page = export_page(runner, tmp_path, *filters)
    assert claim_ids(page) == wanted
    numbered = [a["id"] for t, a in page.tags if t == "li" and "claim" in (a.get("class") or "").split()]
    assert numbered == [f"c-{n}" for n in range(1, len(wanted) + 1)]


def test_python_api_returns_the_page(story):
    fb = factcli.load(story)
    text = exports.export(fb, fb.query(disputed=True), "html")
    assert text is not None and claim_ids(Page(text)) == [c.id for c in fb.query(disputed=True)]


def test_source_date_epoch_makes_the_same_page_twice(story, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1746600000")
    fb = factcli.load(story)
    first = exports.export(fb, fb.claims, "html")
    assert first == exports.export(fb, fb.claims, "html")
    assert "2025-05-07 06:40 UTC" in Page(first or "").all_text()


# --- what the page holds -------------------------------------------------------------------------


def test_the_header_names_title_sources_export_date_and_fact_base(runner, tmp_path, story):
    _, page = export_page(runner, tmp_path)
    text = page.words()
    assert text.startswith(
        f"{SOURCE['title']} Skip to the sources {SOURCE['title']} {len(CLAIMS)} claims from 1 source"
    )
    assert f"by factcli from the fact base {story}" in text


def test_every_claim_quote_is_marked_where_it_stands(runner, tmp_path):
    _, page = export_page(runner, tmp_path)
    data = page.data()
    claim_marks = {claim: a for a, (claim, kind) in enumerate(data["annotations"]) if kind == "claim"}
    quotes = {c["id"]: c["source"]["quote"] for c in CLAIMS}
    assert len(data["claims"]) == len(CLAIMS)
    for n, claim in enumerate(data["claims"]):
        assert page.quote_of(claim_marks[n]) == quotes[claim["id"]], claim["id"]


def test_dispute_quotes_are_marked_as_disputes_of_their_claim(runner, tmp_path):
    _, page = export_page(runner, tmp_path)
    data = page.data()
    disputes = [(claim, a) for a, (claim, kind) in enumerate(data["annotations"]) if kind == "dispute"]
    wanted = {c["id"]: c["disputes"][0]["quote"] for c in CLAIMS if c.get("disputes")}
    assert {data["claims"][claim]["id"]: page.quote_of(a) for claim, a in disputes} == wanted
    assert "[disputes " in page.all_text()


def test_the_source_text_is_shown_whole_and_in_order(runner, tmp_path):
    _, page = export_page(runner, tmp_path)
    text = page.all_text()
    text = re.sub(r"\[(disputes )?\d+( disputed)?\]", "", text)  # the claim numbers after each quote
    lines = SOURCE_TEXT.splitlines()
    at = [text.index(line) for line in lines[2:]]  # after the title line, which the header shows first
    assert at == sorted(at)


def test_overlapping_quotes_each_stay_whole(runner, tmp_path, story_copy):
    # Asif's restraint quote and Trump's call overlap no text; add a claim whose quote straddles both.
    straddling = {
        **CLAIMS[2],
        "id": "straddling",
        "statement": "A test claim straddling two others.",
        "source": {**CLAIMS[2]["source"], "quote": "independent investigation. The involvement of U.S. officials"},
    }
    facts = write_factbase(story_copy.parent / "overlap", claims=[*CLAIMS, straddling])
    _, page = export_page(runner, tmp_path, "--facts", str(facts))
    data = page.data()
    quotes = {c["id"]: c["source"]["quote"] for c in [*CLAIMS, straddling]}
    for n, claim in enumerate(data["claims"]):
        a = next(i for i, (c, kind) in enumerate(data["annotations"]) if c == n and kind == "claim")
        assert page.quote_of(a) == quotes[claim["id"]]
    assert any(len(marks) == 2 for marks, _ in page.marks), "some run is covered by both quotes"


def test_figures_are_charted_one_mark_per_figure_with_a_table_of_the_same(runner, tmp_path):
    _, page = export_page(runner, tmp_path)
    with_measure = [f for c in CLAIMS for f in c.get("figures", []) if f.get("measure")]
    marks = [a for t, a in page.tags if t == "g" and "fig" in (a.get("class") or "").split()]
    rows = [a for t, a in page.tags if t == "tr" and "data-c" in a]
    assert len(marks) == len(rows) == len(with_measure)
    measures = {f["measure"] for f in with_measure}
    assert len([a for t, a in page.tags if t == "svg"]) == len(measures)


def test_figures_that_cannot_all_be_true_are_marked_in_chart_and_table(runner, tmp_path, story_copy):
    fewer = {
        **CLAIMS[7],
        "id": "at-most-ten",
        "statement": "At most ten died.",
        "figures": [{**CLAIMS[7]["figures"][0], "qualifier": "at_most", "value": 10}],
    }
    facts = write_factbase(story_copy.parent / "clash", claims=[*CLAIMS, fewer])
    _, page = export_page(runner, tmp_path, "--facts", str(facts), "--topic", "casualties")
    conflicted = [a for t, a in page.tags if t == "g" and "conflict" in (a.get("class") or "").split()]
    ids = claim_ids(page)
    assert sorted(ids[int(a["data-c"])] for a in conflicted) == [
        "at-most-ten",
        "pakistan-reports-20-casualties",
        "strikes-killed-at-least-20",
    ]
    assert page.all_text().count("✕ conflict") == 3


# --- anchoring -------------------------------------------------------------------------------------

TWICE = Source("s", "T", ("Context", "Later"), "Context:\nthe same words here.\nLater:\nand the same words again.\n")


def test_an_anchor_is_its_exact_words_alone_when_they_occur_once():
    a = report.anchor(TWICE, "here")
    assert a is not None and (a.exact, a.prefix, a.suffix) == ("here", "", "")
    assert TWICE.text[a.start : a.end] == "here"


def test_words_that_occur_twice_are_anchored_in_their_section_with_prefix_and_suffix():
    a = report.anchor(TWICE, "the same words", "Later")
    assert a is not None and TWICE.text[a.start : a.end] == "the same words"
    assert a.start > TWICE.text.index("Later:")
    assert a.prefix.endswith("and ") and a.suffix.startswith(" again")
    first = report.anchor(TWICE, "the same words", "Context")
    assert first is not None and first.start < TWICE.text.index("Later:") and first.suffix.startswith(" here")


def test_in_the_page_words_that_occur_twice_are_marked_in_the_claims_section_with_their_selector(runner, tmp_path):
    quote = "Pakistan's Defense Minister Khawaja Muhammad Asif"  # in Context and again in Dive Deeper
    assert SOURCE_TEXT.count(quote) == 2
    twice = {
        **CLAIMS[2],
        "id": "said-twice",
        "source": {**CLAIMS[2]["source"], "section": "Dive Deeper", "quote": quote},
    }
    facts = write_factbase(tmp_path / "twice", claims=[*CLAIMS, twice])
    _, page = export_page(runner, tmp_path, "--facts", str(facts), "--search", "Khawaja")
    data = page.data()
    n = claim_ids(page).index("said-twice")
    (a,) = [i for i, (c, kind) in enumerate(data["annotations"]) if c == n and kind == "claim"]
    starts = [at for (marks, _), at in zip(page.marks, page.mark_starts, strict=True) if a in marks]
    assert starts and starts[0] > page.all_text().index("Dive Deeper:")
    selector = data["selectors"][str(a)]
    at = SOURCE_TEXT.index(quote, SOURCE_TEXT.index("Dive Deeper:"))
    assert selector == {
        "type": "TextQuoteSelector",
        "exact": quote,
        "prefix": SOURCE_TEXT[at - report.CONTEXT : at],
        "suffix": SOURCE_TEXT[at + len(quote) : at + len(quote) + report.CONTEXT],
    }
    once = next(i for i, (c, kind) in enumerate(data["annotations"]) if kind == "claim" and c != n)
    assert str(once) not in data["selectors"]  # words that occur once are anchored by themselves


def test_words_not_in_the_text_have_no_anchor():
    assert report.anchor(TWICE, "absent") is None and report.anchor(TWICE, "") is None


# --- safety ----------------------------------------------------------------------------------------


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_the_policy_forbids_loading_anything_and_allows_only_the_pages_own_script_and_style(runner, tmp_path):
    text, page = export_page(runner, tmp_path)
    csp = page.csp()
    assert csp["default-src"] == ["'none'"] and csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'none'"]
    (code,) = [body for attrs, body in page.script_blocks() if "type" not in attrs]
    style = text.split("<style>", 1)[1].split("</style>", 1)[0]
    assert csp["script-src"] == [_sha256(code)] and csp["style-src"] == [_sha256(style)]
    assert csp["img-src"] == ["data:"]


def test_the_page_loads_nothing_from_anywhere(runner, tmp_path):
    _, page = export_page(runner, tmp_path)
    for tag, attrs in page.tags:
        assert "src" not in attrs and "style" not in attrs, tag
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#") or href == "data:," or (tag == "a" and href.startswith("https://")), href
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)


HOSTILE = "<script>alert(1)</script> </script><!-- \"onmouseover=alert(2) x=' & <b>bold</b> javascript:alert(4)"
BIDI = " \u202edesrever\u202c \u2067isolate\u2069"  # names refuse hidden characters; any other text may hold them


def hostile_factbase(root: Path, text: str = HOSTILE, url: str = "javascript:alert(3)", bidi: str = BIDI) -> Path:
    quote = f"QUOTE {text}{bidi} END"
    source = {**SOURCE, "title": f"Title {text}{bidi}", "url": url, "publisher": f"Pub {text}{bidi}"}
    actors = [*ACTORS, {"id": "hostile", "name": f"Name {text}", "kind": "person", "role": f"Role {text}{bidi}"}]
    claim = {
        "id": "hostile-claim",
        "claimant": "hostile",
        "statement": f"Statement {text}{bidi}",
        "figures": [
            {
                "value": 3,
                "unit": f"unit {text}{bidi}",
                "qualifier": "exact",
                "text": "QUOTE",
                "measure": "hostile-measure",
            }
        ],
        "disputed": True,
        "disputes": [{"by": "pakistan", "quote": quote}],
        "source": {"id": SOURCE["id"], "section": "Dive Deeper", "quote": quote},
        "topics": ["hostile"],
    }
    return write_factbase(root, actors, [(source, SOURCE_TEXT + quote + "\n")], [*CLAIMS, claim])


def test_hostile_text_is_shown_literally_and_adds_no_element_or_attribute(runner, tmp_path):
    facts = hostile_factbase(tmp_path / "facts")
    text, page = export_page(runner, tmp_path, "--facts", str(facts))
    (tmp_path / "clean").mkdir()
    _, clean = export_page(runner, tmp_path / "clean", "--facts", str(write_factbase(tmp_path / "plain")))
    assert sorted({t for t, _ in page.tags}) == sorted({t for t, _ in clean.tags})
    assert len(page.script_blocks()) == 2 and "b" not in {t for t, _ in page.tags}
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    shown = page.all_text()
    visible = terminal.escape(HOSTILE + BIDI)
    assert f"Name {HOSTILE}" in shown
    for field in ("Statement", "Title", "Pub", "Role", "QUOTE", "unit"):
        assert f"{field} {visible}" in shown, field
    assert "\u202e" not in text and "\\u202e" in shown  # a bidi override shown as an escape, never applied
    assert "hostile-claim" in claim_ids(page)


def test_a_source_url_is_linked_only_when_it_is_http_or_https(runner, tmp_path):
    facts = hostile_factbase(tmp_path / "facts", text="plain", bidi="")
    _, page = export_page(runner, tmp_path, "--facts", str(facts))
    assert not [a for t, a in page.tags if t == "a" and "javascript" in (a.get("href") or "")]
    assert "address not linked: javascript:alert(3)" in page.words()
    facts = hostile_factbase(tmp_path / "ok", text="plain", url='https://example.org/story?a=1&b="2"', bidi="")
    _, page = export_page(runner, tmp_path / "ok", "--facts", str(facts))
    assert [a["href"] for t, a in page.tags if t == "a" and "ext" in (a.get("class") or "")] == [
        'https://example.org/story?a=1&b="2"'
    ]


@pytest.mark.parametrize(
    "url, linked",
    [
        ("https://example.org/a", True),
        ("HTTP://example.org", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//example.org", False),
        ("https:///nohost", False),
        ("https://example.org/\u202eevil", False),
        ("vbscript:x", False),
        (None, False),
    ],
)
def test_web_link(url, linked):
    assert (report.web_link(url) is not None) is linked


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_script_json_decodes_to_the_value_and_cannot_end_its_script_element(value):
    encoded = str(report.script_json({"x": value}))
    assert json.loads(encoded) == {"x": value}
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded and encoded.isascii()


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_literal_text_is_inert_in_text_and_quoted_attributes_and_reads_back_as_shown(value):
    shown = str(report.literal(value))
    assert not set("<>\"'") & set(shown)
    assert html.unescape(shown) == terminal.escape(value)


@settings(max_examples=15, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1).map(str.strip).filter(bool))
def test_any_statement_reaches_the_page_as_shown_text_only(tmp_path_factory, statement):
    root = tmp_path_factory.mktemp("any")
    claims = [{**CLAIMS[0], "statement": statement}]
    fb = factcli.load(write_factbase(root / "facts", claims=claims))
    page = Page(report.to_html(fb, fb.claims))
    assert len(page.script_blocks()) == 2
    assert terminal.escape(statement).replace("\r\n", "\n").replace("\r", "\n") in page.all_text().replace(
        "\r\n", "\n"
    ).replace("\r", "\n")


# --- start-up: only this export pays for Jinja2 ----------------------------------------------------

PROBE = (
    "import atexit, sys; "
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)) + '\\n')); "
    "sys.argv = ['factcli'] + sys.argv[1:]; "
    "from factcli.__main__ import main; main()"
)


def modules_loaded(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.rsplit("MODULES ", 1)[1].split())


def test_jinja2_is_imported_by_the_html_export_only():
    assert "jinja2" in modules_loaded("export", "-f", "html")
    for args in (("list", "--json"), ("export", "-f", "csv"), ("show", CASUALTIES)):
        assert not {"jinja2", "markupsafe", "factcli.exports.html"} & modules_loaded(*args), args


# --- record format v2: reactions, revisions, matches, dates, measures ------------------------------


@pytest.fixture()
def cross_page(runner, tmp_path) -> Page:
    """The two-source story of tests/factbases.py, with a dispute one source reports of the other's claim."""
    claims = copy.deepcopy(CROSS_CLAIMS)
    officials = next(c for c in claims if c["id"] == "officials-26-killed")
    officials["disputed"] = True
    officials["disputes"] = [
        {
            "by": "tarsovia-army",
            "quote": "Tarsovia's army said fewer than 10 people had died in Oskara",
            "source": "daily-report",
            "section": "Report",
        }
    ]
    facts = write_cross_factbase(tmp_path / "cross", claims=claims)
    return export_page(runner, tmp_path, "--facts", str(facts))[1]


def number_of(page: Page, claim_id: str) -> int:
    return claim_ids(page).index(claim_id) + 1


def test_every_reaction_is_marked_in_the_source_reporting_it_as_what_it_is(cross_page):
    data = cross_page.data()
    wanted = {}
    for c in CROSS_CLAIMS:
        wanted[(c["id"], "claim")] = c["source"]["quote"]
        for field, kind in (("confirmations", "confirmation"), ("unverified", "unverified")):
            for reaction in c.get(field, []):
                wanted[(c["id"], kind)] = reaction["quote"]
        for reaction in c.get("disputes", []):
            wanted[(c["id"], "dispute")] = reaction["quote"]
    wanted[("officials-26-killed", "dispute")] = "Tarsovia's army said fewer than 10 people had died in Oskara"
    shown = {(data["claims"][c]["id"], kind): cross_page.quote_of(a) for a, (c, kind) in enumerate(data["annotations"])}
    assert shown == wanted
    text = cross_page.words()
    confirmed = number_of(cross_page, "daily-venn-three-aircraft")
    unverified = number_of(cross_page, "officials-26-killed")
    assert f"[confirms {confirmed}]" in text and f"[{confirmed} confirmed]" in text
    assert f"[not verified: {unverified}]" in text and f"[{unverified} disputed, not verified]" in text
    assert (
        "Disputed by Tarsovian army (in Tarsovia disputes toll): Tarsovia's army said fewer than 10 people had died"
        in text
    )


def test_a_revised_claim_is_faded_named_as_revised_and_left_out_of_the_conflicts(cross_page):
    n = number_of(cross_page, "venn-two-aircraft")
    later = number_of(cross_page, "venn-three-aircraft")
    marks = [a for t, a in cross_page.tags if t == "a" and a.get("href") == f"#c-{n}"]
    marks = [a for a in marks if "m" in (a.get("class") or "").split()]
    assert marks and all("superseded" in a["class"].split() for a in marks)
    (row,) = [a for t, a in cross_page.tags if t == "g" and a.get("data-c") == str(n - 1)]
    assert "superseded" in row["class"].split() and "conflict" not in row["class"].split()
    text = cross_page.words()
    assert f"Revised by [{later}] venn-two-aircraft" not in text
    assert f"Revised by [{later}] venn-three-aircraft" in text and f"Revises [{n}] venn-two-aircraft" in text


def test_the_same_claim_in_another_source_is_linked_both_ways(cross_page):
    wire, daily = number_of(cross_page, "venn-three-aircraft"), number_of(cross_page, "daily-venn-three-aircraft")
    text = cross_page.words()
    assert f"Same claim in other sources [{daily}] daily-venn-three-aircraft" in text
    assert f"Same claim in other sources [{wire}] venn-three-aircraft" in text


def test_measures_are_named_and_their_conflicts_marked(cross_page):
    text = cross_page.words()
    assert "People killed in the strikes (people)" in text and "Tarsovian aircraft downed (aircraft)" in text
    ids = claim_ids(cross_page)
    conflicted = sorted(ids[int(a["data-c"])] for t, a in cross_page.tags if t == "g" and "conflict" in a["class"])
    assert conflicted == ["army-fewer-than-10-died", "daily-toll-30-to-40", "officials-26-killed"]


def test_each_claim_shows_its_date_and_says_when_it_is_the_sources(cross_page):
    text = cross_page.words()
    assert "Date 2031-03-10 About Tarsovia" in text  # venn-two-aircraft's own as_of
    assert "Date 2031-03-12T09:00:00+01:00 (the source's date)" in text


def test_the_status_filter_offers_every_status_and_each_claim_carries_its_own(cross_page):
    data = cross_page.data()
    assert data["statuses"] == ["disputed", "confirmed", "unverified", "undisputed"]
    status = {c["id"]: [data["statuses"][s] for s in c["status"]] for c in data["claims"]}
    assert status["daily-venn-three-aircraft"] == ["confirmed", "undisputed"]
    assert status["officials-26-killed"] == ["disputed", "unverified"]
    assert status["venn-two-aircraft"] == ["undisputed"]


# --- a large fact base: a report holds at most MAX_CLAIMS claims ------------------------------------


def test_more_claims_than_a_report_holds_is_a_usage_error_naming_the_way_out(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "MAX_CLAIMS", 3)
    out = tmp_path / "story.html"
    result = runner.invoke(app, ["export", "-f", "html", "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    message = " ".join(result.output.replace("│", " ").split())
    assert f"an HTML report holds at most 3 claims and these filters select {len(CLAIMS)}" in message
    assert "--limit" in message and "Traceback" not in result.output
    assert runner.invoke(app, ["export", "-f", "html", "-o", str(out), "--limit", "3"]).exit_code == 0
    assert len(claim_ids(Page(out.read_text(encoding="utf-8")))) == 3


def test_the_python_api_refuses_too_many_claims_too(story, monkeypatch):
    monkeypatch.setattr(report, "MAX_CLAIMS", 3)
    fb = factcli.load(story)
    with pytest.raises(exports.OptionError, match="at most 3 claims"):
        exports.export(fb, fb.claims, "html")


@pytest.mark.slow
def test_the_templates_travel_in_the_wheel(tmp_path):
    """An installed factcli (not this checkout) finds the page, its script and its style as package data."""
    import zipfile

    from factbases import ROOT

    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("factcli-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("report.html.j2", "report.js", "report.css"):
        assert f"factcli/exports/templates/{name}" in names
