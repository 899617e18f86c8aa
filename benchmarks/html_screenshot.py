"""The README's screenshot of the HTML report, made by the browser the tests use (headless Chromium).

    python benchmarks/html_screenshot.py --facts examples -o examples/report.png
    python benchmarks/html_screenshot.py --facts examples --claim some-claim-id --width 390 --height 844 --phone -o phone.png

It exports the whole fact base as ``factcli export -f html`` does (the date fixed by
``SOURCE_DATE_EPOCH`` when set), opens the page, selects ``--claim`` (by default the first disputed
claim marked in the page, as a reader would click it), and saves what the window shows from the top. An existing picture is replaced
only with ``--force``. Exit status 1, with the browser's message, if anything was logged as an error.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import browser  # noqa: E402  (tests/browser.py: the same Chromium, flags and driver as the tests)

import factcli  # noqa: E402
from factcli import atomic, exports  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=Path, default=Path("examples"), help="the fact base (default: examples)")
    parser.add_argument("-o", "--output", type=Path, default=Path("examples/report.png"), help="the PNG to write")
    parser.add_argument("--claim", help="the claim to show selected (default: the first disputed one in the page)")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--phone", action="store_true", help="emulate a phone of --width x --height")
    parser.add_argument("--force", action="store_true", help="replace the PNG if it exists")
    args = parser.parse_args(argv)
    problem = browser.missing()
    if problem:
        parser.error(problem)
    try:
        atomic.check_target(args.output, args.force)
    except OSError as exc:
        parser.error(str(exc))
    fb = factcli.load(args.facts)
    claims = fb.claims
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "story.html"
        exports.export(fb, claims, "html", page)
        with browser.chromium(args.width, args.height, phone=args.phone) as driver:
            browser.open_report(driver, page, f"claim={args.claim}" if args.claim else "")
            if not args.claim:
                driver.execute_script(
                    "(document.querySelector('a.m.disputed') || document.querySelector('a.m'))?.click()"
                )
            driver.execute_script("window.scrollTo(0, 0)")
            claim = driver.execute_script("return new URLSearchParams(location.hash.slice(1)).get('claim')")
            picture = driver.get_screenshot_as_png()
            logged = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    atomic.write_atomic(args.output, picture, args.force)
    print(f"wrote {args.output} ({len(claims)} claims, claim {claim} selected)", file=sys.stderr)
    for entry in logged:
        print(f"browser error: {entry['message']}", file=sys.stderr)
    return 1 if logged else 0


if __name__ == "__main__":
    raise SystemExit(main())
