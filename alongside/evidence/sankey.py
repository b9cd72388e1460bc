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


def svg(stages: Sequence[Sequence[str]], titles: Sequence[str], links: dict[Flow, float],
        labels: dict[str, str] | None = None, width: int = 960, height: int = 480,
        title: str = "", count: Callable[[float], str] | None = None) -> str:
    """The diagram. Node labels come from `labels` (defaulting to the node keys); each node's
    number is written by `count` (exact by default; a caller that suppresses small numbers in
    its table passes the same rule here, so the picture tells no more than the table)."""
    labels = labels or {}
    count = count or (lambda v: f"{v:.0f}")
    totals = node_totals(stages, links)
    cols = len(stages)
    node_w, gap, top, label_w = 14, 10, 30, 150
    usable = height - top - 10 - gap * max(len(s) for s in stages)
    biggest = max((sum(t.values()) for t in totals), default=0) or 1
    scale = usable / biggest
    x_of = [label_w + i * (width - 2 * label_w - node_w) / max(cols - 1, 1) for i in range(cols)]
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
        anchor = "start" if i == 0 else "end" if i == cols - 1 else "middle"
        x = x_of[i] + (0 if i == 0 else node_w if i == cols - 1 else node_w / 2)
        parts.append(f'<text x="{x:.1f}" y="16" text-anchor="{anchor}" font-weight="bold" '
                     f'font-size="13" {HALO}>{escape(t)}</text>')
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
        for n in nodes:
            y, h, _, _ = pos[i][n]
            if h <= 0:
                continue
            parts.append(f'<rect x="{x_of[i]:.1f}" y="{y:.1f}" width="{node_w}" height="{h:.1f}" '
                         f'fill="{colour.get(n, "#0b0c0c") if i == 0 else "#0b0c0c"}"/>')
            # Labels sit right of their node; the last column's sit left, inside the picture.
            tx, anchor = (x_of[i] - 6, "end") if i == cols - 1 else (x_of[i] + node_w + 6, "start")
            parts.append(f'<text x="{tx:.1f}" y="{y + h / 2 + 4:.1f}" text-anchor="{anchor}" font-size="12" '
                         f'{HALO}>'
                         f'{escape(labels.get(n, n))} ({escape(count(totals[i].get(n, 0)))})</text>')
    parts.append("</svg>")
    return "".join(parts)
