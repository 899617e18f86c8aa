"""Rich renderables for people: tables, trees and panels over the fact base.

Every string from the fact base is untrusted. It reaches Rich only as a
``Text`` built from ``terminal.escape``d text, never as markup, so ``[bold]``,
``:emoji:`` codes, escape sequences and bidi controls print literally.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from factcli.files import shown
from factcli.model import Claim, FactBase, Figure
from factcli.stats import ActorCounts
from factcli.terminal import escape

if TYPE_CHECKING:  # panels and trees are imported by the one command that draws them
    from rich.console import Group
    from rich.tree import Tree


def t(value: object, style: str = "") -> Text:
    """Untrusted data as a literal, escaped ``Text``."""
    return Text(escape("" if value is None else str(value)), style=style)


def figure_text(figure: Figure) -> str:
    """A figure as a reader says it: 'at least 20 people killed', 'several drones'."""
    return figure.text if figure.unit in figure.text else f"{figure.text} {figure.unit}"


def _disputed_cell(fb: FactBase, claim: Claim) -> Text:
    if not claim.disputed:
        return Text("no", style="dim")
    return Text.assemble(("yes", "bold red"), " by ", t(", ".join(fb.actors[a].name for a in claim.disputed_by)))


def claims_table(fb: FactBase, claims: Iterable[Claim], title: str = "Claims") -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, expand=True, show_lines=True, title_justify="left")
    # With a ratio, Rich reads `width` as the least width: enough for the ids people copy into `show`.
    table.add_column("Claim (id below)", overflow="fold", ratio=6, width=_id_width(claims))
    table.add_column("Claimant", overflow="fold", ratio=2, width=8)
    table.add_column("Figures", overflow="fold", ratio=2, width=7)
    table.add_column("Disputed", overflow="fold", ratio=2, width=8)
    for claim in claims:
        table.add_row(
            _claim_cell(claim),
            t(fb.actors[claim.claimant].name),
            t("\n".join(figure_text(f) for f in claim.figures), "bold"),
            _disputed_cell(fb, claim),
        )
    return table


def _id_width(claims: Iterable[Claim]) -> int:
    return min(max((len(c.id) for c in claims), default=10), 40)


def _claim_cell(claim: Claim) -> Text:
    """The statement, with the id (what ``factcli show`` takes) on its own line beneath."""
    return Text.assemble(t(claim.statement), "\n", t(claim.id, "cyan"))


def disputes_table(fb: FactBase, claims: Iterable[Claim]) -> Table:
    table = Table(title="Disputed claims", box=box.SIMPLE_HEAD, expand=True, show_lines=True, title_justify="left")
    table.add_column("Claim (id below)", overflow="fold", ratio=6, width=_id_width(claims))
    table.add_column("Disputed by", overflow="fold", ratio=2)
    table.add_column("As the source reports the dispute", overflow="fold", ratio=4)
    for claim in claims:
        claim_cell = Text.assemble(t(fb.actors[claim.claimant].name, "bold"), ": ", _claim_cell(claim))
        for i, dispute in enumerate(claim.disputes):
            table.add_row(
                claim_cell if i == 0 else Text(""),
                t(fb.actors[dispute.by].name, "bold red"),
                t(f"“{dispute.quote}”", "italic"),
            )
    return table


def claim_panel(fb: FactBase, claim: Claim) -> Group:
    """One claim in full, with its quote highlighted inside its paragraph of the source."""
    from rich.console import Group
    from rich.panel import Panel

    actor = fb.actors[claim.claimant]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("Statement", t(claim.statement))
    claimant = Text.assemble(t(actor.name, "bold"), " ", t(f"({actor.id})", "dim"))
    if actor.role:
        claimant.append_text(Text.assemble(", ", t(actor.role)))
    grid.add_row("Claimant", claimant)
    affiliations = fb.affiliations(actor.id)
    if affiliations:
        grid.add_row("Speaks for", t(" › ".join(fb.actors[a].name for a in affiliations)))
    if claim.figures:
        lines = Text("\n").join(
            Text.assemble(
                t(figure_text(f), "bold"),
                t(f"  value {f.value if f.value is not None else 'not given'}, {f.qualifier}", "dim"),
                t(f", measure {f.measure}" if f.measure else "", "dim"),
            )
            for f in claim.figures
        )
        grid.add_row("Figures", lines)
    if claim.disputed:
        disputes = Text("\n").join(
            Text.assemble(t(fb.actors[d.by].name, "bold red"), ": ", t(f"“{d.quote}”", "italic")) for d in claim.disputes
        )
        grid.add_row("Disputed by", disputes)
    else:
        grid.add_row("Disputed", Text("no (the source reports no one contesting it)", style="dim"))
    grid.add_row("Topics", t(", ".join(claim.topics)))
    source = fb.sources[claim.source.id]
    grid.add_row("Source", Text.assemble(t(source.title), " ", t(f"({source.id}, {claim.source.section})", "dim")))
    grid.add_row("File", t(shown(claim.path), "dim"))  # a folder's name need not be UTF-8

    paragraph = source.paragraph_of(claim.source.quote)
    before, _, after = paragraph.partition(claim.source.quote)
    # The quote is marked in words too, so it survives NO_COLOR, pipes and files.
    context = Text.assemble(t(before), ("»", "dim"), t(claim.source.quote, "bold reverse"), ("«", "dim"), t(after))
    return Group(
        Panel(grid, title=t(claim.id), title_align="left", border_style="cyan"),
        Panel(context, title="In the source", title_align="left", border_style="dim"),
    )


def actors_tree(fb: FactBase, counts: dict[str, ActorCounts]) -> Tree:
    """Actors nested by ``part_of``; an actor part of several appears under each."""
    from rich.tree import Tree

    tree = Tree(Text("Actors", style="bold"), guide_style="dim")

    def label(actor_id: str) -> Text:
        actor, c = fb.actors[actor_id], counts[actor_id]
        text = Text.assemble(t(actor.name, "bold"), " ", t(f"({actor.id}, {actor.kind})", "dim"))
        if actor.role:
            text.append_text(Text.assemble(" ", t(actor.role, "italic")))
        summary = f"{c.claims} own claim{'s' if c.claims != 1 else ''}"
        if c.claims_disputed:
            summary += f", {c.claims_disputed} disputed"
        if c.disputes:
            summary += f"; disputes {c.disputes}"
        text.append(f"  {summary}", style="green" if c.claims else "dim")
        return text

    def grow(node: Tree, actor_id: str, path: tuple[str, ...]) -> None:
        for child in sorted(fb.children(actor_id)):
            if child not in path:
                grow(node.add(label(child)), child, (*path, child))

    for actor in sorted(fb.actors.values(), key=lambda a: a.id):
        if not actor.part_of:
            grow(tree.add(label(actor.id)), actor.id, (actor.id,))
    return tree


def figures_table(fb: FactBase, groups: list[tuple[str | None, list[tuple[Claim, Figure]]]]) -> Table:
    table = Table(title="Figures by what they measure", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Measure", style="cyan", overflow="fold", ratio=2)
    table.add_column("Figure", style="bold", overflow="fold", ratio=2)
    table.add_column("Qualifier", overflow="fold", ratio=1)
    table.add_column("Given by", overflow="fold", ratio=2)
    table.add_column("Claim", style="dim", overflow="fold", ratio=2)
    for measure, items in groups:
        for i, (claim, figure) in enumerate(items):
            table.add_row(
                t(measure or "(no measure)") if i == 0 else Text(""),
                t(figure_text(figure)),
                t(figure.qualifier),
                t(fb.actors[claim.claimant].name),
                t(claim.id),
            )
        table.add_section()
    return table


def sources_table(fb: FactBase, counts: dict[str, int]) -> Table:
    table = Table(title="Sources", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("ID", style="cyan", overflow="fold")
    table.add_column("Title", overflow="fold")
    table.add_column("Sections", overflow="fold")
    table.add_column("Claims", justify="right")
    for source in fb.sources.values():
        table.add_row(t(source.id), t(source.title), t(", ".join(source.sections)), str(counts.get(source.id, 0)))
    return table


def problems_panel(lines: list[str], summary: str) -> Text:
    return Text("\n".join(lines) + "\n" + summary)
