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


@pytest.fixture
def demo_site(db):
    from django.core.management import call_command

    call_command("demo", scale="demo", seed=7, stdout=open("/dev/null", "w"))


def _chart_numbers(html: str) -> list[int]:
    import re

    picture = html[html.index("<svg"):html.index("</svg>")] if "<svg" in html else ""
    return [int(n) for n in re.findall(r"\((\d+)\)</text>", picture)]


def test_the_flow_chart_tells_no_more_than_its_table(client, demo_site):
    """Issue 29, 3(a): the Sankey's labels printed exact counts of 1–4 where the table shows <5
    (38 such counts on 5 commissioner pages). Its bands' widths would too."""
    from alongside.accounts.models import User
    from alongside.places.models import Ward

    from .conftest import signed_in

    ward = Ward.objects.order_by("ons_code").first()
    pages = [f"/evidence/model/?period=all{extra}" for extra in
             ("", "&level=individual", "&level=community", "&level=system", f"&ward={ward.pk}")]
    signed_in(client, User.objects.get(username="manager"))
    exact = [n for url in pages for n in _chart_numbers(client.get(url).content.decode())]
    assert any(1 <= n <= 4 for n in exact)  # the manager sees exact numbers: there are small ones
    client.logout()
    signed_in(client, User.objects.get(username="commissioner"))
    for url in pages:
        html = client.get(url).content.decode()
        numbers = _chart_numbers(html)
        assert not [n for n in numbers if 1 <= n <= 4], url
        if "<svg" in html:
            assert "(&lt;5)" in html or "not drawn" in html or numbers, url
