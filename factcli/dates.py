"""Dates as fact files write them: ISO 8601 days ("2025-05-07") or times ("2025-05-07T14:30+05:00").

A source's ``published`` and a claim's ``as_of`` are kept as written (text, so a file
reads the same in every YAML tool); these functions order and compare them.
"""

from __future__ import annotations

from datetime import UTC, datetime


def parse(text: str) -> datetime:
    """``text`` as a datetime (a day alone is its midnight); ``ValueError`` when it is no ISO 8601 date."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def sort_key(text: str) -> str:
    """A key that orders dates in time: a day before any time of that day, a time with a zone by
    its UTC instant (a time without one as written)."""
    if len(text) <= 10:
        return text
    moment = parse(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def day(text: str) -> str:
    """The calendar day a date names, as written (``--since``/``--until`` compare days)."""
    return text[:10]
