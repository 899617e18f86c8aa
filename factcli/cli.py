"""The ``factcli`` command line: parses options, asks the library, renders the answer.

Everything heavy (Rich, YAML) is imported inside the command that needs it, so
``--json`` answers never pay for the table renderer.
"""

import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from factcli import contract
from factcli.location import FACTS_ENV
from factcli.model import FactBaseView
from factcli.problems import FactBaseError
from factcli.query import SORT_KEYS, Filters, Selection, UnknownName, selection
from factcli.terminal import ascii_json, escape, escape_line, is_utf8, tolerate_unencodable

T = TypeVar("T")

app = typer.Typer(
    name="factcli",
    help=(
        "Explore who claimed what in the news: claims, their figures, who disputes them, "
        "each traced to the source's exact words.\n\n"
        "Examples:\n\n"
        "  factcli list --actor pakistan\n\n"
        "  factcli disputed\n\n"
        "  factcli show pakistan-reports-20-casualties\n\n"
        "  factcli list --has-figure --json | jq '.[].figures[]'"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        _say(f"factcli {version('factcli')}", sys.stdout)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print factcli's version and exit."),
    ] = False,
) -> None:
    """The options every command shares come after the command's name (``factcli list --facts DIR``)."""


# --- shell completion: values come from the fact base the command would use -------------------


def _completion_factbase(ctx: typer.Context) -> FactBaseView | None:
    """The fact base to complete from, or None: a traceback would land in the user's shell prompt."""
    try:
        return load_factbase(ctx.params.get("facts"))
    except Exception:
        return None


def _complete_actor(ctx: typer.Context, incomplete: str) -> list[str]:
    fb = _completion_factbase(ctx)
    return sorted(a for a in (fb.actors if fb else ()) if a.startswith(incomplete.lower()))


def _complete_topic(ctx: typer.Context, incomplete: str) -> list[str]:
    fb = _completion_factbase(ctx)
    return [t for t in (fb.topics() if fb else ()) if t.startswith(incomplete)]


def _complete_claim(ctx: typer.Context, incomplete: str) -> list[str]:
    fb = _completion_factbase(ctx)
    return [c.id for c in (fb.claims if fb else ()) if c.id.startswith(incomplete)]


def _complete_source(ctx: typer.Context, incomplete: str) -> list[str]:
    fb = _completion_factbase(ctx)
    return sorted(s for s in (fb.sources if fb else ()) if s.startswith(incomplete))


def _complete_measure(ctx: typer.Context, incomplete: str) -> list[str]:
    fb = _completion_factbase(ctx)
    return [m for m in (fb.figure_measures() if fb else ()) if m.startswith(incomplete)]


# --- options shared by several commands --------------------------------------------------------

FactsOpt = Annotated[
    Path | None,
    typer.Option(
        "--facts",
        envvar=FACTS_ENV,
        help="Fact base directory (default: the one shipped with factcli).",
        file_okay=False,
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a JSON array for scripts and jq.")]
JsonlOpt = Annotated[bool, typer.Option("--jsonl", help="Print one JSON object per line.")]
ActorOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--actor",
        "-a",
        help="Claims by this actor (id, name or alias, any case) or anyone part of it. Repeatable.",
        autocompletion=_complete_actor,
        show_default=False,
    ),
]
DisputedOpt = Annotated[
    bool | None,
    typer.Option("--disputed/--undisputed", help="Only disputed, or only undisputed, claims.", show_default=False),
]
TopicOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--topic",
        "-t",
        help="Claims on this topic. Repeatable: any of them.",
        autocompletion=_complete_topic,
        show_default=False,
    ),
]
SourceOpt = Annotated[
    str | None,
    typer.Option("--source", help="Claims from this source id.", autocompletion=_complete_source, show_default=False),
]
SearchOpt = Annotated[
    str | None,
    typer.Option(
        "--search",
        "-s",
        help="Text to find in the statement or quote (any case; straight and curly quotes alike).",
        show_default=False,
    ),
]
MeasureOpt = Annotated[
    str | None,
    typer.Option(
        "--measure",
        "-m",
        help="Claims giving a figure for this measure (factcli figures lists them).",
        autocompletion=_complete_measure,
        show_default=False,
    ),
]
DisputedByOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--disputed-by",
        help="Claims disputed by this actor or anyone part of it (as --actor). Repeatable: any of them.",
        autocompletion=_complete_actor,
        show_default=False,
    ),
]
AboutOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--about",
        help="Claims about this actor or anyone part of it (as --actor). Repeatable: any of them.",
        autocompletion=_complete_actor,
        show_default=False,
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")]
UnverifiedOpt = Annotated[
    bool, typer.Option("--unverified", help="Only claims someone says could not be verified.", show_default=False)
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        help="Claims dated on or after DATE, an ISO 8601 day or time: 2025-05-07 or 2025-05-07T14:30Z "
        "(or an offset such as +05:00 for Z). A claim's date is its as_of, else its source's published date.",
        show_default=False,
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", metavar="DATE", help="Claims dated on or before DATE (as --since).", show_default=False),
]
LatestOpt = Annotated[
    bool,
    typer.Option("--latest", help="Leave out claims a later claim updates (and the same claims in other sources)."),
]
HasFigureOpt = Annotated[bool, typer.Option("--has-figure", help="Only claims that give a figure.")]
SortOpt = Annotated[str, typer.Option("--sort", help=f"Order by: {', '.join(SORT_KEYS)}.")]
LimitOpt = Annotated[
    int | None, typer.Option("--limit", "-n", min=0, help="Show at most this many claims.", show_default=False)
]


def load_factbase(facts: Path | None) -> FactBaseView:
    from factcli import load

    return load(facts)


def _load_or_exit(facts: Path | None, validating: bool = False) -> FactBaseView:
    """The fact base, or every problem in it on stderr and exit status 1.

    Claims drafted and not yet reviewed are in no answer; one line on stderr says how many
    wait (``validate``, which lists them, says nothing of the kind: ``validating``).
    """
    try:
        fb = load_factbase(facts)
    except FactBaseError as exc:
        _fail_with(exc.problems, facts, validating)
    if not validating:
        drafts = len(fb.drafts())
        if drafts:
            waiting = f"{_plural(drafts, 'drafted claim')} {'awaits' if drafts == 1 else 'await'} review"
            _say(f"factcli: {waiting} (factcli validate lists them)")
    return fb


def _fail_with(problems, facts: Path | None, validating: bool) -> NoReturn:
    """Every problem on stderr, then a count of them (and, but from ``validate``, what to run after), and exit 1."""
    for problem in problems:
        _say(str(problem))
    files = {p.file for p in problems if p.line}
    where = f" in {_plural(len(files), 'file')}" if files else ""
    again = "factcli validate" + (f" --facts {facts}" if facts is not None else "")
    after = "" if validating else f"; run '{again}' after fixing them"
    _say(f"factcli: the fact base has {_plural(len(problems), 'problem')}{where}{after}")
    raise typer.Exit(1)


def _say(message: str, stream=None) -> None:
    """One escaped line, on stderr unless told otherwise.

    Written to Python's own stream rather than through click, which sends UTF-8
    to an ASCII stream: this way a ``’`` the stream cannot encode shows as ``\\u2019``.
    """
    (stream or sys.stderr).write(escape_line(message) + "\n")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _console():
    from rich.console import Console

    tolerate_unencodable(sys.stdout)
    # NO_COLOR: no codes at all, not only no colours (Rich keeps bold, dim and reverse otherwise).
    return Console(
        highlight=False, emoji=False, markup=False, color_system=None if os.environ.get("NO_COLOR") else "auto"
    )


_TRAILING_SPACES = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)  # (styles kept: FORCE_COLOR)


def _show(console, view) -> None:
    """Print a view: a table, tree or panel as Rich lays it out, a piece at a time so a long table
    starts at once (``render.in_pieces``); records (plain ``Text``) as ``render`` wrapped them,
    uncropped, so an id wider than the terminal is never cut."""
    from rich.text import Text

    from factcli.render import in_pieces

    soft_wrap = isinstance(view, Text)  # (a line a view marks ``no_wrap`` is not cropped either)
    for piece in [view] if soft_wrap else in_pieces(console, view):
        if console.is_terminal:
            console.print(piece, soft_wrap=soft_wrap, crop=False)
            continue
        # In a file or a pipe a table's padding would end every line in spaces: left off, as records do.
        with console.capture() as captured:
            console.print(piece, soft_wrap=soft_wrap, crop=False)
        console.file.write(_TRAILING_SPACES.sub(r"\1", captured.get()))


def _write_json(text: str) -> None:
    """JSON on standard output; as ASCII escapes (the same value) when stdout cannot take UTF-8."""
    sys.stdout.write(text if is_utf8(sys.stdout) else ascii_json(text))


def _emit_json(values: Iterable, jsonl: bool, json: bool = False) -> None:
    """``values`` written as they come: indented on a terminal, one compact object a line in a pipe."""
    from factcli import jsonstream

    if json and jsonl:
        raise typer.BadParameter("--json and --jsonl are alternatives: choose one", param_hint="--json/--jsonl")
    layout = jsonstream.JSONL if jsonl else jsonstream.PRETTY if sys.stdout.isatty() else jsonstream.COMPACT
    jsonstream.write_array(_write_json, values, layout)


def _typed(text: str) -> str:
    """Command-line text as the fact base holds it: UTF-8.

    Under ``LC_ALL=C`` Python hands over the bytes of a typed ``’`` as lone surrogates,
    which no fact base text can match and SQLite refuses to take. Read those bytes as
    the UTF-8 they almost always are; anything still invalid becomes U+FFFD.
    """
    return text if text.isascii() else text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_FILTER_OPTIONS = {
    "actor": "--actor",
    "topic": "--topic",
    "source": "--source",
    "sort key": "--sort",
    "measure": "--measure",
    "disputing actor": "--disputed-by",
    "actor it is about": "--about",
    "since": "--since",
    "until": "--until",
}


def _select_checked(run: Callable[[Filters], T], filters: Filters) -> T:
    """``run(filters)`` with the typed text read as UTF-8, and a name the fact base lacks a usage error."""
    filters = filters._replace(
        actors=[_typed(a) for a in filters.actors],
        topics=[_typed(t) for t in filters.topics],
        source=_typed(filters.source) if filters.source is not None else None,
        search=_typed(filters.search) if filters.search is not None else None,
        measure=_typed(filters.measure) if filters.measure is not None else None,
        disputed_by=[_typed(a) for a in filters.disputed_by],
        about=[_typed(a) for a in filters.about],
        since=_typed(filters.since) if filters.since is not None else None,
        until=_typed(filters.until) if filters.until is not None else None,
    )
    try:
        return run(filters)
    except UnknownName as exc:
        raise typer.BadParameter(str(exc), param_hint=_FILTER_OPTIONS[exc.what]) from None


def _selection(fb: FactBaseView, filters: Filters) -> Selection:
    """``filters`` checked against ``fb``; a usage error naming the option for an unknown name."""
    return _select_checked(lambda typed: selection(fb, typed), filters)


def _select(fb: FactBaseView, filters: Filters) -> list:
    """The claims ``filters`` choose."""
    return fb.select_claims(_selection(fb, filters))


def _answer_claims(facts: Path | None, filters: Filters, json: bool, jsonl: bool, empty: str, view) -> None:
    """What ``list`` and ``disputed`` share: select, then JSON for scripts or a Rich view for people.

    ``view(render, fb, claims, width)`` draws the claims; it is handed the render module so Rich
    is imported only when a view is wanted.
    """
    fb = _load_or_exit(facts)
    if json or jsonl:
        _emit_json(fb.claims_json(_selection(fb, filters)), jsonl, json)
        return
    claims = _select(fb, filters)
    from factcli import render

    console = _console()
    if claims:
        _show(console, view(render, fb, claims, console.width))
    else:
        console.print(empty, style="dim")


# --- commands ----------------------------------------------------------------------------------


@app.command("list")
def list_claims(
    actor: ActorOpt = None,
    disputed: DisputedOpt = None,
    topic: TopicOpt = None,
    source: SourceOpt = None,
    search: SearchOpt = None,
    has_figure: HasFigureOpt = False,
    measure: MeasureOpt = None,
    disputed_by: DisputedByOpt = None,
    about: AboutOpt = None,
    unverified: UnverifiedOpt = False,
    since: SinceOpt = None,
    until: UntilOpt = None,
    latest: LatestOpt = False,
    sort: SortOpt = "id",
    limit: LimitOpt = None,
    json: JsonOpt = False,
    jsonl: JsonlOpt = False,
    facts: FactsOpt = None,
) -> None:
    """List claims, filtered: [bold]factcli list --actor pakistan --disputed[/bold].

    --actor takes in everyone part of the actor: the defence minister's claims are Pakistan's too.
    """
    filters = Filters(
        actor or (), disputed, topic or (), source, search, has_figure, sort, limit, measure, disputed_by or ()
    )._replace(about=about or (), unverified=unverified, since=since, until=until, latest=latest)
    _answer_claims(
        facts,
        filters,
        json,
        jsonl,
        "No claims match.",
        lambda render, fb, claims, width: render.claims_view(fb, claims, width, title=_plural(len(claims), "claim")),
    )


@app.command()
def disputed(
    actor: ActorOpt = None,
    topic: TopicOpt = None,
    source: SourceOpt = None,
    search: SearchOpt = None,
    has_figure: HasFigureOpt = False,
    measure: MeasureOpt = None,
    disputed_by: DisputedByOpt = None,
    about: AboutOpt = None,
    unverified: UnverifiedOpt = False,
    since: SinceOpt = None,
    until: UntilOpt = None,
    latest: LatestOpt = False,
    sort: SortOpt = "id",
    limit: LimitOpt = None,
    json: JsonOpt = False,
    jsonl: JsonlOpt = False,
    facts: FactsOpt = None,
) -> None:
    """Disputed claims, each beside who disputes it and the words reporting the dispute."""
    filters = Filters(
        actor or (), True, topic or (), source, search, has_figure, sort, limit, measure, disputed_by or ()
    )._replace(about=about or (), unverified=unverified, since=since, until=until, latest=latest)
    _answer_claims(
        facts,
        filters,
        json,
        jsonl,
        "No disputed claims match.",
        lambda render, fb, claims, width: render.disputes_view(fb, claims, width),
    )


@app.command()
def show(
    claim_id: Annotated[str, typer.Argument(metavar="ID", help="The claim's id.", autocompletion=_complete_claim)],
    json: Annotated[bool, typer.Option("--json", help="Print the claim as a JSON object.")] = False,
    facts: FactsOpt = None,
) -> None:
    """One claim in full, with its quote highlighted in the source: [bold]factcli show ID[/bold]."""
    fb = _load_or_exit(facts)
    claim_id = _typed(claim_id)
    claim = fb.claim(claim_id)
    if claim is None:
        from factcli.suggest import did_you_mean

        hint = did_you_mean(claim_id, [c.id for c in fb.claims])
        _say(f"factcli: no claim with id {claim_id!r}" + (f"; {hint}" if hint else ""))
        raise typer.Exit(1)
    if json:
        _write_json(contract.dumps(contract.claim_object(fb, claim)) + "\n")
        return
    from factcli import render

    console = _console()
    _show(console, render.claim_view(fb, claim, console.width))


@app.command()
def actors(json: JsonOpt = False, jsonl: JsonlOpt = False, facts: FactsOpt = None) -> None:
    """The actors as a tree by who is part of whom, with each one's own claims and disputes."""
    from factcli.stats import actor_counts

    fb = _load_or_exit(facts)
    counts = actor_counts(fb)
    if json or jsonl:
        rows = (
            contract.actor_object(fb, a, counts[a.id].claims, counts[a.id].claims_disputed, counts[a.id].disputes)
            for a in sorted(fb.actors.values(), key=lambda a: a.id)
        )
        _emit_json(rows, jsonl, json)
        return
    from factcli import render

    console = _console()
    _show(console, render.actors_view(fb, counts, console.width))


@app.command()
def figures(
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
    json: JsonOpt = False,
    jsonl: JsonlOpt = False,
    facts: FactsOpt = None,
) -> None:
    """Every figure, grouped by what it measures, so differing numbers stand side by side."""
    from factcli.stats import story_figure_groups

    fb = _load_or_exit(facts)
    filters = Filters(
        actor or (), None, topic or (), source, None, True, measure=measure, disputed_by=disputed_by or ()
    )._replace(about=about or (), unverified=unverified, since=since, until=until, latest=latest)
    if json or jsonl:
        _emit_json(contract.figure_groups_json(fb.figures_json(_selection(fb, filters))), jsonl, json)
        return
    groups = story_figure_groups(fb, _select(fb, filters), measure)
    from factcli import render

    console = _console()
    if not groups:
        console.print("No figures match.", style="dim")
        return
    _show(console, render.figures_view(fb, groups, console.width))


@app.command()
def sources(json: JsonOpt = False, jsonl: JsonlOpt = False, facts: FactsOpt = None) -> None:
    """The source documents, with how many claims each holds."""
    from factcli.stats import source_counts

    fb = _load_or_exit(facts)
    counts = source_counts(fb)
    if json or jsonl:
        _emit_json((contract.source_object(s, counts.get(s.id, 0)) for s in fb.sources.values()), jsonl, json)
        return
    from factcli import render

    console = _console()
    _show(console, render.sources_view(fb, counts, console.width))


@app.command()
def validate(facts: FactsOpt = None) -> None:
    """Check every fact file: fields, types, references, and that each quote is in its source.

    Exit status 0 when clean, 1 with every problem listed as file:line:column: field: message.
    """
    from factcli.files import shown
    from factcli.validate import draft_problems

    fb = _load_or_exit(facts, validating=True)
    drafts = draft_problems(fb)
    if drafts:
        _fail_with(drafts, facts, validating=True)
    measures = f", {_plural(len(fb.measures), 'measure')}" if fb.measures else ""
    _say(
        f"ok: {_plural(len(fb.claims), 'claim')}, {_plural(len(fb.actors), 'actor')}, "
        f"{_plural(len(fb.sources), 'source')}{measures} in {shown(fb.root)}: no problems",
        sys.stdout,
    )


# --- interop: JSON Schema and exports ----------------------------------------------------------
# `export` and `atomic` are imported inside these commands only: `list --json` never pays for them.

from enum import StrEnum  # noqa: E402 (enum is already loaded by click; kept beside its only use)

SCHEMA_KINDS = ("claim", "actors", "source", "measures")


def _complete_kind(incomplete: str) -> list[str]:
    return [k for k in SCHEMA_KINDS if k.startswith(incomplete)]


@app.command("schema")
def schema_command(
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="[KIND]",
            help="claim, actors or source. Left out: all three, as one JSON object keyed by kind.",
            autocompletion=_complete_kind,
            show_default=False,
        ),
    ] = None,
) -> None:
    """The JSON Schema (draft 2020-12) of a kind of fact file: [bold]factcli schema claim[/bold].

    Copies are kept in facts/schema/; each fact file names its schema in its first
    line (# yaml-language-server: $schema=...), so editors validate and complete as
    you type. Regenerate a copy with: factcli schema claim > facts/schema/claim.schema.json
    """
    from factcli.schema import json_schema
    from factcli.suggest import did_you_mean

    if kind is None:
        _write_json(contract.dumps({k: json_schema(k) for k in SCHEMA_KINDS}) + "\n")
        return
    if kind not in SCHEMA_KINDS:
        hint = did_you_mean(kind, SCHEMA_KINDS) or "one of: " + ", ".join(SCHEMA_KINDS)
        raise typer.BadParameter(escape_line(f"unknown kind {kind!r}; {hint}"), param_hint="KIND")
    _write_json(contract.dumps(json_schema(kind)) + "\n")


class ExportFormat(StrEnum):
    csv = "csv"
    sqlite = "sqlite"
    schema_org = "schema-org"
    jsonl = "jsonl"
    html = "html"


def _warn_reviews_without_url(fb: FactBaseView, claims) -> None:
    """Google's fact-check markup needs a ClaimReview url; say so rather than invent one."""
    from factcli.exports.schema_org import sources_without_url

    missing = sources_without_url(fb, claims)
    if missing:
        _say(
            f"factcli: note: no url for source {', '.join(missing)}: the ClaimReview records have none, "
            "and Google's fact-check markup requires one (add url: to the source file)"
        )


@app.command("export")
def export_command(
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="csv, sqlite, schema-org (JSON-LD), jsonl or html (an annotated report for a browser).",
            case_sensitive=False,
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write FILE (atomically) instead of standard output; - is standard output.",
            show_default=False,
        ),
    ] = None,
    force: ForceOpt = False,
    reviewer: Annotated[
        str | None,
        typer.Option(
            "--reviewer",
            metavar="NAME",
            help="schema-org: wrap disputed claims in a ClaimReview by this organisation, rated Disputed.",
            show_default=False,
        ),
    ] = None,
    bom: Annotated[
        bool | None,
        typer.Option(
            "--bom/--no-bom",
            help="csv: start with a UTF-8 byte order mark, for Excel. Default: with -o FILE yes, on standard output no.",
            show_default=False,
        ),
    ] = None,
    actor: ActorOpt = None,
    disputed: DisputedOpt = None,
    topic: TopicOpt = None,
    source: SourceOpt = None,
    search: SearchOpt = None,
    has_figure: HasFigureOpt = False,
    measure: MeasureOpt = None,
    disputed_by: DisputedByOpt = None,
    about: AboutOpt = None,
    unverified: UnverifiedOpt = False,
    since: SinceOpt = None,
    until: UntilOpt = None,
    latest: LatestOpt = False,
    sort: SortOpt = "id",
    limit: LimitOpt = None,
    facts: FactsOpt = None,
) -> None:
    """Export claims for spreadsheets, databases and web pages: [bold]factcli export -f csv -o claims.csv[/bold].

    Takes the filters of [bold]factcli list[/bold]. csv: one row per claim, cells starting with = + - @
    get a leading ' so spreadsheets never run them. sqlite: tables for Datasette (needs -o).
    schema-org: JSON-LD Claim records. jsonl: the objects of [bold]list --jsonl[/bold].
    html: one self-contained page, the sources with every claim's words marked, figures charted.
    With -o, the file is written atomically and an existing one is kept unless --force.

    Examples:

      factcli export -f sqlite -o facts.db && datasette facts.db

      factcli export -f schema-org --disputed --reviewer "Example Fact Check" -o claims.jsonld

      factcli export -f html --actor pakistan -o story.html
    """
    from factcli import exports

    fmt = format.value
    options = exports.Options(bom=bom, reviewer=reviewer)
    try:
        exports.check(fmt, output, options)
    except exports.OptionError as exc:
        raise typer.BadParameter(str(exc), param_hint=_EXPORT_OPTIONS[exc.option]) from None

    def fail(message: str) -> typer.Exit:
        _say(f"factcli: {message}")
        return typer.Exit(1)

    to_stdout = exports.to_stdout(output)
    if not to_stdout:
        from factcli import atomic

        try:  # before the work, so a kept file costs nothing
            atomic.check_target(output, force)  # type: ignore[arg-type]
        except OSError as exc:
            raise fail(str(exc)) from None

    fb = _load_or_exit(facts)
    filters = Filters(
        actor or (), disputed, topic or (), source, search, has_figure, sort, limit, measure, disputed_by or ()
    )._replace(about=about or (), unverified=unverified, since=since, until=until, latest=latest)
    if fmt == "jsonl" and to_stdout:  # written as it is read, as `list --jsonl` is
        _emit_json(fb.claims_json(_selection(fb, filters)), jsonl=True)
        return
    claims = _select(fb, filters)
    if to_stdout and sys.stdout.isatty():
        options = options._replace(cell=escape)  # control characters made visible on a terminal
    try:
        text = exports.export(fb, claims, fmt, output, force=force, options=options)
    except exports.OptionError as exc:  # a bound of the format, known once the claims are selected
        raise typer.BadParameter(str(exc), param_hint=_EXPORT_OPTIONS[exc.option]) from None
    except OSError as exc:
        if to_stdout:
            raise
        if isinstance(exc, (atomic.TargetExists, atomic.TargetError)):
            raise fail(str(exc)) from None
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
    if reviewer is not None:
        _warn_reviews_without_url(fb, claims)
    if text is not None:
        if fmt not in ("csv", "html") and not is_utf8(sys.stdout):
            text = ascii_json(text)  # CSV and HTML are UTF-8 whatever the locale; JSON keeps its value as ASCII
        exports.write_stdout(text)
        return
    _say(f"wrote {_plural(len(claims), 'claim')} to {output} ({fmt})")


_EXPORT_OPTIONS = {
    "output": "'--output' / '-o'",
    "reviewer": "'--reviewer'",
    "bom": "'--bom' / '--no-bom'",
    "format": "'--format' / '-f'",
    "limit": "'--limit' / '-n'",
}


# --- the entry point ---------------------------------------------------------------------------


def command(args: list[str]):
    """The click command that runs ``factcli args``.

    Typer turns every subcommand's signature into click options before it runs
    any (about 15 ms here for ten). A command line names one subcommand first, so
    only that one is built; anything else (no arguments, a group option, a
    mistyped name that deserves a suggestion, shell completion) gets them all.
    """
    named = [c for c in app.registered_commands if args and _name(c) == args[0]]
    if not named or "_FACTCLI_COMPLETE" in os.environ:
        return typer.main.get_command(app)
    every = app.registered_commands
    app.registered_commands = named  # for the moment of building (not re-entrant: one command line a process)
    try:
        return typer.main.get_group(app)  # a group still: `factcli list ...` keeps its shape
    finally:
        app.registered_commands = every


def _name(info) -> str:
    return info.name or typer.main.get_command_name(info.callback.__name__)


# The commands kept in modules of their own register themselves on ``app`` when imported.
from factcli import cli_authoring, cli_story  # noqa: E402,F401
