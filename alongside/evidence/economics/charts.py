"""A tornado chart as plain SVG: no plotting library, readable by a screen reader."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from ..layout import shorten, text_width, wrap
from .sroi import Swing


def _fit(label: str, width: float, size: float) -> str:
    """The label without its stakeholder, and if still too wide the end of its outcome cut,
    keeping the assumption it is about."""
    label = label.split(": ", 1)[-1]
    outcome, _, assumption = label.rpartition(" – ")
    if not outcome or text_width(label, size) <= width:
        return shorten(label, width, size)
    return shorten(outcome, width, size, keep=f" – {assumption}") + f" – {assumption}"


def scale(values: list[Decimal], base: Decimal, squeeze: int = 4) -> tuple[Decimal, Decimal, bool]:
    """The axis (low, high) for ratios `values` around `base`, and whether break-even (1.00)
    is on it. Break-even is left off, and shown as an arrow at the edge, when taking it in
    would leave the bars less than 1/`squeeze` of the axis: ratios of 0.02–0.03 on a 0–1 axis
    would be slivers. A twentieth of the span is added each side, so no bar starts on the edge."""
    lo, hi = min(*values, base), max(*values, base)
    one = Decimal(1)
    with_one = max(hi, one) - min(lo, one)
    on_axis = lo <= one <= hi or with_one <= squeeze * (hi - lo)
    if on_axis:
        lo, hi = min(lo, one), max(hi, one)
    span = hi - lo
    pad = span / 20 if span else max(abs(lo) / 10, Decimal("0.01"))
    return lo - pad, hi + pad, on_axis


ENGLISH = {"base": "base", "break_even": "break-even", "axis": "£ of value for each £1 invested",
           "range": "{low} to {high}",
           "desc": "SROI ratio when each assumption is moved on its own; base ratio {base}."}


def tornado_svg(swings: list[Swing], base: Decimal, title: str, top: int = 12, narrow: bool = False,
                words: dict[str, str] | None = None) -> str:
    """Bars from the lower to the higher ratio around the base ratio, widest first.

    A bar's left end is the lower of the two ratios; the label says which setting gave which,
    so the chart reads correctly whichever way an assumption pushes the ratio. Each bar is at
    least MIN_BAR wide, so one that barely moves still shows; the two ratios sit outside it.

    `narrow` draws it for a phone: 360 wide, each label on its own line(s) above its bar.
    Otherwise the labels sit in a column left of the bars. `words`: the chart's own words in
    the page's language (ENGLISH's keys).
    """
    words = {**ENGLISH, **(words or {})}
    rows = swings[:top]
    lo, hi, break_even_shown = scale([v for s in rows for v in (s.ratio_low, s.ratio_high)] or [base], base)
    span = hi - lo
    key = "tornado-narrow" if narrow else "tornado"
    value_w = max([text_width(f"{v:.2f}", VALUE_SIZE) for s in rows for v in (s.ratio_low, s.ratio_high)]
                  + [text_width("0.00", VALUE_SIZE)])
    gutter = value_w + 8
    width = 360 if narrow else 828
    label_w = 0 if narrow else 360
    x0, x1 = label_w + gutter, width - gutter
    pad = 40

    def x(v: Decimal) -> float:
        return x0 + float((v - lo) / span) * (x1 - x0)

    # Each row's label lines, and so its height.
    if narrow:
        lines = [wrap(s.label.split(": ", 1)[-1], width, SIZE, 2) for s in rows]
        heights = [len(ln) * LINE + 3 + BAR_H + 8 for ln in lines]
    else:
        lines = [[_fit(s.label, label_w - 12, SIZE)] for s in rows]
        heights = [28] * len(rows)
    height = pad + sum(heights) + 48
    summary = "; ".join(f"{s.label}: " + words["range"].format(low=f"{s.ratio_low:.2f}",
                                                               high=f"{s.ratio_high:.2f}") for s in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'role="img" aria-labelledby="{key}-t {key}-d" font-family="Arial, sans-serif" font-size="{SIZE}" '
        f'class="app-tornado">',
        f'<title id="{key}-t">{escape(title)}</title>',
        f'<desc id="{key}-d">{escape(words["desc"].format(base=f"{base:.2f}"))} {escape(summary)}</desc>',
    ]
    y = pad
    for s, ln, h in zip(rows, lines, heights, strict=True):
        a, b = sorted((s.ratio_low, s.ratio_high))
        left, right = x(a), x(b)
        if right - left < MIN_BAR:  # too small a swing to see: a MIN_BAR bar centred on it
            mid = (left + right) / 2
            left, right = mid - MIN_BAR / 2, mid + MIN_BAR / 2
        if narrow:
            spans = "".join(f'<tspan x="0" dy="{0 if k == 0 else LINE}">{escape(t)}</tspan>'
                            for k, t in enumerate(ln))
            parts.append(f'<text x="0" y="{y + 13}">{spans}</text>')
            bar_y = y + len(ln) * LINE + 3
        else:
            parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(ln[0])}</text>')
            bar_y = y + 4
        bar_h = BAR_H if narrow else 20
        ty = bar_y + bar_h / 2 + 4
        full = (f"{escape(s.label)}: {escape(s.low_setting)} → {s.ratio_low:.2f}; "
                f"{escape(s.high_setting)} → {s.ratio_high:.2f}")
        parts.append(f'<text x="{left - 4:.1f}" y="{ty:.1f}" text-anchor="end" '
                     f'font-size="{VALUE_SIZE}">{a:.2f}</text>')
        parts.append(f'<text x="{right + 4:.1f}" y="{ty:.1f}" font-size="{VALUE_SIZE}">{b:.2f}</text>')
        parts.append(f'<rect x="{left:.1f}" y="{bar_y}" width="{right - left:.1f}" height="{bar_h}" '
                     f'fill="#1d70b8"><title>{full}</title></rect>')
        y += h
    bottom = y
    marks = [(base, f"{escape(words['base'])} {base:.2f}", "#0b0c0c", True),
             (Decimal(1), f"{escape(words['break_even'])} 1.00", "#d4351c", break_even_shown)]
    for row, (value, name, colour, on_axis) in enumerate(marks):
        ty = bottom + 20 + row * 18
        w = text_width(name + " →", SIZE)
        if on_axis:
            parts.append(f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="{pad - 6}" '
                         f'y2="{bottom + 4 + row * 18}" '
                         f'stroke="{colour}" stroke-width="2"/>')
            cx = min(max(x(value), w / 2), width - w / 2)
            parts.append(f'<text x="{cx:.1f}" y="{ty}" text-anchor="middle" fill="{colour}">{name}</text>')
        elif value > hi:  # off the axis: an arrow at the edge says which way
            parts.append(f'<text x="{width}" y="{ty}" text-anchor="end" fill="{colour}">{name} →</text>')
        else:
            parts.append(f'<text x="0" y="{ty}" fill="{colour}">← {name}</text>')
    parts.append(f'<text x="{0 if narrow else x0:.1f}" y="{pad - 14}">{escape(words["axis"])}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


SIZE, VALUE_SIZE, LINE, BAR_H = 13, 11, 17, 12  # label and value sizes; line height; a phone's bar
MIN_BAR = 4  # the narrowest bar drawn, in the picture's units (about 4 px on a phone or a desktop)
