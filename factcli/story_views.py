"""Rich views of the story across sources: ``compare``, ``conflicts`` and ``timeline``.

Built on ``factcli.render``'s layout (a table when every word fits, else records, ids never cut)
and ``factcli.numberline``. Every string from the fact base goes through ``render.literal``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Span, Text

from factcli.intervals import Interval
from factcli.model import Claim, FactBaseView, Reaction
from factcli.numberline import Row, number_line
from factcli.render import (
    _claim_cell,
    _field,
    _id_line,
    _table,
    _wrap,
    figure_label,
    figures_said,
    literal,
    reported_elsewhere,
)
from factcli.story import (
    ComparedFigure,
    Comparison,
    Conflict,
    MeasuredFigure,
    MeasureUse,
    Timeline,
    re_reported,
    same_claims,
)
from factcli.terminal import escape


def _name(fb: FactBaseView, actor_id: str) -> str:
    return fb.actors[actor_id].name


def _given_by(fb: FactBaseView, claimant: str, side: str) -> Text:
    """The claimant, and the side it speaks for when that is another actor."""
    text = literal(_name(fb, claimant))
    if side != claimant:
        text.append_text(Text.assemble(" for ", literal(_name(fb, side), "bold")))
    return text


def _source_cell(fb: FactBaseView, claim: Claim, date: str | None) -> Text:
    return Text.assemble(literal(claim.source.id, "dim"), "\n", literal(date or "no date", "" if date else "dim"))


def _reactions(fb: FactBaseView, claim: Claim) -> Text:
    """Who disputes, confirms, or could not verify the claim, one line each, with the source
    reporting a reaction when it is not the claim's own (as ``show`` says it)."""

    def who(reaction: Reaction) -> str:
        source = reported_elsewhere(claim, reaction)
        return _name(fb, reaction.by) + (f" (in {source})" if source is not None else "")

    lines = [
        Text.assemble((f"{word} ", style), literal(", ".join(who(r) for r in reactions)))
        for word, style, reactions in (
            ("disputed by", "red", claim.disputes),
            ("confirmed by", "green", claim.confirmations),
            ("unverified, says", "yellow", claim.unverified),
        )
        if reactions
    ]
    return Text("\n").join(lines)


def _records(title: str, records: Iterable[list[Text]], width: int) -> Text:
    """``render``'s records, each line's continuations indented, so a wrapped line never reads as a
    line of its own; a word longer than the line (an id) keeps a line of its own, whole."""
    blocks = [Text("\n").join(_hanging(line, width, 2) for line in lines) for lines in records]
    return Text("\n\n").join([_hanging(Text(title, style="bold"), width, 2), *blocks])


def _hanging(text: Text, width: int, indent: int = 4) -> Text:
    """``text`` wrapped at spaces to ``width``, each line after the first indented by ``indent``;
    a word longer than the line (an id) keeps a line of its own, whole. Print with ``soft_wrap``."""
    lines = _wrap(text, max(width - indent, 1))
    return Text("\n").join([lines[0], *(Text.assemble(" " * indent, line) for line in lines[1:])])


def _status(figure: ComparedFigure) -> Text:
    words = [("conflict", "bold red")] if figure.in_conflict else []
    if figure.superseded:
        words.append(("superseded", "dim"))
    return Text(", ").join(Text(w, style=s) for w, s in words)


def _stands_for(figure: ComparedFigure) -> Text:
    status = _status(figure)
    said = Text(figure.interval.describe(), style="bold")
    return Text.assemble(said, "\n", status) if status.plain else said


def compare_view(fb: FactBaseView, comparison: Comparison, width: int) -> list[RenderableType]:
    """Every figure for one measure, the figures on one number line, each side's latest, and the verdict:
    parts to print one by one (a ``Text`` with ``soft_wrap``, so an id longer than the line is not cut)."""
    title = f"{comparison.measure}: {_count(len(comparison.figures), 'figure')} from {_count(len(comparison.sides), 'side')}"
    rows = [
        [
            Text.assemble(literal(figure_label(f.figure), "bold"), "\n", literal(f.claim.id, "cyan")),
            _given_by(fb, f.claim.claimant, f.side),
            _stands_for(f),
            _source_cell(fb, f.claim, f.date),
            _reactions(fb, f.claim),
        ]
        for f in comparison.figures
    ]
    table = _table(
        literal(title).plain,
        ["Figure (claim id below)", "Given by", "Stands for", "Source and date", "Reactions"],
        rows,
        width,
    )
    listing: RenderableType
    if table is not None:
        listing = table
    else:
        listing = _records(
            literal(title).plain,
            (
                [
                    _id_line(f.claim.id),
                    _field("Figure", literal(figure_label(f.figure), "bold")),
                    _field("Given by", _given_by(fb, f.claim.claimant, f.side)),
                    _field("Stands for", _stands_for(f)),
                    _field("Source", literal(f.claim.source.id)),
                    _field("Date", literal(f.date or "no date")),
                    *([_field("Reactions", _reactions(fb, f.claim))] if _reactions(fb, f.claim).plain else []),
                ]
                for f in comparison.figures
            ),
            width,
        )
    line = number_line(
        [
            Row(f"{_name(fb, f.side)}: {figure_label(f.figure)}", f.interval, f.superseded, f.in_conflict)
            for f in comparison.figures
        ],
        width,
    )
    return [listing, Text(""), line, Text(""), _latest(fb, comparison, width), _verdict(fb, comparison, width)]


def _latest(fb: FactBaseView, comparison: Comparison, width: int) -> Text:
    """Each side's latest standing figure; every one of them when its speakers differ on that day."""
    lines = [Text("Each side's latest figure:", style="bold")]
    for side in comparison.latest:
        latest = comparison.latest_of(side)
        for f in latest:
            speaker = f" ({_name(fb, f.claim.claimant)})" if len(latest) > 1 else ""
            said = Text.assemble(
                "  ",
                literal(_name(fb, side), "bold"),
                literal(speaker),
                ": ",
                literal(figure_label(f.figure)),
                f" ({f.interval.describe()}), ",
                literal(f.claim.id, "cyan"),
            )
            lines.append(_hanging(said, width))
    return Text("\n").join(lines)


def _verdict(fb: FactBaseView, comparison: Comparison, width: int) -> Text:
    standing = sum(not f.superseded for f in comparison.figures)
    if comparison.consistent:
        how = {0: "no figure stands", 1: "the one standing figure can be true", 2: "both standing figures can be true"}
        said = how.get(standing, f"all {standing} standing figures can be true at once")
        return _hanging(Text(f"Verdict: consistent: {said}.", style="green"), width)
    lines = [Text("Verdict: these figures cannot both be true:", style="bold red")]
    groups = re_reported(comparison.conflicts, lambda f: f.claim.id, lambda f: f.interval, same_claims(fb))
    for (first, second), *again in groups:
        lines.append(_hanging(Text.assemble("  ", _figure_words(fb, first), " and ", _figure_words(fb, second)), width))
        for a, b in again:
            lines.append(_hanging(_again(a.claim, b.claim), width, 6))
    return Text("\n").join(lines)


def _again(a: Claim, b: Claim) -> Text:
    """A re-report of a disagreement already shown: the sources telling it again, and its claims."""
    sources = list(dict.fromkeys((a.source.id, b.source.id)))
    return Text.assemble(
        "    the same, as ",
        literal(" and ".join(sources)),
        " report it: " if len(sources) > 1 else " reports it: ",
        literal(a.id, "cyan"),
        " and ",
        literal(b.id, "cyan"),
    )


def _figure_words(fb: FactBaseView, f: ComparedFigure) -> Text:
    return Text.assemble(
        literal(_name(fb, f.claim.claimant), "bold"),
        " ",
        literal(f"“{f.figure.text}”"),
        f" ({f.interval.describe()}, ",
        literal(f.claim.id, "cyan"),
        ")",
    )


TABLE_PAIRS = 200
"""Above this many pairs ``conflicts`` prints records, a batch at a time, not a table: Rich lays a
table (or one long text) out whole, about 1 ms a row here, and thousands of pairs are read by
searching, not by columns."""

BATCH_LINES = 400
"""Lines of records printed at once: each print costs Rich a pass of its own (about 0.3 ms), so
a hundred thousand records printed one by one spend most of their time starting prints."""


class Streamed:
    """Records printed a batch at a time as they are built, each line whole (as ``soft_wrap``
    prints: the terminal wraps a long line, and an id is never cut): the first records are on the
    screen before the last are made, and no layout pass runs over them all."""

    def __init__(self, title: str, records: Iterable[list[Text]]) -> None:
        self.title, self.records = title, records

    def blocks(self) -> Iterator[RenderableType]:
        yield Text(self.title, style="bold")
        batch: list[Text] = []
        for lines in self.records:
            batch += (BLANK, *lines)  # a blank line before each record
            if len(batch) >= BATCH_LINES:
                yield Lines(batch)
                batch = []
        if batch:
            yield Lines(batch)


class Lines:
    """Lines of text printed each whole, as ``print(Text("\\n").join(lines), soft_wrap=True)``
    prints them, without joining them into one text only for Rich to split it again (a hundred
    thousand records spend most of their time there)."""

    def __init__(self, lines: list[Text]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if console.color_system is None:  # (a pipe or a file) no style is printed: the characters, in one piece
            yield Segment("".join(f"{_expanded(line, console).plain}\n" for line in self.lines))
            return
        # Each line rendered once: a figure's lines are in a record with each figure it contradicts.
        rendered: dict[int, list[Segment]] = {}
        for line in self.lines:
            segments = rendered.get(id(line))
            if segments is None:
                segments = rendered[id(line)] = _segments(line, console)
            yield from segments
            yield Segment.line()


def _expanded(line: Text, console: Console) -> Text:
    """``line`` with its tabs expanded as ``Text.wrap`` does (a copy: a line may be printed again)."""
    if "\t" not in line.plain:
        return line
    line = line.copy()
    line.expand_tabs(console.tab_size or 8)
    return line


def _segments(line: Text, console: Console) -> list[Segment]:
    line = _expanded(line, console)
    if line.spans or not line.style:
        return list(line.render(console))
    # (``render`` gives a text with no spans no style: the joined text had it as a span)
    return [Segment(line.plain, console.get_style(line.style))]


BLANK = Text("")

Told = list[tuple[int, int]]  # one disagreement: a pair of figures (indexes), then each re-report of it


def conflicts_view(fb: FactBaseView, conflicts: list[Conflict], width: int) -> RenderableType | Streamed:
    """Each smallest group of figures that cannot hold together (a pair), under its measure, named once.

    A pair that is the same two claims as another (``matches``: one article's figures told again
    by another) is shown once, with the sources and claims telling it again."""
    same = same_claims(fb)
    told: list[tuple[Conflict, list[Interval], Told]] = []
    for c in conflicts:
        intervals = [m.interval for m in c.figures]  # each figure's once, however many pairs it is in
        claims = [m.claim for m in c.figures]
        for group in re_reported(c.groups, claims.__getitem__, intervals.__getitem__, same):
            told.append((c, intervals, group))
    pairs = sum(len(c.groups) for c in conflicts)
    again = f" ({_count(pairs - len(told), 'more')} as other sources report them again)" if pairs > len(told) else ""
    title = f"{_count(len(conflicts), 'measure')} whose figures cannot all be true: {_count(len(told), 'pair')}{again}"
    heads = [i == 0 or told[i - 1][0] is not c for i, (c, _, _) in enumerate(told)]
    lines = _FigureLines(fb)

    def record(c: Conflict, intervals: list[Interval], group: Told, head: bool) -> list[Text]:
        heading = [literal(c.measure, "bold cyan")] if head else []
        (a, b), again = group[0], group[1:]
        said = [*lines.of(c, intervals, a), *lines.of(c, intervals, b)]
        return [*heading, *said, *(_again_measured(c.figures[i], c.figures[j]) for i, j in again)]

    records = (record(c, intervals, group, head) for (c, intervals, group), head in zip(told, heads, strict=True))
    if pairs > TABLE_PAIRS:
        return Streamed(title, records)
    rows, ends = [], []
    for (c, intervals, group), head in zip(told, heads, strict=True):
        for side, i in enumerate(group[0]):
            m = c.figures[i]
            told_again = [c.figures[pair[side]] for pair in group[1:]]
            rows.append(
                [
                    literal(c.measure, "cyan") if side == 0 and head else Text(""),
                    Text.assemble(literal(figure_label(m.figure), "bold"), "\n", Text(intervals[i].describe())),
                    literal(_name(fb, m.claimant)),
                    Text("\n").join(
                        [
                            Text.assemble(literal(m.source, "dim"), "\n", literal(m.date or "no date", "dim")),
                            *(literal(f"also {t.source}", "dim") for t in dict.fromkeys(told_again)),
                        ]
                    ),
                    Text("\n").join([literal(m.claim, "cyan"), *(literal(t.claim, "cyan") for t in told_again)]),
                ]
            )
        ends.append(len(rows) - 1)
    table = _table(title, ["Measure", "Figure", "Given by", "Source and date", "Claim"], rows, width, ends=ends)
    if table is not None:
        return table
    return _records(title, records, width)


def _again_measured(a: MeasuredFigure, b: MeasuredFigure) -> Text:
    sources = list(dict.fromkeys((a.source, b.source)))
    return pieces(
        ("the same, as ", ""),
        (shown(" and ".join(sources)), ""),
        (" report it: " if len(sources) > 1 else " reports it: ", ""),
        (shown(a.claim), "dim"),
        (" and ", ""),
        (shown(b.claim), "dim"),
    )


def shown(value: str) -> str:
    """``value`` as ``render.literal`` shows it (escaped, on one line), for ``pieces``."""
    if value.isascii() and value.isprintable():  # (no character to escape: no pass of the expression)
        return value
    return escape(value).replace("\n", "\\n")


def pieces(*parts: tuple[str, str]) -> Text:
    """``Text.assemble`` of ``(text, style)`` parts (literal ones passed through ``shown``), its
    spans worked out at once: the same text, without a ``Text`` made and appended for each part
    (a hundred thousand records make half a million of them)."""
    plain: list[str] = []
    spans: list[Span] = []
    at = 0
    for text, style in parts:
        end = at + len(text)
        if style and end > at:
            spans.append(Span(at, end, style))
        plain.append(text)
        at = end
    return Text("".join(plain), spans=spans)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 or word == 'more' else 's'}"


class _FigureLines:
    """A figure's two lines in a conflict's record (what it says and who gave it where, then its
    claim), made once: a figure disjoint from several others is in a record with each."""

    def __init__(self, fb: FactBaseView) -> None:
        self._fb = fb
        self._conflict: Conflict | None = None
        self._made: dict[int, tuple[Text, Text]] = {}

    def of(self, conflict: Conflict, intervals: list[Interval], i: int) -> tuple[Text, Text]:
        if conflict is not self._conflict:
            self._conflict, self._made = conflict, {}
        made = self._made.get(i)
        if made is None:
            m = conflict.figures[i]
            said = pieces(
                (shown(figure_label(m.figure)), "bold"),
                (f" ({intervals[i].describe()}), given by ", ""),
                (shown(_name(self._fb, m.claimant)), ""),
                (", in ", ""),
                (shown(m.source), ""),
                (shown(f" ({m.date})" if m.date else ""), ""),
            )
            made = self._made[i] = (said, _id_line(m.claim, "dim"))
        return made


def timeline_view(fb: FactBaseView, story: Timeline, width: int, measure: str | None = None) -> list[RenderableType]:
    """The claims in the order of the story, each with its date, then each chain of updates (giving
    only ``measure``'s figures when one is named): parts to print one by one, as ``compare_view``'s."""
    title = f"{_count(len(story.claims), 'claim')} in the order of the story"
    rows = [
        [
            literal(story.dates[c.id] or "no date", "" if story.dates[c.id] else "dim"),
            _claim_cell(c),
            literal(_name(fb, c.claimant)),
            literal(c.source.id, "dim"),
            Text("\n").join(literal(figure_label(f), "bold") for f in c.figures),
            Text("superseded", style="dim") if c.id in story.superseded else Text(""),
        ]
        for c in story.claims
    ]
    headers = ["Date", "Claim (id below)", "Claimant", "Source", "Figures", ""]
    table = _table(title, headers, rows, width, lines=True)
    listing: RenderableType
    if table is not None:
        listing = table
    else:
        listing = _records(
            title,
            (
                [
                    _id_line(c.id),
                    literal(c.statement),
                    _field("Date", literal(story.dates[c.id] or "no date")),
                    _field("Claimant", literal(_name(fb, c.claimant))),
                    _field("Source", literal(c.source.id)),
                    *(
                        [_field("Figures", Text("; ").join(literal(figure_label(f)) for f in c.figures))]
                        if c.figures
                        else []
                    ),
                    *([Text("superseded", style="dim")] if c.id in story.superseded else []),
                ]
                for c in story.claims
            ),
            width,
        )
    if not story.chains:
        return [listing]
    measures = () if measure is None else (measure,)
    chains = [Text("Updates, earliest first:", style="bold")]
    for chain in story.chains:
        steps = Text(" → ").join(_chain_step(c, measures) for c in chain)
        chains.append(_hanging(Text.assemble("  ", steps), width))
    return [listing, Text(""), Text("\n").join(chains)]


def _chain_step(claim: Claim, measures: tuple[str, ...]) -> Text:
    """A claim in a chain of updates: its figures as written (``figures_said``), and its id."""
    return Text.assemble(literal(figures_said(claim, measures), "bold"), " (", literal(claim.id, "cyan"), ")")


def measures_view(fb: FactBaseView, uses: list[MeasureUse], width: int) -> Table | Text:
    """``factcli measures``: each measure's name (its id below it), unit, and the figures, claims and sides giving it."""

    def named(use: MeasureUse) -> Text:
        name = literal(use.name) if use.name is not None else Text("(not in measures/)", style="dim")
        return Text.assemble(name, "\n", _id_line(use.id))

    def sides(use: MeasureUse) -> Text:
        return literal(", ".join(_name(fb, side) if side in fb.actors else side for side in use.sides))

    rows = [[named(u), literal(u.unit or ""), Text(str(u.figures)), Text(str(u.claims)), sides(u)] for u in uses]
    table = _table("Measures", ["Measure (id below)", "Unit", "Figures", "Claims", "Sides"], rows, width)
    if table is not None:
        return table
    return _records(
        "Measures",
        (
            [
                _id_line(u.id),
                *([literal(u.name, "bold")] if u.name is not None else []),
                _field("Unit", literal(u.unit or "")),
                _field("Figures", Text(f"{u.figures} in {u.claims} claim{'' if u.claims == 1 else 's'}")),
                _field("Sides", sides(u)),
            ]
            for u in uses
        ),
        width,
    )
