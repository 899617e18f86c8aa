"""The number line ``compare`` draws (issue 12), asserted as a person sees it on the terminal.

Each test renders to a recording console with no colour and reads the text back:
where the markers stand, what the ends look like, what a label says.
"""

from __future__ import annotations

import io
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from factcli.intervals import Interval, conflicts, interval
from factcli.numberline import Row, number_line, scale_for

WIDTHS = (40, 80, 120)


class AsciiFile(io.StringIO):
    """A terminal whose encoding is ASCII, as under ``LANG=C``."""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "ascii"


def render(rows: list[Row], width: int, ascii: bool = False, color: bool = False) -> str:
    console = Console(
        file=AsciiFile() if ascii else io.StringIO(),
        width=width,
        record=True,
        color_system="standard" if color else None,
        force_terminal=color,
        legacy_windows=False,
    )
    console.print(number_line(rows, width))
    return console.export_text(styles=color)


def bars(rows: list[Row], width: int, ascii: bool = False) -> list[str]:
    """Each row's bar, cut to the shared scale's columns (found from where the axis starts)."""
    lines = render(rows, width, ascii).splitlines()
    indent = len(lines[1]) - len(lines[1].lstrip())
    body = lines[2:]
    stacked = len(body) == 2 * len(rows)
    return [line[indent:] for line in (body[1::2] if stacked else body)]


def span(bar: str) -> tuple[int, int]:
    """The first and last column a bar covers."""
    return len(bar) - len(bar.lstrip()), len(bar.rstrip()) - 1


def strike_rows() -> list[Row]:
    """The sample from the brief: two sites figures, an unspecified one, and three casualty-style figures."""
    figures = [
        ('India "nine"', interval("exact", 9), False),
        ('local officials "six"', interval("exact", 6), False),
        ('Oskara "several"', interval("unspecified", None), False),
        ('hospital "between 30 and 40"', interval("range", None, 30, 40), False),
        ('military "more than 35"', interval("more_than", 35), False),
        ('"at least 31"', interval("at_least", 31), True),
    ]
    current = [f for f in figures if not f[2]]
    clashing = {label for pair in conflicts(current, key=lambda f: f[1]) for label, _, _ in pair}
    return [Row(label, iv, old, label in clashing) for label, iv, old in figures]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_width_fits_and_shows_every_row(width: int) -> None:
    rows = strike_rows()
    text = render(rows, width)
    lines = text.splitlines()
    assert all(cell_len(line) <= width for line in lines)
    for row in rows:
        assert row.label[:10] in text
    found = bars(rows, width)
    assert len(found) == len(rows) and all(bar.strip() for bar in found)
    assert {"10", "20", "30", "40"} & set(lines[0].split())  # the axis is numbered


def test_a_row_narrower_than_the_console_asks_for_is_kept_to_the_console() -> None:
    assert all(cell_len(line) <= 50 for line in render_at(strike_rows(), requested=120, console=50).splitlines())


def render_at(rows: list[Row], requested: int, console: int) -> str:
    recorder = Console(file=io.StringIO(), width=console, record=True, color_system=None)
    recorder.print(number_line(rows, requested))
    return recorder.export_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_markers_stand_in_the_order_of_their_values(width: int) -> None:
    values = [40, 6, 9, 31, 35]
    rows = [Row(f"v{v}", interval("exact", v)) for v in values]
    columns = [bar.index("●") for bar in bars(rows, width)]
    by_value = [c for _, c in sorted(zip(values, columns, strict=True))]
    assert by_value == sorted(by_value) and len(set(columns)) == len(columns)


@settings(max_examples=60)
@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=8), st.sampled_from(WIDTHS))
def test_markers_never_cross(values: list[int], width: int) -> None:
    rows = [Row(f"v{i}", interval("exact", v)) for i, v in enumerate(values)]
    columns = [bar.index("●") for bar in bars(rows, width)]
    pairs = sorted(zip(values, columns, strict=True))
    assert [c for _, c in pairs] == sorted(c for _, c in pairs)


@pytest.mark.parametrize("width", WIDTHS)
def test_disjoint_figures_do_not_overlap_on_the_line(width: int) -> None:
    rows = strike_rows()
    spans = [span(bar) for bar in bars(rows, width)]
    disjoint = conflicts(list(range(len(rows))), key=lambda i: rows[i].interval)
    assert len(disjoint) >= 5
    for i, j in disjoint:
        (a0, a1), (b0, b1) = spans[i], spans[j]
        assert a1 < b0 or b1 < a0, (rows[i].label, rows[j].label)


FIGURES = st.one_of(
    st.builds(lambda v: interval("exact", v), st.integers(-100, 100)),
    st.builds(lambda v: interval("approximately", v), st.integers(-100, 100)),
    st.builds(lambda v: interval("at_least", v), st.integers(-100, 100)),
    st.builds(lambda v: interval("more_than", v), st.integers(-100, 100)),
    st.builds(lambda v: interval("at_most", v), st.integers(-100, 100)),
    st.builds(lambda v: interval("fewer_than", v), st.integers(-100, 100)),
    st.builds(
        lambda a, b: interval("range", None, min(a, b), max(a, b)), st.integers(-100, 100), st.integers(-100, 100)
    ),
    st.just(interval("unspecified", None)),
)


@settings(max_examples=200)
@given(st.lists(FIGURES, min_size=1, max_size=6), st.sampled_from(WIDTHS))
def test_figures_apart_by_more_than_a_column_never_share_one(intervals: list[Interval], width: int) -> None:
    rows = [Row(f"f{i}", iv) for i, iv in enumerate(intervals)]
    found = bars(rows, width)
    columns = len(found[0])
    scale = scale_for(intervals, columns)
    cell = (scale.high - scale.low) / (columns - 1)
    for i, j in conflicts(list(range(len(rows))), key=lambda k: intervals[k]):
        left, right = sorted(
            (intervals[i], intervals[j]), key=lambda iv: (iv.low if iv.low is not None else -float("inf"), iv.low_open)
        )
        assert left.high is not None and right.low is not None
        if right.low - left.high > cell:
            (a0, a1), (b0, b1) = span(found[i]), span(found[j])
            assert a1 < b0 or b1 < a0


def test_each_end_is_drawn_as_what_it_is() -> None:
    rows = [
        Row("at least", interval("at_least", 10)),
        Row("more than", interval("more_than", 10)),
        Row("at most", interval("at_most", 30)),
        Row("fewer than", interval("fewer_than", 30)),
        Row("range", interval("range", None, 15, 25)),
        Row("exact", interval("exact", 20)),
        Row("several", interval("unspecified", None)),
    ]
    at_least, more_than, at_most, fewer_than, in_range, exact, several = (bar.rstrip() for bar in bars(rows, 80))
    assert at_least.strip()[0] == "[" and at_least.endswith("▶") and len(at_least) == len(bars(rows, 80)[0])
    assert more_than.strip()[0] == "(" and more_than.endswith("▶")
    assert at_most.startswith("◀") and at_most.endswith("]")
    assert fewer_than.startswith("◀") and fewer_than.endswith(")")
    assert in_range.strip()[0] == "[" and in_range.endswith("]")
    assert exact.strip() == "●"
    assert several.startswith("◀") and several.endswith("▶")
    assert at_least.index("[") == more_than.index("(") < exact.index("●") < at_most.index("]") == fewer_than.index(")")
    assert in_range.index("[") < exact.index("●") < in_range.index("]")


def test_an_ascii_console_gets_plain_ascii() -> None:
    rows = strike_rows() + [
        Row("Zoë at most 8", interval("at_most", 8)),
        Row("about 20", interval("approximately", 20)),
    ]
    for width in WIDTHS:
        text = render(rows, width, ascii=True)
        assert text.isascii(), [c for c in text if not c.isascii()]
        assert "\\xeb" in text  # the ë is written as an escape, not dropped
    wide = render(rows, 120, ascii=True)
    assert ">= 31" in wide and "~ 18-22" in wide and "30-40" in wide
    drawn = bars(rows, 120, ascii=True)
    assert drawn[0].strip() == "*" and drawn[2].startswith("<") and drawn[2].rstrip().endswith(">")
    assert drawn[4].strip().startswith("(") and drawn[6].startswith("<") and drawn[6].rstrip().endswith("]")


def test_a_long_label_is_cut_with_an_ascii_ellipsis_on_an_ascii_console() -> None:
    rows = [Row("x" * 200, interval("exact", 1)), Row("short", interval("exact", 2))]
    for width in WIDTHS:
        text = render(rows, width, ascii=True)
        assert text.isascii() and "x..." in text and all(len(line) <= width for line in text.splitlines())


@pytest.mark.parametrize("width", WIDTHS)
def test_markup_and_escapes_in_labels_print_literally(width: int) -> None:
    labels = ["[bold red]A[/]", ":thumbs_up:", "\x1b[31mred", "\u202eevil"]
    text = render([Row(label, interval("exact", i)) for i, label in enumerate(labels)], width)
    assert "[bold red]A[/]" in text and ":thumbs_up:" in text and "👍" not in text
    assert "\\x1b[31mred" in text and "\\u202eevil" in text
    assert "\x1b" not in text and "\u202e" not in text


def test_a_multi_line_label_stays_on_one_line() -> None:
    lines = render([Row("first\nsecond", interval("exact", 3))], 80).splitlines()
    assert len(lines) == 3 and "first\\nsecond" in lines[2]


def test_conflict_and_superseded_are_said_in_words_not_only_colour() -> None:
    rows = strike_rows()
    for width in WIDTHS:
        text = render(rows, width)
        lines = text.splitlines()
        assert "superseded" in next(line for line in lines if '"at least 31"' in line or '"at least 3' in line)
        assert "conflict" in next(line for line in lines if "India" in line)
        assert "conflict" not in next(line for line in lines if "Oskara" in line)
    coloured = render(rows, 120, color=True)
    at_least = next(line for line in coloured.splitlines() if "at least 31" in line)
    assert "\x1b[2m" in at_least  # dim


def test_one_value_gets_a_small_window_around_it() -> None:
    lines = render([Row("India", interval("exact", 9)), Row("again", interval("exact", 9))], 80).splitlines()
    assert "9" in lines[0].split()
    dot = bars([Row("India", interval("exact", 9))], 80)[0].index("●")
    assert abs(dot - len(bars([Row("India", interval("exact", 9))], 80)[0]) / 2) <= 2


def test_only_unspecified_figures_invent_no_numbers() -> None:
    lines = render(
        [Row("Oskara", interval("unspecified", None)), Row("others", interval("unspecified", None))], 80
    ).splitlines()
    assert lines[0].strip() == ""
    assert all(
        bar.startswith("◀") and bar.rstrip().endswith("▶")
        for bar in bars([Row("Oskara", interval("unspecified", None))], 80)
    )


def test_rows_may_be_plain_tuples() -> None:
    text = render([("plain", interval("exact", 5), False, True)], 80)  # type: ignore[list-item]
    assert "plain" in text and "conflict" in text


EXTREMES = st.sampled_from(
    [0.0, 5e-324, -5e-324, 1e-300, 1.0, 1.0000000000000002, 1e15, 1.7e308, sys.float_info.max, -sys.float_info.max]
)


@settings(max_examples=100)
@given(
    st.lists(st.one_of(EXTREMES, st.floats(allow_nan=False, allow_infinity=False)), min_size=1, max_size=5),
    st.sampled_from(("exact", "approximately", "at_least", "fewer_than")),
    st.sampled_from((1, 7, *WIDTHS)),
)
def test_any_finite_figure_is_drawn_in_order_within_the_width(values: list[float], qualifier: str, width: int) -> None:
    """From the smallest float to the largest: no overflow, no crash, markers still ordered."""
    rows = [Row(f"v{i}", interval("exact", v)) for i, v in enumerate(values)] + [
        Row("q", interval(qualifier, values[0]))
    ]
    text = render(rows, width)
    assert all(cell_len(line) <= width for line in text.splitlines())
    if width >= 40:
        columns = [bar.index("●") for bar in bars(rows, width)[: len(values)]]
        pairs = sorted(zip(values, columns, strict=True))
        assert [c for _, c in pairs] == sorted(c for _, c in pairs)


def test_the_widest_possible_span_is_numbered() -> None:
    rows = [Row("top", interval("exact", sys.float_info.max)), Row("bottom", interval("exact", -sys.float_info.max))]
    assert "0" in render(rows, 80).splitlines()[0].split()


@pytest.mark.parametrize("width", WIDTHS)
def test_wide_characters_in_labels_are_measured_in_cells(width: int) -> None:
    rows = [
        Row("印度外交部发言人说九个地点" * 3, interval("exact", 9), False, True),
        Row("x", interval("exact", 6), False, True),
    ]
    text = render(rows, width)
    assert all(cell_len(line) <= width for line in text.splitlines())
    nine, six = (bar.index("●") for bar in bars(rows, width))
    assert nine > six


def test_no_rows_draw_a_bare_axis() -> None:
    lines = render([], 80).splitlines()
    assert len(lines) == 2 and lines[0].strip() == "" and set(lines[1].strip()) == {"─"}
