"""The synthetic generator: reproducible, and shaped by the seeds' figures (DOMAIN.md)."""

import hashlib
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from hypothesis import given
from hypothesis import strategies as st

from alongside.accounts.models import Role, User
from alongside.journeys.models import Engagement, Exit, Introduction, Ripple
from alongside.people.models import Person
from alongside.places.models import Council, Ward
from alongside.synthetic.generate import reference
from alongside.synthetic.shape import DATA_END

# transaction=True because the loader writes with COPY/executemany outside the ORM.
pytestmark = pytest.mark.django_db(transaction=True)


def demo(scale="demo", seed=1, replace=False):
    call_command("demo", scale=scale, seed=seed, replace=replace, stdout=open("/dev/null", "w"))


def fingerprint() -> str:
    rows = Person.objects.order_by("reference").values_list(
        "reference", "given_name", "family_name", "ward__name", "age_band__code")
    acts = Engagement.objects.values_list("level__code").annotate(n=Count("id")).order_by("level__code")
    return hashlib.sha256(repr((list(rows), list(acts))).encode()).hexdigest()


def test_demo_scale_is_one_council_three_wards_about_300_people():
    demo()
    assert Council.objects.count() == 1
    assert Ward.objects.count() == 3
    assert Person.objects.count() == 300
    for role in Role.values:
        assert User.objects.filter(role=role).exists(), role
    # each Coordinator covers exactly one ward
    assert all(u.wards.count() == 1 for u in User.objects.filter(role=Role.COORDINATOR))


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not():
    demo(seed=7)
    first = fingerprint()
    demo(seed=7, replace=True)
    assert fingerprint() == first
    demo(seed=8, replace=True)
    assert fingerprint() != first


def test_demo_refuses_to_overwrite_data_unless_asked():
    demo()
    with pytest.raises(CommandError, match="--replace"):
        demo()
    assert Person.objects.count() == 300


def test_site_scale_follows_the_seed_figures():
    demo(scale="site", seed=3)
    n_people = Person.objects.count()
    assert n_people == 3000

    # Level split 46 / 33 / 21 (York, DOMAIN.md), within 3 points.
    levels = Counter(Engagement.objects.values_list("level__code", flat=True))
    total = sum(levels.values())
    for level, share in {"L1": 46, "L2": 33, "COM": 21}.items():
        assert abs(100 * levels[level] / total - share) < 3, (level, levels)

    # Every closed engagement with a person has its exit; open ones have none.
    closed = Engagement.objects.filter(status__code="closed", person__isnull=False)
    assert Exit.objects.count() == closed.count()
    assert not Exit.objects.exclude(engagement__status__code="closed").exists()

    # ~60% female; ~45% aged 60+ (we count 65+ bands plus part of 45–64).
    genders = Counter(Person.objects.values_list("gender__code", flat=True))
    assert 0.55 < genders["F"] / n_people < 0.65

    # Non-engagement: 65% came from statutory introductions (DOMAIN.md, 60 cases).
    non_engaged = Exit.objects.filter(
        engagement__level__code="L2",
        response__code__in=["never_engaged", "no_support_wanted", "one_meeting",
                            "incorrect_expectations", "needed_crisis_support"],
    ).select_related("engagement__introduction__route")
    statutory = sum(x.engagement.introduction.route.attrs["statutory"] for x in non_engaged)
    assert non_engaged.count() > 100
    assert 0.55 < statutory / non_engaged.count() < 0.8

    # Ripple: about a third of people walked alongside went on to volunteer or run groups.
    walked = Person.objects.filter(conversations__isnull=False).distinct().count()
    rippled = Ripple.objects.values("person").distinct().count()
    assert 0.25 < rippled / walked < 0.4

    # Journeys are cyclical: some people are introduced more than once.
    returning = Person.objects.annotate(n=Count("introductions")).filter(n__gt=1).count()
    assert 0.05 < returning / n_people < 0.3
    assert Introduction.objects.filter(introduced_on__gt=DATA_END).count() == 0

    # About 20 activities per person (5,000,000 for 250,000 at network scale).
    from alongside.journeys.models import Activity
    assert 16 < Activity.objects.count() / n_people < 24
    assert not Activity.objects.filter(done_on__gt=DATA_END).exists()


def test_references_are_pseudonymous_and_unique():
    demo()
    refs = list(Person.objects.values_list("reference", flat=True))
    assert len(set(refs)) == len(refs)
    assert all(re.fullmatch(r"P-[2-9A-HJ-NP-Z]{7}", r) for r in refs)
    # The reference does not give away the database id or its order.
    assert refs != sorted(refs)


@given(st.integers(min_value=1, max_value=(1 << 35) - 1), st.integers(min_value=1, max_value=1000))
def test_reference_never_clashes_for_different_ids(n, k):
    m = n + k
    if m < (1 << 35):
        assert reference(n) != reference(m)


def test_nothing_has_happened_after_the_data_end_date():
    from alongside.community.models import CommunityGroup, GroupSupport
    from alongside.journeys import models as j

    demo(scale="site", seed=5)
    dated = [(j.Engagement, "started_on"), (j.Engagement, "ended_on"), (j.Exit, "exited_on"),
             (j.Trigger, "occurred_on"), (j.Conversation, "held_on"),
             (j.SharedAgreement, "agreed_on"), (j.Review, "reviewed_on"),
             (j.Connection, "made_on"), (j.Outcome, "observed_on"), (j.Insulator, "observed_on"),
             (j.Ripple, "observed_on"), (j.Activity, "done_on"), (j.Introduction, "introduced_on"),
             (CommunityGroup, "started_on"), (GroupSupport, "given_on"),
             (j.AgreementAction, "done_on")]
    for model, field in dated:
        late = model.objects.filter(**{f"{field}__gt": DATA_END}).count()
        assert late == 0, f"{model.__name__}.{field}: {late} after {DATA_END}"


@pytest.mark.parametrize("username,lands_on", [
    ("coordinator", "/caseload/"), ("coordinator2", "/caseload/"), ("manager", "/caseload/"),
    ("commissioner", "/overview/"), ("analyst", "/overview/"), ("admin", "/settings/"),
])
def test_every_demo_role_can_sign_in_with_the_printed_password(client, settings, username, lands_on):
    from alongside.synthetic.management.commands.demo import DEMO_PASSWORD

    settings.ALONGSIDE_DEMO = True     # as scripts/start runs it: the code is shown on the page
    demo()
    response = client.post("/sign-in/", {"username": username, "password": DEMO_PASSWORD},
                           follow=True)
    if username not in ("commissioner", "analyst"):      # roles that reach identifiable records
        assert response.redirect_chain[-1][0].startswith("/two-factor/?next=")
        code = re.search(r"the code now is <strong>(\d{6})</strong>", response.content.decode()).group(1)
        response = client.post(response.redirect_chain[-1][0], {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == lands_on
    assert response.status_code == 200
