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
