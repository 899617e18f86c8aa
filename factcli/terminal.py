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
    if text.isascii() and "\x7f" not in text:  # the one unsafe character JSON leaves raw in ASCII
        return text  # (a scan in C: the regular expression costs 0.5 s over 100 MB)
    return _UNSAFE.sub(_json_escaped, text)


def _json_escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes a character beyond the BMP as a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


_NON_ASCII = re.compile("[^\x00-\x7f]")


def ascii_json(text: str) -> str:
    """JSON text with every non-ASCII character as a ``\\uXXXX`` escape: the same JSON value, in pure ASCII.

    Outside its strings JSON is ASCII already, so escaping every non-ASCII character
    is exactly what ``json.dumps(ensure_ascii=True)`` would have written.
    """
    return _NON_ASCII.sub(_json_escaped, text)


def is_utf8(stream: object) -> bool:
    """Whether ``stream`` encodes text as UTF-8 (a stream without an encoding takes bytes: treated as UTF-8)."""
    import codecs

    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def tolerate_unencodable(stream: object) -> None:
    """On a stream that is not UTF-8 (``LC_ALL=C``, ``PYTHONIOENCODING=ascii``), write what it cannot
    encode as a visible escape (``\\u2019``) instead of failing with ``UnicodeEncodeError``."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and not is_utf8(stream):
        reconfigure(errors="backslashreplace")
