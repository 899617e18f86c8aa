"""Export claims to the tools people already use: CSV, SQLite (for Datasette), schema.org JSON-LD, JSON Lines,
and an annotated HTML report for a browser.

The formats live in ``factcli.exports``, one module each, with the rules the command line
follows (``exports.export``); this module keeps the plain functions of the Python API::

    import factcli
    from factcli import export
    fb = factcli.load()
    text = export.to_csv(fb, fb.query(disputed=True))
"""

from __future__ import annotations

from factcli.exports import FORMATS as _FORMATS
from factcli.exports.csv import BOM, CSV_COLUMNS, FORMULA_START, csv_row, figure_cell, figure_value, neutralise, to_csv
from factcli.exports.html import to_html
from factcli.exports.jsonl import to_jsonl
from factcli.exports.schema_org import (
    CLAIM_REVIEWED_MAX,
    DISPUTED_RATING,
    SCHEMA_ORG_TYPES,
    claim_node,
    claim_review_node,
    cut_at_word,
    schema_org_json,
    to_schema_org,
)
from factcli.exports.sqlite import SQLITE_SCHEMA, SQLITE_VERSION, sqlite_schema, write_sqlite

FORMATS = tuple(_FORMATS)

__all__ = [
    "BOM",
    "CLAIM_REVIEWED_MAX",
    "CSV_COLUMNS",
    "DISPUTED_RATING",
    "FORMATS",
    "FORMULA_START",
    "SCHEMA_ORG_TYPES",
    "SQLITE_SCHEMA",
    "SQLITE_VERSION",
    "claim_node",
    "claim_review_node",
    "csv_row",
    "cut_at_word",
    "figure_cell",
    "figure_value",
    "neutralise",
    "schema_org_json",
    "sqlite_schema",
    "to_csv",
    "to_html",
    "to_jsonl",
    "to_schema_org",
    "write_sqlite",
]
