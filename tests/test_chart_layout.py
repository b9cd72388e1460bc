"""The layout arithmetic of the server-drawn charts, worked by hand: label widths, wrapping and
shortening, labels spread down a column, and the tornado chart's axis."""

from decimal import Decimal

import pytest

from alongside.evidence.economics.charts import scale
from alongside.evidence.layout import shorten, spread, text_width, wrap


def test_a_label_is_measured_character_by_character():
    # A capital is 0.76 em and i a narrow 0.35 em: 1.11 em at 10 px.
    assert text_width("Ai", 10) == pytest.approx(11.1)
    # m is a wide 0.95 em and a digit 0.64 em.
    assert text_width("m1", 10) == pytest.approx(15.9)


def test_a_label_too_wide_is_cut_with_an_ellipsis():
    # "abcdef" is 6 × 6.2 = 37.2 px at 10 px; "ab…" is 3 × 6.2 = 18.6, "abc…" 24.8 > 20.
    assert shorten("abcdef", 20, 10) == "ab…"
    assert shorten("abc", 20, 10) == "abc"  # 18.6 fits whole


def test_a_label_wraps_at_spaces_and_keeps_its_count():
    # "aa bb" is 6.2 × 4 + 3.5 = 28.3 px ≤ 30; with " cc" it would be 44.2.
    assert wrap("aa bb cc", 30, 10) == ["aa bb", "cc"]
    # " (5)" is 3.5 + 3.5 + 6.4 + 3.5 = 16.9 px: "cc (5)" is 29.3, so "cc" is not cut.
    assert wrap("aa bb cc", 30, 10, keep=" (5)") == ["aa bb", "cc"]
    # On one line it is shortened: "aa b…" is 12.4 + 3.5 + 6.2 + 6.2 = 28.3 ≤ 30.
    assert wrap("aa bb cc", 30, 10, lines=1) == ["aa b…"]


def test_labels_are_spread_so_none_overlaps_the_next():
    # The second wants 5 but the first ends at 10 (+2 gap): it moves to 12; the third is free.
    assert spread([0, 5, 50], [10, 10, 10], 0, 100) == [0, 12, 50]
    # Near the bottom: the second cannot go below 100 - 10 = 90, so the first moves up to 78.
    assert spread([85, 90], [10, 10], 0, 100) == [78, 90]
    # Too tall for the room: they run on below the bottom rather than overlap.
    assert spread([0, 0], [60, 60], 0, 100) == [0, 62]


def test_the_tornado_axis_leaves_break_even_off_when_the_bars_would_be_slivers():
    # Ratios 0.02–0.03: taking in 1.00 makes the axis 0.98 wide, over 4 × the 0.01 of the bars.
    # A twentieth of 0.01 (0.0005) is added each side.
    assert scale([Decimal("0.02"), Decimal("0.03")], Decimal("0.02")) == (
        Decimal("0.0195"), Decimal("0.0305"), False)
    # 1.00 between the ratios is on the axis: 0.8–1.6 padded by 0.04.
    assert scale([Decimal("0.8"), Decimal("1.6")], Decimal("1.2")) == (Decimal("0.76"), Decimal("1.64"), True)
    # 1.5–2.0: taking in 1.00 makes 1.0, no more than 4 × 0.5, so the axis runs 1–2, padded 0.05.
    assert scale([Decimal("1.5"), Decimal("2.0")], Decimal("1.8")) == (Decimal("0.95"), Decimal("2.05"), True)
