"""CSV for Excel, LibreOffice and Google Sheets: one row per claim, cells made inert for spreadsheets."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from factcli import contract
from factcli.exports import EXTRA_FIELDS, Options
from factcli.model import Claim, FactBaseView, Figure, Reaction

OPTIONS = ("bom", "cell")
NEEDS_FILE = False

CSV_COLUMNS = (
    "id",
    "statement",
    "claimant",
    "claimant_name",
    "affiliations",
    "figures",
    "figure_values",
    "disputed",
    "disputed_by",
    "disputes",
    "source",
    "source_title",
    "section",
    "quote",
    "topics",
    "file",
    # Record format version 2: the claim's own fields, in its order, then what is worked out from them.
    "about",
    "as_of",
    "updates",
    "matches",
    "confirmations",
    "unverified",
    "about_names",
    "date",
    "updated_by",
    "confirmed_by",
    "unverified_by",
    # One entry per figure, in the order of ``figures``, so the figures line up across these cells.
    "figure_qualifiers",
    "figure_lows",
    "figure_highs",
    "figure_measures",
    *EXTRA_FIELDS,
)

# OWASP "CSV injection": a cell starting with one of these may be run as a formula
# by Excel, LibreOffice or Google Sheets (tab and carriage return too, as some
# importers strip them and read what follows).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(cell: str) -> str:
    """The cell, made inert for spreadsheets: a leading formula character gets a ``'`` before it.

    This is OWASP's recommendation. A spreadsheet shows ``'-5`` as the text ``-5``;
    other readers see the quote, which is the price of never running a formula
    planted in a fact file.
    """
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# What ``figure_values`` puts before a value that is not exact, so "at least 20" never reads as 20.
VALUE_MARKS = {
    "exact": "",
    "approximately": "≈ ",
    "at_least": "≥ ",
    "more_than": "> ",
    "at_most": "≤ ",
    "fewer_than": "< ",
}


def figure_value(figure: Figure) -> str:
    """A figure's number as ``figure_values`` gives it, its qualifier kept: "20", "≥ 20", "> 35",
    "≈ 35", "30–40"; empty when the source gives no number ("several").

    Only an exact figure is a bare number, so a spreadsheet sums what was counted and
    treats every bound as text, never as the number it bounds.
    """
    if figure.qualifier == "range":
        return f"{_number(figure.low)}–{_number(figure.high)}"
    if figure.value is None:
        return ""
    return VALUE_MARKS[figure.qualifier] + _number(figure.value)


def figure_cell(figure: Figure) -> str:
    """A figure as the CSV ``figures`` cell gives it: its text, then its unit, always both
    (``render.figure_label`` drops a unit the text already says, for people)."""
    return f"{figure.text} {figure.unit}"


def csv_row(fb: FactBaseView, claim: Claim) -> dict[str, str]:
    """One claim as a flat row of readable text cells (before neutralising), keyed by ``CSV_COLUMNS``."""
    actor = fb.actors[claim.claimant]
    source = fb.sources.get(claim.source.id)
    links = fb.links()
    bounds = [contract.figure_bounds(f) for f in claim.figures]
    return {
        "id": claim.id,
        "statement": claim.statement,
        "claimant": claim.claimant,
        "claimant_name": actor.name,
        "affiliations": "; ".join(fb.affiliations(claim.claimant)),
        "figures": "; ".join(figure_cell(f) for f in claim.figures),
        "figure_values": "; ".join(value for value in map(figure_value, claim.figures) if value),
        "disputed": "true" if claim.disputed else "false",
        "disputed_by": "; ".join(claim.disputed_by),
        "disputes": reactions_cell(fb, claim.disputes),
        "source": claim.source.id,
        "source_title": source.title if source else "",
        "section": claim.source.section,
        "quote": claim.source.quote,
        "topics": "; ".join(claim.topics),
        "file": contract.claim_file(fb, claim),
        "about": "; ".join(claim.about),
        "as_of": claim.as_of or "",
        "updates": claim.updates or "",
        "matches": "; ".join(links.matches.get(claim.id, ())),  # both ways, as in the JSON contract
        "confirmations": reactions_cell(fb, claim.confirmations),
        "unverified": reactions_cell(fb, claim.unverified),
        "about_names": "; ".join(fb.actors[a].name for a in claim.about),
        "date": fb.date_of(claim) or "",
        "updated_by": links.updated_by.get(claim.id, ""),
        "confirmed_by": "; ".join(claim.confirmed_by),
        "unverified_by": "; ".join(claim.unverified_by),
        "figure_qualifiers": "; ".join(f.qualifier for f in claim.figures),
        "figure_lows": "; ".join(_number(low) for low, _ in bounds),
        "figure_highs": "; ".join(_number(high) for _, high in bounds),
        "figure_measures": "; ".join(f.measure or "" for f in claim.figures),
        **{name: _cell(getattr(claim, name)) for name in EXTRA_FIELDS},
    }


def reactions_cell(fb: FactBaseView, reactions: Sequence[Reaction]) -> str:
    """Reactions as ``Name: quote``, joined with `` | ``; one reported by another source says
    which, and where: ``Name: quote (source-id, Section)``."""
    return " | ".join(f"{fb.actors[r.by].name}: {r.quote}{_reported_in(r)}" for r in reactions)


def _reported_in(reaction: Reaction) -> str:
    if reaction.source is None:
        return ""
    return f" ({reaction.source}, {reaction.section})" if reaction.section else f" ({reaction.source})"


def _cell(value: object) -> str:
    """A field's value as one CSV cell: lists joined with ``; ``, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "; ".join(_cell(item) for item in value)
    return _number(value) if isinstance(value, (int, float)) else str(value)


def to_csv(
    fb: FactBaseView,
    claims: Sequence[Claim],
    *,
    bom: bool = True,
    cell: Callable[[str], str] | None = None,
) -> str:
    """The claims as CSV: a header, then one row per claim; RFC 4180 (CRLF, minimal quoting).

    ``bom`` puts a UTF-8 byte order mark first, which Excel needs to read the file
    as UTF-8 rather than the legacy code page (LibreOffice, Google Sheets, pandas
    and ``csv`` with ``encoding="utf-8-sig"`` all accept it). ``cell`` is applied
    to every text cell before the formula guard (the command line uses it to make
    control characters visible on a terminal).
    """
    import csv
    import io

    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for claim in claims:
        row = csv_row(fb, claim)
        writer.writerow(neutralise(cell(row[c]) if cell else row[c]) for c in CSV_COLUMNS)
    return out.getvalue()


def render(fb: FactBaseView, claims: Sequence[Claim], options: Options) -> str:
    return to_csv(fb, claims, bom=bool(options.bom), cell=options.cell)
