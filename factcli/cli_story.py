"""``factcli measures``, ``compare``, ``conflicts`` and ``timeline``: the story across sources (issue #12).

The library is ``factcli.story``; this module parses options and renders. Rich (and the views in
``factcli.story_views``) is imported only when a view is drawn, never for ``--json``.
"""

from typing import Annotated

import typer

from factcli import contract
from factcli.cli import (
    AboutOpt,
    ActorOpt,
    DisputedByOpt,
    FactsOpt,
    JsonlOpt,
    JsonOpt,
    LatestOpt,
    LimitOpt,
    MeasureOpt,
    SinceOpt,
    SourceOpt,
    TopicOpt,
    UntilOpt,
    UnverifiedOpt,
    _complete_measure,
    _console,
    _emit_json,
    _load_or_exit,
    _select_checked,
    _show,
    _typed,
    _write_json,
    app,
)
from factcli.query import Filters, UnknownName


@app.command()
def measures(json: JsonOpt = False, jsonl: JsonlOpt = False, facts: FactsOpt = None) -> None:
    """What the figures count (the measures registry), with how many figures, claims and sides give each.

    A measure named by figures but missing from the registry is listed too (a fact base without measures/ keeps its measures free). Compare one with [bold]factcli compare MEASURE[/bold].

    Example: [bold]factcli measures --facts examples[/bold]
    """
    fb = _load_or_exit(facts)
    uses = fb.measure_uses()
    if json or jsonl:
        _emit_json([contract.measure_object(fb, use) for use in uses], jsonl, json)
        return
    from factcli import story_views

    console = _console()
    if not uses:
        console.print("No measures: figures name none, and measures/ holds none.", style="dim")
        return
    _show(console, story_views.measures_view(fb, uses, console.width))


@app.command()
def compare(
    measure: Annotated[
        str,
        typer.Argument(
            metavar="MEASURE", help="The measure's id (factcli figures lists them).", autocompletion=_complete_measure
        ),
    ],
    json: Annotated[bool, typer.Option("--json", help="Print the comparison as one JSON object.")] = False,
    facts: FactsOpt = None,
) -> None:
    """Every figure for one measure across every source, on one number line, with a verdict.

    Each figure shows who gave it and for which side (the top of its part_of chain: sides are counted, not speakers), its source, the figure as written and the values it stands for, and who disputes it. Superseded figures are marked; the verdict is about the standing ones: consistent, or the figures that cannot both be true.

    Example: [bold]factcli compare strike-deaths --facts examples[/bold]
    """
    fb = _load_or_exit(facts)
    try:
        comparison = fb.compare(_typed(measure))
    except UnknownName as exc:
        raise typer.BadParameter(str(exc), param_hint="MEASURE") from None
    if json:
        _write_json(contract.dumps(contract.comparison_object(fb, comparison)) + "\n")
        return
    from factcli.story_views import compare_view

    console = _console()
    for part in compare_view(fb, comparison, console.width):
        _show(console, part)


@app.command()
def conflicts(json: JsonOpt = False, jsonl: JsonlOpt = False, facts: FactsOpt = None) -> None:
    """Every measure whose figures cannot all hold, as the smallest groups that cannot hold together.

    Each group is two figures (on one number line, figures that meet two by two all meet at once), each with its claim, claimant, source and the values it stands for.

    Example: [bold]factcli conflicts --json | jq -r '.[] | .measure + ": " + (.claims | join(" vs "))'[/bold]
    """
    fb = _load_or_exit(facts)
    if json or jsonl:
        _emit_json(contract.conflict_objects(fb, fb.iter_conflicts()), jsonl, json)
        return
    found = fb.conflicts()
    console = _console()
    if not found:
        console.print("No conflicts: every measure's figures can all be true.", style="dim")
        return
    from factcli.story_views import Streamed, conflicts_view

    view = conflicts_view(fb, found, console.width)
    if isinstance(view, Streamed):
        for block in view.blocks():
            _show(console, block)
    else:
        _show(console, view)


@app.command()
def timeline(
    actor: ActorOpt = None,
    topic: TopicOpt = None,
    source: SourceOpt = None,
    measure: MeasureOpt = None,
    disputed_by: DisputedByOpt = None,
    about: AboutOpt = None,
    unverified: UnverifiedOpt = False,
    since: SinceOpt = None,
    until: UntilOpt = None,
    latest: LatestOpt = False,
    limit: LimitOpt = None,
    json: JsonOpt = False,
    jsonl: JsonlOpt = False,
    facts: FactsOpt = None,
) -> None:
    """Claims and their figures in the order of the story, with updates shown as a chain.

    Claims come by source, and within a source in the order the source tells them (where their quotes stand in its text). --json prints the claim objects of [bold]list --json[/bold] in that order.

    Example: [bold]factcli timeline --measure strike-deaths --facts examples[/bold]
    """
    from factcli.story import timeline as story_timeline

    fb = _load_or_exit(facts)
    filters = Filters(actor or (), None, topic or (), source, None, False, "id", limit, measure, disputed_by or ())
    filters = filters._replace(about=about or (), unverified=unverified, since=since, until=until, latest=latest)
    story = _select_checked(lambda checked: story_timeline(fb, checked), filters)
    if json or jsonl:
        _emit_json([contract.claim_object(fb, c) for c in story.claims], jsonl, json)
        return
    console = _console()
    if not story.claims:
        console.print("No claims match.", style="dim")
        return
    from factcli.story_views import timeline_view

    for part in timeline_view(fb, story, console.width, measure):
        _show(console, part)
