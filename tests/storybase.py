"""A small fictional story told by three sources, for the tests of compare, conflicts and timeline.

Invented places and people (Arvel, Kestria, the Velm river): three reports of one clash that
disagree on figures. Arvel's side speaks through two spokespeople of one ministry (one side, not
two) and revises its toll twice (at least 20, then 25, then 31: an ``updates`` chain); Kestria's
army gives a figure none of Arvel's can be true with; a hospital's figure agrees with Arvel's 25
but not with its final 31; a vague "several" constrains nothing. The ledger (11 March) and the
wire (12 March) give published dates, the herald none, though its Arvel claim gives an ``as_of``
date-time; the wire reports a confirmation and a caveat (``unverified``), and Marren's first
figure again (``matches``: superseded with it); the herald reports a second dispute of the wire's
claim (a reaction from another source). Kestria's army has a name in Rich
markup (``HOSTILE_NAME``) and its claim a statement holding an escape sequence and a bidi
override (``HOSTILE_STATEMENT``), which every view must show literally.
"""

from __future__ import annotations

from pathlib import Path

from factbases import write_factbase

LEDGER, WIRE, HERALD = "velm-ledger", "velm-wire", "velm-herald"

HOSTILE_NAME = "[bold red]Kestrian Army[/bold red] :fire:"
HOSTILE_STATEMENT = "No more than 12 soldiers died.\x1b[2J\u202e"

ACTORS = [
    *({"id": f"{s}-narrator", "name": f"Narrator ({s})", "kind": "narrator"} for s in (LEDGER, WIRE, HERALD)),
    {"id": "unattributed", "name": "Unattributed", "kind": "unattributed"},
    {"id": "arvel", "name": "Arvel", "kind": "country"},
    {"id": "arvel-defence-ministry", "name": "Arvel Defence Ministry", "kind": "government", "part_of": ["arvel"]},
    {
        "id": "ilsa-marren",
        "name": "Ilsa Marren",
        "kind": "person",
        "role": "ministry spokesperson",
        "part_of": ["arvel-defence-ministry"],
    },
    {
        "id": "tobin-hale",
        "name": "Tobin Hale",
        "kind": "person",
        "role": "ministry spokesperson",
        "part_of": ["arvel-defence-ministry"],
    },
    {"id": "kestria", "name": "Kestria", "kind": "country"},
    {"id": "kestria-army", "name": HOSTILE_NAME, "kind": "military", "part_of": ["kestria"]},
    {"id": "velm-hospital", "name": "Velm General Hospital", "kind": "organisation"},
]

LEDGER_TEXT = (
    "Clash on the Velm\n"
    "Context:\n"
    "Ilsa Marren said at least 20 soldiers were killed in the clash. "
    "Kestria's army said fewer soldiers died than the Arvel ministry claimed, no more than 12 of them.\n"
)
WIRE_TEXT = (
    "Velm toll rises\n"
    "Report:\n"
    "Ilsa Marren had said on Tuesday that at least 20 soldiers were killed. "
    "Tobin Hale said 25 soldiers were killed. "
    "Velm General Hospital said approximately 24 soldiers died there. "
    "Kestria's army denied the ministry's count. "
    "The ministry confirmed the hospital's figure. "
    "The wire could not independently verify the ministry's count.\n"
)
HERALD_TEXT = (
    "Velm bridges\n"
    "Report:\n"
    "Several soldiers were killed near the bridges, residents said. "
    "On Thursday morning Ilsa Marren said 31 soldiers had been killed in all. "
    "Kestria's army again rejected the ministry's figure of 25.\n"
)


def _source(sid: str, title: str, sections: list[str], **more: str) -> dict:
    return {"id": sid, "title": title, "text": f"{sid}.txt", "sections": sections, **more}


SOURCES = [
    (_source(LEDGER, "Clash on the Velm", ["Context"], published="2031-03-11"), LEDGER_TEXT),
    (_source(WIRE, "Velm toll rises", ["Report"], published="2031-03-12"), WIRE_TEXT),
    (_source(HERALD, "Velm bridges", ["Report"]), HERALD_TEXT),
]

TOLL = "velm-soldiers-killed"


def _figure(value: int | None, qualifier: str, text: str, unit: str = "soldiers") -> dict:
    return {"value": value, "unit": unit, "qualifier": qualifier, "text": text, "measure": TOLL}


def _claim(
    cid: str, claimant: str, statement: str, figures: list[dict], sid: str, section: str, quote: str, **more: object
) -> dict:
    claim = {
        "id": cid,
        "claimant": claimant,
        "statement": statement,
        "figures": figures,
        "disputed": bool(more.get("disputes")),
        "source": {"id": sid, "section": section, "quote": quote},
        "topics": ["casualties"],
    }
    claim.update(more)
    return claim


CLAIMS = [
    # Listed out of story order on purpose: the views order them, not the file system.
    _claim(
        "wire-hale-25",
        "tobin-hale",
        "25 soldiers were killed.",
        [_figure(25, "exact", "25")],
        WIRE,
        "Report",
        "Tobin Hale said 25 soldiers were killed",
        updates="ledger-marren-at-least-20",
        disputes=[
            {"by": "kestria-army", "quote": "Kestria's army denied the ministry's count"},
            {
                "by": "kestria-army",
                "quote": "Kestria's army again rejected the ministry's figure of 25",
                "source": HERALD,
                "section": "Report",
            },
        ],
        unverified=[
            {"by": f"{WIRE}-narrator", "quote": "The wire could not independently verify the ministry's count"}
        ],
    ),
    _claim(
        "ledger-marren-at-least-20",
        "ilsa-marren",
        "At least 20 soldiers were killed in the clash.",
        [_figure(20, "at_least", "at least 20")],
        LEDGER,
        "Context",
        "Ilsa Marren said at least 20 soldiers were killed in the clash",
    ),
    _claim(
        "ledger-kestria-at-most-12",
        "kestria-army",
        HOSTILE_STATEMENT,
        [_figure(12, "at_most", "no more than 12")],
        LEDGER,
        "Context",
        "Kestria's army said fewer soldiers died than the Arvel ministry claimed, no more than 12 of them",
        about=["arvel-defence-ministry"],
    ),
    _claim(
        "wire-marren-earlier-20",
        "ilsa-marren",
        "At least 20 soldiers were killed.",
        [_figure(20, "at_least", "at least 20")],
        WIRE,
        "Report",
        "Ilsa Marren had said on Tuesday that at least 20 soldiers were killed",
        as_of="2031-03-11",
        matches=["ledger-marren-at-least-20"],
    ),
    _claim(
        "wire-hospital-about-24",
        "velm-hospital",
        "Approximately 24 soldiers died at the hospital.",
        [_figure(24, "approximately", "approximately 24")],
        WIRE,
        "Report",
        "Velm General Hospital said approximately 24 soldiers died there",
        confirmations=[{"by": "arvel-defence-ministry", "quote": "The ministry confirmed the hospital's figure"}],
    ),
    _claim(
        "herald-several",
        "unattributed",
        "Several soldiers were killed near the bridges.",
        [_figure(None, "unspecified", "Several")],
        HERALD,
        "Report",
        "Several soldiers were killed near the bridges",
    ),
    _claim(
        "herald-marren-31",
        "ilsa-marren",
        "31 soldiers had been killed in all.",
        [_figure(31, "exact", "31")],
        HERALD,
        "Report",
        "On Thursday morning Ilsa Marren said 31 soldiers had been killed in all",
        as_of="2031-03-13T09:00:00+02:00",
        updates="wire-hale-25",
    ),
]


def write_story(root: Path, claims: list[dict] = CLAIMS) -> Path:
    """The three-source story, written as ``factbases.write_factbase`` writes a fact base."""
    return write_factbase(root, ACTORS, SOURCES, claims)
