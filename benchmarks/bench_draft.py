"""How close ``factcli draft`` comes to claims people wrote by hand.

    python benchmarks/bench_draft.py [-v] [FACT-BASE ...]   (default: facts/, and examples/ when present)

``-v`` lists each hand-made record whose claimant the drafter got wrong.

For each source of each fact base, its hand-made claims are set aside, and so are the
actors only they name (a new article's people are new to the fact base too); the
drafter then reads the source's text and its drafts are compared with the records:

- figures right: hand-made figures that a drafted figure gives at the same place in the
  text with the same value (or range) and qualifier;
- records covered: hand-made records whose quote a draft's quote holds, at least half of it;
- drafts kept: drafts whose quote holds at least half of some hand-made quote (what a
  reviewer keeps, if with another statement);
- claimants right: of the covered records, those whose covering draft names the same claimant;
- quotes verbatim: drafts whose quote is in the text, inside its section (must be all).

Also times ``draft`` on an article of about 10,000 words (the shipped one, repeated).
Reads the files with factcli's YAML reader, not its validator, so any version of the
record format can be measured. Exit status 1 when a quote is not verbatim.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcli.authoring.draft.drafter import draft  # noqa: E402
from factcli.authoring.writer import Comment, Commented  # noqa: E402
from factcli.model import Actor, Claim, Figure, Measure, Source, SourceRef  # noqa: E402
from factcli.yamlsafe import decode, parse  # noqa: E402


def read(path: Path) -> object:
    return parse(decode(path.read_bytes())).value


def load_raw(root: Path) -> tuple[dict[str, Actor], dict[str, Source], list[dict], list[Measure]]:
    """A fact base's records as plain mappings (claims) and records (actors, sources), unvalidated."""
    actors: dict[str, Actor] = {}
    for path in sorted((root / "actors").glob("*.yaml")):
        for raw in read(path)["actors"]:  # type: ignore[index]
            actors[raw["id"]] = Actor(
                raw["id"],
                raw["name"],
                raw["kind"],
                raw.get("role"),
                tuple(raw.get("aliases", ())),
                tuple(raw.get("part_of", ())),
            )
    sources: dict[str, Source] = {}
    for path in sorted((root / "sources").glob("*.yaml")):
        raw = read(path)
        text = (path.parent / raw["text"]).read_bytes().decode("utf-8").replace("\r\n", "\n")  # type: ignore[index]
        sources[raw["id"]] = Source(raw["id"], raw["title"], tuple(raw["sections"]), text)  # type: ignore[index]
    claims: list[dict] = []
    for path in sorted((root / "claims").rglob("*.yaml")):
        raw = read(path)
        claims.extend(raw["claims"] if isinstance(raw, dict) and "claims" in raw else [raw])  # type: ignore[arg-type]
    measures = []
    for path in sorted((root / "measures").glob("*.yaml")) if (root / "measures").is_dir() else ():
        for m in read(path)["measures"]:  # type: ignore[index]
            measures.append(Measure(m["id"], m["name"], m.get("unit"), m.get("description")))
    return actors, sources, claims, measures


def as_claim(raw: dict) -> Claim:
    figures = tuple(
        Figure(f.get("value"), f["unit"], f["qualifier"], f["text"], f.get("measure"), f.get("low"), f.get("high"))
        for f in raw.get("figures", ())
    )
    ref = raw["source"]
    return Claim(
        raw["id"],
        raw["claimant"],
        raw["statement"],
        figures,
        raw["disputed"],
        (),
        SourceRef(ref["id"], ref["section"], ref["quote"]),
        (),
    )


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.find(quote)
    return (start, start + len(quote)) if start >= 0 else (-1, -1)


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def figure_key(figure: dict) -> tuple:
    if figure["qualifier"] == "range":
        return ("range", figure.get("low"), figure.get("high"))
    return (figure["qualifier"], figure.get("value"))


def measure(root: Path) -> list[dict]:
    actors, sources, claims, measures = load_raw(root)
    rows = []
    for source in sources.values():
        hand = [c for c in claims if c["source"]["id"] == source.id]
        others = [c for c in claims if c["source"]["id"] != source.id]
        used_elsewhere = {c["claimant"] for c in others} | {d["by"] for c in others for d in c.get("disputes", ())}
        used_here = {c["claimant"] for c in hand} | {a for c in hand for a in c.get("about", ())}
        kept = {a: actor for a, actor in actors.items() if a not in used_here or a in used_elsewhere}
        kept |= {a: actors[a] for a in list(kept) for a in kept[a].part_of if a in actors}
        own_measures = {f.get("measure") for c in hand for f in c.get("figures", ())}
        other_measures = {f.get("measure") for c in others for f in c.get("figures", ())}
        known = [m for m in measures if m.id not in own_measures or m.id in other_measures]
        result = draft(source, kept, [as_claim(c) for c in others], known)
        text = source.text
        drafted = [(span(text, d["source"]["quote"]), d) for d in result.claims]
        spans = source.section_spans()
        verbatim = sum(
            1
            for (start, end), d in drafted
            if start >= 0 and spans[d["source"]["section"]][0] <= start and end <= spans[d["source"]["section"]][1]
        )
        hand_spans = [(span(text, c["source"]["quote"]), c) for c in hand]
        covered = claimants = 0
        wrong: list[str] = []
        for hs, c in hand_spans:
            covering = [d for ds, d in drafted if overlap(hs, ds) * 2 >= hs[1] - hs[0]]
            if covering:
                covered += 1
                if any(d["claimant"] == c["claimant"] for d in covering):
                    claimants += 1
                else:
                    wrong.append(f"{c['id']}: {c['claimant']}, drafted as {', '.join(d['claimant'] for d in covering)}")
        kept_drafts = sum(1 for ds, _ in drafted if any(overlap(hs, ds) * 2 >= hs[1] - hs[0] for hs, _ in hand_spans))
        hand_figures = drafted_figures = right = 0
        found_at: dict[tuple[int, int], set[tuple]] = {}
        for ds, d in drafted:
            for f in d.get("figures", ()):
                at = d["source"]["quote"].find(f["text"])
                found_at.setdefault((ds[0] + at, ds[0] + at + len(f["text"])), set()).add(figure_key(_plain(f)))
                drafted_figures += 1
        missed = []
        for hs, c in hand_spans:
            for f in c.get("figures", ()):
                hand_figures += 1
                at = hs[0] + c["source"]["quote"].find(f["text"])
                where = (at, at + len(f["text"]))
                if any(overlap(where, place) and figure_key(f) in keys for place, keys in found_at.items()):
                    right += 1
                else:
                    missed.append(f"{f['text']!r} ({f['qualifier']}) in {c['id']}")
        rows.append(
            {
                "source": source.id,
                "hand": len(hand),
                "drafts": len(drafted),
                "figures": (right, hand_figures),
                "drafted_figures": drafted_figures,
                "covered": (covered, len(hand)),
                "kept": (kept_drafts, len(drafted)),
                "claimants": (claimants, covered),
                "verbatim": (verbatim, len(drafted)),
                "missed": missed,
                "wrong": wrong,
            }
        )
    return rows


def _plain(figure: dict) -> dict:
    return {k: (v.value if isinstance(v, Commented) else v) for k, v in figure.items() if not isinstance(k, Comment)}


def timing() -> tuple[int, float]:
    actors, sources, _claims, _measures = load_raw(ROOT / "facts")
    source = next(iter(sources.values()))
    heading, body = source.text.split("\n", 1)
    text = heading + "\n" + "\n".join([body] * 28)
    sections = tuple(dict.fromkeys(source.sections))
    big = source._replace(text=text, sections=sections)
    start = time.perf_counter()
    draft(big, actors, [])
    return len(text.split()), time.perf_counter() - start


def share(pair: tuple[int, int]) -> str:
    done, total = pair
    return f"{done}/{total} ({100 * done / total:.0f}%)" if total else "–"


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    argv = [a for a in argv if a != "-v"]
    roots = [Path(a) for a in argv] or [p for p in (ROOT / "facts", ROOT / "examples") if p.is_dir()]
    rows = [row for root in roots for row in measure(root)]
    print(
        "| source | hand-made | drafts | figures right | records covered | drafts kept | claimants right | quotes verbatim |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['source']} | {r['hand']} | {r['drafts']} | {share(r['figures'])} | {share(r['covered'])} | "
            f"{share(r['kept'])} | {share(r['claimants'])} | {share(r['verbatim'])} |"
        )
    total = {
        k: (sum(r[k][0] for r in rows), sum(r[k][1] for r in rows))
        for k in ("figures", "covered", "kept", "claimants", "verbatim")
    }
    print(
        f"| all | {sum(r['hand'] for r in rows)} | {sum(r['drafts'] for r in rows)} | {share(total['figures'])} | "
        f"{share(total['covered'])} | {share(total['kept'])} | {share(total['claimants'])} | {share(total['verbatim'])} |"
    )
    for r in rows:
        for m in r["missed"]:
            print(f"figure missed in {r['source']}: {m}")
        for m in r["wrong"] if verbose else ():
            print(f"claimant in {r['source']}: {m}")
    words, seconds = timing()
    print(f"draft of a {words:,}-word article: {seconds * 1000:.0f} ms (budget: under {DRAFT_BUDGET:.0f} s)")
    return 0 if total["verbatim"][0] == total["verbatim"][1] and seconds < DRAFT_BUDGET else 1


DRAFT_BUDGET = 1.0  # seconds to draft 10,000 words (issue 13), held here rather than in a timed unit test


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
