"""Dates as fact files write them: ISO 8601 days ("2025-05-07") or times ("2025-05-07T14:30+05:00").

A source's ``published`` and a claim's ``as_of`` are kept as written (text, so a file
reads the same in every YAML tool); these functions order and compare them, and give the
stretch of time each names (a day: all of it; a time: that instant) for ``--since``/``--until``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple


def parse(text: str) -> datetime:
    """``text`` as a datetime (a day alone is its midnight); ``ValueError`` when it is no ISO 8601 date."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def sort_key(text: str) -> str:
    """A key that orders dates in time: a day before any time of that day, a time with a zone by
    its UTC instant (a time without one as written)."""
    if len(text) <= 10:
        return text
    moment = parse(text)
    offset = moment.utcoffset()
    moment = moment.replace(tzinfo=None)
    if offset is None:
        return moment.isoformat(timespec="microseconds")
    try:
        return (moment - offset).isoformat(timespec="microseconds")
    except OverflowError:
        return _beyond_the_calendar(moment, offset)


def _beyond_the_calendar(moment: datetime, offset: timedelta) -> str:
    """The key of a local time whose UTC instant falls outside years 1 to 9999, which ``datetime``
    cannot hold ("9999-12-31T23:00-14:00"): an offset is under a day, so the instant is on the day
    before 0001-01-01, written as 0000-12-31, or counted in hours past 9999-12-31 ("T37:00"), in
    order as text with every other key."""
    if offset < timedelta(0):  # past the end
        day, since = "9999-12-31", moment - datetime(9999, 12, 31) - offset
    else:  # before the start
        day, since = "0000-12-31", moment - datetime(1, 1, 1) - offset + timedelta(days=1)
    hours, rest = divmod(since, timedelta(hours=1))
    minutes, rest = divmod(rest, timedelta(minutes=1))
    return f"{day}T{hours:02d}:{minutes:02d}:{rest.seconds:02d}.{rest.microseconds:06d}"


def before(first: str, second: str) -> bool:
    """Whether ``first`` is surely earlier than ``second``: by the day when either is a day alone (it
    says nothing of the hour, so 2031-03-11 is not before 2031-03-11T18:00), else by ``sort_key``."""
    if len(first) <= 10 or len(second) <= 10:
        return day(first) < day(second)
    return sort_key(first) < sort_key(second)


def day(text: str) -> str:
    """The calendar day a date names, as written (``--since``/``--until`` compare days)."""
    return text[:10]


# --- stretches of time: what --since and --until compare ---------------------------------------------

DAY = 86400.0
INSTANT = 1e-6  # the width given to a time, so a stretch is never empty


class Span(NamedTuple):
    """Seconds since the epoch: from ``start`` (included) to ``end`` (excluded)."""

    start: float
    end: float


def span(text: str) -> Span:
    """The stretch ``text`` names: a whole day for a day, an instant for a time (with no zone: UTC).

    ``ValueError`` for anything but an ISO 8601 date or date-time.
    """
    if not text[:1].isdigit():  # (fromisoformat reads more than dates: refuse words before it does)
        raise ValueError(f"not an ISO 8601 date or date-time: {text!r}")
    moment = parse(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    start = moment.timestamp()
    return Span(start, start + (DAY if len(text) <= 10 else INSTANT))


def within(text: str | None, since: Span | None, until: Span | None) -> bool:
    """Whether the date ``text`` overlaps from ``since`` to ``until`` (each end included; None: open).

    A claim with no date is in no stretch of time, so it is left out by either bound.
    """
    if since is None and until is None:
        return True
    if text is None:
        return False
    date = span(text)
    return (since is None or date.end > since.start) and (until is None or date.start < until.end)
