"""Write a realistic synthetic fact base of N claims (run as ``python benchmarks/make_corpus.py N DIR``).

About 50 claims per article, each article a ``sources/<id>.yaml`` with its
generated text in ``<id>.txt`` and its claims in one ``claims/<id>.yaml``
(``--layout per-claim``: one file per claim in ``claims/<id>/``, as the shipped
``facts/`` keep them);
every claim's quote, figure texts and dispute quotes are really in that text
(the quote inside the section the claim names); a few hundred actors in a
``part_of`` tree (countries, governments, ministries, militaries, people,
organisations, groups, newsroom narrators); figures exact, bounded and vague;
about one claim in ten disputed. The output passes ``factcli validate`` and is
the same for the same N and seed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from pathlib import Path

CLAIMS_PER_ARTICLE = 50

COUNTRIES = [
    "Arvenia",
    "Belmora",
    "Caldris",
    "Dravonia",
    "Estrava",
    "Fenmark",
    "Galdor",
    "Hesperia",
    "Istova",
    "Jorvale",
    "Kestria",
    "Lumeria",
    "Mordavia",
    "Norvenia",
    "Ostria",
    "Pellucia",
    "Quarvia",
    "Rostovia",
    "Solvania",
    "Tarvossa",
    "Ulmeria",
    "Valdria",
    "Westmarch",
    "Xandria",
    "Yorvia",
    "Zeltria",
    "Aldoria",
    "Brenmark",
    "Corvania",
    "Delvoria",
]
FIRST = [
    "Amina",
    "Bilal",
    "Carmen",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hassan",
    "Ingrid",
    "Jamal",
    "Katya",
    "Luis",
    "Maya",
    "Nikolai",
    "Olga",
    "Pavel",
    "Rania",
    "Sofia",
    "Tariq",
    "Umar",
    "Vera",
    "Wanjiru",
    "Ximena",
    "Yusuf",
    "Zainab",
    "Arjun",
    "Beatriz",
    "Chen",
    "Dalia",
    "Emre",
]
LAST = [
    "Abbasi",
    "Brandt",
    "Castillo",
    "Demir",
    "Eriksen",
    "Farouk",
    "Gallo",
    "Haddad",
    "Ibrahim",
    "Jansen",
    "Kovacs",
    "Lindqvist",
    "Mendez",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quintero",
    "Rahman",
    "Santos",
    "Tanaka",
    "Usman",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zoric",
    "Alvarez",
    "Bianchi",
    "Chaudhry",
    "Dubois",
    "Esposito",
    "Fischer",
    "Gomez",
    "Horvat",
    "Iqbal",
    "Jovanovic",
]
ROLES = [
    ("president", "President of {c}", "government"),
    ("defence-minister", "Defence Minister of {c}", "government"),
    ("foreign-minister", "Foreign Minister of {c}", "foreign-ministry"),
    ("army-chief", "Chief of the Army Staff of {c}", "military"),
    ("military-spokesperson", "Spokesperson of the {c} armed forces", "military"),
]
ORGANISATIONS = [
    ("united-nations", "United Nations", ["UN", "U.N."]),
    ("red-crescent", "International Red Crescent", ["Red Crescent"]),
    ("world-health-body", "World Health Body", ["WHB"]),
    ("regional-security-council", "Regional Security Council", ["RSC"]),
    ("refugee-agency", "Refugee Relief Agency", ["RRA"]),
    ("nuclear-watchdog", "Atomic Oversight Agency", ["AOA"]),
    ("human-rights-monitor", "Human Rights Monitor", ["HRM"]),
    ("trade-union-league", "International Trade Union League", []),
    ("development-bank", "Continental Development Bank", ["CDB"]),
    ("press-freedom-group", "Press Freedom Group", ["PFG"]),
]
GROUPS = [
    "Northern Front",
    "Valley Liberation Army",
    "Coastal Brigades",
    "Highland Militia",
    "Eastern Resistance",
    "River Alliance",
    "Desert Legion",
    "Free Mountain Movement",
    "People's Guard",
    "Southern Defence Committee",
]
PUBLISHERS = [
    "Global Wire",
    "Daily Ledger",
    "Evening Courier",
    "Continental Times",
    "Harbour Post",
    "Morning Herald",
    "Frontier Dispatch",
    "Capital Chronicle",
    "Weekly Observer",
    "Pacific Bulletin",
    "Northern Gazette",
    "Metro Report",
]
PLACES = [
    "the northern border",
    "the capital",
    "the river valley",
    "the coastal region",
    "the eastern province",
    "the disputed district",
    "the mountain pass",
    "the industrial zone",
    "the southern plains",
    "the port city",
    "the airbase",
    "the refugee camps",
    "the frontier villages",
    "the central market",
    "the old town",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TOPICS = [
    "strikes",
    "casualties",
    "retaliation",
    "aircraft",
    "drones",
    "diplomacy",
    "mediation",
    "nuclear",
    "deterrence",
    "terrorism",
    "investigation",
    "de-escalation",
    "ceasefire",
    "refugees",
    "humanitarian-aid",
    "sanctions",
    "trade",
    "elections",
    "border",
    "intelligence",
    "cyber",
    "economy",
    "energy",
    "protests",
    "human-rights",
    "media",
    "navy",
    "missiles",
    "peace-talks",
    "arms",
]
SECTIONS = [["Context", "Dive Deeper"], ["Context", "Dive Deeper", "Reactions"], ["Summary", "Details", "Background"]]
NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()
EVENTS = [
    "border clashes",
    "airstrikes",
    "peace talks",
    "a trade dispute",
    "a naval standoff",
    "election unrest",
    "a ceasefire",
]
UNITS = [
    ("people killed", "killed", "deaths"),
    ("soldiers wounded", "wounded", "wounded"),
    ("aircraft", "shot down", "aircraft-downed"),
    ("drones", "intercepted", "drones-intercepted"),
    ("homes", "destroyed", "homes-destroyed"),
    ("families", "displaced", "displaced"),
    ("missiles", "fired", "missiles-fired"),
    ("sites", "struck", "sites-struck"),
    ("detainees", "released", "detainees-released"),
]
DEMANDS = [
    "an independent investigation",
    "an immediate ceasefire",
    "restraint from both sides",
    "new talks",
    "humanitarian access",
    "the release of prisoners",
]
ACCUSATIONS = [
    "violating the ceasefire",
    "shelling civilian areas",
    "spreading disinformation",
    "harbouring armed groups",
    "blocking aid convoys",
    "jamming communications",
]
DENIALS = [
    "rejected these accounts",
    "denied the allegations",
    "called the figures exaggerated",
    "disputed this account",
    "dismissed the claims as propaganda",
]

_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.'()’\-]*$")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def q(text: str) -> str:
    """A YAML scalar for ``text``: plain when that reads back as the same text, else double-quoted."""
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def make_actors(rng: random.Random) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """Actor registries by file name, and each country's actors who speak (for choosing claimants)."""
    files: dict[str, list[dict]] = {}
    speakers: dict[str, list[dict]] = {}
    used_names: set[str] = set()
    used_aliases: set[str] = set()
    for country in COUNTRIES:
        c = slug(country)
        registry = [
            {"id": c, "name": country, "kind": "country"},
            {"id": f"{c}-government", "name": f"Government of {country}", "kind": "government", "part_of": [c]},
            {
                "id": f"{c}-foreign-ministry",
                "name": f"Foreign Ministry of {country}",
                "kind": "government",
                "part_of": [f"{c}-government"],
            },
            {"id": f"{c}-military", "name": f"{country} Armed Forces", "kind": "military", "part_of": [c]},
        ]
        for _role, title, parent in ROLES:
            while True:
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                if name not in used_names:
                    used_names.add(name)
                    break
            surname = name.split()[-1]
            registry.append(
                {
                    "id": slug(name),
                    "name": name,
                    "kind": "person",
                    "role": title.format(c=country),
                    # An alias names one actor only (format version 2): a surname already taken is left out.
                    "aliases": [] if surname in used_aliases else [surname],
                    "part_of": [f"{c}-{parent}"],
                }
            )
            used_aliases.add(surname)
        files[f"{c}.yaml"] = registry
        speakers[c] = registry
    common = [{"id": "unattributed", "name": "Unattributed (the source does not say who)", "kind": "unattributed"}]
    for oid, name, aliases in ORGANISATIONS:
        common.append({"id": oid, "name": name, "kind": "organisation", **({"aliases": aliases} if aliases else {})})
    for name in GROUPS:
        common.append({"id": slug(name), "name": name, "kind": "group"})
    for pub in PUBLISHERS:
        common.append({"id": f"{slug(pub)}-narrator", "name": f"Narrator ({pub})", "kind": "narrator"})
        common.append({"id": slug(pub), "name": pub, "kind": "media"})
        common[-2]["part_of"] = [slug(pub)]
    files["international.yaml"] = common
    return files, speakers


def actors_yaml(actors: list[dict]) -> str:
    out = [
        "# yaml-language-server: $schema=../schema/actors.schema.json",
        "# Generated by benchmarks/make_corpus.py: actors in a part_of tree.",
        "actors:",
    ]
    for a in actors:
        out.append(f"  - id: {a['id']}")
        out.append(f"    name: {q(a['name'])}")
        out.append(f"    kind: {a['kind']}")
        if "role" in a:
            out.append(f"    role: {q(a['role'])}")
        for key in ("aliases", "part_of"):
            if a.get(key):
                out.append(f"    {key}:")
                out.extend(f"      - {q(v)}" for v in a[key])
        out.append("")
    return "\n".join(out)


def spoken(a: dict) -> str:
    """How an article names an actor."""
    if "say" in a:
        return a["say"]
    return f"{a['role']} {a['name']}" if a.get("role") else a["name"]


def make_claim(
    rng: random.Random, n: int, claimant: dict, other: dict, place: str, day: str, sid: str
) -> tuple[str, dict]:
    """One sentence of the article and the claim record resting on it."""
    who = spoken(claimant)
    unit, verb, measure = rng.choice(UNITS)
    kind = rng.randrange(7)
    figures = []
    if kind == 0:
        value = rng.randint(2, 12)
        word = NUMBER_WORDS[value]
        sentence = f"{who} said that {word} {unit} were {verb} near {place} on {day} (report {n})"
        statement = f"{word.capitalize()} {unit} were {verb} near {place}."
        figures.append({"value": value, "unit": unit, "qualifier": "exact", "text": word})
    elif kind == 1:
        value = rng.randint(13, 400)
        sentence = f"According to {who}, at least {value} {unit} were {verb} in {place} by {day} (report {n})"
        statement = f"At least {value} {unit} were {verb} in {place}."
        figures.append({"value": value, "unit": unit, "qualifier": "at_least", "text": f"at least {value}"})
    elif kind == 2:
        sentence = f"{who} stated that several {unit} had been {verb} around {place} on {day} (report {n})"
        statement = f"Several {unit} were {verb} around {place}."
        figures.append({"value": None, "unit": unit, "qualifier": "unspecified", "text": "several"})
    elif kind == 3:
        value = rng.randint(1, 90) * 100
        sentence = f"{who} estimated that approximately {value} {unit} were {verb} across {place} (report {n})"
        statement = f"Approximately {value} {unit} were {verb} across {place}."
        figures.append({"value": value, "unit": unit, "qualifier": "approximately", "text": f"approximately {value}"})
    elif kind == 4:
        value, second = rng.randint(2, 60), rng.randint(2, 9)
        unit2, verb2, measure2 = rng.choice([u for u in UNITS if u[2] != measure])
        sentence = (
            f"{who} said no more than {value} {unit} were {verb} and {NUMBER_WORDS[second]} {unit2} "
            f"were {verb2} near {place} on {day} (report {n})"
        )
        statement = f"No more than {value} {unit} were {verb}, and {NUMBER_WORDS[second]} {unit2} were {verb2}."
        figures.append({"value": value, "unit": unit, "qualifier": "at_most", "text": f"no more than {value}"})
        figures.append(
            {
                "value": second,
                "unit": unit2,
                "qualifier": "exact",
                "text": NUMBER_WORDS[second],
                "measure": f"{measure2}-{sid}",
            }
        )
    elif kind == 5:
        demand = rng.choice(DEMANDS)
        sentence = f"{who} called for {demand} into the events in {place} on {day} (report {n})"
        statement = f"There should be {demand} into the events in {place}."
    else:
        accusation = rng.choice(ACCUSATIONS)
        sentence = f"{who} accused {spoken(other)} of {accusation} near {place} (report {n})"
        statement = f"{other['name']} has been {accusation} near {place}."
    for f in figures:
        f.setdefault("measure", f"{measure}-{sid}")
    return sentence, {"claimant": claimant["id"], "statement": statement, "figures": figures, "quote": sentence}


def claim_yaml(c: dict) -> str:
    """A one-claim file (``--layout per-claim``)."""
    return "# yaml-language-server: $schema=../../schema/claim.schema.json\n" + claim_body(c)


def article_yaml(sid: str, claims: list[dict]) -> str:
    """A file of every claim of one article (``--layout per-article``)."""
    out = ["# yaml-language-server: $schema=../schema/claim.schema.json", f"source: {sid}", "claims:"]
    for c in claims:
        lines = claim_body(c).splitlines()
        out.append("  - " + lines[0])
        out.extend("    " + line for line in lines[1:])
    return "\n".join(out) + "\n"


def claim_body(c: dict) -> str:
    out = [
        f"id: {c['id']}",
        f"claimant: {c['claimant']}",
        f"statement: {q(c['statement'])}",
    ]
    if c["figures"]:
        out.append("figures:")
        for f in c["figures"]:
            out.append(f"  - value: {'null' if f['value'] is None else f['value']}")
            out.append(f"    unit: {q(f['unit'])}")
            out.append(f"    qualifier: {f['qualifier']}")
            out.append(f"    text: {q(f['text'])}")
            out.append(f"    measure: {f['measure']}")
    out.append(f"disputed: {'true' if c['disputes'] else 'false'}")
    if c["disputes"]:
        out.append("disputes:")
        for d in c["disputes"]:
            out.append(f"  - by: {d['by']}")
            out.append(f"    quote: {q(d['quote'])}")
    out += ["source:", f"  id: {c['source']}", f"  section: {q(c['section'])}", f"  quote: {q(c['quote'])}"]
    out.append("topics:")
    out.extend(f"  - {t}" for t in c["topics"])
    return "\n".join(out) + "\n"


LAYOUTS = ("per-article", "per-claim")


def make_corpus(n_claims: int, root: Path, seed: int = 6, layout: str = "per-article") -> dict:
    """Write the corpus; ``layout`` is one file per article (claims/<source>.yaml) or per claim."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    rng = random.Random(seed)
    files, speakers = make_actors(rng)
    (root / "actors").mkdir(parents=True, exist_ok=True)
    (root / "sources").mkdir(exist_ok=True)
    (root / "claims").mkdir(exist_ok=True)
    for name, registry in files.items():
        (root / "actors" / name).write_text(actors_yaml(registry), encoding="utf-8")
    internationals = [a for a in files["international.yaml"] if a["kind"] in ("organisation", "group")]
    countries = list(speakers)
    n_articles = max(1, -(-n_claims // CLAIMS_PER_ARTICLE))
    written = 0
    for art in range(n_articles):
        k = min(CLAIMS_PER_ARTICLE, n_claims - written)
        a, b = rng.sample(countries, 2)
        event = rng.choice(EVENTS)
        pub = PUBLISHERS[art % len(PUBLISHERS)]
        sid = f"a{art:05d}-{a}-{b}-{slug(event)}"
        sections = SECTIONS[art % len(SECTIONS)]
        cast = speakers[a] + speakers[b] + rng.sample(internationals, 3)
        narrator = {"id": f"{slug(pub)}-narrator", "name": f"Narrator ({pub})", "say": "The newsroom"}
        unattributed = {"id": "unattributed", "name": "Unattributed", "say": "Unnamed officials"}
        body: dict[str, list[str]] = {s: [] for s in sections}
        claims = []
        for i in range(k):
            section = sections[i % len(sections)] if i >= len(sections) else sections[i]
            roll = rng.random()
            claimant = narrator if roll < 0.08 else unattributed if roll < 0.12 else rng.choice(cast)
            other = rng.choice([x for x in cast if x["id"] != claimant["id"]])
            sentence, claim = make_claim(rng, i + 1, claimant, other, rng.choice(PLACES), rng.choice(DAYS), sid)
            paragraph = [sentence + "."]
            disputes = []
            if rng.random() < 0.1:
                disputer = rng.choice([x for x in cast if x["id"] not in (claimant["id"], "unattributed")])
                dq = f"{spoken(disputer)} {rng.choice(DENIALS)} about report {i + 1}"
                paragraph.append(dq + ".")
                disputes.append({"by": disputer["id"], "quote": dq})
            body[section].append(" ".join(paragraph))
            claims.append(
                {
                    **claim,
                    "id": f"{sid}-c{i + 1:02d}",
                    "disputes": disputes,
                    "source": sid,
                    "section": section,
                    "topics": sorted(rng.sample(TOPICS, rng.randint(1, 3))),
                }
            )
        title = f"{a.capitalize()} and {b.capitalize()}: {event} ({pub}, article {art})"
        text = title + "\n" + "".join(f"{s}:\n" + "\n".join(body[s]) + "\n" for s in sections)
        (root / "sources" / f"{sid}.txt").write_text(text, encoding="utf-8")
        src = [
            "# yaml-language-server: $schema=../schema/source.schema.json",
            f"id: {sid}",
            f"title: {q(title)}",
            f"text: {sid}.txt",
            "sections:",
            *(f"  - {q(s)}" for s in sections),
            f"url: https://news.invalid/{sid}",
            f"publisher: {q(pub)}",
        ]
        (root / "sources" / f"{sid}.yaml").write_text("\n".join(src) + "\n", encoding="utf-8")
        if layout == "per-article":
            (root / "claims" / f"{sid}.yaml").write_text(article_yaml(sid, claims), encoding="utf-8")
        else:
            folder = root / "claims" / sid
            folder.mkdir(exist_ok=True)
            for c in claims:
                (folder / f"{c['id']}.yaml").write_text(claim_yaml(c), encoding="utf-8")
        written += k
    return {"claims": written, "sources": n_articles, "actors": sum(len(r) for r in files.values())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of claims")
    parser.add_argument("dir", type=Path, help="directory to write (must be empty or absent; --force replaces it)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="per-article",
        help="one claims file per article (claims/<source>.yaml, default) or one per claim (claims/<source>/<id>.yaml)",
    )
    parser.add_argument("--force", action="store_true", help="replace DIR if it exists")
    args = parser.parse_args(argv)
    if args.dir.exists() and any(args.dir.iterdir()):
        if not args.force:
            parser.error(f"{args.dir} is not empty (use --force to replace it)")
        shutil.rmtree(args.dir)
    counts = make_corpus(args.n, args.dir, args.seed, args.layout)
    print(
        f"wrote {counts['claims']} claims, {counts['sources']} sources, {counts['actors']} actors to {args.dir}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
