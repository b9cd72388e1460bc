import pytest
from hypothesis import given
from hypothesis import strategies as st

from alongside.evidence.disclosure import suppress


@pytest.mark.parametrize("count,shown", [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (1234, "1234")])
def test_counts_of_one_to_four_are_suppressed(count, shown):
    assert suppress(count) == shown


@given(st.integers(min_value=0, max_value=10**9))
def test_no_count_of_one_to_four_ever_shows(count):
    shown = suppress(count)
    assert shown not in {"1", "2", "3", "4"}
    assert shown == "<5" or int(shown) == count


def test_a_negative_count_is_a_bug_not_a_number():
    with pytest.raises(ValueError):
        suppress(-1)


def test_counts_and_shares_as_shown():
    from alongside.evidence.disclosure import count_text, is_small, share_text

    assert [is_small(n) for n in (0, 1, 4, 5)] == [False, True, True, False]
    assert count_text(3) == "<5" and count_text(3, exact=True) == "3" and count_text(12345) == "12,345"
    assert share_text(3, 10) == "–" and share_text(3, 10, exact=True) == "30%"
    assert share_text(0, 0) == "–" and share_text(5, 8) == "62%"  # 62.5 rounds half to even
