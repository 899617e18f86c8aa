"""Rich renderables for people: tables, trees and panels over the fact base.

Every string from the fact base is untrusted. It reaches Rich only as a
``Text`` built from ``terminal.escape``d text, never as markup, so ``[bold]``,
``:emoji:`` codes, escape sequences and bidi controls print literally.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.segment import Segment, Segments
from rich.table import Table
from rich.text import Text

from factcli.files import shown
from factcli.model import Claim, FactBaseView, Figure, Reaction, Source
from factcli.terminal import escape

if TYPE_CHECKING:  # panels and trees are imported by the one command that draws them
    from rich.console import Console, Group, RenderableType
    from rich.tree import Tree

    from factcli.stats import ActorCounts  # (its counts come from ``actors``, which imports it)


def in_pieces(console: Console, view: RenderableType, lines: int = 50) -> Iterator[Segments]:
    """``view`` as ``console`` renders it, in pieces of whole lines, each to print as it comes.

    Rich lays a table out row by row once its column widths are known (``_table`` fixes them),
    but ``Console.print`` writes nothing until the last row is drawn: printed piece by piece,
    a long table starts at once. The pieces hold the very segments one print would write; the
    first has ``lines`` lines, each next one twice as many (a print costs a little every time).
    """
    piece: list[Segment] = []
    ended = 0
    for segment in console.render(view, console.options):
        piece.append(segment)
        if segment.text.endswith("\n"):
            ended += 1
            if ended == lines:
                yield Segments(piece)
                piece, ended, lines = [], 0, 2 * lines
    if piece:
        yield Segments(piece)


def literal(value: object, style: str = "") -> Text:
    """Untrusted data as a literal, escaped ``Text``, on one line: a line break in a statement
    would otherwise draw a field or a record of its own ("Disputed: no", a claim id)."""
    return Text(escape("" if value is None else str(value)).replace("\n", "\\n"), style=style)


STANDALONE_QUANTITIES = frozenset({"none", "dozens", "scores", "tens", "hundreds", "thousands", "millions"})
"""Words that say a quantity but cannot stand before a noun ("none aircraft lost", "dozens drones"):
a figure whose text ends in one gives its unit in brackets, "none (aircraft lost)"."""


def figure_label(figure: Figure) -> str:
    """A figure as a reader says it: 'at least 20 people killed', 'several drones', 'none (aircraft lost)'.

    The unit follows the text, unless the text already says it; after a word that cannot
    stand before a noun (``STANDALONE_QUANTITIES``) it follows in brackets.
    """
    if figure.unit in figure.text:
        return figure.text
    words = figure.text.split()
    if words and words[-1].lower() in STANDALONE_QUANTITIES:
        return f"{figure.text} ({figure.unit})"
    return f"{figure.text} {figure.unit}"


def figures_said(claim: Claim, measures: Collection[str] = ()) -> str:
    """A claim's figures in a line about other claims (an update chain): only those for ``measures``
    when it gives any (a toll's update is not about the wounded), else every figure, each named by
    its measure when they count different things; its statement when it gives no figure."""
    chosen = [f for f in claim.figures if f.measure in measures]
    if chosen:
        return "; ".join(figure_label(f) for f in chosen)
    if len({f.measure for f in claim.figures}) > 1:
        return "; ".join(f"{f.measure}: {figure_label(f)}" if f.measure else figure_label(f) for f in claim.figures)
    return "; ".join(figure_label(f) for f in claim.figures) or claim.statement


# --- layout: a table when every word fits its column, else one record per item ----------------
#
# A table squeezed below its width folds words and ids mid-word and drops columns to one
# character, so a disputed claim no longer says so. Each view is therefore drawn as a table
# only when every column can hold its longest word (an id is one word); otherwise as records,
# one field a line, wrapped at spaces, where a word longer than the terminal keeps its own line
# whole (printed uncropped: the terminal wraps it, the copy stays one unbroken id).


def _words(text: Text) -> list[str]:
    """The words of ``text``, split at spaces and line breaks only: a no-break space (``KEEP``) joins."""
    return _BREAKS.split(text.plain)


_BREAKS = re.compile(r"[ \n]+")
KEEP = "\u00a0"  # a no-break space: "≥ 31" is one word to Rich and to ``_wrap``


def _least(text: Text) -> int:
    """The narrowest a cell can be without breaking a word."""
    return max((cell_len(w) for w in _words(text)), default=0)


NAME_LEAST = 20  # a name kept whole on one line up to this many cells ("Ministry of Defence of Tarsovia" wraps once)


def _least_name(text: Text) -> int:
    """The narrowest a cell of names, one a line, can be while each name up to ``NAME_LEAST``
    cells keeps a line of its own (not "Ministry / of / Defence", a word a line)."""
    return max([_least(text), *(min(cell_len(line), NAME_LEAST) for line in text.plain.split("\n"))])


def _most(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


def _widths(width: int, columns: list[tuple[int, int]]) -> list[int] | None:
    """Column widths from each column's (least, most) content width, or None when the least do not fit.

    With the SIMPLE_HEAD box a table spends two characters on its edges, two on each
    column's padding and one between columns. Room beyond the least goes first to the
    columns that want least (a name, a figure: whole on one line), so the long text column,
    which reads well wrapped, takes what is left; when a column wants more than is left,
    the rest is shared among the columns still wanting in proportion to what they want.
    """
    room = width - 2 - 2 * len(columns) - (len(columns) - 1)
    widths = [lo for lo, _ in columns]
    spare = room - sum(widths)
    if spare < 0:
        return None
    want = [max(hi - lo, 0) for lo, hi in columns]
    waiting = sorted(range(len(columns)), key=lambda i: want[i])
    while waiting and want[waiting[0]] <= spare:
        i = waiting.pop(0)
        widths[i] += want[i]
        spare -= want[i]
    if waiting:
        wanted = sum(want[i] for i in waiting)
        for i in waiting:
            widths[i] += spare * want[i] // wanted
    return widths


def _table(
    title: str,
    headers: list[str],
    rows: list[list[Text]],
    width: int,
    *,
    lines: bool = False,
    ends: Iterable[int] = (),
    names: Iterable[int] = (),
) -> Table | None:
    """A table of ``rows`` that keeps every word whole at ``width``, or None when it cannot.

    The columns ``names`` hold names, one a line, each kept on a line of its own (see ``_least_name``).
    """
    head = [Text(h) for h in headers]
    names = set(names)
    columns = [
        (
            max((_least_name if i in names else _least)(c) for c in [h, *(r[i] for r in rows)]),
            max(_most(c) for c in [h, *(r[i] for r in rows)]),
        )
        for i, h in enumerate(head)
    ]
    widths = _widths(width, columns)
    if widths is None:
        return None
    table = Table(title=title, box=box.SIMPLE_HEAD, show_lines=lines, title_justify="left")
    for header, w in zip(headers, widths, strict=True):
        table.add_column(header, width=w, overflow="fold")
    ends = set(ends)
    for i, row in enumerate(rows):
        table.add_row(*row, end_section=i in ends)
    return table


def _records(title: str, records: Iterable[list[Text]], width: int) -> Text:
    """Records for a narrow terminal: a title, then each record's lines, a blank line between records.

    Wrapped here, at spaces only, and marked not to be wrapped again: Rich would fold a word
    wider than the terminal, and an id must stay whole to be copied. Print it with
    ``soft_wrap=True``.
    """
    blocks = [Text("\n").join(piece for line in lines for piece in _wrap(line, width)) for lines in records]
    return Text("\n\n").join([Text("\n").join(_wrap(Text(title, style="bold"), width)), *blocks])


_WORD = re.compile(r"[^ ]+ *")  # (a no-break space is not a place to break)


def _wrap(text: Text, width: int) -> list[Text]:
    """``text`` broken into lines of at most ``width`` cells at spaces; a longer word keeps a line of its own."""
    lines: list[Text] = []
    for line in text.split("\n", allow_blank=True):
        breaks, used = [], 0
        for word in _WORD.finditer(line.plain):
            if used and used + cell_len(word.group().rstrip()) > width:
                breaks.append(word.start())
                used = 0
            used += cell_len(word.group())
        for piece in line.divide(breaks):
            piece.rstrip()  # in place: a line's trailing spaces are not shown
            lines.append(piece)
    return lines


def _id_line(value: str, style: str = "cyan") -> Text:
    return literal(value, style)


def _field(label: str, value: Text) -> Text:
    return Text.assemble((f"{label}: ", "bold"), value)


# --- the views -------------------------------------------------------------------------------


def _disputed_cell(fb: FactBaseView, claim: Claim, table: bool = False) -> Text:
    """Whether anyone disputes the claim, and who; in a table a name a line (see ``_least_name``)."""
    if not claim.disputed:
        return Text("no", style="dim")
    names = [literal(fb.actors[a].name) for a in claim.disputed_by]
    if table:
        return Text.assemble(("yes", "bold red"), " by\n", Text("\n").join(names))
    return Text.assemble(("yes", "bold red"), " by ", Text(", ").join(names))


def _figures(claim: Claim, sep: str = "\n") -> Text:
    return Text(sep).join(literal(figure_label(f), "bold") for f in claim.figures)


def several_sources(claims: Iterable[Claim]) -> bool:
    """Whether ``claims`` come from more than one source: then a view says which source each is from."""
    return len({c.source.id for c in claims}) > 1


def claims_view(fb: FactBaseView, claims: list[Claim], width: int, title: str = "Claims") -> Table | Text:
    sourced = several_sources(claims)
    rows = [
        [
            _claim_cell(c),
            literal(fb.actors[c.claimant].name),
            *([literal(c.source.id, "dim")] if sourced else []),
            _figures(c),
            _disputed_cell(fb, c, table=True),
        ]
        for c in claims
    ]
    headers = ["Claim (id below)", "Claimant", *(["Source"] if sourced else []), "Figures", "Disputed"]
    table = _table(title, headers, rows, width, lines=True, names=(1, len(headers) - 1))
    if table is not None:
        return table
    return _records(
        title,
        (
            [
                _id_line(c.id),
                literal(c.statement),
                _field("Claimant", literal(fb.actors[c.claimant].name)),
                *([_field("Source", literal(c.source.id))] if sourced else []),
                *([_field("Figures", _figures(c, "; "))] if c.figures else []),
                _field("Disputed", _disputed_cell(fb, c)),
            ]
            for c in claims
        ),
        width,
    )


def _claim_cell(claim: Claim) -> Text:
    """The statement, with the id (what ``factcli show`` takes) on its own line beneath."""
    return Text.assemble(literal(claim.statement), "\n", literal(claim.id, "cyan"))


def disputes_view(fb: FactBaseView, claims: list[Claim], width: int) -> Table | Text:
    title = "Disputed claims"
    rows = []
    sourced = several_sources(claims)
    for claim in claims:
        claim_cell = Text.assemble(literal(fb.actors[claim.claimant].name, "bold"), ": ", _claim_cell(claim))
        if sourced:
            claim_cell.append_text(Text.assemble("\n", literal(f"in {claim.source.id}", "dim")))
        for i, dispute in enumerate(claim.disputes):
            rows.append(
                [
                    claim_cell if i == 0 else Text(""),
                    literal(fb.actors[dispute.by].name, "bold red"),
                    Text.assemble(literal(f"“{dispute.quote}”", "italic"), _reported_in(claim, dispute)),
                ]
            )
    table = _table(
        title, ["Claim (id below)", "Disputed by", "As the source reports the dispute"], rows, width, lines=True
    )
    if table is not None:
        return table
    return _records(
        title,
        (
            [
                _id_line(c.id),
                Text.assemble(literal(fb.actors[c.claimant].name, "bold"), ": ", literal(c.statement)),
                *([_field("Source", literal(c.source.id))] if sourced else []),
                *(
                    Text.assemble(
                        ("Disputed by ", "bold"),
                        literal(fb.actors[d.by].name, "bold red"),
                        ": ",
                        literal(f"“{d.quote}”", "italic"),
                        _reported_in(c, d),
                    )
                    for d in c.disputes
                ),
            ]
            for c in claims
        ),
        width,
    )


PANEL_WIDTH = 80  # ``show`` draws panels from this width up, plain records below it
LABEL_WIDTH = cell_len("Same claim in")  # the longest label a claim can have: every panel's values align alike


def claim_view(fb: FactBaseView, claim: Claim, width: int) -> Group | Text:
    """One claim in full, with its quote highlighted inside its paragraph of the source."""
    from rich.console import Group
    from rich.panel import Panel

    fields = _claim_fields(fb, claim)
    context = _quote_in_context(fb, claim)
    reactions = _reactions_in_context(fb, claim)
    label_width = max([LABEL_WIDTH, *(cell_len(label) for label, _ in fields)])
    # A panel spends four characters on its borders and padding, the grid two between its columns.
    # Whether it is drawn depends on the width alone (below PANEL_WIDTH never), so every claim is
    # shown alike at one width; only a word too wide for any panel (an id of 60 characters) makes
    # records. The file's path, one long word that differs claim by claim, goes beneath the panels.
    boxed = [(label, value) for label, value in fields if label != "File"]
    widest = max([_least(v) for _, v in boxed] + [_least(context)] + [_least(t) for _, t in reactions])
    if width < PANEL_WIDTH or width < 4 + label_width + 2 + widest or width < cell_len(claim.id) + 6:
        lines = [_id_line(claim.id), *(_field(label, value) for label, value in fields)]
        lines += [Text(""), Text("In the source:", style="bold"), context]
        for title, text in reactions:
            lines += [Text(""), Text(f"{title}:", style="bold"), text]
        return _records("Claim", [lines], width)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True, min_width=label_width)
    grid.add_column(overflow="fold")
    for label, value in boxed:
        grid.add_row(label, value)
    below = [line for label, value in fields if label == "File" for line in _wrap(_field(label, value), width)]
    for line in below:  # uncropped: the terminal wraps a long path, a copy of it stays whole
        line.no_wrap, line.overflow = True, "ignore"
    return Group(
        Panel(grid, title=literal(claim.id), title_align="left", border_style="cyan"),
        # A ``Text`` title: a string would be read as markup, which loads Rich's table of emoji codes.
        Panel(context, title=Text("In the source"), title_align="left", border_style="dim"),
        *(Panel(text, title=title, title_align="left", border_style="dim") for title, text in reactions),
        *below,
    )


def _claim_fields(fb: FactBaseView, claim: Claim) -> list[tuple[str, Text]]:
    actor = fb.actors[claim.claimant]
    fields = [("Statement", literal(claim.statement))]
    claimant = Text.assemble(literal(actor.name, "bold"), " ", literal(f"({actor.id})", "dim"))
    if actor.role:
        claimant.append_text(Text.assemble(", ", literal(actor.role)))
    fields.append(("Claimant", claimant))
    affiliations = fb.affiliations(actor.id)
    if affiliations:
        fields.append(("Speaks for", literal(" › ".join(fb.actors[a].name for a in affiliations))))
    if claim.about:
        fields.append(("About", literal(", ".join(fb.actors[a].name for a in claim.about))))
    fields.append(("Date", _date_cell(fb, claim)))
    if claim.figures:
        lines = Text("\n").join(
            Text.assemble(
                literal(figure_label(f), "bold"),
                literal(f"  stands for {f.interval().describe().replace(' ', KEEP)}, {f.qualifier}", "dim"),
                literal(f", measure {f.measure}" if f.measure else "", "dim"),
            )
            for f in claim.figures
        )
        fields.append(("Figures", lines))
    links = fb.links()
    measures = {f.measure for f in claim.figures if f.measure}
    for label, other in (("Updates", claim.updates), ("Updated by", links.updated_by.get(claim.id))):
        if other is not None:
            fields.append((label, _other_claim(fb, other, measures)))
    matches = links.matches.get(claim.id, ())
    if matches:
        fields.append(("Same claim in", Text("\n").join(_other_claim(fb, other, measures) for other in matches)))
    if claim.disputed:
        fields.append(("Disputed by", _reactions_cell(fb, claim, claim.disputes, "bold red")))
    else:
        fields.append(("Disputed", Text("no (the source reports no one contesting it)", style="dim")))
    if claim.confirmations:
        fields.append(("Confirmed by", _reactions_cell(fb, claim, claim.confirmations, "bold green")))
    if claim.unverified:
        fields.append(("Unverified", _reactions_cell(fb, claim, claim.unverified, "bold yellow")))
    fields.append(("Topics", literal(", ".join(claim.topics))))
    source = fb.sources[claim.source.id]
    fields.append(
        ("Source", Text.assemble(literal(source.title), " ", literal(f"({source.id}, {claim.source.section})", "dim")))
    )
    fields.append(("File", literal(shown(claim.path), "dim")))  # a folder's name need not be UTF-8
    return fields


def _date_cell(fb: FactBaseView, claim: Claim) -> Text:
    """The claim's date, and where it comes from: the claim's own as_of, or its source's published date."""
    date = fb.date_of(claim)
    if date is None:
        return Text("not given (neither the claim nor its source gives one)", style="dim")
    whose = "as of" if claim.as_of is not None else "the source's published date"
    return Text.assemble(literal(date), " ", literal(f"({whose})", "dim"))


def _other_claim(fb: FactBaseView, claim_id: str, measures: Collection[str]) -> Text:
    """Another claim named by this one: its id, who made it, where, and its figures for ``measures``
    (``figures_said``) or its statement."""
    other = fb.claim(claim_id)
    if other is None:  # (validation refuses a dangling link; said rather than hidden all the same)
        return Text.assemble(literal(claim_id, "cyan"), " ", Text("(not in the fact base)", style="dim"))
    said = figures_said(other, measures)
    return Text.assemble(
        literal(claim_id, "cyan"),
        " ",
        literal(f"({fb.actors[other.claimant].name}, {other.source.id}):", "dim"),
        " ",
        literal(said),
    )


def _reactions_cell(fb: FactBaseView, claim: Claim, reactions: Iterable[Reaction], style: str) -> Text:
    """Each reaction: who, the words reporting it, and the source saying so when it is another."""
    return Text("\n").join(
        Text.assemble(
            literal(fb.actors[r.by].name, style), ": ", literal(f"“{r.quote}”", "italic"), _reported_in(claim, r)
        )
        for r in reactions
    )


def reported_elsewhere(claim: Claim, reaction: Reaction) -> str | None:
    """The source reporting ``reaction`` when it is not the claim's own (None: the claim's source does)."""
    return reaction.source if reaction.source is not None and reaction.source != claim.source.id else None


def _reported_in(claim: Claim, reaction: Reaction) -> Text:
    """ " (in SOURCE)" when another source than the claim's reports the reaction, else nothing."""
    source = reported_elsewhere(claim, reaction)
    return literal(f" (in {source})" if source is not None else "", "dim")


def _quote_in_context(fb: FactBaseView, claim: Claim) -> Text:
    return _marked(fb.sources[claim.source.id], claim.source.quote)


def _marked(source: Source, quote: str) -> Text:
    """The paragraph of ``source`` holding ``quote``, the quote marked (in words too: »…«, so it
    survives NO_COLOR, pipes and files)."""
    before, _, after = source.paragraph_of(quote).partition(quote)
    return Text.assemble(literal(before), ("»", "dim"), literal(quote, "bold reverse"), ("«", "dim"), literal(after))


REACTION_TITLES = {"disputes": "Disputed by", "confirmations": "Confirmed by", "unverified": "Not verified, says"}


def _reactions_in_context(fb: FactBaseView, claim: Claim) -> list[tuple[Text, Text]]:
    """Each reaction's words marked in their own paragraph, in the source reporting them (its own, or
    another), titled by who reacts and where."""
    out: list[tuple[Text, Text]] = []
    for name, _, reaction in claim.reactions():
        source_id = reaction.source if reaction.source is not None else claim.source.id
        title = Text.assemble(
            f"{REACTION_TITLES[name]} ", literal(fb.actors[reaction.by].name), ", in ", literal(source_id)
        )
        out.append((title, _marked(fb.sources[source_id], reaction.quote)))
    return out


def actors_view(fb: FactBaseView, counts: dict[str, ActorCounts], width: int) -> Tree | Text:
    """Actors nested by ``part_of``; an actor part of several appears under each.

    A tree indents four characters a level; when a label's longest word cannot fit beside
    its indent, each actor is a record naming what it is part of instead.
    """
    from rich.tree import Tree

    def label(actor_id: str) -> Text:
        actor, c = fb.actors[actor_id], counts[actor_id]
        text = Text.assemble(literal(actor.name, "bold"), " ", literal(f"({actor.id}, {actor.kind})", "dim"))
        if actor.role:
            text.append_text(Text.assemble(" ", literal(actor.role, "italic")))
        summary = f"{c.claims} own claim{'s' if c.claims != 1 else ''}"
        if c.claims_disputed:
            summary += f", {c.claims_disputed} disputed"
        if c.disputes:
            summary += f"; disputes {c.disputes}"
        text.append(f"  {summary}", style="green" if c.claims else "dim")
        return text

    nodes: list[tuple[int, str]] = []  # (depth, actor id) in the order the tree shows them

    def walk(actor_id: str, path: tuple[str, ...]) -> None:
        nodes.append((len(path), actor_id))
        for child in sorted(fb.children(actor_id)):
            if child not in path:
                walk(child, (*path, child))

    for actor in sorted(fb.actors.values(), key=lambda a: a.id):
        if not actor.part_of:
            walk(actor.id, (actor.id,))
    labels = {a: label(a) for a in fb.actors}
    if any(4 * depth + _least(labels[a]) > width for depth, a in nodes):
        return _records(
            "Actors",
            (
                [
                    _id_line(a.id),
                    labels[a.id],
                    *([_field("Part of", literal(", ".join(a.part_of)))] if a.part_of else []),
                ]
                for a in sorted(fb.actors.values(), key=lambda a: a.id)
            ),
            width,
        )
    tree = Tree(Text("Actors", style="bold"), guide_style="dim")
    parents: dict[int, Tree] = {0: tree}
    for depth, actor_id in nodes:
        parents[depth] = parents[depth - 1].add(labels[actor_id])
    return tree


def figures_view(
    fb: FactBaseView, groups: list[tuple[str | None, list[tuple[Claim, Figure]]]], width: int
) -> Table | Text:
    title = "Figures by what they measure"
    sourced = several_sources(claim for _, items in groups for claim, _ in items)
    rows, ends = [], []
    for measure, items in groups:
        for i, (claim, figure) in enumerate(items):
            rows.append(
                [
                    literal(measure or "(no measure)", "cyan") if i == 0 else Text(""),
                    literal(figure_label(figure), "bold"),
                    literal(figure.qualifier),
                    literal(fb.actors[claim.claimant].name),
                    _date_of(fb, claim),
                    *([literal(claim.source.id, "dim")] if sourced else []),
                    literal(claim.id, "dim"),
                ]
            )
        ends.append(len(rows) - 1)
    headers = ["Measure", "Figure", "Qualifier", "Given by", "Date", *(["Source"] if sourced else []), "Claim"]
    table = _table(title, headers, rows, width, ends=ends)
    if table is not None:
        return table
    return _records(
        title,
        (
            [
                literal(measure or "(no measure)", "cyan"),
                *(
                    line
                    for claim, figure in items
                    for line in (
                        Text.assemble(
                            literal(figure_label(figure), "bold"),
                            " (",
                            literal(figure.qualifier),
                            "), given by ",
                            literal(fb.actors[claim.claimant].name),
                            ", ",
                            _date_of(fb, claim),
                            literal(f", in {claim.source.id}" if sourced else ""),
                        ),
                        _id_line(claim.id, "dim"),
                    )
                ),
            ]
            for measure, items in groups
        ),
        width,
    )


def _date_of(fb: FactBaseView, claim: Claim) -> Text:
    """A claim's date (its ``as_of``, else its source's published date), or that it has none."""
    date = fb.date_of(claim)
    return Text("no date", style="dim") if date is None else literal(date)


def _published(source: Source) -> Text:
    return Text("not given", style="dim") if source.published is None else literal(source.published)


def _publisher(source: Source) -> Text:
    return Text("not given", style="dim") if source.publisher is None else literal(source.publisher)


def sources_view(fb: FactBaseView, counts: dict[str, int], width: int) -> Table | Text:
    """The sources in the order they were published (``stats.source_order``), with who published them."""
    from factcli.stats import source_order

    sources = source_order(fb.sources.values())
    rows = [
        [
            literal(s.id, "cyan"),
            literal(s.title),
            _published(s),
            _publisher(s),
            literal(", ".join(s.sections)),
            Text(str(counts.get(s.id, 0))),
        ]
        for s in sources
    ]
    table = _table("Sources", ["ID", "Title", "Published", "Publisher", "Sections", "Claims"], rows, width)
    if table is not None:
        return table
    return _records(
        "Sources",
        (
            [
                _id_line(s.id),
                _field("Title", literal(s.title)),
                _field("Published", _published(s)),
                _field("Publisher", _publisher(s)),
                _field("Sections", literal(", ".join(s.sections))),
                _field("Claims", Text(str(counts.get(s.id, 0)))),
            ]
            for s in sources
        ),
        width,
    )


def problems_panel(lines: list[str], summary: str) -> Text:
    return Text("\n".join(lines) + "\n" + summary)
