"""Figures that take seconds to count and need not be fresher than ten minutes.

One helper for every cached count (sites compared, the API's site figures, the evidence
pages): the key is a hash of what the figures depend on, so two callers asking for the same
figures share one count, and no caller gets figures counted for other wards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")
SECONDS = 600


def cached(name: str, parts: Iterable[object], build: Callable[[], T], seconds: int = SECONDS) -> T:
    """`build()`'s result, counted at most once every `seconds` for the same name and parts."""
    key = f"{name}:" + hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, seconds)
    return found
