"""Statistical disclosure control for anything shown outside the practitioner's own pages."""

SMALL_NUMBER_THRESHOLD = 5


def suppress(count: int, threshold: int = SMALL_NUMBER_THRESHOLD) -> str:
    """Show a count, or "<5" when it is 1–4: small groups could identify a person.

    Zero is shown: knowing nobody had something identifies nobody.
    """
    if count < 0:
        raise ValueError(f"a count cannot be negative: {count}")
    if 0 < count < threshold:
        return f"<{threshold}"
    return str(count)


def is_small(count: int, threshold: int = SMALL_NUMBER_THRESHOLD) -> bool:
    """A count from 1 to threshold − 1: one that could identify a person."""
    return 0 < count < threshold


def count_text(count: int, exact: bool = False) -> str:
    """A count with thousands separators, or "<5" when small and the reader may not see it."""
    return f"{count:,}" if exact or not is_small(count) else suppress(count)


def share_text(count: int, total: int, exact: bool = False) -> str:
    """count as a whole per cent of total; "–" with no total, or when the count is hidden."""
    if not total or (not exact and is_small(count)):
        return "–"
    return f"{100 * count / total:.0f}%"
