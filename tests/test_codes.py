from pathlib import Path

import pytest
import yaml

from alongside.codes.loader import CODELISTS, load_codelists, read_codelists
from alongside.codes.models import Code


def test_the_database_holds_every_code_in_the_file(db):
    data = read_codelists()
    for list_name, spec in data["lists"].items():
        expected = {str(row["code"]) for row in spec["codes"]}
        assert set(Code.objects.filter(list=list_name).values_list("code", flat=True)) == expected
    assert set(Code.objects.values_list("version", flat=True)) == {data["version"]}


def test_the_logic_model_codes_of_the_study_are_all_there(db):
    # Table 1 of the multi-site study: PA1–4, A1–7, STO1–5, MTO1–6.
    def codes(lst, prefix):
        return sorted(c for c in Code.objects.filter(list=lst).values_list("code", flat=True)
                      if c.startswith(prefix) and "." not in c)
    assert codes("problem", "PA") == ["PA1", "PA2", "PA3", "PA4"]
    assert codes("activity", "A") == [f"A{i}" for i in range(1, 8)]
    assert codes("outcome", "STO") == [f"STO{i}" for i in range(1, 6)]
    assert codes("outcome", "MTO") == [f"MTO{i}" for i in range(1, 7)]


def test_finer_reasons_and_activity_types_hang_under_their_logic_model_code(db):
    assert Code.objects.get(list="problem", code="PA3.mental_health").parent.code == "PA3"
    assert Code.objects.get(list="activity", code="advocacy").parent.code == "A3"
    assert Code.objects.get(list="activity", code="home_visit").parent.code == "A1"


def test_ethnicity_uses_the_19_ons_2021_categories_plus_not_stated(db):
    assert Code.objects.filter(list="ethnicity").count() == 20
    assert Code.objects.get(list="ethnicity", code="Z").is_unknown


def test_a_code_that_leaves_the_file_is_retired_not_deleted(db, tmp_path: Path):
    data = yaml.safe_load(CODELISTS.read_text())
    data["version"] = "test"
    data["lists"]["ripple"]["codes"] = [c for c in data["lists"]["ripple"]["codes"]
                                        if c["code"] != "leadership"]
    changed = tmp_path / "codelists.yaml"
    changed.write_text(yaml.safe_dump(data))
    load_codelists(Code, changed)
    leadership = Code.objects.get(list="ripple", code="leadership")
    assert leadership.active is False
    assert Code.objects.get(list="ripple", code="volunteering").version == "test"


def test_an_unknown_parent_is_refused_with_the_file_and_code_named(db, tmp_path: Path):
    data = yaml.safe_load(CODELISTS.read_text())
    data["lists"]["activity"]["codes"].append({"code": "new_kind", "label": "x", "parent": "A9"})
    bad = tmp_path / "codelists.yaml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ValueError, match="activity/new_kind: unknown parent A9"):
        load_codelists(Code, bad)


# The code catalogue: each worker's copy of the code lists, so records get their codes without
# a join per coded field.

def test_records_are_given_their_codes_from_the_catalogue_without_asking_the_database(
        world, django_assert_num_queries):
    from alongside.codes.lookup import attach_codes, catalogue
    from alongside.journeys.models import Activity

    catalogue()
    activities = list(Activity.objects.filter(person=world.person_a))
    with django_assert_num_queries(0):
        attach_codes(activities)
        # conftest's make_person records one home visit (A1) at the individual level
        assert [(a.activity.code, a.kind.code, a.level.code) for a in activities] == [
            ("A1", "home_visit", "individual")]


def test_a_label_corrected_in_this_worker_is_shown_at_once(db):
    from alongside.codes.lookup import code_by_pk

    shed = Code.objects.get(list="group_type", code="mens_shed")
    assert code_by_pk(shed.pk).label == shed.label
    shed.label = "Shed (corrected)"
    shed.save()
    assert code_by_pk(shed.pk).label == "Shed (corrected)"


def test_a_code_added_by_another_worker_is_read_at_once_and_a_changed_label_within_the_time(
        db, monkeypatch):
    from alongside.codes import lookup

    lookup.catalogue()
    # bulk_create and update() send no signals: what this worker sees of another's changes.
    Code.objects.bulk_create([Code(list="ripple", code="new_one", label="New", version="t")])
    assert lookup.code_by_pk(Code.objects.get(list="ripple", code="new_one").pk).label == "New"
    Code.objects.filter(list="ripple", code="new_one").update(label="Renamed")
    pk = Code.objects.get(list="ripple", code="new_one").pk
    assert lookup.code_by_pk(pk).label == "New"  # within CATALOGUE_SECONDS: this worker's copy
    monkeypatch.setattr(lookup, "CATALOGUE_SECONDS", 0)
    assert lookup.code_by_pk(pk).label == "Renamed"


def test_a_list_from_the_catalogue_keeps_the_files_order(db):
    from alongside.codes.lookup import list_codes

    assert [c.code for c in list_codes("activity_level")] == list(
        Code.objects.filter(list="activity_level").order_by("position")
        .values_list("code", flat=True))
    assert [c.code for c in list_codes("activity_level")] == ["individual", "community", "system"]
