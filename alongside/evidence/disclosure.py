"""Statistical disclosure control for anything shown outside the practitioner's own pages."""

SMALL_NUMBER_THRESHOLD = 5
# Counts outside the team are also rounded to the nearest 5. Hiding counts of 1–4 alone is not
# enough: a total minus the counts beside it gives a hidden one back (a council's total minus its
# other wards). With every shown count rounded, such a difference is a multiple of 5, never 1–4,
# and leaves a hidden count two or more values except at an edge of the rounding (4 + 4 = 8,
# shown as "10" beside two "<5"): tests/test_disclosure.py enumerates it, docs/dpia-support.md
# says it.
ROUND_TO = 5


def rounded(count: int) -> int:
    """A count of 5 or more to the nearest 5 (5–7 → 5, 8–12 → 10); smaller ones as they are."""
    if count < SMALL_NUMBER_THRESHOLD:
        return count
    return max(SMALL_NUMBER_THRESHOLD, ROUND_TO * round(count / ROUND_TO))


def shown(count: int, exact: bool = False) -> int | str:
    """A count as a reader outside the team may have it: rounded, or "<5" when it is 1–4."""
    if count < 0:
        raise ValueError(f"a count cannot be negative: {count}")
    if exact:
        return count
    return f"<{SMALL_NUMBER_THRESHOLD}" if is_small(count) else rounded(count)


def suppress(count: int, threshold: int = SMALL_NUMBER_THRESHOLD) -> str:
    """Show a count rounded to the nearest 5, or "<5" when it is 1–4: small groups could
    identify a person.

    Zero is shown: knowing nobody had something identifies nobody.
    """
    if count < 0:
        raise ValueError(f"a count cannot be negative: {count}")
    if 0 < count < threshold:
        return f"<{threshold}"
    return str(rounded(count))


def is_small(count: int, threshold: int = SMALL_NUMBER_THRESHOLD) -> bool:
    """A count from 1 to threshold − 1: one that could identify a person."""
    return 0 < count < threshold


def count_text(count: int, exact: bool = False) -> str:
    """A count with thousands separators; for a reader outside the team rounded to the nearest
    5, or "<5" when it is 1–4."""
    value = shown(count, exact)
    return value if isinstance(value, str) else f"{value:,}"


def share_text(count: int, total: int, exact: bool = False) -> str:
    """count as a whole per cent of total; "–" with no total, or when the count is hidden. Outside
    the team the share is of the rounded counts: the exact one would give the counts back."""
    percent = share_percent(count, total, exact)
    return "–" if percent is None else f"{percent:.0f}%"


def share_percent(count: int, total: int, exact: bool = False) -> float | None:
    """The share shown beside a count, as a number (None when it is not shown)."""
    if not total or (not exact and is_small(count)):
        return None
    if not exact:
        count, total = rounded(count), rounded(total)
    return 100 * count / total
