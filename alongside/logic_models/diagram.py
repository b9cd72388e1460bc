"""The logic model drawn as SVG: one column per kind, a box per element, a line per link —
solid where the records support it, dashed where they do not (yet) or cannot say. The nested
list beside it carries the same content for a screen reader."""

from __future__ import annotations

import textwrap
from html import escape

from .models import KINDS

BOX_W, BOX_H, GAP_X, GAP_Y, TOP = 170, 54, 60, 12, 40


def diagram_svg(elements, links, evidence: dict[int, object], title: str) -> str:
    columns = [k for k, _ in KINDS if any(e.kind == k for e in elements)]
    pos = {}
    for col, kind in enumerate(columns):
        for row, e in enumerate(e for e in elements if e.kind == kind):
            pos[e.pk] = (20 + col * (BOX_W + GAP_X), TOP + row * (BOX_H + GAP_Y))
    width = 40 + len(columns) * (BOX_W + GAP_X)
    height = TOP + max([y for _, y in pos.values()] + [0]) + BOX_H + 20
    labels = dict(KINDS)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'role="img" aria-labelledby="lm-title" font-family="Arial, sans-serif" font-size="11">',
             f'<title id="lm-title">{escape(title)} (the same model is listed below)</title>']
    for col, kind in enumerate(columns):
        parts.append(f'<text x="{20 + col * (BOX_W + GAP_X)}" y="24" font-weight="bold" font-size="12">'
                     f'{escape(labels[kind])}</text>')
    for lk in links:
        if lk.source_id not in pos or lk.target_id not in pos:
            continue
        (x1, y1), (x2, y2) = pos[lk.source_id], pos[lk.target_id]
        ev = evidence.get(lk.pk)
        supported = bool(ev and ev.countable and ev.supported)
        dash = "" if supported else ' stroke-dasharray="5 4"'
        share = (ev.supported / ev.of) if supported and ev.of else 0
        colour = "#1d70b8" if supported else "#b1b4b6"
        parts.append(f'<line x1="{x1 + BOX_W}" y1="{y1 + BOX_H / 2}" x2="{x2}" y2="{y2 + BOX_H / 2}" '
                     f'stroke="{colour}" stroke-width="{1 + 4 * share:.1f}"{dash}/>')
    for e in elements:
        x, y = pos[e.pk]
        parts.append(f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" fill="#f3f2f1" '
                     'stroke="#0b0c0c"/>')
        for i, line in enumerate(textwrap.wrap(str(e), 30)[:3]):
            parts.append(f'<text x="{x + 6}" y="{y + 15 + i * 14}">{escape(line)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
