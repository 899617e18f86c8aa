"""CSV for Excel, LibreOffice and Google Sheets: one row per claim, cells made inert for spreadsheets."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from factcli import contract
from factcli.exports import EXTRA_FIELDS, Options
from factcli.model import Claim, FactBaseView, Figure

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


def figure_cell(figure: Figure) -> str:
    """A figure as the CSV ``figures`` cell gives it: its text, then its unit, always both
    (``render.figure_label`` drops a unit the text already says, for people)."""
    return f"{figure.text} {figure.unit}"


def csv_row(fb: FactBaseView, claim: Claim) -> dict[str, str]:
    """One claim as a flat row of readable text cells (before neutralising), keyed by ``CSV_COLUMNS``."""
    actor = fb.actors[claim.claimant]
    source = fb.sources.get(claim.source.id)
    return {
        "id": claim.id,
        "statement": claim.statement,
        "claimant": claim.claimant,
        "claimant_name": actor.name,
        "affiliations": "; ".join(fb.affiliations(claim.claimant)),
        "figures": "; ".join(figure_cell(f) for f in claim.figures),
        # One number per figure, so a single-figure claim gives a numeric cell a spreadsheet can sum.
        "figure_values": "; ".join(_number(f.value) for f in claim.figures if f.value is not None),
        "disputed": "true" if claim.disputed else "false",
        "disputed_by": "; ".join(claim.disputed_by),
        "disputes": " | ".join(f"{fb.actors[d.by].name}: {d.quote}" for d in claim.disputes),
        "source": claim.source.id,
        "source_title": source.title if source else "",
        "section": claim.source.section,
        "quote": claim.source.quote,
        "topics": "; ".join(claim.topics),
        "file": contract.claim_file(fb, claim),
        **{name: _cell(getattr(claim, name)) for name in EXTRA_FIELDS},
    }


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
