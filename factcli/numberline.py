"""Figures drawn on one number line in the terminal, so a disagreement is seen at a glance.

``factcli compare MEASURE`` lists every figure for a measure; this draws the
interval each stands for on one shared scale, one row per figure::

                                                         10      20      30      40
                                                     ─────┬───────┬───────┬───────┬─
    India "nine"                  9      conflict        ●
    hospital "between 30 and 40"  30–40  conflict                         [━━━━━━━]
    military "more than 35"       > 35   conflict                             (━━━━▶
    "at least 31"                 ≥ 31   superseded                       [━━━━━━━━▶

A closed end is ``[``/``]``, an open end ``(``/``)``, an end that is not bounded
an arrow running to the edge, and a single value a dot. Conflicting rows say
"conflict" in words as well as red, superseded rows "superseded" as well as dim,
so the picture survives ``NO_COLOR``, a colour-blind reader and a copy-paste.
On a console whose encoding is not UTF-8 every glyph has an ASCII spelling.

Labels are untrusted fact-base text: escaped with ``terminal.escape_line`` and
drawn as ``rich.text.Text``, never as markup.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from factcli.intervals import Interval, number
from factcli.terminal import escape_line

PAD = 0.05
"""The share of the finite span left empty beyond each outermost end, so no bracket sits on the edge."""

CONFLICT_STYLE = "bold red"
PLAIN_STYLE = "cyan"
SUPERSEDED_STYLE = "dim"


class Row(NamedTuple):
    """One figure on the line: who gave it (``label``), what it stands for, and how it stands."""

    label: str
    interval: Interval
    superseded: bool = False
    in_conflict: bool = False


class _Glyphs(NamedTuple):
    body: str
    point: str
    left_arrow: str
    right_arrow: str
    axis: str
    tick: str


UNICODE = _Glyphs(body="━", point="●", left_arrow="◀", right_arrow="▶", axis="─", tick="┬")
ASCII = _Glyphs(body="=", point="*", left_arrow="<", right_arrow=">", axis="-", tick="+")


class Scale(NamedTuple):
    """Values ``low`` to ``high`` spread over ``columns`` terminal columns."""

    low: float
    high: float
    columns: int

    @property
    def half_span(self) -> float:
        return self.high / 2 - self.low / 2

    def column(self, x: float) -> int:
        """The column a value falls in; monotone, so the columns are ordered as the values are."""
        share = (x / 2 - self.low / 2) / self.half_span  # halves: a span from -1e308 to 1e308 stays finite
        return min(self.columns - 1, max(0, round(share * (self.columns - 1))))


def scale_for(intervals: Iterable[Interval], columns: int) -> Scale:
    """The window that shows every finite end, padded by ``PAD`` either side.

    Unbounded ends do not widen it: they run to the edge. When every finite end
    is one value, the window is a small one around it (a tenth of the value, at
    least 1, either side), so the dot sits in the middle; with no finite end at
    all (only "several"), any window will do.
    """
    ends = [end for i in intervals for end in (i.low, i.high) if end is not None]
    if not ends:
        return Scale(0.0, 1.0, columns)
    low, high = min(ends), max(ends)
    pad = max(abs(low) * 0.1, 1.0) if low == high else (high / 2 - low / 2) * 2 * PAD
    # Kept to the largest float, and at least the smallest step apart, so the span is never infinite or zero.
    low, high = max(low - pad, -sys.float_info.max), min(high + pad, sys.float_info.max)
    if high / 2 - low / 2 == 0:
        low, high = low - 1.0, high + 1.0
    return Scale(low, high, columns)


def number_line(rows: Sequence[Row | tuple[str, Interval, bool, bool]], width: int) -> NumberLine:
    """A Rich renderable drawing each row's interval on one shared scale, at most ``width`` columns wide."""
    return NumberLine([Row(*row) for row in rows], width)


class NumberLine:
    """The renderable ``number_line`` returns; it picks glyphs and layout when the console is known.

    Wide enough, each row is one line: label, interval in words, tag (conflict,
    superseded), then the bar. When that would leave the bar less than half the
    width (or under 20 columns), each row takes two lines, words above and the
    bar beneath at full width, so the scale stays readable at 40 columns.
    """

    def __init__(self, rows: Sequence[Row], width: int) -> None:
        self.rows = list(rows)
        self.width = width

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = max(1, min(self.width, options.max_width))
        return Measurement(width, width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, min(self.width, options.max_width))
        ascii_only = options.ascii_only
        glyphs = ASCII if ascii_only else UNICODE
        labels = [_label(row.label, ascii_only) for row in self.rows]
        words = [row.interval.describe(ascii=ascii_only) for row in self.rows]
        tags = [_tag(row) for row in self.rows]
        words_width = max((len(w) for w in words), default=0)
        tags_width = max((len(t) for t in tags), default=0)
        fixed = 2 + words_width + (2 + tags_width if tags_width else 0)
        longest = max((cell_len(label) for label in labels), default=0)
        label_width = min(longest, width - fixed - max(20, width * 2 // 5))
        stacked = label_width < min(12, longest)
        indent = 0 if stacked else label_width + fixed + 2
        scale = scale_for((row.interval for row in self.rows), max(1, width - indent))
        numbered = any(end is not None for row in self.rows for end in (row.interval.low, row.interval.high))
        for line in _axis(scale, glyphs, numbered):
            yield _line(Text(" " * indent), line)
        for row, label, said, tag in zip(self.rows, labels, words, tags, strict=True):
            style = _row_style(row)
            if stacked:
                words_line = Text.assemble(Text(said, style="bold"), Text(f"  {tag}" if tag else "", style=style))
                room = max(0, width - words_line.cell_len - 2)
                yield _line(_fit(label, min(cell_len(label), room), style, ascii_only), Text("  "), words_line)
                yield _line(_bar(row.interval, scale, glyphs, style))
            else:
                yield _line(
                    _fit(label, label_width, style, ascii_only),
                    Text("  "),
                    Text(said.ljust(words_width), style="bold"),
                    Text(("  " + tag.ljust(tags_width)) if tags_width else "", style=style),
                    Text("  "),
                    _bar(row.interval, scale, glyphs, style),
                )


def _label(label: str, ascii_only: bool) -> str:
    """Untrusted text made safe for one terminal line; on an ASCII console, other characters as ``\\u`` escapes."""
    safe = escape_line(label)
    return safe.encode("ascii", "backslashreplace").decode("ascii") if ascii_only else safe


def _tag(row: Row) -> str:
    return ", ".join(word for word, on in (("conflict", row.in_conflict), ("superseded", row.superseded)) if on)


def _row_style(row: Row) -> str:
    if row.in_conflict:
        return f"{CONFLICT_STYLE} {SUPERSEDED_STYLE}" if row.superseded else CONFLICT_STYLE
    return SUPERSEDED_STYLE if row.superseded else ""


def _fit(label: str, width: int, style: str, ascii_only: bool) -> Text:
    """The label in exactly ``width`` cells: padded, or cut with an ellipsis ("..." on an ASCII console)."""
    if ascii_only:  # every character is one cell here: ``_label`` escaped the rest
        cut = label if len(label) <= width else label[: max(0, width - 3)] + "..."[:width]
        return Text(cut.ljust(width), style=style, no_wrap=True)
    text = Text(label, style=style, no_wrap=True)
    text.truncate(width, overflow="ellipsis", pad=True)  # counts cells: wide characters take two
    return text


def _line(*parts: Text) -> Text:
    line = Text.assemble(*parts, no_wrap=True, overflow="crop")
    line.end = "\n"
    return line


def _bar(interval: Interval, scale: Scale, glyphs: _Glyphs, style: str) -> Text:
    """One interval across the scale's columns, its ends drawn by what they are (closed, open, unbounded)."""
    cells = [" "] * scale.columns
    left = 0 if interval.low is None else scale.column(interval.low)
    right = scale.columns - 1 if interval.high is None else scale.column(interval.high)
    for column in range(left, right + 1):
        cells[column] = glyphs.body
    left_end = glyphs.left_arrow if interval.low is None else "(" if interval.low_open else "["
    right_end = glyphs.right_arrow if interval.high is None else ")" if interval.high_open else "]"
    if left == right:  # too narrow at this scale for two ends: a dot for a value, else the bounded end
        cells[left] = (
            glyphs.point
            if interval.low is not None and interval.high is not None
            else (left_end if interval.high is None else right_end)
        )
    else:
        cells[left], cells[right] = left_end, right_end
    return Text.assemble(
        " " * left,
        Text("".join(cells[left : right + 1]), style=style or PLAIN_STYLE),
        " " * (scale.columns - right - 1),
    )


def _axis(scale: Scale, glyphs: _Glyphs, numbered: bool) -> list[Text]:
    """The header: tick values, and beneath them the axis with a mark at each.

    With no finite end to show (every figure "several"), numbers would be
    invented, so the axis is a bare line.
    """
    ticks = _ticks(scale) if numbered else []
    values = [" "] * scale.columns
    axis = [glyphs.axis] * scale.columns
    for column, label in ticks:
        start = min(max(0, column - len(label) // 2), scale.columns - len(label))
        values[start : start + len(label)] = label
        axis[column] = glyphs.tick
    return [Text("".join(values)), Text("".join(axis), style="dim")]


def _ticks(scale: Scale) -> list[tuple[int, str]]:
    """Round values (1, 2 or 5 times a power of ten apart) whose labels fit side by side, three spaces apart."""
    if scale.columns < 2:
        return []
    step = 10.0 ** math.floor(math.log10(scale.half_span / scale.columns * 2))
    while math.isfinite(step):
        for factor in (1, 2, 5):
            ticks = _tick_labels(scale, step * factor) if math.isfinite(step * factor) else []
            if ticks is not None:
                return ticks
        step *= 10
    return []


def _tick_labels(scale: Scale, step: float) -> list[tuple[int, str]] | None:
    """The ticks every ``step``, or ``None`` when their labels would touch or run off the line."""
    first, last = math.ceil(scale.low / step), math.floor(scale.high / step)
    if last - first + 1 > scale.columns // 6:
        return None
    ticks: list[tuple[int, str]] = []
    end = -3
    for k in range(first, last + 1):
        label = number(float(f"{k * step:.12g}"))
        column = scale.column(k * step)
        start = min(max(0, column - len(label) // 2), scale.columns - len(label))
        if start < end + 3 or start < 0:
            return None
        ticks.append((column, label))
        end = start + len(label)
    return ticks
