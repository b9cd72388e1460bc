"""Measure definitions (from measures.yaml) and their scores."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

MEASURES_FILE = Path(__file__).with_name("measures.yaml")


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    wording: str
    options: tuple[tuple[int, str], ...] = ()  # (value, label); empty for a 0–10 scale
    better: str = ""  # "higher" or "lower" when the item is reported on its own


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    source: str
    licence: str
    items: tuple[Item, ...]
    score: str  # "items" or "total"
    scale: tuple[int, int] | None = None
    scale_labels: tuple[str, str] = ("", "")
    total: Item | None = None

    def valid(self, item: Item, value: int) -> bool:
        if item.options:
            return value in {v for v, _ in item.options}
        lo, hi = self.scale
        return lo <= value <= hi

    def scores(self, answers: dict[str, int]) -> dict[str, int]:
        """Reported scores: one per item, or the total; {} unless every item is answered."""
        if any(answers.get(i.key) is None for i in self.items):
            return {}
        for i in self.items:
            if not self.valid(i, answers[i.key]):
                raise ValueError(f"{self.key}.{i.key}: {answers[i.key]!r} is not on the scale")
        if self.score == "total":
            return {self.total.key: sum(answers[i.key] for i in self.items)}
        return {i.key: answers[i.key] for i in self.items}

    @property
    def reported(self) -> tuple[Item, ...]:
        """What is reported and compared: the items, or the single total."""
        return (self.total,) if self.score == "total" else self.items


@cache
def measures(language: str = "en") -> dict[str, Measure]:
    """Every measure, its words in `language` ("en" or "cy": the file's `_cy` texts, where it
    has them, for a Welsh page; the English otherwise)."""
    data = yaml.safe_load(MEASURES_FILE.read_text(encoding="utf-8"))

    def t(d: dict, k: str) -> str:
        return (language == "cy" and d.get(f"{k}_cy")) or d.get(k, "")

    out = {}
    for key, m in data["measures"].items():
        items = tuple(Item(i["key"], t(i, "label"), t(i, "wording"),
                           tuple((o["value"], t(o, "label")) for o in i.get("options", ())),
                           i.get("better", "")) for i in m["items"])
        scale = m.get("scale")
        total = m.get("total")
        out[key] = Measure(key, t(m, "name"), t(m, "source"), m["licence"], items, m["score"],
                           (scale["min"], scale["max"]) if scale else None,
                           (t(scale, "low"), t(scale, "high")) if scale else ("", ""),
                           Item(total["key"], t(total, "label"), "", (), total["better"]) if total else None)
    return out
