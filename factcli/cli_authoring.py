"""The authoring commands: ``init``, ``add-source``, ``draft`` and ``match``.

They register with the one Typer app; their libraries (``factcli.authoring``), YAML and
rapidfuzz are imported inside each command, so the reading commands start no slower.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from factcli import contract
from factcli.cli import (
    FactsOpt,
    ForceOpt,
    JsonOpt,
    _complete_source,
    _load_or_exit,
    _plural,
    _say,
    _typed,
    _write_json,
    app,
)
from factcli.model import FactBaseView, Source

if TYPE_CHECKING:  # pragma: no cover
    from factcli.authoring.match import Candidate


def _fail(message: str) -> typer.Exit:
    _say(f"factcli: {message}")
    return typer.Exit(1)


def _source_or_exit(fb: FactBaseView, source_id: str, option: str) -> Source:
    source_id = _typed(source_id)
    if source_id not in fb.sources:
        from factcli.query import UnknownName

        raise typer.BadParameter(str(UnknownName("source", source_id, fb.sources)), param_hint=option)
    return fb.sources[source_id]


@app.command("init")
def init_command(
    directory: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="The folder for the new fact base (made, or empty).", show_default=False),
    ],
) -> None:
    """A new, empty fact base that validates: [bold]factcli init my-facts[/bold].

    Writes the folders, the JSON Schemas editors check the files with, a README for the people
    who will edit it, and a .pre-commit-config.yaml that runs [bold]factcli validate[/bold] before
    each commit (after [bold]pre-commit install[/bold]). Overwrites nothing.
    """
    from factcli.authoring.errors import AuthoringError
    from factcli.authoring.init import init_factbase

    try:
        written = init_factbase(directory)
    except (AuthoringError, OSError) as exc:
        raise _fail(str(exc) if isinstance(exc, AuthoringError) else f"cannot write in {directory}: {exc}") from None
    _say(f"made a fact base in {directory} ({_plural(len(written), 'file')})", sys.stdout)
    _say(f"next: factcli add-source ARTICLE.txt --id SOURCE-ID --facts {directory}", sys.stdout)


@app.command("add-source")
def add_source_command(
    file: Annotated[
        str,
        typer.Argument(metavar="FILE", help="The article's text (UTF-8); - reads standard input.", show_default=False),
    ],
    source_id: Annotated[
        str, typer.Option("--id", help="The source's id: lower-case words and hyphens.", show_default=False)
    ],
    title: Annotated[
        str | None, typer.Option("--title", help="Its title (default: the text's first line).", show_default=False)
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it was published.", show_default=False)] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="Who published it.", show_default=False)] = None,
    published: Annotated[
        str | None,
        typer.Option("--published", help="When: 2025-05-07 or 2025-05-07T14:30:00+05:00.", show_default=False),
    ] = None,
    facts: FactsOpt = None,
) -> None:
    """Add an article to a fact base: [bold]factcli add-source story.txt --id my-story --facts DIR[/bold].

    Keeps the text byte for byte as sources/ID.txt, finds its section headings (lines like
    'Context:'), and writes sources/ID.yaml and the source's narrator, actors/ID.yaml.
    Overwrites nothing. Then: [bold]factcli draft ID[/bold].
    """
    from factcli.authoring.add_source import add_source
    from factcli.authoring.errors import AuthoringError
    from factcli.location import default_facts_dir

    root = facts if facts is not None else default_facts_dir()
    try:
        data = sys.stdin.buffer.read() if file == "-" else _read_input(Path(file))
        added = add_source(root, data, _typed(source_id), title, url, publisher, published)
    except AuthoringError as exc:
        raise _fail(str(exc)) from None
    names = ", ".join(str(p) for p in added.files)
    _say(f"wrote {names}", sys.stdout)
    _say(f"sections: {', '.join(added.sections)}", sys.stdout)
    _say(f"next: factcli draft {source_id} --facts {root} -o {root / 'claims' / (source_id + '.yaml')}", sys.stdout)


def _read_input(path: Path) -> bytes:
    """The article the user named (it is theirs to name: not a fact base file)."""
    from factcli.authoring.errors import AuthoringError
    from factcli.files import MAX_SOURCE_TEXT

    try:
        if path.stat().st_size > MAX_SOURCE_TEXT:
            raise AuthoringError(f"{path} is too large (at most {MAX_SOURCE_TEXT} bytes)")
        return path.read_bytes()
    except OSError as exc:
        raise AuthoringError(f"cannot read {path}: {exc.strerror or exc}") from None


@app.command("draft")
def draft_command(
    source_id: Annotated[
        str,
        typer.Argument(
            metavar="SOURCE-ID",
            help="The source to draft claims from.",
            autocompletion=_complete_source,
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write FILE (atomically) instead of standard output.",
            show_default=False,
        ),
    ] = None,
    force: ForceOpt = False,
    facts: FactsOpt = None,
) -> None:
    """Propose claim records for a whole source, for you to review: [bold]factcli draft my-story -o claims/my-story.yaml[/bold].

    One draft per sentence or reporting clause: its quote the text's exact words, its claimant
    who speaks there (a known actor, or a proposed new or anonymous one), its figures, an id
    unique in the fact base. Each is marked [bold]draft: true[/bold]: no command counts it until
    you have checked it against the source and deleted that line. Proposed actors and measures
    follow, commented, to move into actors/ and measures/.
    """
    from factcli import atomic

    if output is not None and str(output) != "-":
        try:
            atomic.check_target(output, force)
        except OSError as exc:
            raise _fail(str(exc)) from None
    fb = _load_or_exit(facts)
    source = _source_or_exit(fb, source_id, "SOURCE-ID")
    from factcli.authoring.draft.drafter import draft, render

    result = draft(source, fb.actors, [*fb.claims, *fb.drafts()], fb.measures.values())
    text = render(result)
    if output is None or str(output) == "-":
        sys.stdout.write(text)
    else:
        try:
            atomic.write_atomic(output, text, force=force)
        except OSError as exc:
            raise _fail(str(exc) if isinstance(exc, atomic.TargetExists) else f"cannot write {output}: {exc}") from None
    proposals = (
        f", {_plural(len(result.actors), 'proposed actor')}, {_plural(len(result.measures), 'proposed measure')}"
    )
    where = f" in {output}" if output is not None and str(output) != "-" else ""
    _say(
        f"drafted {_plural(len(result.claims), 'claim')}{proposals}{where}: review each against the source, "
        "then delete its `draft: true`"
    )


@app.command("match")
def match_command(
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Only the claims of this source (a new article).",
            autocompletion=_complete_source,
            show_default=False,
        ),
    ] = None,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0, max=100, help="Show candidates scoring at least this (0-100).")
    ] = 70.0,
    json: JsonOpt = False,
    facts: FactsOpt = None,
) -> None:
    """Claims in other sources that likely say the same thing, to confirm and link with [bold]matches[/bold].

    Scored 0-100 by how alike the statements and quotes are (rapidfuzz's token_set_ratio), more
    when both give the same figure for one measure, less when one updates the other. Pairs already
    confirmed as matches are left out. Example: [bold]factcli match --source my-story[/bold]
    """
    from factcli.authoring.match import candidates

    fb = _load_or_exit(facts)
    if source is not None:
        source = _source_or_exit(fb, source, "'--source'").id
    confirmed = fb.links().matches
    found = [c for c in candidates(fb.claims, source, min_score) if c.other not in confirmed.get(c.claim, ())]
    if json:
        _write_json(contract.dumps([_candidate_object(fb, c) for c in found]) + "\n")
        return
    if not found:
        _say("No likely matches.", sys.stdout)
        return
    current = None
    for c in found:
        if c.claim != current:
            current = c.claim
            _say(f"{c.claim}: {fb.claim(c.claim).statement}", sys.stdout)  # type: ignore[union-attr]
        other = fb.claim(c.other)
        _say(f"  {c.score:5.1f}  {c.other} ({c.other_source}): {other.statement if other else ''}", sys.stdout)
        _say(f"         {'; '.join(c.reasons)}", sys.stdout)
    _say(f"confirm one by adding `matches: [OTHER-ID]` to the claim ({_plural(len(found), 'candidate')})")


def _candidate_object(fb: FactBaseView, c: Candidate) -> dict:
    other = fb.claim(c.other)
    return {
        "claim": c.claim,
        "match": c.other,
        "match_source": c.other_source,
        "match_statement": other.statement if other else None,
        "score": c.score,
        "reasons": list(c.reasons),
    }
