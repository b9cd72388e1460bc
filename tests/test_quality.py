"""Completeness of the minimum dataset: the scorer on hand counts, the database counts on
records made for the test, the page's scoping, and the specification document kept in step."""

from datetime import date

import pytest
from django.core.management import call_command

from alongside.codes.lookup import code
from alongside.dataset.quality import count_rows, quality
from alongside.dataset.spec import dataset_spec
from alongside.evidence.quality.completeness import score
from alongside.journeys.models import Activity
from alongside.places.models import Ward


def test_scorer_adds_groups_and_keeps_unknown_apart_from_missing():
    # Two wards of person records. Gender: ward A 10 records, 1 unknown, 2 missing;
    # ward B 30 records, 3 unknown, 0 missing. Overall 40 records: recorded 40 − 4 − 2 = 34
    # (85%), unknown 4 (10%), missing 2 (5%). Complete records: 7 + 27 = 34 of 40 = 85%.
    person = dataset_spec().records["person"]
    rows = [{"ward": "A", "records": 10, "complete": 7, "gender.unknown": 1, "gender.missing": 2},
            {"ward": "B", "records": 30, "complete": 27, "gender.unknown": 3}]
    [overall] = score(rows, person)
    g = overall.fields["gender"]
    assert (g.recorded, g.unknown, g.missing) == (34, 4, 2)
    assert (g.percent("recorded"), g.percent("unknown"), g.percent("missing")) == (85.0, 10.0, 5.0)
    assert overall.complete_percent == 85.0
    # Mandatory cells: 9 mandatory fields × 40 records = 360; 2 missing → 358 / 360.
    assert len(person.mandatory) == 9
    assert overall.mandatory_percent == pytest.approx(100 * 358 / 360)
    by_ward = score(rows, person, ("ward",))
    assert [s.group for s in by_ward] == [("A",), ("B",)]
    assert by_ward[0].complete_percent == 70.0
    assert [s.spec.mandatory for s in overall.ordered()] == sorted(
        [s.spec.mandatory for s in overall.ordered()], reverse=True)


def test_scorer_refuses_counts_that_do_not_add_up():
    with pytest.raises(ValueError, match="counts do not add up"):
        score([{"records": 5, "complete": 5, "gender.missing": 6}], dataset_spec().records["person"])


@pytest.mark.django_db
def test_database_counts_recorded_unknown_and_missing(world):
    a = world.person_a  # the world's people: age band and gender recorded, no ethnicity
    a.gender = code("gender", "Z")  # "not known": completed, but unknown
    a.save()
    wards = Ward.objects.filter(pk=world.ward_a.pk)
    [row] = count_rows("person", wards)
    assert row["ward"] == "Ashley North" and row["records"] == 1
    assert row["gender.unknown"] == 1 and row["gender.missing"] == 0
    assert row["ethnicity.missing"] == 1
    assert row["complete"] == 0  # ethnicity is mandatory and missing
    Activity.objects.create(person=a, coordinator=world.coordinator_a, activity=code("activity", "A4"),
                            level=code("activity_level", "individual"), done_on=date(2025, 3, 2))
    [act] = quality(wards, records=("activity",))["activity"]
    # make_person's home visit has 60 minutes; this one has none.
    assert (act.records, act.fields["minutes"].missing, act.complete) == (2, 1, 1)
    # Another council's records are never counted in this ward's scores.
    assert quality(wards, records=("person",))["person"][0].records == 1
    # Counted with no grouping at all (the reports' first page): the same two activities, one row.
    [overall] = count_rows("activity", Ward.objects.filter(council=world.north), groups=())
    assert (overall["records"], overall["minutes.missing"], overall["complete"]) == (3, 1, 2)
    assert count_rows("activity", Ward.objects.none(), groups=()) == []


@pytest.mark.django_db
def test_closed_engagements_alone_need_an_end_date(world):
    from alongside.journeys.models import Engagement
    eng = world.person_a.engagements.get()
    wards = Ward.objects.filter(pk=world.ward_a.pk)
    [row] = count_rows("engagement", wards)
    assert row["ended_on.applicable"] == 0
    eng.status = code("engagement_status", "closed")
    eng.save()
    [row] = count_rows("engagement", wards)
    assert (row["ended_on.applicable"], row["ended_on.missing"], row["complete"]) == (1, 1, 0)
    assert Engagement.objects.count() == 3


@pytest.mark.django_db
def test_the_page_is_scoped_to_the_users_wards(world, login):
    c = login(world.coordinator_a)
    page = c.get("/quality/?period=all").content.decode()
    assert "Ashley North" in page and "Brookside" not in page and "Cwmbach" not in page
    assert c.get(f"/quality/?ward={world.ward_b.pk}").status_code == 404
    assert c.get(f"/quality/?ward={world.ward_c.pk}").status_code == 404
    assert c.get("/quality/?ward=abc").status_code == 404
    m = login(world.manager).get("/quality/?period=all").content.decode()
    assert "Ashley North" in m and "Brookside" in m and "Cwmbach" not in m
    for user in (world.commissioner, world.analyst, world.admin):
        assert login(user).get("/quality/").status_code == 403


def test_the_specification_document_is_generated_from_its_sources():
    call_command("dataset_spec", "--check")


def test_every_specified_field_exists_on_its_record():
    from django.apps import apps
    models = {"person": "people.Person", "introduction": "journeys.Introduction",
              "engagement": "journeys.Engagement", "activity": "journeys.Activity", "exit": "journeys.Exit",
              "outcome": "journeys.Outcome", "insulator": "journeys.Insulator",
              "community_group": "community.CommunityGroup", "community_asset": "community.CommunityAsset"}
    derived = {("person", "consent")}
    for name, rec in dataset_spec().records.items():
        fields = {f.name for f in apps.get_model(models[name])._meta.get_fields()}
        for f in rec.fields:
            assert f.field in fields or (name, f.field) in derived, f"{name}.{f.field}"


def test_a_record_whose_code_lists_have_no_not_known_code_is_still_counted(world):
    # The introduction's route list has no "not known" code. Counted with no grouping (as the
    # quarterly report counts it), the three introductions of the hand-made world (one per
    # person, each with its route) must be 3 records, not 0.
    from alongside.journeys.models import Introduction

    assert not Introduction.objects.filter(route__code="unknown").exists()
    wards = Ward.objects.all()
    rows = count_rows("introduction", wards, groups=())
    assert rows[0]["records"] == 3 and rows[0]["route.missing"] == 0
    north = count_rows("introduction", world.north.wards.all(), date(2025, 1, 1), groups=(),
                       until=date(2025, 12, 31))
    assert north[0]["records"] == 2
