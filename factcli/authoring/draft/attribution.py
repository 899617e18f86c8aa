"""Who says what in a text: its sentences and clauses, and the speaker of each.

A speaker is found from the reporting verb ("said", "according to", "denied"...) and
the words next to it: a known actor named or aliased there; else a pronoun ("it said":
the previous speaker, flagged for review); else an unnamed source ("officials said",
"local sources": an anonymous actor); else a name the fact base does not know yet
("Information Minister Faris Dollen": a new actor, with the role the text gives);
else the article's own voice. Every span is an exact slice of the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from factcli.model import Actor

REPORTING = re.compile(
    r"\b(?:according to|call(?:s|ed|ing)? for|sa(?:id|ys|y)|tell|thank(?:s|ed)|repeat(?:s|ed)|stat(?:ed|es|ing)|claim(?:s|ed|ing)?"
    r"|announc(?:ed|es|ing)|den(?:ied|ies|ying)|dismiss(?:ed|es|ing)|accus(?:ed|es|ing)"
    r"|describ(?:ed|es|ing)|told|tells|report(?:ed|s)|not(?:ed|ing)|suggest(?:ed|s)|indicat(?:ed|es)"
    r"|emphasi[sz](?:ed|es|ing)|express(?:ed|es)|insist(?:ed|s)|warn(?:ed|s)|confirm(?:ed|s)|urg(?:ed|es)"
    r"|add(?:ed|s)|blam(?:ed|es)|welcom(?:ed|es)|alleg(?:ed|es)|argu(?:ed|es)"
    r"|acknowledg(?:ed|es)|declar(?:ed|es)|assert(?:ed|s)|reject(?:ed|s)|refut(?:ed|es)|estimat(?:ed|es))\b"
)
DENIAL = re.compile(r"\b(?:den(?:ied|ies|ying)|dismiss(?:ed|es|ing)|reject(?:ed|s)|refut(?:ed|es)|disput(?:ed|es))\b")
_ABBREVIATIONS = frozenset(
    "u.s u.k u.n e.u mr mrs ms dr st gen lt col sgt capt maj rep sen gov no vs jan feb aug sept oct nov dec".split()
)
_SENTENCE_END = re.compile(r"[.!?][\"”’')]*\s+(?=[\"“‘'(]?[A-Z0-9])")
_CLAUSE_BREAK = re.compile(r",\s+(?:while|whereas|but)\s+|;\s+")
# Cut here only when a report follows: "..., and Pakistan has claimed", "..., though Asif noted".
_REPORT_BREAK = re.compile(r",\s+(?:and|though|although)\s+")
_LEADING_CLAUSE = re.compile(r"(?:While|Although|Though|Whereas)\s[^,]{10,}?,\s+")
# "MORAVEL, March 11 (Halvane) - ", "HASKOR - ", a live blog's "08:10 - ": where and when, not what was said.
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z .'-]{2,}(?:,\s+[A-Z][a-z]+\.?\s+\d{1,2})?\s*(?:\([^)]{1,60}\))?|\d{1,2}:\d{2})\s*[-–—]+\s+"
)
_PRONOUN = re.compile(r"\b(?:it|he|she|they)\b", re.IGNORECASE)
# "the ministry", "the spokesman": someone named before, described again.
_DESCRIBED = re.compile(
    r"(?:the|that)\s+(?:[a-z-]+\s+)?(?:ministry|minister|spokes(?:man|woman|person)|military|army|government|"
    r"president|official|agency|group|office|department|police|prime minister)",
    re.IGNORECASE,
)
_UNNAMED = re.compile(
    r"(?:\b(?:a|an|the|two|three|several|some|local|senior|other)\s+)?(?:\b[\w’'-]+\s+){0,2}?"
    r"\b(?:officials?|sources?|witnesses|residents|spokes(?:man|woman|person)|analysts|diplomats|experts"
    r"|medics|doctors|observers|authorities)\b",
    re.IGNORECASE,
)
_ROLE_WORDS = re.compile(
    r"\b(?:(?:deputy|vice|prime|foreign|defen[cs]e|information|interior|finance|chief|senior)\s+)*"
    r"(?:minister|president|spokes(?:man|woman|person)|brigadier|general|colonel|commander|director|secretary"
    r"|ambassador|governor|mayor|chairman|chair|leader|envoy|official)\b",
    re.IGNORECASE,
)
_BODY_WORDS = re.compile(
    r"\b(?:ministry|army|agency|council|committee|office|department|government|police|forces|party|brotherhood"
    r"|group|military|navy|force|commission|service|court|parliament|union|front|movement|bureau|press)\b",
    re.IGNORECASE,
)
# A body named in the subject: "Tarsovia's Ministry of Defence", "Oskara's military", "the Foreign Ministry".
_BODY = re.compile(
    r"(?:\b(?P<owner>[A-Z][\w-]*)[’']s\s+)?(?P<body>(?:[A-Z][\w-]*(?:\s+(?:of|for|and|the)?\s*[A-Z][\w-]*)*)"
    r"|(?<=[’']s\s)[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})\s*$"
)
_NOT_NAMES = frozenset(
    "The A An It Its He His She Her They Their This That These Those But And While Despite Amid After Before Asked".split()
)
# What may stand between a one-word name and its verb: "Pakistan has claimed", "Dollen later said".
_AUXILIARIES = frozenset("has had have was were is are also later first then again earlier now".split())
_AUXILIARY_TAIL = re.compile(rf"(?:\s+(?:{'|'.join(sorted(_AUXILIARIES))}))+\s*$")


class Span(NamedTuple):
    start: int
    end: int


class Speaker(NamedTuple):
    """Who speaks in a clause.

    ``actor``: a known actor's id, or a proposed one's (``Cast.proposed``); ``note``: what the
    reviewer should check ("who is 'it'?").
    """

    actor: str
    note: str = ""
    reported: bool = True  # False: no reporting verb, the article's own voice
    verb: int = -1  # where the reporting verb starts in the text, when there is one


def sentences(text: str, start: int, end: int) -> list[Span]:
    """The sentences of ``text[start:end]``, each trimmed of surrounding space."""
    spans: list[Span] = []
    for line_start, line_end in _lines(text, start, end):
        begin = line_start
        for match in _SENTENCE_END.finditer(text, line_start, line_end):
            if not _is_abbreviation(text, begin, match.start()):
                spans.append(Span(begin, match.start() + len(match.group(0).rstrip())))
                begin = match.end()
        spans.append(Span(begin, line_end))
    return [s for s in (_trim(text, s) for s in spans) if s.end > s.start]


def _lines(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    pos = start
    while pos < end:
        stop = text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        yield pos, stop
        pos = stop + 1


def _is_abbreviation(text: str, begin: int, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[begin:dot])
    if word is None:
        return False
    return word.group(1).lower().rstrip(".") in _ABBREVIATIONS or len(word.group(1)) == 1


def _trim(text: str, span: Span) -> Span:
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def clauses(text: str, sentence: Span) -> list[Span]:
    """A sentence cut where it joins two reports (", while", "; "), each part at least four words;
    a dateline ("MORAVEL, March 11 (Agency) - ") and a final full stop are left out."""
    start, end = sentence
    dateline = _DATELINE.match(text, start, end)
    if dateline:
        start = dateline.end()
    if end > start and text[end - 1] == "." and not _is_abbreviation(text, start, end - 1):
        end -= 1
    breaks = sorted(
        [*_CLAUSE_BREAK.finditer(text, start, end), *_REPORT_BREAK.finditer(text, start, end)], key=lambda m: m.start()
    )
    lead = _LEADING_CLAUSE.match(text, start, end)
    if lead and _opens_report(text, lead.end(), end):
        breaks.insert(0, lead)
    cuts = [start]
    for match in breaks:
        if _inside_quotes(text, start, match.start()):
            continue
        if match.re is _LEADING_CLAUSE:
            cuts += [match.end() - 2, match.end()]
            continue
        if match.re is _REPORT_BREAK and not _opens_report(text, match.end(), end):
            continue
        if len(text[cuts[-1] : match.start()].split()) >= 4 and len(text[match.end() : end].split()) >= 4:
            cuts += [match.start(), match.end()]
    cuts.append(end)
    return [_trim(text, Span(cuts[i], cuts[i + 1])) for i in range(0, len(cuts), 2)]


def _opens_report(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` starts with someone reporting: a reporting verb within its first five words."""
    head = " ".join(text[start:end].split()[:5])
    verb = REPORTING.search(head)
    return verb is not None and not _noun_follows(head[: verb.start()])


def _noun_follows(before: str) -> bool:
    """Whether a reporting word after ``before`` is a noun: "Trump's call for", "the claims"."""
    return bool(re.search(r"(?:[’']s|\bthe|\ba|\ban|\bthese|\bthose|\bits|\btheir)\s+$", before))


class Cast:
    """The actors a text may name: the fact base's, and those proposed so far."""

    def __init__(self, actors: Iterable[Actor], narrator: str):
        self.actors = [a for a in actors if a.kind not in ("narrator", "unattributed")]
        self.narrator = narrator
        self.proposed: dict[str, Actor] = {}
        self._labels: list[tuple[str, str]] = []
        self._kinds: dict[str, str] = {}
        self._relabel()

    def _relabel(self) -> None:
        every = [*self.actors, *self.proposed.values()]
        self._kinds = {a.id: a.kind for a in every}
        labels = [(label, a.id) for a in every for label in _labels(a)]
        self._labels = sorted(labels, key=lambda item: -len(item[0]))

    def mentions(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """The actors named in ``text[start:end]``: (start, end, id), longest names first, none overlapping."""
        found: list[tuple[int, int, str]] = []
        for label, actor_id in self._labels:
            for match in re.finditer(rf"(?<![\w-]){re.escape(label)}(?![\w-])", text[start:end]):
                a, b = start + match.start(), start + match.end()
                if not any(a < y and x < b for x, y, _ in found):
                    found.append((a, b, actor_id))
        return sorted(found)

    def demonym_of(self, word: str) -> str | None:
        """The actor a word like "Pakistani", "Tarsovian" or "Lunmark's" names, if any."""
        word = re.sub(r"[’']s$", "", word.strip(",.;:"))
        for label, actor_id in self._labels:
            if " " in label or not label[:1].isupper():
                continue
            if word == label or (word.startswith(label[:-1]) and 0 < len(word) - len(label) <= 3):
                return actor_id
        return None

    def _is_known_word(self, word: str) -> bool:
        return self.demonym_of(word) is not None

    def speaker(self, text: str, clause: Span, previous: str | None) -> Speaker:
        """Who speaks in ``clause`` (``previous``: the last speaker, for a pronoun)."""
        verb = _reporting_verb(text, clause)
        if verb is None:
            return Speaker(self.narrator, reported=False)
        return self._speaker(text, clause, previous, verb)._replace(verb=verb.start())

    def _speaker(self, text: str, clause: Span, previous: str | None, verb: re.Match[str]) -> Speaker:
        window = _window(text, clause, verb)
        segments = _segments(text, window)
        if not segments:
            if verb.start() == clause.start and previous and previous != self.narrator:  # "..., but said they were"
                return Speaker(previous, note="who said it? taken as the previous speaker")
            return Speaker(self.narrator, note="a report with no one named: the article's own voice?")
        subject_first = verb.group(0) == "according to" or verb.group(0).endswith("ing") or window.start > verb.start()
        subject = self._subject(text, segments, subject_first)
        words = text[subject.start : subject.end]
        if subject_first and window.start < verb.start():  # "India conducted ..., claiming": the sentence's subject
            words = _leading_subject(words)
            subject = Span(subject.start, subject.start + len(words))
        described = _DESCRIBED.fullmatch(words.strip())
        if described and previous and previous != self.narrator:
            return Speaker(previous, note=f"who is '{words.strip()}'? taken as the previous speaker")
        if _PRONOUN.fullmatch(words.strip()):
            if previous and previous != self.narrator:
                return Speaker(previous, note=f"who is '{words.strip()}'? taken as the previous speaker")
            return Speaker(self.narrator, note=f"who is '{words.strip()}'? no one named before")
        name = self._person(words)
        unnamed = _UNNAMED.search(words)
        if unnamed and name is None:
            return self._anonymous(text, subject, unnamed)
        named = self.mentions(text, *subject)
        if name is not None and not any(name[0] in text[a:b] or text[a:b] in name[0] for a, b, _ in named):
            return self._new_person(text, window, *name)
        if named:
            start, end, actor_id = named[0] if subject_first else named[-1]
            owner = re.match(r"[’']s\s+((?:[A-Za-z][\w-]*\s*){1,4})", text[end : subject.end])
            if owner and not self.mentions(text, end, subject.end):
                return self._owned(actor_id, text[start:end], owner.group(1).strip())
            return Speaker(actor_id)
        body = _BODY.search(_AUXILIARY_TAIL.sub("", words))  # "Tarsovia's Ministry of Defence has (said)"
        if body:
            return self._new_body(body)
        return Speaker(self.narrator, note="no one named: the article's own voice?")

    def _new_body(self, body: re.Match[str]) -> Speaker:
        """A body the fact base does not know: "Tarsovia's Ministry of Defence", "Oskara's military"."""
        owner = body.group("owner")
        parent = self.demonym_of(owner) if owner else None
        name = body.group(0).strip()
        owned = body.group("body")
        kind = "military" if re.search(r"\b(?:military|army|forces|navy)\b", owned, re.IGNORECASE) else "organisation"
        if re.search(r"\bgovernment\b", owned, re.IGNORECASE):
            kind = "government"
        if _ROLE_WORDS.fullmatch(owned):
            kind = "person"
        return self._propose(name, kind, parent, owned[:1].upper() + owned[1:] if kind == "person" else None)

    def _subject(self, text: str, segments: list[Span], subject_first: bool) -> Span:
        """The comma-separated piece naming the speaker: the first for "according to" and "claiming";
        else the last that names a person, or else the last naming anyone."""
        if subject_first:
            return segments[0]
        named = [s for s in segments if not _describes(text[s.start : s.end])] or segments
        for segment in reversed(named):
            people = [m for m in self.mentions(text, *segment) if self._kinds.get(m[2]) == "person"]
            if people or self._person(text[segment.start : segment.end]) is not None:
                return segment
        for segment in reversed(segments):
            words = text[segment.start : segment.end]
            if self.mentions(text, *segment) or _UNNAMED.search(words) or _PRONOUN.fullmatch(words.strip()):
                return segment
        return segments[-1]

    def _person(self, words: str) -> tuple[str, str] | None:
        """A person's name at the end of ``words`` (trailing lower-case words aside) and the title before it:
        "Information Minister Faris Dollen had first" -> ("Faris Dollen", "Information Minister")."""
        tokens = words.split()
        trailing = []
        while tokens and not tokens[-1][:1].isupper():
            trailing.append(tokens.pop())
        name: list[str] = []
        while tokens and tokens[-1][:1].isupper() and not _ROLE_WORDS.fullmatch(tokens[-1].rstrip(".")):
            word = tokens[-1]
            if word.endswith(("’s", "'s")) or word in _NOT_NAMES or self._is_known_word(word):
                break
            if len(tokens) > 1 and tokens[-2].lower() in ("in", "of", "from", "at", "near"):
                return None  # a place: "officials in Dunhaven"
            name.insert(0, tokens.pop())
        if not name:
            return None
        if len(name) == 1 and self._by_surname(name[0]) is None:
            # One word alone before its verb ("Pakistan has claimed"): a name; anywhere else, a capital letter.
            alone = not tokens and all(w.lower() in _AUXILIARIES for w in trailing)
            return (name[0], "") if alone and len(name[0]) > 2 else None
        title: list[str] = []
        while tokens and (
            _ROLE_WORDS.fullmatch(" ".join([tokens[-1], *title]).rstrip(".")) or _TITLE_WORDS.fullmatch(tokens[-1])
        ):
            title.insert(0, tokens.pop())
        return " ".join(name), " ".join(title)

    def _by_surname(self, word: str) -> Actor | None:
        every = [*self.proposed.values(), *self.actors]
        return next((a for a in every if a.kind == "person" and a.name.split()[-1] == word), None)

    def _new_person(self, text: str, window: Span, name: str, title: str) -> Speaker:
        known = self._by_surname(name) if " " not in name else None
        if known is not None:
            return Speaker(known.id)
        context = text[window.start : window.end]
        aside = _ASIDE.search(context)
        role = title or None
        aside_words = (aside.group(1) or aside.group(2) or "") if aside else ""
        if _ROLE_WORDS.search(aside_words):
            role = re.sub(r"^(?:the|a|an)\s+", "", aside_words.strip(), flags=re.IGNORECASE)
        elif role is None:
            before = context[: context.find(name)] if name in context else ""
            role_words = list(_ROLE_WORDS.finditer(before))
            role = role_words[-1].group(0) if role_words else None
        parent = None
        for word in reversed(context.replace(name, " ").split()):
            parent = self.demonym_of(word)
            if parent:
                break
        kind = "organisation" if _BODY_WORDS.search(name) or " " not in name else "person"
        return self._propose(name, kind, parent, role)

    def _owned(self, owner: str, owner_words: str, owned: str) -> Speaker:
        """ "Oskara's military", "Oskara's information minister": someone already known by that role, or new."""
        if _ROLE_WORDS.fullmatch(owned):
            for actor in [*self.proposed.values(), *self.actors]:
                if actor.role and owned.lower() in actor.role.lower() and owner in self._ancestors(actor):
                    return Speaker(actor.id)
        name = f"{owner_words}’s {owned}" if "’" in owner_words else f"{owner_words}'s {owned}"
        kind = "military" if re.search(r"\b(?:military|army|forces|navy)\b", owned, re.IGNORECASE) else "organisation"
        if re.search(r"\bgovernment\b", owned, re.IGNORECASE):
            kind = "government"
        if _ROLE_WORDS.fullmatch(owned):
            kind = "person"
        return self._propose(name, kind, owner, owned[:1].upper() + owned[1:] if kind == "person" else None)

    def _ancestors(self, actor: Actor) -> set[str]:
        parents = {a.id: a.part_of for a in [*self.actors, *self.proposed.values()]}
        seen: set[str] = set()
        stack = list(actor.part_of)
        while stack:
            parent = stack.pop()
            if parent not in seen:
                seen.add(parent)
                stack.extend(parents.get(parent, ()))
        return seen

    def _propose(self, name: str, kind: str, parent: str | None, role: str | None) -> Speaker:
        actor_id = slug(name)
        known = next((a for a in self.actors if a.id == actor_id), None)
        if known is not None:
            return Speaker(known.id)
        actor = self.proposed.get(actor_id) or Actor(
            actor_id, name, kind, role=role if kind == "person" else None, part_of=(parent,) if parent else ()
        )
        if actor_id not in self.proposed:
            self.proposed[actor_id] = actor
            self._relabel()
        return Speaker(actor_id, note="a new actor: check the name, kind, role and part_of proposed below")

    def _known_unnamed(self, words: str) -> str | None:
        """A known anonymous actor described by the same words, give or take a "senior" or a "local"
        ("senior Tarsovian security official": tarsovia-security-official-anon)."""
        wanted = _describing(words)
        for actor in self.actors:
            if actor.anonymous or actor.id.endswith("-anon"):
                for label in (actor.id.removesuffix("-anon"), actor.name):
                    have = _describing(label)
                    if have and (have <= wanted or wanted <= have) and len(have & wanted) >= 2:
                        return actor.id
        return None

    def _anonymous(self, text: str, subject: Span, unnamed: re.Match[str]) -> Speaker:
        """ "officials said", "local officials in Haskor": an actor the source does not name."""
        words = text[subject.start : subject.end]
        phrase = re.sub(r"^(?:a|an|the|\d\d:\d\d\s*[-–—])\s+", "", unnamed.group(0).strip(), flags=re.IGNORECASE)
        place = re.match(r"\s+(?:in|from)\s+([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)", words[unnamed.end() :])
        parent = next(
            (a for w in (place.group(1).split() if place else []) + phrase.split() for a in [self.demonym_of(w)] if a),
            None,
        )
        where = place.group(1) if place else ""
        known = self._known_unnamed(f"{where} {phrase}")
        if known is not None:
            return Speaker(known, note=f"an unnamed source, taken as the known {known}: check it is the same one")
        actor_id = f"{slug(where + ' ' + phrase)}-anon"
        name = phrase[0].upper() + phrase[1:] + (f" in {where}" if where else "") + " (unnamed)"
        actor = self.proposed.get(actor_id) or Actor(actor_id, name, "group", part_of=(parent,) if parent else ())
        if actor_id not in self.proposed:
            self.proposed[actor_id] = actor
            self._relabel()
        return Speaker(actor_id, note="an unnamed source: a proposed anonymous actor (see below)")


def _describes(words: str) -> bool:
    """ "director of the Haskor District Hospital", "Lunmark's foreign minister": a piece between commas
    that says who the speaker is (a role), not who it is (a name)."""
    words = words.strip()
    role = re.match(r"(?:[A-Z][\w-]*[’']s\s+)?(?:the\s+|a\s+|an\s+)?", words)
    rest = words[role.end() :] if role else words
    return words[:1].islower() or bool(role and role.group(0) and rest[:1].islower() and _ROLE_WORDS.match(rest))


_UNTELLING = frozenset("a an the senior junior local unnamed other some two three several in from of".split())


def _describing(words: str) -> set[str]:
    """The telling words of an unnamed source, cut at six letters ("Tarsovian", "tarsovia": "tarsov")."""
    return {w[:6] for w in re.findall(r"[a-z]+", words.lower()) if w not in _UNTELLING}


def _leading_subject(words: str) -> str:
    """The words up to the first verb-like lower-case word: "India conducted airstrikes" -> "India"."""
    tokens = re.finditer(r"\S+", words)
    for token in tokens:
        if token.start() > 0 and not token.group(0)[:1].isupper() and token.group(0) not in ("of", "the"):
            return words[: token.start()].rstrip()
    return words


def _labels(actor: Actor) -> list[str]:
    if actor.id.endswith("-anon"):
        return []  # "(unnamed)" is no name to find in a text
    return [actor.name, *actor.aliases]


def _reporting_verb(text: str, clause: Span) -> re.Match[str] | None:
    """The clause's first reporting verb outside quotation marks (and not a noun: "Trump's call for")."""
    for match in REPORTING.finditer(text, *clause):
        if _modifies_a_noun(text, clause, match):
            continue
        if not _inside_quotes(text, clause.start, match.start()) and not _noun_follows(
            text[clause.start : match.start()]
        ):
            return match
    return None


def _modifies_a_noun(text: str, clause: Span, verb: re.Match[str]) -> bool:
    """ "The ceasefire announced by Lunmark held": a participle saying which ceasefire, not a report
    (with "was" or "has been" before it, "announced by Lunmark" is one: ``_window`` reads it)."""
    return bool(re.match(r"\s+by\b", text[verb.end() : clause.end])) and not re.search(
        r"\b(?:been|be|was|were|is|are)\s+$", text[clause.start : verb.start()]
    )


def _inside_quotes(text: str, start: int, pos: int) -> bool:
    before = text[start:pos]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def _window(text: str, clause: Span, verb: re.Match[str]) -> Span:
    """Where the speaker is named: after "according to"; after a closing quotation ('"...," X said');
    after the verb in an inversion ('"...," said X'); else before the verb."""
    if verb.group(0) == "according to":
        stop = text.find(",", verb.end(), clause.end)
        return _trim(text, Span(verb.end(), stop if stop >= 0 else clause.end))
    passive = re.match(r"\s+by\s+((?:[\w’'.-]+\s*){1,6})", text[verb.end() : clause.end])
    if passive and re.search(r"\b(?:been|be|was|were|is|are)\s+$", text[clause.start : verb.start()]):
        return _trim(text, Span(verb.end() + passive.start(1), verb.end() + passive.end(1)))  # "welcomed by Pakistan"
    before = text[clause.start : verb.start()]
    # Where the last closing quotation mark (and its space) ends: the speaker is named after it.
    after_quote = max((i + len(mark) for mark in ('" ', "” ") for i in [before.rfind(mark)] if i >= 0), default=-1)
    start = clause.start + after_quote if after_quote >= 0 else clause.start
    if after_quote >= 0 and not before[after_quote:].strip():  # '"...," said X'
        stop = min((i for i in (text.find(",", verb.end(), clause.end),) if i >= 0), default=clause.end)
        return _trim(text, Span(verb.end(), stop))
    return _trim(text, Span(start, verb.start()))


def _segments(text: str, window: Span) -> list[Span]:
    """The comma-separated pieces of ``window``, asides ("the military spokesman") and a live blog's
    time ("08:10 - ") left out."""
    words = _APPOSITIVE.sub(lambda m: "," + " " * (len(m.group(0)) - 2) + ",", text[window.start : window.end])
    words = re.sub(r"^\d{1,2}:\d{2}\s*[-–—]\s*", lambda m: " " * len(m.group(0)), words)
    out, pos = [], 0
    for piece in words.split(","):
        span = _trim(text, Span(window.start + pos, window.start + pos + len(piece)))
        if span.end > span.start and text[span.start : span.end].strip(" -–—"):
            out.append(span)
        pos += len(piece) + 1
    return out


# ", the U.S. Director of National Intelligence," between a name and its verb: not the subject.
_APPOSITIVE = re.compile(r",\s+(?:the|a|an)\s+[^,]*,")
_ASIDE = re.compile(r",\s+([^,]*),\s*$|,\s+([^,]*),")
_TITLE_WORDS = re.compile(r"(?:Dr|Mr|Mrs|Ms|Prof|Sir|Dame|Colonel|Brigadier|General|Captain|Major|Lieutenant)\.?")


def slug(text: str, words: int = 0) -> str:
    """``text`` as an id: lower-case ASCII letters and digits joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = re.findall(r"[a-z0-9]+", ascii_text.replace("’s", "").replace("'s", ""))
    return "-".join(parts[:words] if words else parts)


def about(mentions: Sequence[tuple[int, int, str]], claimant: str) -> list[str]:
    """The actors a claim concerns: those named in it, other than the one making it."""
    return list(dict.fromkeys(m[2] for m in mentions if m[2] != claimant))
