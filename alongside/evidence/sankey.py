"""Flows of people through the stages of a model, and a Sankey diagram of them as SVG.

Each case (a person) holds a set of nodes at every stage ("community" and "system" triggers,
say). A person counts as 1 at every stage, split evenly across the nodes they hold, so every
column of the diagram adds up to the number of people and no one is counted twice. Plain
data in, SVG text out; no Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from html import escape

from .layout import shorten, spread, wrap

Flow = tuple[int, str, str]  # (stage index of the source, source node, target node)


def flows(paths: Iterable[Sequence[set[str]]]) -> dict[Flow, float]:
    """Summed flows between consecutive stages; `paths` gives each case's node sets, one per stage."""
    out: dict[Flow, float] = defaultdict(float)
    for sets in paths:
        for i in range(len(sets) - 1):
            a, b = sets[i], sets[i + 1]
            if not a or not b:
                raise ValueError(f"stage {i if not a else i + 1}: every case needs at least one node")
            w = 1 / (len(a) * len(b))
            for x in a:
                for y in b:
                    out[(i, x, y)] += w
    return dict(out)


def node_totals(stages: Sequence[Sequence[str]], links: dict[Flow, float]) -> list[dict[str, float]]:
    """People at each node: the inflow, or for the first column (which has none) the outflow."""
    totals = [dict.fromkeys(nodes, 0.0) for nodes in stages]
    for (i, a, b), v in links.items():
        if i == 0:
            totals[0][a] = totals[0].get(a, 0) + v
        totals[i + 1][b] = totals[i + 1].get(b, 0) + v
    return totals


COLOURS = ["#1d70b8", "#00703c", "#f47738", "#4c2c92", "#d4351c", "#5694ca", "#85994b", "#912b88"]
# A white halo keeps labels readable where they sit over bands. Presentation attributes, not a
# <style> element: the pages' Content-Security-Policy allows no inline styles.
HALO = 'paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round"'
FONT, LINE, LINES, LABEL_PAD = 12, 15, 3, 5  # label size, line height and lines; space beside a node
LAST_ROOM = 200  # the last column's labels' width


def svg(stages: Sequence[Sequence[str]], titles: Sequence[str], links: dict[Flow, float],
        labels: dict[str, str] | None = None, width: int = 880, height: int = 440,
        title: str = "", count: Callable[[float], str] | None = None) -> str:
    """The diagram. Node labels come from `labels` (defaulting to the node keys); each node's
    number is written by `count` (exact by default; a caller that suppresses small numbers in
    its table passes the same rule here, so the picture tells no more than the table).

    Every label sits right of its node, in the free space before the next column (the last
    column keeps the same space at the right edge), so no label covers a node; long labels
    wrap to three lines and are then shortened, the full text in a <title>; labels are spread
    down their column so that none overlaps the next, and the picture grows taller if a column
    needs it."""
    labels = labels or {}
    count = count or (lambda v: f"{v:.0f}")
    totals = node_totals(stages, links)
    cols = len(stages)
    node_w, gap, top = 14, 10, 30
    # The last column's labels have the right edge to themselves: a little more room for them
    # (the outcomes), shared out of the other columns.
    last = node_w + 2 * LABEL_PAD + LAST_ROOM
    step = (width - last) / (cols - 1) if cols > 1 else width
    x_of = [2 + i * step for i in range(cols)]
    label_x = [x + node_w + LABEL_PAD for x in x_of]
    rooms = [step - node_w - 2 * LABEL_PAD] * (cols - 1) + [width - x_of[-1] - node_w - 2 * LABEL_PAD]
    # Each label's lines first: they set how much height a column needs.
    texts = [{n: (labels.get(n, n), f" ({count(totals[i].get(n, 0))})",
                  wrap(labels.get(n, n), rooms[i], FONT, LINES, keep=f" ({count(totals[i].get(n, 0))})"))
              for n in nodes if totals[i].get(n, 0) > 0} for i, nodes in enumerate(stages)]
    need = max((sum(len(t[2]) * LINE + 2 for t in col.values()) for col in texts), default=0)
    height = max(height, int(top + need + 12))
    usable = height - top - 10 - gap * max(len(s) for s in stages)
    biggest = max((sum(t.values()) for t in totals), default=0) or 1
    scale = usable / biggest
    pos: list[dict[str, list[float]]] = []  # node → [y, height, out offset, in offset]
    for i, nodes in enumerate(stages):
        y = top
        pos.append({})
        for n in nodes:
            h = totals[i].get(n, 0) * scale
            pos[i][n] = [y, h, 0.0, 0.0]
            if h > 0:  # an empty node takes no room, or columns would not line up
                y += h + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="app-sankey" font-family="Arial, sans-serif" width="100%">']
    for i, t in enumerate(titles):
        parts.append(f'<text x="{x_of[i]:.1f}" y="16" font-weight="bold" '
                     f'font-size="13" {HALO}>{escape(shorten(t, rooms[i] + node_w, 13 * 1.1))}</text>')
    colour = {n: COLOURS[j % len(COLOURS)] for j, n in enumerate(stages[0])}
    # Bands leave and enter each node in the order of the nodes, so they do not cross inside it.
    order = [{n: j for j, n in enumerate(nodes)} for nodes in stages]
    for (i, a, b), v in sorted(links.items(), key=lambda kv: (kv[0][0], order[kv[0][0]].get(kv[0][1], 0),
                                                              order[kv[0][0] + 1].get(kv[0][2], 0))):
        if a not in pos[i] or b not in pos[i + 1]:
            continue
        h = v * scale
        sa, sb = pos[i][a], pos[i + 1][b]
        y0, y1 = sa[0] + sa[2] + h / 2, sb[0] + sb[3] + h / 2
        sa[2] += h
        sb[3] += h
        x0, x1 = x_of[i] + node_w, x_of[i + 1]
        mid = (x0 + x1) / 2
        fill = colour.get(a, "#505a5f") if i == 0 else "#505a5f"
        parts.append(f'<path d="M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}" '
                     f'stroke="{fill}" stroke-opacity="0.35" stroke-width="{max(h, 0.5):.1f}" fill="none"/>')
    for i, nodes in enumerate(stages):
        drawn = [n for n in nodes if pos[i][n][1] > 0]
        for n in drawn:
            y, h, _, _ = pos[i][n]
            parts.append(f'<rect x="{x_of[i]:.1f}" y="{y:.1f}" width="{node_w}" height="{h:.1f}" '
                         f'fill="{colour.get(n, "#0b0c0c") if i == 0 else "#0b0c0c"}"/>')
        # Each label centred on its node where there is room, moved up or down where not.
        boxes = [len(texts[i][n][2]) * LINE for n in drawn]
        tops = spread([pos[i][n][0] + pos[i][n][1] / 2 - b / 2 for n, b in zip(drawn, boxes, strict=True)],
                      boxes, top, height - 4)
        for n, y in zip(drawn, tops, strict=True):
            parts.append(_label(label_x[i], y, *texts[i][n]))
    parts.append("</svg>")
    return "".join(parts)


def _label(x: float, y: float, full: str, number: str, lines: list[str]) -> str:
    """A node's label: its lines as <tspan>s, the number after the last; the full text in a
    <title> when the lines shortened it. `y` is the top of the first line."""
    shortened = " ".join(lines) != " ".join(full.split())
    tip = f"<title>{escape(full + number)}</title>" if shortened else ""
    first = y + LINE - 4  # the baseline of a 12 px line in a 15 px line box
    if len(lines) == 1:
        body = escape(lines[0])
    else:
        body = "".join(f'<tspan x="{x:.1f}" dy="{0 if k == 0 else LINE}">{escape(line)}</tspan>'
                       for k, line in enumerate(lines))
    return (f'<text x="{x:.1f}" y="{first:.1f}" font-size="{FONT}" {HALO}>{tip}{body}'
            f'{escape(number)}</text>')
