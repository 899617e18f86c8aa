"""The HTML report in a real browser (headless Chromium through Selenium): what a person sees and does.

Every claim's words are highlighted in its source, selecting them shows the right claim (by mouse and
by keyboard), a filter hides what it should and the page's address keeps it, the chart has one mark
per figure, nothing is logged as an error, and a hostile fact base runs nothing.

Chromium missing is a failure saying how to install it; ``FACTCLI_SKIP_BROWSER=1`` makes it a skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import browser
import pytest
from factbases import CLAIMS, CROSS_CLAIMS, write_cross_factbase
from test_html_export import HOSTILE, hostile_factbase

import factcli
from factcli import exports

CASUALTIES = "pakistan-reports-20-casualties"


@pytest.fixture(scope="module")
def driver() -> Iterator:
    with browser.started() as chromium:
        yield chromium


def write_report(facts: Path, out: Path, **filters) -> Path:
    fb = factcli.load(facts)
    exports.export(fb, fb.query(**filters), "html", out)
    return out


@pytest.fixture(scope="module")
def story_page(story: Path, tmp_path_factory) -> Path:
    return write_report(story, tmp_path_factory.mktemp("report") / "story.html")


@pytest.fixture()
def page(driver, story_page):
    browser.open_report(driver, story_page)
    driver.get_log("browser")  # what this test logs starts here
    return driver


def errors(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def state(driver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(driver.current_url).fragment)


# What the page shows for each claim: the highlighted words (the text of the marks covering its quote,
# in page order), whether each such mark is visibly highlighted, and its number.
HIGHLIGHTS = """
const data = JSON.parse(document.getElementById("report-data").textContent);
const marks = Array.from(document.querySelectorAll("a.m"));
return data.claims.map((claim, n) => {
  const a = data.annotations.findIndex(([c, kind]) => c === n && kind === "claim");
  const covering = marks.filter((m) => m.dataset.a.split(" ").includes(String(a)));
  const looks = covering.map((m) => {
    const style = getComputedStyle(m);
    const box = m.getBoundingClientRect();
    return {
      underlined: style.textDecorationLine.includes("underline") || style.outlineStyle !== "none",
      background: style.backgroundColor,
      seen: box.width > 0 && box.height > 0,
    };
  });
  return {id: claim.id, words: covering.map((m) => m.textContent).join(""), looks};
});
"""


def test_every_claims_words_are_highlighted_in_its_source(page):
    quotes = {c["id"]: c["source"]["quote"] for c in CLAIMS}
    shown = page.execute_script(HIGHLIGHTS)
    assert sorted(s["id"] for s in shown) == sorted(quotes)
    for claim in shown:
        assert claim["words"] == quotes[claim["id"]], claim["id"]
        assert claim["looks"] and all(look["underlined"] and look["seen"] for look in claim["looks"]), claim
        assert all(look["background"] not in ("rgba(0, 0, 0, 0)", "transparent") for look in claim["looks"])
    assert errors(page) == []


def mark_of(driver, claim_id: str):
    """The first mark of the claim's own words."""
    index = driver.execute_script(
        "const d = JSON.parse(document.getElementById('report-data').textContent);"
        "const n = d.claims.findIndex((c) => c.id === arguments[0]);"
        "return d.annotations.findIndex(([c, kind]) => c === n && kind === 'claim');",
        claim_id,
    )
    from selenium.webdriver.common.by import By

    return next(
        m for m in driver.find_elements(By.CSS_SELECTOR, "a.m") if str(index) in m.get_attribute("data-a").split()
    )


def panel_text(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "selected").text


def test_clicking_marked_words_shows_their_claim_and_puts_it_in_the_address(page):
    claim = next(c for c in CLAIMS if c["id"] == CASUALTIES)
    mark_of(page, CASUALTIES).click()
    text = panel_text(page)
    assert claim["statement"] in text and CASUALTIES in text and "Pakistan" in text and "20 casualties" in text
    assert state(page)["claim"] == [CASUALTIES]
    assert errors(page) == []


def test_a_disputed_claim_shows_who_disputes_it_and_their_words(page):
    claim = next(c for c in CLAIMS if c["id"] == "india-attackers-cross-border-linkages")
    mark_of(page, claim["id"]).click()
    text = panel_text(page)
    assert "disputed" in text and "Disputed by Pakistan:" in text and claim["disputes"][0]["quote"] in text


def test_the_keyboard_reaches_and_selects_a_claim(page):
    from selenium.webdriver.common.keys import Keys

    mark = mark_of(page, "india-struck-nine-sites")
    page.execute_script("arguments[0].focus()", mark)
    assert page.switch_to.active_element == mark
    page.switch_to.active_element.send_keys(Keys.ENTER)
    assert "India conducted airstrikes on nine sites" in panel_text(page)
    assert state(page)["claim"] == ["india-struck-nine-sites"]


def test_a_link_with_a_claim_opens_the_page_showing_it(driver, story_page):
    browser.open_report(driver, story_page, f"claim={CASUALTIES}")
    assert "India's strikes caused 20 casualties." in panel_text(driver)


def visible_claims(driver) -> list[str]:
    return driver.execute_script(
        "const d = JSON.parse(document.getElementById('report-data').textContent);"
        "return Array.from(document.querySelectorAll('li.claim')).filter((li) => li.offsetParent !== null)"
        ".map((li) => d.claims[Number(li.dataset.c)].id);"
    )


def highlighted_claims(driver) -> list[str]:
    return driver.execute_script(
        "const d = JSON.parse(document.getElementById('report-data').textContent);"
        "const on = new Set();"
        "for (const m of document.querySelectorAll('a.m')) {"
        "  if (getComputedStyle(m).textDecorationLine.includes('underline') || getComputedStyle(m).outlineStyle !== 'none')"
        "    for (const a of m.dataset.a.split(' ')) on.add(d.claims[d.annotations[Number(a)][0]].id);"
        "}"
        "return Array.from(on).sort();"
    )


def test_the_side_filter_hides_every_other_sides_claims_and_the_address_keeps_it(page, story_page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    pakistan = sorted(c["id"] for c in CLAIMS if c["claimant"] in ("pakistan", "khawaja-muhammad-asif"))
    Select(page.find_element(By.ID, "f-side")).select_by_visible_text("Pakistan")
    assert state(page)["side"] == ["pakistan"]
    assert sorted(visible_claims(page)) == pakistan
    assert highlighted_claims(page) == pakistan
    assert page.find_element(By.ID, "f-count").text == f"{len(pakistan)} of {len(CLAIMS)} claims shown"
    shared = page.current_url
    browser.open_report(page, Path(urlsplit(shared).path), urlsplit(shared).fragment)
    assert sorted(visible_claims(page)) == pakistan
    assert Select(page.find_element(By.ID, "f-side")).first_selected_option.text == "Pakistan"
    page.find_element(By.ID, "f-clear").click()
    assert len(visible_claims(page)) == len(CLAIMS) and "side" not in state(page)
    assert errors(page) == []


def test_status_and_actor_filters_combine(driver, story_page):
    browser.open_report(driver, story_page, "status=disputed&actor=india")
    assert visible_claims(driver) == ["india-attackers-cross-border-linkages"]
    assert highlighted_claims(driver) == ["india-attackers-cross-border-linkages"]


def test_the_chart_has_one_mark_per_figure(page):
    figures = [f for c in CLAIMS for f in c.get("figures", []) if f.get("measure")]
    counts = page.execute_script(
        "return [document.querySelectorAll('svg.chart g.fig').length,"
        " Array.from(document.querySelectorAll('svg.chart g.fig')).filter((g) => g.getBBox().width > 0).length,"
        " document.querySelectorAll('table.figures tbody tr').length]"
    )
    assert counts == [len(figures)] * 3


def test_a_phone_sized_window_shows_one_column_without_sideways_scrolling(story_page):
    if browser.missing():
        pytest.skip("see the driver fixture")
    with browser.chromium(width=390, height=844, phone=True) as phone:
        browser.open_report(phone, story_page)
        assert phone.execute_script("return window.innerWidth") == 390
        assert phone.execute_script("return document.documentElement.scrollWidth") <= 390
        assert phone.execute_script("return getComputedStyle(document.querySelector('.layout')).display") == "block"
        assert [e for e in phone.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_hostile_fact_base_runs_nothing_and_shows_its_text_literally(driver, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    out = write_report(hostile_factbase(tmp_path / "facts"), tmp_path / "hostile.html")
    browser.open_report(driver, out, "claim=hostile-claim")
    for mark in driver.find_elements(By.CSS_SELECTOR, "a.m")[-4:]:
        ActionChains(driver).move_to_element(mark).perform()  # "onmouseover=" would run here
        mark.click()
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 (reading it is what asks the browser for a dialog)
    injected = driver.execute_script(
        "return {"
        " b: document.querySelectorAll('b, img, iframe, object, embed').length,"
        " scripts: document.scripts.length,"
        " handlers: Array.from(document.querySelectorAll('*')).flatMap((e) => e.getAttributeNames())"
        "   .filter((n) => n.startsWith('on')).length,"
        " js_links: document.querySelectorAll('a[href^=\"javascript\" i]').length,"
        "}"
    )
    assert injected == {"b": 0, "scripts": 2, "handlers": 0, "js_links": 0}
    text = driver.find_element(By.TAG_NAME, "body").text
    assert f"Statement {HOSTILE}" in " ".join(text.split()) or f"Statement {HOSTILE}" in text
    assert "\\u202e" in text  # the bidi override shown as an escape, not applied
    assert "Statement <script>alert(1)</script>" in panel_text(driver)
    assert errors(driver) == []


def test_a_missing_browser_is_a_clear_failure_naming_how_to_install_it(monkeypatch):
    monkeypatch.setattr(browser, "CHROMEDRIVER", "/nonexistent/chromedriver-for-factcli-tests")
    problem = browser.missing()
    assert problem is not None and "/nonexistent/chromedriver-for-factcli-tests is not installed" in problem
    assert "apt-get install -y chromium chromium-driver" in problem and "FACTCLI_SKIP_BROWSER=1" in problem


@pytest.fixture(scope="module")
def cross_report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cross")
    return write_report(write_cross_factbase(root / "facts"), root / "cross.html")


def test_reactions_are_boxed_and_a_revised_claim_is_faded(driver, cross_report):
    browser.open_report(driver, cross_report)
    looks = driver.execute_script(
        "const d = JSON.parse(document.getElementById('report-data').textContent);"
        "return Array.from(document.querySelectorAll('a.m')).map((m) => {"
        "  const [claim, kind] = d.annotations[Number(m.dataset.a.split(' ').pop())];"
        "  const style = getComputedStyle(m);"
        "  return [d.claims[claim].id, kind, style.outlineStyle, style.textDecorationStyle, Number(style.opacity)];"
        "});"
    )
    boxes = {(claim, kind): outline for claim, kind, outline, _, _ in looks if kind != "claim"}
    assert boxes == {
        ("venn-three-aircraft", "dispute"): "dotted",
        ("officials-26-killed", "unverified"): "dashed",
        ("daily-venn-three-aircraft", "confirmation"): "solid",
        ("army-fewer-than-10-died", "dispute"): "dotted",
    }
    lines = {claim: line for claim, kind, _, line, _ in looks if kind == "claim"}
    assert lines["army-fewer-than-10-died"] == "wavy" and lines["daily-venn-three-aircraft"] == "double"
    assert lines["officials-26-killed"] == "dotted" and lines["daily-toll-30-to-40"] == "solid"
    faded = {claim for claim, kind, _, _, opacity in looks if kind == "claim" and opacity < 1}
    assert faded == {"venn-two-aircraft"}
    assert errors(driver) == []


def test_the_status_filter_shows_only_confirmed_claims(driver, cross_report):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.open_report(driver, cross_report)
    Select(driver.find_element(By.ID, "f-status")).select_by_visible_text("confirmed")
    assert state(driver)["status"] == ["confirmed"]
    assert visible_claims(driver) == ["daily-venn-three-aircraft"]
    assert highlighted_claims(driver) == ["daily-venn-three-aircraft"]
    hidden_rows = driver.execute_script("return document.querySelectorAll('svg.chart g.fig.off').length")
    assert hidden_rows == sum(len(c["figures"]) for c in CROSS_CLAIMS) - 1


CONTRAST = """
const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
const lum = (c) => {
  const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const background = (e) => {
  for (; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (!/rgba\\(.*, 0\\)$/.test(c) && c !== "transparent") return c;
  }
  return "rgb(255, 255, 255)";
};
return Array.from(document.querySelectorAll(arguments[0])).map((e) => {
  const style = getComputedStyle(e);
  return [e.className, ratio(style.color, background(e)) * Number(style.opacity)];
});
"""


def test_text_has_enough_contrast_against_what_is_behind_it(driver, cross_report):
    browser.open_report(driver, cross_report)
    for selector in ("a.m", ".lbl", "p", "dt", "dd", "td", "select", ".hint", ".legend"):
        ratios = driver.execute_script(CONTRAST, selector)
        assert ratios, selector
        assert all(r >= 4.5 for cls, r in ratios if "superseded" not in cls), (selector, ratios)
        # A revised claim is faded on purpose, still readable; its label says "superseded" in words.
        assert all(r >= 1.5 for cls, r in ratios if "superseded" in cls), (selector, ratios)


def test_on_paper_the_filters_and_panel_are_left_out_and_every_claim_is_printed(driver, story_page):
    from selenium.webdriver.common.by import By

    browser.open_report(driver, story_page)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not driver.find_element(By.ID, "filters").is_displayed()
        assert not driver.find_element(By.ID, "panel").is_displayed()
        assert len(visible_claims(driver)) == len(CLAIMS)
        assert all(s.is_displayed() for s in driver.find_elements(By.CSS_SELECTOR, "section.source, svg.chart"))
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_words_of_a_filtered_out_claim_are_plain_text_and_select_nothing(driver, story_page):
    browser.open_report(driver, story_page, "side=pakistan")
    mark = mark_of(driver, "india-struck-nine-sites")
    assert mark.get_attribute("tabindex") == "-1"
    mark.click()
    assert "claim" not in state(driver) and "Select marked words" in panel_text(driver)


EVERY_MARKED = """
const data = JSON.parse(document.getElementById("report-data").textContent);
const words = data.annotations.map(() => "");
for (const mark of document.querySelectorAll("a.m")) {
  for (const a of mark.dataset.a.split(" ")) words[Number(a)] += mark.textContent;
}
return data.annotations.map(([claim, kind], a) => [data.claims[claim].id, kind, words[a]]);
"""


def test_every_claim_of_the_examples_is_findable_from_its_words(driver, tmp_path):
    """The issue's "done when": the example fact base's report, every quote and reaction marked whole."""
    from factbases import ROOT

    fb = factcli.load(ROOT / "examples")
    page = tmp_path / "story.html"
    exports.export(fb, fb.claims, "html", page)
    browser.open_report(driver, page)
    wanted = sorted(
        [(c.id, "claim", c.source.quote) for c in fb.claims]
        + [
            (c.id, {"disputes": "dispute", "confirmations": "confirmation"}.get(f, f), r.quote)
            for c in fb.claims
            for f, _, r in c.reactions()
        ]
    )
    assert sorted(tuple(x) for x in driver.execute_script(EVERY_MARKED)) == wanted
    assert errors(driver) == []
