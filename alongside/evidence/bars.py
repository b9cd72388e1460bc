"""Horizontal bar charts as plain SVG, for reports that must print and read aloud.

Each chart is an image with a title and a one-line description for screen readers; the report
puts the same figures in a table beside it, so nothing is only in the picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed or not applicable (no bar drawn)
    text: str  # what is written at the end of the bar, e.g. "42%" or "<5"


def bar_chart_svg(bars: list[Bar], title: str, maximum: float | None = None, width: int = 640,
                  label_width: int = 260) -> str:
    """Bars scaled to `maximum` (the largest value when not given); labels longer than the label
    column are shortened with an ellipsis, the full label staying in the table."""
    row_h, pad_top = 24, 8
    height = pad_top * 2 + row_h * max(len(bars), 1)
    top = maximum or max([b.value or 0 for b in bars] + [1])
    chart_w = width - label_width - 60
    description = "; ".join(f"{b.label}: {b.text}" for b in bars)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="{escape(title)}: {escape(description)}" '
             'font-family="Arial, Liberation Sans, sans-serif" font-size="13">',
             f"<title>{escape(title)}</title>"]
    for i, b in enumerate(bars):
        y = pad_top + i * row_h
        label = b.label if len(b.label) <= 38 else b.label[:36] + "…"
        parts.append(f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" fill="#0b0c0c">'
                     f"{escape(label)}</text>")
        w = 0.0 if not b.value or top <= 0 else chart_w * min(b.value, top) / top
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
                     'fill="#1d70b8"/>')
        parts.append(f'<text x="{label_width + w + 6:.1f}" y="{y + 16}" fill="#0b0c0c">'
                     f"{escape(b.text)}</text>")
    parts.append("</svg>")
    return "".join(parts)
