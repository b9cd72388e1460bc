"""Logic models: versions round-trip, links are counted against the records the way a person
would count them by hand, and each role sees and changes only what it should."""

from datetime import date

import pytest

from alongside.codes.lookup import code
from alongside.journeys.models import Activity, Outcome
from alongside.logic_models.evidence import link_evidence
from alongside.logic_models.models import LogicModel
from alongside.logic_models.versions import as_data, current, save_version, start_from_study
from alongside.places.models import Ward

pytestmark = pytest.mark.django_db


def element_index(model, code_text):
    elements, _ = as_data(model)
    return next(i for i, e in enumerate(elements) if e["code"] and e["code"].code == code_text)


def test_a_model_round_trips_through_versions(world, login):
    v1 = start_from_study(world.north, world.manager)
    elements, links = as_data(v1)
    # 2 inputs, 4 problems, 1 interim activity, 7 activities, 3 outputs, 5 + 6 outcomes = 28.
    assert links == [] and len(elements) == 28
    assert [e["code"].code for e in elements if e["kind"] == "activity"] == ["A1", "A2", "A3", "A4", "A5",
                                                                             "A6", "A7"]
    c = login(world.manager)
    page = c.get("/logic-model/edit/").content.decode()
    assert "Save as a new version" in page
    # Post the form back as it was shown, plus one link A5 → STO3 and one new element.
    data = {"element-TOTAL_FORMS": 31, "element-INITIAL_FORMS": 28, "link-TOTAL_FORMS": 3,
            "link-INITIAL_FORMS": 0, "note": "Added the choir"}
    for i, e in enumerate(elements):
        data.update({f"element-{i}-kind": e["kind"], f"element-{i}-code": e["code"].pk if e["code"] else "",
                     f"element-{i}-text": e["text"]})
    data.update({"element-28-kind": "output", "element-28-text": "People singing in the choir"})
    data.update({"link-0-source": element_index(v1, "A5"), "link-0-target": element_index(v1, "STO3")})
    r = c.post("/logic-model/edit/", data)
    assert r.status_code == 302
    v2 = current(world.north)
    assert (v2.version, v2.note) == (2, "Added the choir")
    elements2, links2 = as_data(v2)
    assert len(elements2) == 29 and elements2[-1]["text"] == "People singing in the choir"
    [(s, t)] = links2
    assert (elements2[s]["code"].code, elements2[t]["code"].code) == ("A5", "STO3")
    # Version 1 is kept as it was.
    assert as_data(LogicModel.objects.get(council=world.north, version=1)) == (elements, [])
    # Saving the plain data again gives an identical version.
    v3 = save_version(world.north, elements2, links2)
    assert as_data(v3) == (elements2, links2)


def test_link_evidence_matches_a_count_by_hand(world):
    a, b, c = world.person_a, world.person_b, world.person_c
    def act(person, on, kind):
        Activity.objects.create(person=person, activity=code("activity", "A5"), kind=code("activity", kind),
                                level=code("activity_level", "community"), done_on=on)
    def sto3(person, on):
        Outcome.objects.create(person=person, outcome=code("outcome", "STO3"), observed_on=on)
    act(a, date(2025, 4, 1), "intro_group")
    sto3(a, date(2025, 6, 1))   # a: A5 then STO3 — counts
    act(b, date(2025, 5, 1), "intro_person")
    sto3(b, date(2025, 4, 20))  # b: STO3 came before A5 — does not count
    act(c, date(2025, 4, 1), "intro_group")
    sto3(c, date(2025, 6, 1))   # c: another council — not counted at all
    # By hand: Lowmere people with A5: a, b (2). Of them, STO3 on or after their first A5: a (1).
    elements = [{"kind": "activity", "text": "", "code": code("activity", "A5")},
                {"kind": "short_outcome", "text": "", "code": code("outcome", "STO3")},
                {"kind": "problem", "text": "", "code": code("problem", "PA1")},
                {"kind": "input", "text": "Coordinators", "code": None}]
    model = save_version(world.north, elements, [(0, 1), (2, 0), (3, 0)])
    links = {(lk.source.kind, lk.target.kind): lk for lk in model.links.select_related("source", "target")}
    wards = Ward.objects.filter(council=world.north)
    ev = link_evidence(links[("activity", "short_outcome")], wards)
    assert (ev.supported, ev.of) == (1, 2)
    # PA1 → A5: a was introduced on 1 March 2025 for loneliness (a finer reason under PA1),
    # b for PA2 only. People with PA1: a (1); of them with A5 on or after that: a (1).
    a.introductions.get().reasons.add(code("problem", "PA1.loneliness"))
    b.introductions.get().reasons.add(code("problem", "PA2"))
    ev = link_evidence(links[("problem", "activity")], wards)
    assert (ev.supported, ev.of) == (1, 1)
    assert not link_evidence(links[("input", "activity")], wards).countable


def test_who_may_see_and_change_the_model(world, login):
    start_from_study(world.north)
    start_from_study(world.south)
    assert "Lowmere Council" in login(world.coordinator_a).get("/logic-model/").content.decode()
    assert login(world.coordinator_a).get("/logic-model/edit/").status_code == 403
    assert login(world.coordinator_a).post("/logic-model/start/").status_code == 403
    assert login(world.commissioner).get("/logic-model/edit/").status_code == 403
    analyst = login(world.analyst)
    assert "Lowmere Council" in analyst.get("/logic-model/").content.decode()
    assert analyst.get(f"/logic-model/?council={world.south.pk}").status_code == 404  # does not share
    assert analyst.get("/logic-model/network/").status_code == 200
    assert login(world.manager).get("/logic-model/network/").status_code == 403
    assert login(world.admin).get("/logic-model/").status_code == 403
    # A manager changes only their own council's model.
    empty = {"element-TOTAL_FORMS": 0, "element-INITIAL_FORMS": 0, "link-TOTAL_FORMS": 0,
             "link-INITIAL_FORMS": 0}
    login(world.manager_south).post("/logic-model/edit/", empty)
    assert current(world.north).version == 1 and current(world.south).version == 2


def test_the_merged_view_pools_sites_on_shared_codes(world, login):
    world.south.shares_with_network = True
    world.south.save()
    for council in (world.north, world.south):
        elements = [{"kind": "activity", "text": "", "code": code("activity", "A5")},
                    {"kind": "short_outcome", "text": "", "code": code("outcome", "STO3")},
                    {"kind": "output", "text": f"{council.name} lunch clubs", "code": None}]
        save_version(council, elements, [(0, 1)])
    page = login(world.analyst).get("/logic-model/network/").content.decode()
    assert "Glasmoor Council, Lowmere Council" in page or "Lowmere Council, Glasmoor Council" in page
    assert "Lowmere Council lunch clubs" in page and "Glasmoor Council lunch clubs" in page
