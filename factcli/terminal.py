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
    "\u2028\u2029\ufeff"
    # Unicode "tag" characters: invisible, and used to smuggle hidden text past a reader.
    "\U000e0000-\U000e007f]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def escape(text: str) -> str:
    """Return ``text`` with every unsafe character written as a visible escape (``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(_escaped, text)


def escape_line(text: str) -> str:
    """``escape``, and newlines and tabs too: for a message that must stay on one line."""
    return escape(text).replace("\n", "\\n").replace("\t", "\\t")


def shorten(value: str, limit: int = 60, quote: bool = True) -> str:
    """``value`` for a one-line message: cut short when long, and quoted with ``repr`` unless ``quote`` is false."""
    cut = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(cut) if quote else cut


def escape_json(text: str) -> str:
    """Escape, as JSON ``\\uXXXX`` sequences, characters ``json.dumps`` would otherwise emit raw.

    ``json.dumps(ensure_ascii=False)`` already escapes C0 controls; this covers
    DEL, C1 controls and bidi characters, which are only ever inside JSON strings,
    so the result is the same JSON value, safe to print.
    """
    return _UNSAFE.sub(_json_escaped, text)


def _json_escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes a character beyond the BMP as a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
