"""The community's own strengths (issue 27, part 4): assets as asset-based community development
maps them, recorded, listed on the map by kind, connected to people and groups, gaps noted
against a kind, in the minimum dataset; and none of it reachable from outside the ward."""

import csv
from datetime import date

import pytest
from django.core.management import call_command

from alongside.audit.models import AuditEvent
from alongside.codes.lookup import code
from alongside.community.models import CommunityAsset, CommunityGap
from alongside.dataset.export import export, pseudonym
from alongside.dataset.quality import quality
from alongside.journeys.models import Connection
from alongside.people.privacy import erase, subject_access
from alongside.places.models import Ward

from .conftest import make_person

pytestmark = pytest.mark.django_db
TODAY = date.today().isoformat()


def asset_of(world, ward=None, **kwargs) -> CommunityAsset:
    fields = {"ward": ward or world.ward_a, "kind": code("asset_kind", "space"),
              "name": "Ashley community garden", "offers": "Raised beds anyone can use",
              "noted_on": date(2025, 4, 1)}
    return CommunityAsset.objects.create(**{**fields, **kwargs})


def asset_form(world, **overrides) -> dict:
    data = {"name": "Bike repairs", "ward": world.ward_a.pk,
            "kind": code("asset_kind", "individual_skill").pk,
            "offers": "Fixes bikes and teaches others to", "where": "", "contact": "",
            "offered_by": world.person_a.reference, "groups": [world.group_a.pk],
            "noted_on": "2025-04-01", "active": "on"}
    return {**data, **overrides}


def connect(client, reference: str, asset: CommunityAsset | int):
    return client.post(f"/people/{reference}/record/connection/", {
        "kind": code("connection_kind", "asset").pk, "asset": getattr(asset, "pk", asset),
        "made_on": TODAY})


def test_an_asset_is_recorded_with_its_person_and_groups_and_audited(world, login):
    c = login(world.coordinator_a)
    assert c.get("/community/assets/new/").status_code == 200
    r = c.post("/community/assets/new/", asset_form(world, offered_by=" p-aaaaaaa "))
    a = CommunityAsset.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/community/assets/{a.pk}/"
    assert (a.kind.code, a.offered_by, a.recorded_by, a.version) == (
        "individual_skill", world.person_a, world.coordinator_a, 1)
    assert list(a.groups.all()) == [world.group_a]
    assert AuditEvent.objects.filter(action="create", detail__asset=a.pk).exists()
    page = c.get(f"/community/assets/{a.pk}/").content.decode()
    assert "Fixes bikes and teaches others to" in page and "Ashley Lunch Club" in page
    assert "Aled" in page          # who offers it, to the Coordinator of their ward
    # The edit form shows the person by reference, and an edit is saved and audited.
    edit = c.get(f"/community/assets/{a.pk}/edit/").content.decode()
    assert 'value="P-AAAAAAA"' in edit
    r = c.post(f"/community/assets/{a.pk}/edit/", asset_form(world, offers="Bikes and lessons",
                                                              version=1))
    a.refresh_from_db()
    assert r.status_code == 302 and (a.offers, a.version) == ("Bikes and lessons", 2)
    assert AuditEvent.objects.filter(action="update", detail__asset=a.pk).exists()


def test_an_edit_from_an_older_version_is_not_saved(world, login):
    a = asset_of(world)
    c = login(world.coordinator_a)
    form = asset_form(world, name=a.name, kind=a.kind.pk, offered_by="", groups=[], version=1)
    assert c.post(f"/community/assets/{a.pk}/edit/", {**form, "offers": "First"}).status_code == 302
    r = c.post(f"/community/assets/{a.pk}/edit/", {**form, "offers": "Second"})
    a.refresh_from_db()
    assert r.status_code == 200 and r.context["conflict"] is not None and a.offers == "First"


def test_the_map_lists_assets_under_the_five_kinds_with_a_count_of_people(world, login):
    garden = asset_of(world)
    school = asset_of(world, kind=code("asset_kind", "institution"), name="Ashley primary school",
                      offers="Hall after hours")
    asset_of(world, ward=world.ward_b, name="Brookside allotments")
    c = login(world.coordinator_a)
    assert connect(c, "P-AAAAAAA", garden).status_code == 302
    conn = Connection.objects.get(asset=garden)
    assert (conn.person, conn.kind.code, conn.group) == (world.person_a, "asset", None)
    other = make_person("P-DDDDDDD", world.ward_a, world.coordinator_a, "Dilys")
    Connection.objects.create(person=other, kind=code("connection_kind", "asset"), asset=garden,
                              made_on=date(2025, 5, 1), ended_on=date(2025, 6, 1))  # ended: not counted

    r = c.get("/community/")
    kinds = r.context["asset_kinds"]
    assert [k["kind"].code for k in kinds] == ["individual_skill", "association", "institution",
                                               "space", "economic"]
    by_kind = {k["kind"].code: [(a.name, a.people) for a in k["assets"]] for k in kinds}
    assert by_kind["space"] == [("Ashley community garden", 1)]
    assert by_kind["institution"] == [("Ashley primary school", 0)]
    assert by_kind["individual_skill"] == []
    body = r.content.decode()
    assert "Buildings and spaces" in body and "Raised beds anyone can use" in body
    assert "Brookside allotments" not in body                      # another ward's
    assert "Aled" not in body and "Dilys" not in body             # a count, not the people
    page = c.get(f"/community/assets/{garden.pk}/").content.decode()
    assert "Aled" in page and "Dilys" in page and school.name not in page
    # The person's journey says what they were connected to.
    assert "Connected to Ashley community garden" in c.get("/people/P-AAAAAAA/").content.decode()


def test_a_connection_to_an_asset_must_say_which(world, login):
    r = login(world.coordinator_a).post("/people/P-AAAAAAA/record/connection/", {
        "kind": code("connection_kind", "asset").pk, "made_on": TODAY})
    assert r.status_code == 200 and "asset" in r.context["form"].errors
    assert not Connection.objects.filter(kind__code="asset").exists()


def test_groups_carry_what_they_offer_and_need_and_the_assets_they_use(world, login):
    garden = asset_of(world)
    garden.groups.add(world.group_a)
    c = login(world.coordinator_a)
    g = world.group_a
    r = c.post(f"/community/groups/{g.pk}/edit/", {
        "name": g.name, "ward": g.ward.pk, "type": g.type.pk, "where": g.where, "when": g.when,
        "offers": "A hot meal and company", "needs": "Two more drivers", "active": "on", "version": 1})
    assert r.status_code == 302
    g.refresh_from_db()
    assert (g.offers, g.needs) == ("A hot meal and company", "Two more drivers")
    page = c.get(f"/community/groups/{g.pk}/").content.decode()
    assert "A hot meal and company" in page and "Two more drivers" in page
    assert "Ashley community garden" in page


def test_a_gap_is_noted_against_an_asset_kind(world, login):
    c = login(world.coordinator_a)
    r = c.post("/community/gaps/new/", {"ward": world.ward_a.pk, "description": "Nowhere to meet at night",
                                        "asset_kind": code("asset_kind", "space").pk, "noted_on": TODAY})
    assert r.status_code == 302
    gap = CommunityGap.objects.get()
    assert gap.asset_kind.code == "space" and gap.recorded_by == world.coordinator_a
    assert AuditEvent.objects.filter(action="create", detail__gap=gap.pk).exists()
    body = c.get("/community/").content.decode()
    assert "Nowhere to meet at night" in body and "Buildings and spaces</strong>" in body


def test_the_minimum_dataset_exports_assets_groups_and_their_links(world, tmp_path):
    a = asset_of(world, kind=code("asset_kind", "individual_skill"), name="Bike repairs",
                 offered_by=world.person_a)
    a.groups.add(world.group_a)
    world.group_a.offers, world.group_a.needs = "A hot meal", "Drivers"
    world.group_a.save()
    wards = Ward.objects.filter(council=world.north)

    def table(folder, name):
        return list(csv.DictReader((folder / f"{name}.csv").open(encoding="utf-8")))

    own = tmp_path / "own"
    export(wards, own, "csv")
    [row] = table(own, "community_asset")
    assert (row["asset"], row["kind"], row["offered_by"], row["name"], row["noted_on"]) == (
        str(a.pk), "individual_skill", "P-AAAAAAA", "Bike repairs", "2025-04-01")
    assert table(own, "community_asset_group") == [{"asset": str(a.pk), "group": str(world.group_a.pk)}]
    groups = {r["group"]: r for r in table(own, "community_group")}
    assert (groups[str(world.group_a.pk)]["offers"], groups[str(world.group_a.pk)]["needs"]) == (
        "A hot meal", "Drivers")

    key = b"k" * 32
    research = tmp_path / "research"
    export(wards, research, "csv", key)
    [row] = table(research, "community_asset")
    assert row["offered_by"] == pseudonym(key, "P-AAAAAAA") and row["noted_on"] == "2025-04"
    assert "name" not in row and "offers" not in row and "contact" not in row
    assert "offers" not in table(research, "community_group")[0]
    assert "Bike repairs" not in repr([table(research, n) for n in ("community_asset", "community_group")])


def test_completeness_is_scored_for_assets(world):
    asset_of(world)
    asset_of(world, name="Skill with nobody linked", offers="", kind=code("asset_kind", "individual_skill"))
    [s] = quality(Ward.objects.filter(council=world.north), ())["community_asset"]
    assert (s.records, s.complete) == (2, 1)             # one has no offer written down
    assert s.fields["offered_by"].applicable == 1 and s.fields["offered_by"].missing == 1


def test_the_person_offering_a_skill_sees_it_in_everything_held_and_erasure_blanks_it(world):
    a = asset_of(world, kind=code("asset_kind", "individual_skill"), name="Aled's bike repairs",
                 offered_by=world.person_a)
    other = make_person("P-DDDDDDD", world.ward_a, world.coordinator_a, "Dilys")
    Connection.objects.create(person=other, kind=code("connection_kind", "asset"), asset=a,
                              made_on=date(2025, 5, 1))
    held = subject_access(world.person_a)
    sections = {s["model"]: s for s in held["records"]}
    assert sections["community.CommunityAsset"]["rows"][0]["Name"] == "Aled's bike repairs"
    # Someone else's connection to the asset is theirs, not about the person who offers it.
    assert "journeys.Connection" not in sections
    erase(world.person_a)
    a.refresh_from_db()
    assert a.name == "[erased]" and a.offers == "" and a.offered_by == world.person_a
    assert Connection.objects.filter(person=other, asset=a).exists()


def test_scoping_cannot_be_got_round(world, login):
    a = asset_of(world)
    b = asset_of(world, ward=world.ward_b, name="Brookside allotments")
    for user in (world.coordinator_b, world.coordinator_c, world.manager_south):
        c = login(user)
        for url in (f"/community/assets/{a.pk}/", f"/community/assets/{a.pk}/edit/"):
            assert c.get(url).status_code == 404, (user, url)
            assert c.post(url, asset_form(world, version=1)).status_code == 404, (user, url)
    a.refresh_from_db()
    assert a.name == "Ashley community garden"

    # Another ward's asset, posted by id for one's own person: not one of the choices.
    c = login(world.coordinator_b)
    r = connect(c, "P-BBBBBBB", a)
    assert r.status_code == 200 and "asset" in r.context["form"].errors
    assert connect(c, "P-BBBBBBB", b).status_code == 302
    # Nor can an asset be put in one's own ward with another ward's person or group.
    r = c.post("/community/assets/new/", asset_form(world, ward=world.ward_b.pk))
    assert r.status_code == 200 and {"offered_by", "groups"} <= set(r.context["form"].errors)
    # A manager sees the council, but an asset stays with its own ward's people and groups.
    r = login(world.manager).post("/community/assets/new/", asset_form(world, ward=world.ward_b.pk))
    assert r.status_code == 200 and {"offered_by", "groups"} <= set(r.context["form"].errors)
    assert CommunityAsset.objects.count() == 2
    assert Connection.objects.filter(asset=a).count() == 0

    for user in (world.commissioner, world.analyst, world.admin):
        c = login(user)
        for url in ("/community/assets/new/", f"/community/assets/{a.pk}/",
                    f"/community/assets/{a.pk}/edit/"):
            assert c.get(url).status_code == 403, (user, url)
            assert c.post(url, asset_form(world)).status_code == 403, (user, url)
    assert CommunityAsset.objects.count() == 2


def test_the_manager_sees_every_ward_of_the_council(world, login):
    a = asset_of(world)
    asset_of(world, ward=world.ward_c, name="Cwmbach chapel")
    c = login(world.manager)
    assert c.get(f"/community/assets/{a.pk}/").status_code == 200
    body = c.get("/community/").content.decode()
    assert "Ashley community garden" in body and "Cwmbach chapel" not in body


@pytest.mark.django_db(transaction=True)
def test_the_demo_maps_a_handful_of_assets_in_every_ward():
    call_command("demo", stdout=open("/dev/null", "w"))
    wards = list(Ward.objects.all())
    for ward in wards:
        kinds = set(CommunityAsset.objects.filter(ward=ward).values_list("kind__code", flat=True))
        assert kinds == {"individual_skill", "association", "institution", "space", "economic"}
    skills = CommunityAsset.objects.filter(kind__code="individual_skill")
    assert all(s.offered_by and s.offered_by.ward_id == s.ward_id for s in skills)
    assert Connection.objects.filter(kind__code="asset", asset__isnull=False).exists()
    mismatched = [c for c in Connection.objects.filter(asset__isnull=False).select_related("person", "asset")
                  if c.person.ward_id != c.asset.ward_id]
    assert mismatched == []
