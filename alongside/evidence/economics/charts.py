"""A tornado chart as plain SVG: no plotting library, readable by a screen reader."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from .sroi import Swing


def _short(label: str, width: int = 52) -> str:
    """Drop the stakeholder and, if still long, the middle of the outcome, keeping the assumption."""
    label = label.split(": ", 1)[-1]
    if len(label) <= width:
        return label
    outcome, _, assumption = label.rpartition(" – ")
    keep = max(8, width - len(assumption) - 4)
    return f"{outcome[:keep]}… – {assumption}"


def tornado_svg(swings: list[Swing], base: Decimal, title: str, top: int = 12) -> str:
    """Bars from the lower to the higher ratio around the base ratio, widest first.

    A bar's left end is the lower of the two ratios; the label says which setting gave which,
    so the chart reads correctly whichever way an assumption pushes the ratio.
    """
    rows = swings[:top]
    lo = min([base, Decimal(1), *(min(s.ratio_low, s.ratio_high) for s in rows)])
    hi = max([base, Decimal(1), *(max(s.ratio_low, s.ratio_high) for s in rows)])
    span = (hi - lo) or Decimal(1)
    label_w, chart_w, row_h, pad = 380, 400, 28, 40
    height = pad * 2 + row_h * len(rows)

    def x(v: Decimal) -> float:
        return label_w + float((v - lo) / span) * chart_w

    summary = "; ".join(f"{s.label}: {s.ratio_low:.2f} to {s.ratio_high:.2f}" for s in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {label_w + chart_w + 40} {height}" '
        f'role="img" aria-labelledby="t d" font-family="Arial, sans-serif" font-size="13">',
        f'<title id="t">{escape(title)}</title>',
        f'<desc id="d">SROI ratio when each assumption is moved on its own; base ratio '
        f'{base:.2f}. {escape(summary)}</desc>',
    ]
    for i, s in enumerate(rows):
        y = pad + i * row_h
        a, b = sorted((s.ratio_low, s.ratio_high))
        ty = y + 17
        parts.append(f'<text x="{label_w - 8}" y="{ty}" text-anchor="end">{escape(_short(s.label))}</text>')
        parts.append(f'<text x="{x(a) - 4:.1f}" y="{ty}" text-anchor="end" font-size="11">{a:.2f}</text>')
        parts.append(f'<text x="{x(b) + 4:.1f}" y="{ty}" font-size="11">{b:.2f}</text>')
        parts.append(f'<rect x="{x(a):.1f}" y="{y + 4}" width="{max(1.0, x(b) - x(a)):.1f}" '
                     f'height="{row_h - 8}" '
                     f'fill="#1d70b8"><title>{escape(s.label)}: {escape(s.low_setting)} → {s.ratio_low:.2f}; '
                     f'{escape(s.high_setting)} → {s.ratio_high:.2f}</title></rect>')
    marks = ((base, f"base {base:.2f}", "#0b0c0c"), (Decimal(1), "break-even 1.00", "#d4351c"))
    for value, name, colour in marks:
        parts.append(f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="{pad - 6}" y2="{height - pad + 6}" '
                     f'stroke="{colour}" stroke-width="2"/>')
        parts.append(f'<text x="{x(value):.1f}" y="{height - pad + 22}" text-anchor="middle" fill="{colour}">'
                     f'{name}</text>')
    parts.append(f'<text x="{label_w}" y="{pad - 14}">£ of value for each £1 invested</text>')
    parts.append("</svg>")
    return "\n".join(parts)
