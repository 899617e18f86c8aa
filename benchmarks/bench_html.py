"""How big and how fast the HTML report is: ``python benchmarks/bench_html.py FACTS [N ...]``.

For each N (default 1000, 5000, 10000) it runs ``factcli export -f html --limit N`` on the fact base
FACTS as a user does (a real process; the index warmed first), then opens the page in the headless
Chromium the tests use and prints the page's size, the export's time, the time until the page is
shown, and the time one filter takes. A synthetic fact base comes from
``benchmarks/make_corpus.py 100000 DIR``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import browser  # noqa: E402  (tests/browser.py)
from running import factcli_executable  # noqa: E402

FILTER = (
    "const select = document.getElementById('f-side'); select.value = '1';"
    "select.dispatchEvent(new Event('change')); return document.getElementById('f-count').textContent;"
)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    facts, sizes = argv[0], [int(n) for n in argv[1:]] or [1000, 5000, 10000]
    problem = browser.missing()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    subprocess.run(
        [factcli_executable(), "list", "--facts", facts, "--limit", "1", "--json"], check=True, capture_output=True
    )
    print("claims | page | export | shown (DOM ready) | one filter")
    with tempfile.TemporaryDirectory() as tmp, browser.chromium() as driver:
        driver.set_page_load_timeout(600)
        for n in sizes:
            page = Path(tmp) / f"report-{n}.html"
            start = time.perf_counter()
            subprocess.run(
                [factcli_executable(), "export", "-f", "html", "--facts", facts, "--limit", str(n), "-o", str(page)],
                check=True,
                capture_output=True,
            )
            exported = time.perf_counter() - start
            start = time.perf_counter()
            browser.open_report(driver, page)
            shown = time.perf_counter() - start
            ready = driver.execute_script(
                "return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
            )
            start = time.perf_counter()
            driver.execute_script(FILTER)
            filtered = time.perf_counter() - start
            size = page.stat().st_size / 1e6
            print(f"{n:,} | {size:.1f} MB | {exported:.1f} s | {shown:.1f} s ({ready / 1000:.1f} s) | {filtered:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
