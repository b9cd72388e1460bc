"""Distance travelled: the measures' published wording and scoring, paired change against a
hand calculation, counts from the records, suppression, and the recording form."""

from datetime import date, timedelta

import pytest

from alongside.evidence.distance.change import paired_change
from alongside.evidence.distance.scoring import measures
from alongside.journeys.distance import group_changes, person_changes
from alongside.journeys.models import Measurement
from alongside.places.models import Ward
from tests.conftest import make_person


def test_the_wording_is_the_published_wording():
    # ONS personal well-being questions and the ONS loneliness measures, as DOMAIN.md quotes them.
    m = measures()
    assert [i.wording for i in m["ons4"].items] == [
        "Overall, how satisfied are you with your life nowadays?",
        "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
        "Overall, how happy did you feel yesterday?",
        "Overall, how anxious did you feel yesterday?"]
    assert m["ons4"].scale == (0, 10)
    assert [i.better for i in m["ons4"].items] == ["higher", "higher", "higher", "lower"]
    assert m["loneliness_direct"].items[0].wording == "How often do you feel lonely?"
    assert [label for _, label in m["loneliness_direct"].items[0].options] == [
        "Often or always", "Some of the time", "Occasionally", "Hardly ever", "Never"]
    assert [i.wording for i in m["ucla3"].items] == [
        "How often do you feel that you lack companionship?", "How often do you feel left out?",
        "How often do you feel isolated from others?"]
    assert m["ucla3"].items[0].options == ((1, "Hardly ever or never"), (2, "Some of the time"), (3, "Often"))


def test_ucla_is_the_sum_of_three_items_from_3_to_9_and_ons4_items_stay_apart():
    ucla = measures()["ucla3"]
    assert ucla.scores({"companionship": 1, "left_out": 1, "isolated": 1}) == {"ucla_total": 3}
    assert ucla.scores({"companionship": 3, "left_out": 2, "isolated": 3}) == {"ucla_total": 8}
    assert ucla.scores({"companionship": 3, "left_out": 2}) == {}  # incomplete: no score
    with pytest.raises(ValueError, match="not on the scale"):
        ucla.scores({"companionship": 4, "left_out": 2, "isolated": 3})
    ons4 = measures()["ons4"]
    answers = {"life_satisfaction": 7, "worthwhile": 8, "happiness": 6, "anxiety": 2}
    assert ons4.scores(answers) == answers
    with pytest.raises(ValueError):
        ons4.scores({**answers, "anxiety": 11})


def test_paired_change_hand_calculation():
    # Pairs (before, after): (4,6) (5,5) (3,7) (6,8) (2,3). Differences 2, 0, 4, 2, 1.
    # Mean 9/5 = 1.8. Deviations 0.2, −1.8, 2.2, 0.2, −0.8; squares 0.04 + 3.24 + 4.84 + 0.04 + 0.64 = 8.8.
    # SD = √(8.8 / 4) = √2.2 = 1.483240; SE = 1.483240 / √5 = 0.663325.
    # t(0.975, 4 df) = 2.776445; half-width = 2.776445 × 0.663325 = 1.841685.
    # 95% CI = 1.8 ± 1.841685 = (−0.041685, 3.641685). Improved (higher is better): 4 of 5 = 80%.
    c = paired_change([(4, 6), (5, 5), (3, 7), (6, 8), (2, 3)], "higher")
    assert (c.n, c.mean_before, c.mean_after, c.mean_change) == (5, 4.0, 5.8, pytest.approx(1.8))
    assert c.ci == pytest.approx((-0.041685, 3.641685), abs=1e-5)
    assert c.improved == 0.8
    # The same changes on a lower-is-better score: only the one that did not move is not worse,
    # so nobody improved.
    assert paired_change([(4, 6), (5, 5), (3, 7), (6, 8), (2, 3)], "lower").improved == 0.0


def test_fewer_than_five_pairs_are_suppressed():
    c = paired_change([(1, 2), (2, 3), (3, 5), (4, 4)], "higher")
    assert c.suppressed and c.n == 4 and c.mean_change is None and c.ci is None


def ask(person, on, **answers):
    status = answers.pop("status", "answered")
    return Measurement.objects.create(person=person, measure="ucla3", taken_on=on, status=status,
                                      answers=answers)


@pytest.mark.django_db
def test_group_change_from_records_matches_an_independent_count(world):
    # Five people in Ashley North asked the UCLA questions twice, one declined, one never asked:
    #   totals before → after: 9→6, 8→8, 7→4, 6→5, 9→7 (differences −3, 0, −3, −1, −2; mean −1.8).
    #   Improved (lower is better): 4 of 5.
    start = date(2025, 4, 1)
    pairs = [((3, 3, 3), (2, 2, 2)), ((3, 3, 2), (3, 3, 2)), ((3, 2, 2), (2, 1, 1)),
             ((2, 2, 2), (2, 2, 1)), ((3, 3, 3), (3, 2, 2))]
    people = [world.person_a] + [make_person(f"P-DDDDDD{i}", world.ward_a, world.coordinator_a, f"D{i}")
                                 for i in range(5)]
    for person, (before, after) in zip(people, pairs, strict=False):
        ask(person, start, companionship=before[0], left_out=before[1], isolated=before[2])
        ask(person, start + timedelta(days=120), companionship=after[0], left_out=after[1], isolated=after[2])
    ask(people[5], start, status="declined")
    never = make_person("P-EEEEEEE", world.ward_a, world.coordinator_a, "E")
    result = [g for g in group_changes(Ward.objects.filter(pk=world.ward_a.pk), "ward")
              if g.measure.key == "ucla3"]
    assert len(result) == 1
    g = result[0]
    c = g.changes["ucla_total"]
    assert (c.n, c.mean_before, c.mean_after) == (5, 7.8, 6.0)
    assert c.mean_change == pytest.approx(-1.8) and c.improved == 0.8
    # Level 2 in Ashley North: Aled, D0–D4 and E = 7. Answered: Aled, D0–D3 = 5.
    # Declined only: D4 = 1. Never asked: E = 1.
    assert (g.level2, g.answered, g.declined_only, g.never_asked) == (7, 5, 1, 1)
    assert never.pk not in {p.pk for p in people}
    # One person's own page shows first and latest.
    [_, _, ucla] = person_changes(world.person_a)
    assert ucla.rows == [("UCLA loneliness score (3–9)", 9, 6)]


@pytest.mark.django_db
def test_the_form_needs_every_answer_unless_declined(world, login):
    c = login(world.coordinator_a)
    url = "/people/P-AAAAAAA/measure/ons4/"
    r = c.post(url, {"status": "answered", "taken_on": date.today().isoformat(), "life_satisfaction": "6"})
    assert r.status_code == 200 and "Choose an answer, or record that they declined" in r.content.decode()
    assert not Measurement.objects.exists()
    r = c.post(url, {"status": "declined", "taken_on": date.today().isoformat()})
    assert r.status_code == 302
    m = Measurement.objects.get()
    assert (m.status, m.answers) == ("declined", {})
    r = c.post(url, {"status": "answered", "taken_on": date.today().isoformat(), "life_satisfaction": "6",
                     "worthwhile": "7", "happiness": "5", "anxiety": "11"})
    assert r.status_code == 200 and Measurement.objects.count() == 1  # 11 is not on the 0–10 scale
    assert c.get("/people/P-AAAAAAA/measure/eq5d/").status_code == 404


@pytest.mark.django_db
def test_the_distance_page_is_for_aggregate_roles_and_names_nobody(world, login):
    for user in (world.manager, world.commissioner, world.analyst, world.coordinator_a):
        r = login(user).get("/distance/?by=ward")
        assert r.status_code == 200
        assert "Aled" not in r.content.decode()
    assert login(world.admin).get("/distance/").status_code == 403


@pytest.mark.django_db
def test_a_follow_up_is_suggested_when_a_review_is_due(world, login):
    from alongside.journeys.models import SharedAgreement
    today = date.today()
    c = login(world.coordinator_a)
    prompt = "ask the wellbeing and loneliness questions again"
    SharedAgreement.objects.create(person=world.person_a, agreed_on=today - timedelta(days=100),
                                   next_review_on=today + timedelta(days=7))
    assert prompt not in c.get("/people/P-AAAAAAA/").content.decode()  # never asked: no follow-up
    ask(world.person_a, today - timedelta(days=90), companionship=3, left_out=3, isolated=3)
    assert prompt in c.get("/people/P-AAAAAAA/").content.decode()  # asked 90 days ago, review in 7
    ask(world.person_a, today - timedelta(days=5), status="declined")
    assert prompt not in c.get("/people/P-AAAAAAA/").content.decode()  # asked 5 days ago
