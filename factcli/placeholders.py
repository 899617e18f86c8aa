"""The words ``factcli draft`` writes where only a person can say what belongs, and how ``validate``
knows them: a reviewed draft has none left, so a fact base that still holds one does not validate."""

from __future__ import annotations

UNIT = "(fill in the unit)"
MEASURE_DESCRIPTION = "(fill in what exactly is counted, and over what period)"

# What earlier drafters wrote in their place: a fact base drafted before them is held to the same rule.
_EARLIER = {"unit": ("(unit)",), "description": ("what exactly is counted, and over what period?",)}


def is_placeholder(field: str, value: str | None) -> bool:
    """Whether ``value`` of a figure's ``unit`` or a measure's ``description`` is still the drafter's."""
    if value is None:
        return False
    own = UNIT if field == "unit" else MEASURE_DESCRIPTION
    return value.strip() in (own, *_EARLIER.get(field, ()))
