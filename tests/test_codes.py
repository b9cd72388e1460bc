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
