"""Text layout for the server-drawn SVG charts: how wide a label will be, wrapping or shortening
it to a width, and spreading labels down a column so none overlaps the next.

The widths are estimates, on the generous side: the charts name "Arial, sans-serif", and a
phone without Arial falls back to a wider face (DejaVu Sans is about 10% wider than Arial), so
a label measured here fits in either. Plain Python; no Django.
"""

from __future__ import annotations

from collections.abc import Sequence

ELLIPSIS = "…"
# Advance widths in em, rounded up from DejaVu Sans (the widest common fallback for Arial).
_NARROW = set("iljtfr.,:;'|!()[] ")  # 0.35 em
_WIDE = set("mwMW@%")  # 0.95 em
_CAPITAL = 0.76  # other capitals
_DIGIT = 0.64
_OTHER = 0.62


def char_width(c: str) -> float:
    """One character's advance, in em."""
    if c in _NARROW:
        return 0.35
    if c in _WIDE:
        return 0.95
    if c.isdigit():
        return _DIGIT
    if c.isupper():
        return _CAPITAL
    return _OTHER


def text_width(text: str, size: float) -> float:
    """The width of `text` set at `size` px, in px."""
    return sum(char_width(c) for c in text) * size


def shorten(text: str, width: float, size: float, keep: str = "") -> str:
    """`text` cut at the end with an ellipsis so that it and `keep` (written after it) fit `width`.
    Text that fits is returned whole."""
    if text_width(text + keep, size) <= width:
        return text
    cut = text
    while cut and text_width(cut.rstrip() + ELLIPSIS + keep, size) > width:
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS


def wrap(text: str, width: float, size: float, lines: int = 3, keep: str = "") -> list[str]:
    """`text` broken at spaces into at most `lines` lines no wider than `width` px, with `keep`
    (a count, say) written at the end of the last line. If it still does not fit, the last line
    is shortened with an ellipsis, so the caller should give the full text in a <title>.
    `keep` is not part of the lines returned."""
    words = text.split()
    out: list[str] = []
    current = ""
    for i, word in enumerate(words):
        trial = f"{current} {word}" if current else word
        last_word = i == len(words) - 1
        if text_width(trial + (keep if last_word else ""), size) <= width or not current:
            current = trial
            continue
        out.append(current)
        current = word
    if current:
        out.append(current)
    if not out:
        return [""]
    if len(out) > lines:
        out = [*out[:lines - 1], " ".join(out[lines - 1:])]
    # A single word wider than the line, or the rest of the words, is cut to fit.
    out = [shorten(line, width, size) for line in out[:-1]] + [shorten(out[-1], width, size, keep)]
    return out


def spread(wanted: Sequence[float], heights: Sequence[float], low: float, high: float,
           gap: float = 2) -> list[float]:
    """Tops for boxes of `heights` (in order down a column) as near as can be to the tops
    `wanted`, none overlapping the next (with `gap` between) and all within `low`..`high`.

    Pushed down from the top, then back up from the bottom; if the boxes need more room than
    `low`..`high` gives, they run on below `high` rather than overlap.
    """
    tops: list[float] = []
    floor = low
    for want, h in zip(wanted, heights, strict=True):
        tops.append(max(want, floor))
        floor = tops[-1] + h + gap
    ceiling = high
    for i in range(len(tops) - 1, -1, -1):
        tops[i] = min(tops[i], ceiling - heights[i])
        ceiling = tops[i] - gap
    floor = low
    for i, h in enumerate(heights):
        tops[i] = max(tops[i], floor)
        floor = tops[i] + h + gap
    return tops
