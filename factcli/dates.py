"""ISO 8601 dates and date-times as the stretches of time they name, to order and filter claims by.

A claim's date (its ``as_of``, else its source's ``published``) is a date ("2025-05-07": that
whole day) or a date-time ("2025-05-07T14:30:00+05:00": that instant). A date-time with no
offset is taken as UTC, so every date lies on one line of seconds. Stdlib only; ``datetime`` is
imported when a date is first read, never by a command that reads none.
"""

from __future__ import annotations

from typing import NamedTuple

DAY = 86400.0
INSTANT = 1e-6  # the width given to a date-time, so a stretch is never empty


class Span(NamedTuple):
    """Seconds since the epoch: from ``start`` (included) to ``end`` (excluded)."""

    start: float
    end: float


def span(text: str) -> Span:
    """The stretch ``text`` names: a whole day for a date, an instant for a date-time.

    Raises ``ValueError`` for anything but an ISO 8601 date or date-time.
    """
    from datetime import UTC, datetime

    if not isinstance(text, str) or not text[:1].isdigit():
        raise ValueError(f"not an ISO 8601 date or date-time: {text!r}")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    start = moment.timestamp()
    return Span(start, start + (DAY if "T" not in text and " " not in text else INSTANT))


def sort_key(text: str | None) -> tuple[int, float]:
    """A date as a sort key, by the moment it starts; no date at all sorts after every date."""
    return (1, 0.0) if text is None else (0, span(text).start)


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
