"""An annotated report to open in a browser: ``factcli export -f html -o story.html``.

One self-contained page: each source's full text with every claim's words marked
where they stand, the claim behind a mark shown on selection, filters kept in the
page's address, and each measure's figures drawn as intervals on one axis beside a
table of the same numbers. Editors and readers who never run a command line get the
story as a fact-checker sees it.

Everything from the fact base is untrusted. It reaches the page only through
Jinja2's autoescaping (HTML text and quoted attributes), with control and bidi
characters written as visible escapes (``terminal.escape``), or inside one
``<script type="application/json">`` block whose ``<``, ``>``, ``&`` and every
non-ASCII character are JSON escapes, so no text can close it. The page's own script and style are files of
this package, allowed by their hashes in a Content-Security-Policy that forbids
loading anything else. Jinja2 is imported here only, when a report is made.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit

from markupsafe import Markup, escape  # Jinja2's own escaping (this module is imported by this export only)

from factcli import dates, intervals, terminal
from factcli.exports import OptionError, Options
from factcli.intervals import conflicts as disjoint_pairs
from factcli.model import Claim, FactBaseView, Figure, Links, Source
from factcli.story import date_key, superseded

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

OPTIONS: tuple[str, ...] = ()
NEEDS_FILE = False

CONTEXT = 32
"""Characters of prefix and suffix kept beside a quote whose words occur more than once in its source."""

MAX_CLAIMS = 10_000
"""The most claims one report holds. Measured on a 2-core machine (README, "The story in a browser"):
10,000 claims of a synthetic corpus make a 21 MB page in about 7 s that Chromium shows in 3 s and
filters in well under a second; 100,000 would be 216 MB, 90 s and 1.6 GB of memory to write, too big
to open. Past it, the filters of ``list`` narrow the selection (a source, a side, a topic), or
``--limit`` takes the first claims."""

PALETTE_SIZE = 8
"""Sides get colours ``s0``..``s7`` in the order first met; more sides reuse them (the label names each)."""

STATUSES = ("disputed", "confirmed", "unverified", "undisputed")
"""What the status filter offers. A claim may be several at once (disputed by one side, confirmed by another)."""

STATUS_NAMES = {
    "disputed": "disputed",
    "confirmed": "confirmed",
    "unverified": "not verified",
    "undisputed": "undisputed",
}
REACTION_LABELS = {"dispute": "disputes", "confirmation": "confirms", "unverified": "not verified:"}
REACTION_HEADINGS = {"dispute": "Disputed by", "confirmation": "Confirmed by", "unverified": "Not verified, says"}

REACTION_KINDS = {"disputes": "dispute", "confirmations": "confirmation", "unverified": "unverified"}
"""The mark kind of each reaction field's words (``model.REACTIONS``)."""


class Anchor(NamedTuple):
    """Where a quote stands in a source, as a W3C Web Annotation ``TextQuoteSelector`` and its offsets.

    ``prefix`` and ``suffix`` are filled only when the same words occur more than once in the
    text, so that the quote is found again at the same place by any reader of the selector.
    """

    source: str
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


class Annotation(NamedTuple):
    """A marked stretch of a source: a claim's quote, or the words reporting a reaction to it."""

    claim: int  # the claim's index in the report
    kind: str  # "claim", or a reaction's: "dispute", "confirmation", "unverified"
    by: str | None  # the reacting actor, for a reaction
    quote: str
    anchor: Anchor | None  # None: not found in the text (shown so, never dropped)


class Piece(NamedTuple):
    """A run of a paragraph's text with the annotations covering all of it, outermost first."""

    text: str
    marks: tuple[int, ...]
    ends: tuple[int, ...]  # annotations whose quote ends with this run: their labels follow it


class Block(NamedTuple):
    heading: bool
    pieces: tuple[Piece, ...]


class FigureRow(NamedTuple):
    """One figure on a measure's axis."""

    claim: int
    figure: Figure
    interval: intervals.Interval
    in_conflict: bool
    superseded: bool  # ``story.superseded``: revised, or the same claim as one revised; left out of conflicts
    date: str | None


class MeasureView(NamedTuple):
    id: str
    name: str
    unit: str | None
    description: str | None
    rows: list[FigureRow]


class ReactionView(NamedTuple):
    kind: str  # "dispute", "confirmation" or "unverified"
    by: str  # the actor's name
    quote: str
    source: str | None  # the title of the source reporting it, when not the claim's own


class LinkView(NamedTuple):
    """Another claim this one points at: its id, and its number when it is in the report."""

    id: str
    number: int | None
    source: str | None  # its source's title


class ClaimView(NamedTuple):
    """What the claims list and the panel show of one claim, worked out once."""

    number: int
    claim: Claim
    claimant: str
    role: str | None
    side: int
    statuses: tuple[str, ...]
    date: str | None
    about: tuple[str, ...]
    source_title: str
    reactions: tuple[ReactionView, ...]
    updates: LinkView | None
    updated_by: LinkView | None
    matches: tuple[LinkView, ...]
    superseded: bool  # ``story.superseded``: revised by a later claim, or the same claim as a revised one


# --- anchoring quotes ------------------------------------------------------------------------------


def anchor(source: Source, quote: str, section: str | None = None) -> Anchor | None:
    """The first place ``quote`` stands in ``source`` (inside ``section`` when it is one of its sections).

    None when the words are not there or empty: a validated fact base always finds them, and a
    report shows any that it does not.
    """
    if not quote:
        return None
    text = source.text
    lo, hi = source.section_spans().get(section or "", (0, len(text)))
    start = text.find(quote, lo, hi)
    if start < 0:
        start = text.find(quote)
    if start < 0:
        return None
    end = start + len(quote)
    if text.find(quote, text.find(quote) + 1) < 0:
        return Anchor(source.id, start, end, quote)
    return Anchor(source.id, start, end, quote, text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT])


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Each line's span in ``text``, a line's closing CR left out (a text saved with CRLF)."""
    spans, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        spans.append((start, end - 1 if line.endswith("\r") else end))
        start = end + 1
    if spans and spans[-1][0] == spans[-1][1] == len(text):
        spans.pop()  # the text's closing newline starts no paragraph
    return spans


def blocks(source: Source, annotations: Sequence[Annotation], indices: Sequence[int]) -> list[Block]:
    """The source's text as paragraphs of runs, each run knowing which annotations cover it.

    Overlapping and nested quotes cut the text at every start and end, so each run is
    covered by a fixed set of annotations, and both quotes stay whole and readable.
    """
    text = source.text
    spans = paragraphs(text)
    starts = [s for s, _ in spans]
    by_paragraph: dict[int, list[int]] = {}
    span = {i: _span(annotations[i]) for i in indices}
    for i, (start, end) in span.items():
        first = bisect_right(starts, start) - 1
        last = max(first, bisect_left(starts, end) - 1)
        for p in range(first, last + 1):
            by_paragraph.setdefault(p, []).append(i)
    headings = set(source.sections)
    result = []
    for p, (start, end) in enumerate(spans):
        heading = text[start:end].rstrip(":") in headings
        here = by_paragraph.get(p, [])
        cuts = sorted({start, end} | {min(max(x, start), end) for i in here for x in span[i]})
        pieces = []
        for left, right in zip(cuts, cuts[1:], strict=False):
            covering = sorted(
                (i for i in here if span[i][0] <= left and span[i][1] >= right),
                key=lambda i: (span[i][0], -span[i][1], i),
            )
            ends = tuple(i for i in covering if span[i][1] == right)
            pieces.append(Piece(text[left:right], tuple(covering), ends))
        result.append(Block(heading, tuple(pieces)))
    return result


def label_groups(ends: Sequence[int], annotations: Sequence[Annotation]) -> list[tuple[str, list[int]]]:
    """The annotations ending at one place, as one label per kind (in the order the kinds first
    end there): ``[not verified: 6, 11]`` rather than a pile of ``[not verified: 6] [not verified: 11]``."""
    groups: dict[str, list[int]] = {}
    for i in ends:
        groups.setdefault(annotations[i].kind, []).append(i)
    return list(groups.items())


def _span(annotation: Annotation) -> tuple[int, int]:
    a = annotation.anchor
    assert a is not None
    return a.start, a.end


# --- the report's data -----------------------------------------------------------------------------


class Report(NamedTuple):
    """Everything the template draws, worked out from the fact base and the claims chosen."""

    title: str
    exported: str
    factbase: str
    claims: Sequence[Claim]
    views: list[ClaimView]
    sides: list[str]  # actor ids of the sides, in the order first met (colour ``s<index>``)
    side_names: list[str]
    actors: list[str]  # claimants, in the order first met
    sources: list[Source]
    annotations: list[Annotation]
    source_blocks: dict[str, list[Block]]
    unanchored: list[int]  # annotations whose words were not found
    measures: list[MeasureView]


def build(fb: FactBaseView, claims: Sequence[Claim], exported: datetime.datetime | None = None) -> Report:
    """The report of ``claims``: their sources annotated, their sides, their figures by measure."""
    sides: dict[str, int] = {}
    actors: dict[str, int] = {}
    for claim in claims:
        sides.setdefault(
            intervals.side_of(claim.claimant, {claim.claimant: fb.affiliations(claim.claimant)}), len(sides)
        )
        actors.setdefault(claim.claimant, len(actors))
    annotations = []
    source_ids: dict[str, None] = {}
    for n, claim in enumerate(claims):
        source = fb.sources[claim.source.id]
        source_ids[source.id] = None
        quote = claim.source.quote
        annotations.append(Annotation(n, "claim", None, quote, anchor(source, quote, claim.source.section)))
        for field, _, reaction in claim.reactions():
            where = fb.sources[reaction.source or claim.source.id]
            source_ids[where.id] = None
            found = anchor(where, reaction.quote, reaction.section)
            annotations.append(Annotation(n, REACTION_KINDS[field], reaction.by, reaction.quote, found))
    sources = story_sources([fb.sources[s] for s in source_ids])
    per_source: dict[str, list[int]] = {s.id: [] for s in sources}
    unanchored = []
    for i, a in enumerate(annotations):
        if a.anchor is None:
            unanchored.append(i)
        else:
            per_source[a.anchor.source].append(i)
    links = fb.links()
    numbers = {c.id: n + 1 for n, c in enumerate(claims)}
    dropped = superseded(fb)
    views = [_claim_view(fb, n, claim, sides, links, numbers, dropped) for n, claim in enumerate(claims)]
    return Report(
        title=_title(sources),
        exported=_timestamp(exported),
        factbase=fb.root,
        claims=claims,
        views=views,
        sides=list(sides),
        side_names=[fb.actors[s].name for s in sides],
        actors=list(actors),
        sources=sources,
        annotations=annotations,
        source_blocks={s.id: blocks(s, annotations, per_source[s.id]) for s in sources},
        unanchored=unanchored,
        measures=_measures(fb, views),
    )


def story_sources(sources: Sequence[Source]) -> list[Source]:
    """``sources`` in the order of the story, as ``factcli timeline`` tells it: by published date
    (``story.date_key``), undated ones last, then by id."""
    return sorted(sources, key=lambda s: (date_key(s.published), s.id))


def statuses(claim: Claim) -> tuple[str, ...]:
    """The claim's statuses, as the status filter names them."""
    reactions = (claim.disputes, claim.confirmations, claim.unverified)
    found = [name for name, on in zip(STATUSES[:3], reactions, strict=True) if on]
    return (*found, "undisputed") if not claim.disputes else tuple(found)


def status_class(view: ClaimView) -> str:
    """The one status a claim's marks are drawn with (its label names them all): disputed first."""
    return next((s for s in STATUSES[:3] if s in view.statuses), "")


def _claim_view(
    fb: FactBaseView,
    n: int,
    claim: Claim,
    sides: dict[str, int],
    links: Links,
    numbers: dict[str, int],
    dropped: set[str],
) -> ClaimView:
    """The claim as the report shows it; ``numbers`` gives each claim of the report its number and
    ``dropped`` holds the superseded claims (``story.superseded``)."""

    def link(claim_id: str) -> LinkView:
        other = fb.claim(claim_id)
        source = fb.sources.get(other.source.id) if other is not None else None
        return LinkView(claim_id, numbers.get(claim_id), source.title if source is not None else None)

    actor = fb.actors[claim.claimant]
    reactions = tuple(
        ReactionView(
            REACTION_KINDS[field],
            fb.actors[r.by].name,
            r.quote,
            fb.sources[r.source].title if r.source and r.source != claim.source.id else None,
        )
        for field, _, r in claim.reactions()
    )
    updated_by = links.updated_by.get(claim.id)
    return ClaimView(
        number=n + 1,
        claim=claim,
        claimant=actor.name,
        role=actor.role,
        side=sides[intervals.side_of(claim.claimant, {claim.claimant: fb.affiliations(claim.claimant)})],
        statuses=statuses(claim),
        date=fb.date_of(claim),
        about=tuple(fb.actors[a].name for a in claim.about),
        source_title=fb.sources[claim.source.id].title,
        reactions=reactions,
        updates=link(claim.updates) if claim.updates else None,
        updated_by=link(updated_by) if updated_by else None,
        matches=tuple(link(m) for m in links.matches.get(claim.id, ())),
        superseded=claim.id in dropped,
    )


def _title(sources: Sequence[Source]) -> str:
    if len(sources) == 1:
        return sources[0].title
    return f"{len(sources)} sources annotated" if sources else "No claims selected"


def _timestamp(exported: datetime.datetime | None) -> str:
    """The export's time in UTC; ``SOURCE_DATE_EPOCH`` fixes it, so a report can be made again byte for byte."""
    if exported is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        exported = (
            datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
            if epoch.isdigit()
            else datetime.datetime.now(datetime.UTC)
        )
    return exported.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _measures(fb: FactBaseView, views: Sequence[ClaimView]) -> list[MeasureView]:
    """Each measure's figures, by side and then date, with the figures that cannot all be true marked.

    A superseded figure (``story.superseded``: its claim revised by a later one, or the same claim
    as one revised) is drawn faded and left out of the conflicts: a side correcting itself is a
    revision, not a contradiction. Both are the definitions ``factcli compare`` and ``conflicts``
    use, so the page and the command line give one verdict.
    """
    rows: dict[str, list[FigureRow]] = {}
    for view in views:
        for figure in view.claim.figures:
            if figure.measure is not None:
                row = FigureRow(view.number - 1, figure, figure_interval(figure), False, view.superseded, view.date)
                rows.setdefault(figure.measure, []).append(row)
    result = []
    for measure, items in rows.items():
        current = [row for row in items if not row.superseded]
        clashing = {id(x) for pair in disjoint_pairs(current, lambda row: row.interval) for x in pair}
        ordered = sorted(
            (row._replace(in_conflict=id(row) in clashing) for row in items),
            key=lambda row: (views[row.claim].side, dates.sort_key(row.date) if row.date else "", row.claim),
        )
        known = fb.measures.get(measure)
        if known is None:
            result.append(MeasureView(measure, measure, None, None, ordered))
        else:
            result.append(MeasureView(measure, known.name, known.unit, known.description, ordered))
    return result


def figure_interval(figure: Figure) -> intervals.Interval:
    """The values a figure admits (``unspecified``, or a figure with no number, admits any)."""
    if figure.qualifier == "unspecified" or (figure.value is None and figure.low is None):
        return intervals.EVERYTHING
    return figure.interval()


# --- the chart -------------------------------------------------------------------------------------

CHART_WIDTH = 640
ROW_HEIGHT = 26
AXIS_HEIGHT = 30
PLOT_LEFT, PLOT_RIGHT = 72, CHART_WIDTH - 16  # left of the plot: each row's claim number and marks


class Mark(NamedTuple):
    """One figure's shape on the axis, in SVG user units."""

    x1: float
    x2: float
    y: float
    point: bool  # a single value: a dot
    left: str  # the left end: "closed", "open" or "arrow" (unbounded)
    right: str
    anything: bool  # admits any value ("several"): a dashed line across the axis


class Axis(NamedTuple):
    left: int
    right: int
    height: int
    ticks: list[tuple[float, str]]
    marks: list[Mark]


def axis(rows: Sequence[FigureRow]) -> Axis:
    """The shared scale of a measure's figures, its ticks, and each figure's mark."""
    ends = [x for r in rows for x in (r.interval.low, r.interval.high) if x is not None]
    lo, hi = (min(ends), max(ends)) if ends else (0.0, 1.0)
    if lo == hi:
        lo, hi = lo - max(1.0, abs(lo) * 0.1), hi + max(1.0, abs(hi) * 0.1)
    pad = (hi - lo) * 0.08
    lo, hi = lo - pad, hi + pad

    def x(value: float) -> float:
        return round(PLOT_LEFT + (value - lo) / (hi - lo) * (PLOT_RIGHT - PLOT_LEFT), 2)

    marks = []
    for i, row in enumerate(rows):
        iv, y = row.interval, AXIS_HEIGHT + i * ROW_HEIGHT + ROW_HEIGHT / 2
        if iv.low is None and iv.high is None:
            marks.append(Mark(PLOT_LEFT, PLOT_RIGHT, y, False, "arrow", "arrow", True))
            continue
        x1 = PLOT_LEFT if iv.low is None else x(iv.low)
        x2 = PLOT_RIGHT if iv.high is None else x(iv.high)
        left = "arrow" if iv.low is None else "open" if iv.low_open else "closed"
        right = "arrow" if iv.high is None else "open" if iv.high_open else "closed"
        marks.append(Mark(x1, x2, y, iv.low is not None and iv.low == iv.high, left, right, False))
    ticks = [(x(t), intervals.number(t)) for t in nice_ticks(lo, hi)]
    return Axis(PLOT_LEFT, PLOT_RIGHT, AXIS_HEIGHT + len(rows) * ROW_HEIGHT + 6, ticks, marks)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round values (1, 2 or 5 times a power of ten apart) between ``lo`` and ``hi``."""
    raw = (hi - lo) / count
    power = 10 ** _floor_log10(raw)
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = -(-lo // step) * step
    return [round(first + k * step, 10) for k in range(int((hi - first) // step) + 1)]


def _floor_log10(x: float) -> int:
    exponent = len(str(int(x))) - 1 if x >= 1 else -1
    while 10**exponent > x:
        exponent -= 1
    while 10 ** (exponent + 1) <= x:
        exponent += 1
    return exponent


# --- the page ------------------------------------------------------------------------------------

_JSON_UNSAFE = re.compile(r"[<>&]")


def script_json(value: object) -> Markup:
    """``value`` as JSON for a ``<script type="application/json">`` block: ``<``, ``>`` and ``&`` as
    ``\\u003c`` and so on (the same value), so ``</script>`` or ``<!--`` in a fact file cannot end it.
    Anything not ASCII is a JSON escape too: the page holds no raw bidi or control character anywhere."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return Markup(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def literal(value: object) -> Markup:
    """Fact-base text for HTML: escaped, and every control or bidi character shown as an escape (``\\u202e``)."""
    return Markup(terminal.escape(str(escape(value))))


def web_link(url: str | None) -> str | None:
    """``url`` when it is an http(s) address to link to; anything else (``javascript:``, ``data:``) is not linked."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or terminal.escape(url) != url:
        return None
    return url.strip()


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script or style."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _asset(name: str) -> str:
    return resources.files("factcli.exports").joinpath("templates", name).read_text(encoding="utf-8")


def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("factcli.exports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["lit"] = literal
    env.filters["fragment"] = lambda value: url_quote(str(value), safe="")
    return env


def page_data(report: Report) -> dict:
    """What the page's script needs to select and filter: ids and indices, never text it would show."""
    source_index = {s.id: i for i, s in enumerate(report.sources)}
    actor_index = {a: i for i, a in enumerate(report.actors)}
    return {
        "sides": report.sides,
        "actors": report.actors,
        "sources": [s.id for s in report.sources],
        "statuses": list(STATUSES),
        "claims": [
            {
                "id": v.claim.id,
                "side": v.side,
                "actor": actor_index[v.claim.claimant],
                "source": source_index[v.claim.source.id],
                "status": [STATUSES.index(s) for s in v.statuses],
            }
            for v in report.views
        ],
        "annotations": [[a.claim, a.kind] for a in report.annotations],
        # W3C Web Annotation selectors of the quotes whose words occur more than once in their source:
        # the prefix and suffix that find them again at the place marked.
        "selectors": {
            str(i): {
                "type": "TextQuoteSelector",
                "exact": a.anchor.exact,
                "prefix": a.anchor.prefix,
                "suffix": a.anchor.suffix,
            }
            for i, a in enumerate(report.annotations)
            if a.anchor is not None and (a.anchor.prefix or a.anchor.suffix)
        },
    }


def to_html(fb: FactBaseView, claims: Sequence[Claim], exported: datetime.datetime | None = None) -> str:
    """The report of ``claims`` as one self-contained HTML page.

    Raises ``OptionError`` (naming ``limit``) for more than ``MAX_CLAIMS`` claims, before any work.
    """
    if len(claims) > MAX_CLAIMS:
        raise OptionError(
            "limit",
            f"an HTML report holds at most {MAX_CLAIMS:,} claims and these filters select {len(claims):,}: "
            f"narrow them (--source, --actor, --topic, --search) or take the first ones with --limit {MAX_CLAIMS}",
        )
    report = build(fb, claims, exported)
    script, style = _asset("report.js"), _asset("report.css")
    csp = (
        "default-src 'none'; "
        f"script-src {csp_hash(script)}; style-src {csp_hash(style)}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    template = _environment().get_template("report.html.j2")
    return template.render(
        r=report,
        fb=fb,
        csp=csp,
        script=script,
        style=style,
        data=script_json(page_data(report)),
        axis=axis,
        web_link=web_link,
        palette=PALETTE_SIZE,
        describe=lambda iv: iv.describe(),
        figure_interval=figure_interval,
        label_groups=lambda ends: label_groups(ends, report.annotations),
        statuses=STATUSES,
        status_names=STATUS_NAMES,
        status_class=status_class,
        reaction_label=REACTION_LABELS,
        reaction_heading=REACTION_HEADINGS,
        measure_names={m.id: m.name for m in report.measures},
    )


def render(fb: FactBaseView, claims: Sequence[Claim], options: Options) -> str:
    return to_html(fb, claims)
