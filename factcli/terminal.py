"""Make untrusted text safe to show on a terminal.

Fact files are shared and merged from many hands, so their text may carry ANSI
escape sequences, control characters or bidi overrides that would rewrite what
a reader sees. Every string from the fact base goes through ``escape`` before
it reaches a terminal; Rich markup is handled separately by rendering data as
``rich.text.Text`` and never as markup.
"""

from __future__ import annotations

import re

# C0 controls (newline and tab kept as layout is harmless), DEL, C1 controls,
# and the bidi/directional formatting characters that can reorder a line.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029\ufeff]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape(text: str) -> str:
    """Return ``text`` with every unsafe character written as a visible escape (``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(_escaped, text)


def escape_json(text: str) -> str:
    """Escape, as JSON ``\\uXXXX`` sequences, characters ``json.dumps`` would otherwise emit raw.

    ``json.dumps(ensure_ascii=False)`` already escapes C0 controls; this covers
    DEL, C1 controls and bidi characters, which are only ever inside JSON strings,
    so the result is the same JSON value, safe to print.
    """
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
