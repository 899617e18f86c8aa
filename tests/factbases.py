"""Small fact bases for the tests, built from Python data and written as a person would write them.

The story (``ACTORS``, ``SOURCE`` with ``SOURCE_TEXT``, ``CLAIMS``; ``write_factbase`` writes it) is the
fact base most tests use: an excerpt of one article, with every shape the commands must
handle: actors nested three deep (a minister, his government, his country) with aliases, a narrator
and an unattributed actor, one source with two sections and curly apostrophes, figures exact, bounded
and vague (``value: null``), two disputed claims with the words disputing them, and several topics.
It borrows the shipped article's names so the assertions read like the story, but it is its own data:
adding, changing or removing anything in ``facts/`` changes nothing here. Only
tests/test_shipped_facts.py looks at the shipped fact base's content.

The files are laid out as in ``facts/``: one actors file with a blank line between actors, one
source with its text beside it, one claim per file in ``claims/<source>/``, keys in the usual order
and sequences indented under their key, so a test can edit them by line and column.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from factcli import contract
from factcli.schema import json_schema

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "facts"

KIND_OF_DIR = {"claims": "claim", "actors": "actors", "sources": "source", "measures": "measures"}
SOURCE_ID = "asif-welcomes-us-help"

SOURCE = {
    "id": SOURCE_ID,
    "title": "Pakistan’s Defense Minister Welcomes U.S. Help to Ease Tensions With India",
    "text": f"{SOURCE_ID}.txt",
    "sections": ["Context", "Dive Deeper"],
}
# The first nine lines of the article: a title, "Context:" and one paragraph, "Dive Deeper:" and five.
SOURCE_TEXT = (
    "Pakistan’s Defense Minister Welcomes U.S. Help to Ease Tensions With India\n"
    "Context:\n"
    "Pakistan's Defense Minister Khawaja Muhammad Asif expressed openness to further U.S. mediation to resolve tensions with India, following India's airstrikes on Pakistani territory in response to a terrorist attack in Kashmir. These strikes resulted in the death of at least 20 people, and Pakistan has claimed it retaliated by shooting down several Indian aircraft and drones. Despite the escalation, Asif emphasized restraint, stating Pakistan would avoid further military action if India refrained from additional attacks and agreed to an independent investigation. The involvement of U.S. officials, including President Trump's call for a swift resolution, has been welcomed by Pakistan as a means to de-escalate the situation. Both countries' nuclear capabilities pose a significant concern internationally, though Asif noted that they serve as a deterrent against further escalation, despite the underlying risks remaining present.\n"
    "Dive Deeper:\n"
    "India conducted airstrikes on nine sites in Pakistan and Pakistani-controlled Kashmir, claiming these were in response to a terrorist attack in Kashmir that killed 26 people, predominantly Hindus. Pakistan reported 20 casualties from these strikes and has dismissed claims connecting these sites to terrorist groups.\n"
    "Pakistan's Defense Minister Khawaja Muhammad Asif stated that the country's military had successfully responded by downing five Indian planes and two drones, as well as using electronic warfare to thwart further Indian missile launches and force emergency landings.\n"
    "While Pakistan reserves the right to retaliate, Asif indicated the country’s preference for de-escalation, contingent upon India refraining from further aggressive actions and agreeing to an independent investigation into the incidents.\n"
    "U.S. President Trump and American diplomatic efforts have been positively received by Pakistan, with hopes that continued U.S. involvement could stabilize the region and prevent further conflict.\n"
    "India has accused the attackers of having 'cross-border linkages', while Pakistan has denied these allegations and called for an international investigation to ascertain the truth.\n"
)

# Fourteen of the article's claims, the ones whose shapes the tests need.
CLAIMS = [
    {
        "id": "strikes-killed-at-least-20",
        "claimant": "asif-welcomes-us-help-narrator",
        "statement": "India's strikes killed at least 20 people.",
        "figures": [
            {
                "value": 20,
                "unit": "people killed",
                "qualifier": "at_least",
                "text": "at least 20",
                "measure": "toll-of-indian-strikes",
            }
        ],
        "disputed": False,
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Context",
            "quote": "These strikes resulted in the death of at least 20 people",
        },
        "topics": ["strikes", "casualties"],
    },
    {
        "id": "pakistan-downed-several-aircraft-and-drones",
        "claimant": "pakistan",
        "statement": "Pakistan retaliated by shooting down several Indian aircraft and drones.",
        "figures": [
            {
                "value": None,
                "unit": "Indian aircraft",
                "qualifier": "unspecified",
                "text": "several",
                "measure": "indian-aircraft-downed",
            },
            {
                "value": None,
                "unit": "drones",
                "qualifier": "unspecified",
                "text": "several",
                "measure": "indian-drones-downed",
            },
        ],
        "disputed": False,
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Context",
            "quote": "Pakistan has claimed it retaliated by shooting down several Indian aircraft and drones",
        },
        "topics": ["retaliation", "aircraft"],
    },
    {
        "id": "asif-restraint-conditions",
        "claimant": "khawaja-muhammad-asif",
        "statement": "Pakistan would avoid further military action if India refrained from additional attacks and agreed to an independent investigation.",
        "disputed": False,
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Context",
            "quote": "Asif emphasized restraint, stating Pakistan would avoid further military action if India refrained from additional attacks and agreed to an independent investigation",
        },
        "topics": ["de-escalation", "investigation"],
    },
    {
        "id": "trump-called-for-swift-resolution",
        "claimant": "donald-trump",
        "statement": "The situation should be resolved swiftly.",
        "disputed": False,
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Context",
            "quote": "President Trump's call for a swift resolution",
        },
        "topics": ["us-role", "de-escalation"],
    },
    {
        "id": "asif-nuclear-deterrent",
        "claimant": "khawaja-muhammad-asif",
        "statement": "The two countries' nuclear capabilities serve as a deterrent against further escalation.",
        "disputed": False,
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Context",
            "quote": "Asif noted that they serve as a deterrent against further escalation",
        },
        "topics": ["nuclear", "de-escalation"],
    },
    {
        "id": "kashmir-attack-killed-26",
        "claimant": "asif-welcomes-us-help-narrator",
        "statement": "The terrorist attack in Kashmir killed 26 people, predominantly Hindus.",
        "figures": [
            {
                "value": 26,
                "unit": "people killed",
                "qualifier": "exact",
                "text": "26",
                "measure": "toll-of-kashmir-attack",
            }
        ],
        "disputed": False,
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Dive Deeper",
            "quote": "a terrorist attack in Kashmir that killed 26 people, predominantly Hindus",
        },
        "topics": ["terrorism", "casualties"],
    },
    {
        "id": "india-struck-nine-sites",
        "claimant": "asif-welcomes-us-help-narrator",
        "statement": "India conducted airstrikes on nine sites in Pakistan and Pakistani-controlled Kashmir.",
        "figures": [
            {"value": 9, "unit": "sites", "qualifier": "exact", "text": "nine", "measure": "sites-struck-by-india"}
        ],
        "disputed": False,
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Dive Deeper",
            "quote": "India conducted airstrikes on nine sites in Pakistan and Pakistani-controlled Kashmir",
        },
        "topics": ["strikes"],
    },
    {
        "id": "pakistan-reports-20-casualties",
        "claimant": "pakistan",
        "statement": "India's strikes caused 20 casualties.",
        "figures": [
            {"value": 20, "unit": "casualties", "qualifier": "exact", "text": "20", "measure": "toll-of-indian-strikes"}
        ],
        "disputed": False,
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Dive Deeper",
            "quote": "Pakistan reported 20 casualties from these strikes",
        },
        "topics": ["strikes", "casualties"],
    },
    {
        "id": "sites-linked-to-terrorist-groups",
        "claimant": "unattributed",
        "statement": "The sites India struck were connected to terrorist groups.",
        "disputed": True,
        "disputes": [{"by": "pakistan", "quote": "has dismissed claims connecting these sites to terrorist groups"}],
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Dive Deeper",
            "quote": "claims connecting these sites to terrorist groups",
        },
        "topics": ["strikes", "terrorism"],
    },
    {
        "id": "asif-five-planes-two-drones-downed",
        "claimant": "khawaja-muhammad-asif",
        "statement": "Pakistan's military responded by downing five Indian planes and two drones.",
        "figures": [
            {
                "value": 5,
                "unit": "Indian planes",
                "qualifier": "exact",
                "text": "five",
                "measure": "indian-aircraft-downed",
            },
            {"value": 2, "unit": "drones", "qualifier": "exact", "text": "two", "measure": "indian-drones-downed"},
        ],
        "disputed": False,
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Dive Deeper",
            "quote": "Pakistan's Defense Minister Khawaja Muhammad Asif stated that the country's military had successfully responded by downing five Indian planes and two drones",
        },
        "topics": ["retaliation", "aircraft"],
    },
    {
        "id": "asif-electronic-warfare",
        "claimant": "khawaja-muhammad-asif",
        "statement": "Pakistan used electronic warfare to thwart further Indian missile launches and force emergency landings.",
        "disputed": False,
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Dive Deeper",
            "quote": "as well as using electronic warfare to thwart further Indian missile launches and force emergency landings",
        },
        "topics": ["retaliation", "electronic-warfare"],
    },
    {
        "id": "asif-prefers-de-escalation",
        "claimant": "khawaja-muhammad-asif",
        "statement": "Pakistan prefers de-escalation, contingent on India refraining from further aggressive actions and agreeing to an independent investigation into the incidents.",
        "disputed": False,
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Dive Deeper",
            "quote": "Asif indicated the country’s preference for de-escalation, contingent upon India refraining from further aggressive actions and agreeing to an independent investigation into "
            "the incidents",
        },
        "topics": ["de-escalation", "investigation"],
    },
    {
        "id": "pakistan-welcomes-us-diplomacy",
        "claimant": "pakistan",
        "statement": "U.S. President Trump and American diplomatic efforts are viewed positively, and continued U.S. involvement could stabilize the region and prevent further conflict.",
        "disputed": False,
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Dive Deeper",
            "quote": "U.S. President Trump and American diplomatic efforts have been positively received by Pakistan, with hopes that continued U.S. involvement could stabilize the region and "
            "prevent further conflict",
        },
        "topics": ["us-role", "de-escalation"],
    },
    {
        "id": "india-attackers-cross-border-linkages",
        "claimant": "india",
        "statement": "The attackers had 'cross-border linkages'.",
        "disputed": True,
        "disputes": [{"by": "pakistan", "quote": "Pakistan has denied these allegations"}],
        "source": {
            "id": "asif-welcomes-us-help",
            "section": "Dive Deeper",
            "quote": "India has accused the attackers of having 'cross-border linkages'",
        },
        "topics": ["terrorism"],
    },
]

ACTORS = [
    {
        "id": "asif-welcomes-us-help-narrator",
        "name": "Narrator (asif-welcomes-us-help)",
        "kind": "narrator",
        "aliases": ["narrator"],
    },
    {"id": "unattributed", "name": "Unattributed (the source does not say who)", "kind": "unattributed"},
    {"id": "pakistan", "name": "Pakistan", "kind": "country"},
    {"id": "pakistan-government", "name": "Government of Pakistan", "kind": "government", "part_of": ["pakistan"]},
    {
        "id": "khawaja-muhammad-asif",
        "name": "Khawaja Muhammad Asif",
        "kind": "person",
        "role": "Defense Minister of Pakistan",
        "aliases": ["Asif"],
        "part_of": ["pakistan-government"],
    },
    {"id": "india", "name": "India", "kind": "country"},
    {"id": "united-states", "name": "United States", "kind": "country", "aliases": ["U.S.", "US"]},
    {
        "id": "united-states-government",
        "name": "Government of the United States",
        "kind": "government",
        "part_of": ["united-states"],
    },
    {
        "id": "donald-trump",
        "name": "Donald Trump",
        "kind": "person",
        "role": "President of the United States",
        "aliases": ["Trump", "President Trump"],
        "part_of": ["united-states-government"],
    },
    {
        "id": "tulsi-gabbard",
        "name": "Tulsi Gabbard",
        "kind": "person",
        "role": "U.S. Director of National Intelligence",
        "aliases": ["Gabbard"],
        "part_of": ["united-states-government"],
    },
]


class _Dumper(yaml.SafeDumper):
    """Indents a sequence under its key (``  - value: 5`` below ``figures:``), as people write YAML."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def to_yaml(data: object) -> str:
    """Block-style YAML, keys in the order given, long lines kept whole, non-ASCII kept as is."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)


ACTORS_HEADER = (
    "# yaml-language-server: $schema=../schema/actors.schema.json\n"
    "# Actors who make claims, or who are part of those who do. `part_of` points\n"
    "# up the tree: a minister speaks for a government, which speaks for a country.\n"
)


def actors_yaml(actors: list[dict]) -> str:
    """An actors file: a comment, then one list item per actor with a blank line between them."""
    items = ["".join("  " + line + "\n" for line in to_yaml([actor]).splitlines()) for actor in actors]
    return ACTORS_HEADER + "actors:\n" + "\n".join(items)


def source_yaml(source: dict) -> str:
    body = to_yaml(source).replace(
        "\ntext:", "\n# The verbatim text, kept byte for byte as received: every quote is checked against it.\ntext:", 1
    )
    return "# yaml-language-server: $schema=../schema/source.schema.json\n" + body


def claim_yaml(claim: dict) -> str:
    return "# yaml-language-server: $schema=../../schema/claim.schema.json\n" + to_yaml(claim)


def write_factbase(
    root: Path,
    actors: list[dict] = ACTORS,
    sources: list[tuple[dict, str]] = ((SOURCE, SOURCE_TEXT),),
    claims: list[dict] = CLAIMS,
) -> Path:
    """Write a fact base under ``root`` (created): the schemas its files name, one actors file, each source
    and its text, one file per claim."""
    for folder in ("schema", "actors", "sources", "claims"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for kind in KIND_OF_DIR.values():  # as `factcli schema KIND > facts/schema/KIND.schema.json` writes them
        (root / "schema" / f"{kind}.schema.json").write_text(contract.dumps(json_schema(kind)) + "\n", encoding="utf-8")
    (root / "actors" / "actors.yaml").write_text(actors_yaml(list(actors)), encoding="utf-8")
    for source, text in sources:
        (root / "sources" / f"{source['id']}.yaml").write_text(source_yaml(source), encoding="utf-8")
        (root / "sources" / source["text"]).write_text(text, encoding="utf-8")
    for claim in claims:
        folder = root / "claims" / claim["source"]["id"]
        folder.mkdir(exist_ok=True)
        (folder / f"{claim['id']}.yaml").write_text(claim_yaml(claim), encoding="utf-8")
    return root


def copy_factbase(original: Path, dest: Path) -> Path:
    """A private copy of a fact base, safe to edit."""
    shutil.copytree(original, dest)
    return dest


def fact_files(root: Path) -> list[tuple[Path, str]]:
    """Every fact file under ``root`` with its kind, from the folder it is in."""
    found = []
    for folder, kind in KIND_OF_DIR.items():
        found += [(p, kind) for p in sorted((root / folder).rglob("*.y*ml"))]
    return found


# --- a story told by two sources (record format version 2) ---------------------------------------
# Invented places and people: Tarsovia's army, Oskara's information minister and its unnamed officials,
# and Lunmark, as reported by a wire agency and a daily. It has what the cross-source features need:
# dated sources (a day, and a time with a zone), a claim revised by a later one, the same claim in both
# sources (matches), disputes and a confirmation reported by the other source, a caveat, an anonymous
# actor, a claim about someone else, and figures of one measure that cannot all be true.

CROSS_SOURCES = [
    (
        {
            "id": "wire-report",
            "title": "Oskara says it downed Tarsovian aircraft",
            "text": "wire-report.txt",
            "sections": ["Report", "Reactions"],
            "publisher": "Example Wire",
            "published": "2031-03-11",
        },
        "Oskara says it downed Tarsovian aircraft\n"
        "Report:\n"
        "Information minister Dara Venn first announced that two Tarsovian aircraft were downed, and later a third. "
        "Oskaran officials said at least 26 people were killed in the strikes. "
        "The figures could not be independently verified.\n"
        "Reactions:\n"
        "Tarsovia's army denied losing any aircraft.\n",
    ),
    (
        {
            "id": "daily-report",
            "title": "Tarsovia disputes toll",
            "text": "daily-report.txt",
            "sections": ["Report"],
            "published": "2031-03-12T09:00:00+01:00",
        },
        "Tarsovia disputes toll\n"
        "Report:\n"
        "Oskara's information minister repeated that three Tarsovian aircraft had been shot down, "
        "which Lunmark's foreign ministry confirmed. "
        "Tarsovia's army said fewer than 10 people had died in Oskara, a figure Dara Venn called a lie. "
        "Hospital records seen by the paper put the toll between 30 and 40.\n",
    ),
]

CROSS_ACTORS = [
    {"id": "oskara", "name": "Oskara", "kind": "country"},
    {"id": "oskara-government", "name": "Government of Oskara", "kind": "government", "part_of": ["oskara"]},
    {
        "id": "dara-venn",
        "name": "Dara Venn",
        "kind": "person",
        "role": "Information minister of Oskara",
        "aliases": ["information minister"],
        "part_of": ["oskara-government"],
    },
    {
        "id": "oskaran-officials",
        "name": "Oskaran officials",
        "kind": "unattributed",
        "anonymous": True,
        "part_of": ["oskara-government"],
    },
    {"id": "tarsovia", "name": "Tarsovia", "kind": "country"},
    {"id": "tarsovia-army", "name": "Tarsovian army", "kind": "military", "part_of": ["tarsovia"]},
    {"id": "lunmark", "name": "Lunmark", "kind": "country"},
    {"id": "wire-report-narrator", "name": "Example Wire", "kind": "narrator"},
    {"id": "daily-report-narrator", "name": "The daily", "kind": "narrator"},
]

CROSS_MEASURES = [
    {"id": "aircraft-downed", "name": "Tarsovian aircraft downed", "unit": "aircraft"},
    {"id": "deaths", "name": "People killed in the strikes", "unit": "people"},
]


def _figure(value, text, measure, qualifier="exact", unit="aircraft", **more):
    figure = {"value": value, "unit": unit, "qualifier": qualifier, "text": text, "measure": measure, **more}
    if qualifier == "range":
        del figure["value"]
    return figure


CROSS_CLAIMS = [
    {
        "id": "venn-two-aircraft",
        "claimant": "dara-venn",
        "statement": "Two Tarsovian aircraft were downed.",
        "figures": [_figure(2, "two", "aircraft-downed")],
        "disputed": False,
        "source": {
            "id": "wire-report",
            "section": "Report",
            "quote": "Information minister Dara Venn first announced that two Tarsovian aircraft were downed",
        },
        "about": ["tarsovia"],
        "as_of": "2031-03-10",
    },
    {
        "id": "venn-three-aircraft",
        "claimant": "dara-venn",
        "statement": "A third Tarsovian aircraft was downed.",
        "figures": [],
        "disputed": True,
        "disputes": [{"by": "tarsovia-army", "quote": "Tarsovia's army denied losing any aircraft."}],
        "source": {"id": "wire-report", "section": "Report", "quote": "and later a third"},
        "updates": "venn-two-aircraft",
    },
    {
        "id": "officials-26-killed",
        "claimant": "oskaran-officials",
        "statement": "At least 26 people were killed in the strikes.",
        "figures": [_figure(26, "at least 26", "deaths", "at_least", "people killed")],
        "disputed": False,
        "source": {
            "id": "wire-report",
            "section": "Report",
            "quote": "Oskaran officials said at least 26 people were killed in the strikes.",
        },
        "unverified": [{"by": "wire-report-narrator", "quote": "The figures could not be independently verified."}],
    },
    {
        "id": "daily-venn-three-aircraft",
        "claimant": "dara-venn",
        "statement": "Three Tarsovian aircraft were shot down.",
        "figures": [_figure(3, "three", "aircraft-downed")],
        "disputed": False,
        "source": {
            "id": "daily-report",
            "section": "Report",
            "quote": "Oskara's information minister repeated that three Tarsovian aircraft had been shot down",
        },
        "matches": ["venn-three-aircraft"],
        "confirmations": [{"by": "lunmark", "quote": "which Lunmark's foreign ministry confirmed"}],
    },
    {
        "id": "army-fewer-than-10-died",
        "claimant": "tarsovia-army",
        "statement": "Fewer than 10 people died in Oskara.",
        "figures": [_figure(10, "fewer than 10", "deaths", "fewer_than", "people died")],
        "disputed": True,
        "disputes": [{"by": "dara-venn", "quote": "a figure Dara Venn called a lie"}],
        "source": {
            "id": "daily-report",
            "section": "Report",
            "quote": "Tarsovia's army said fewer than 10 people had died in Oskara",
        },
        "about": ["oskara"],
    },
    {
        "id": "daily-toll-30-to-40",
        "claimant": "daily-report-narrator",
        "statement": "Hospital records put the toll between 30 and 40.",
        "figures": [_figure(None, "between 30 and 40", "deaths", "range", "people", low=30, high=40)],
        "disputed": False,
        "source": {
            "id": "daily-report",
            "section": "Report",
            "quote": "Hospital records seen by the paper put the toll between 30 and 40.",
        },
    },
]


def measures_yaml(measures: list[dict]) -> str:
    return "# yaml-language-server: $schema=../schema/measures.schema.json\n" + to_yaml({"measures": measures})


def write_cross_factbase(
    root: Path,
    actors: list[dict] = CROSS_ACTORS,
    sources: list[tuple[dict, str]] = CROSS_SOURCES,
    claims: list[dict] = CROSS_CLAIMS,
    measures: list[dict] = CROSS_MEASURES,
) -> Path:
    """The two-source story, written as ``write_factbase`` writes the story, with a measures registry."""
    write_factbase(root, actors, sources, claims)
    (root / "schema" / "measures.schema.json").write_text(
        contract.dumps(json_schema("measures")) + "\n", encoding="utf-8"
    )
    if measures:
        (root / "measures").mkdir(exist_ok=True)
        (root / "measures" / "measures.yaml").write_text(measures_yaml(measures), encoding="utf-8")
    return root


def changed_cross_factbase(root: Path, change=None) -> Path:
    """The two-source story under ``root``, with ``change(actors, sources, claims, measures)`` applied to
    copies of its data first (a test breaks or extends it in one way)."""
    import copy

    actors, sources = copy.deepcopy(CROSS_ACTORS), copy.deepcopy(CROSS_SOURCES)
    claims, measures = copy.deepcopy(CROSS_CLAIMS), copy.deepcopy(CROSS_MEASURES)
    if change is not None:
        change(actors, sources, claims, measures)
    return write_cross_factbase(root, actors, sources, claims, measures)


def claim_of(claims: list[dict], claim_id: str) -> dict:
    """The claim ``claim_id`` among ``claims`` (data, as a test's ``change`` gets it)."""
    return next(c for c in claims if c["id"] == claim_id)
