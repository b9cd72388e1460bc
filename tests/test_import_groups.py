"""A council's list of community groups comes onto the community map from a real file: checked
whole, refused by row and column, imported once, and undone while nothing points at a group."""

import csv
from datetime import date

import pytest
from django.utils import timezone

from alongside.accounts.models import Role
from alongside.codes.lookup import code
from alongside.community.models import CommunityGroup
from alongside.dataset.importer import import_file
from alongside.dataset.undo import undo
from alongside.journeys.models import Activity
from alongside.operations.models import Job
from alongside.places.models import Council

from .conftest import make_user
from .test_import_trouble import TODAY, counts, mapping, refused  # noqa: F401

pytestmark = pytest.mark.django_db
GROUPS = """\
council: Calder Vale Council
system: calder-groups
records: groups
key: id
date_format: '%d/%m/%Y'
columns:
  name: Group
  ward: Area
  type: Kind
  started_on: Started
  where: Venue
  when: Meets
  offers: Offers
values:
  ward:
    North: E05800301
  type:
    Lunch club: lunch_club
    Walking group: walking_sport
"""


@pytest.fixture
def groups_mapping(tmp_path, mapping):  # noqa: F811 - `mapping` adds the councils
    p = tmp_path / "groups.mapping.yaml"
    p.write_text(GROUPS, encoding="utf-8")
    return p


def write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "Group", "Area", "Kind", "Started", "Venue", "Meets", "Offers"])
        w.writerows(rows)
    return path


def test_a_list_of_groups_lands_on_the_community_map_once(tmp_path, groups_mapping):
    sheet = write(tmp_path / "groups.csv", [
        ["g1", "Holme Lunch Club", "north", "lunch club", "04/09/2023", "Chapel hall", "Tuesdays", "Soup"],
        ["g2", "Calder Walkers", "Calder North", "Walking group", "", "", "Saturdays 10am", ""]])
    dry = import_file(sheet, groups_mapping, dry_run=True, today=TODAY)
    assert (dry.problems, dry.groups, dry.written) == ([], 2, False) and CommunityGroup.objects.count() == 0
    report = import_file(sheet, groups_mapping, dry_run=False, today=TODAY)
    assert report.summary() == "groups.csv: 2 rows; Imported 2 community groups; 0 already imported (skipped)"
    lunch = CommunityGroup.objects.get(name="Holme Lunch Club")
    got = (lunch.ward.ons_code, lunch.type.code, lunch.started_on, lunch.where, lunch.when, lunch.offers)
    assert got == ("E05800301", "lunch_club", date(2023, 9, 4), "Chapel hall", "Tuesdays", "Soup")
    # "Calder North", the ward's own name, needs no line in the mapping.
    assert CommunityGroup.objects.get(name="Calder Walkers").ward.ons_code == "E05800301"
    again = import_file(sheet, groups_mapping, dry_run=False, today=TODAY)
    assert (again.groups, again.already_imported) == (0, 2) and CommunityGroup.objects.count() == 2


def test_groups_that_cannot_be_right_are_refused_by_row_and_column(tmp_path, groups_mapping):
    sheet = write(tmp_path / "groups.csv", [
        ["g1", "", "North", "Lunch club", "", "", "", ""],
        ["g2", "Knit and Natter", "Southfield", "Lunch club", "", "", "", ""],
        ["g3", "Men's Shed", "North", "Shed", "", "", "", ""],
        ["g4", "Choir", "North", "Lunch club", "01/01/2030", "", "", ""],
        ["g4", "Choir again", "North", "Lunch club", "", "", "", ""],
        ["g6", "C" * 161, "North", "Lunch club", "", "", "", ""]])
    assert refused(sheet, groups_mapping) == [
        "groups.csv, row 2, column 'Group', value '': every group needs its name",
        "groups.csv, row 3, column 'Area', value 'Southfield': not a ward of Calder Vale Council (add it "
        "under values.ward with its ONS code)",
        "groups.csv, row 4, column 'Kind', value 'Shed': no mapping for this value (add it under "
        "values.type)",
        "groups.csv, row 5, column 'Started', value '01/01/2030': a date in the future",
        "groups.csv, row 6, column 'id', value 'g4': the same group ID is on row 5: a duplicated row",
        f"groups.csv, row 7, column 'Group', value '{'C' * 161}': 161 characters, longer than the 160 "
        "Alongside keeps",
    ]


def test_an_import_of_groups_is_undone_while_nothing_points_at_them(tmp_path, groups_mapping):
    manager = make_user("manager_calder", Role.MANAGER, Council.objects.get(name="Calder Vale Council"))
    sheet = write(tmp_path / "groups.csv",
                  [["g1", "Holme Lunch Club", "North", "Lunch club", "", "", "", ""]])
    job = Job.objects.create(kind=Job.Kind.IMPORT, requested_by=manager, council=manager.council,
                             status=Job.Status.DONE)
    import_file(sheet, groups_mapping, dry_run=False, today=TODAY, job=job)
    job.summary, job.finished_at = {"written": True}, timezone.now()
    job.save()
    group = CommunityGroup.objects.get()
    work = Activity.objects.create(group=group, coordinator=manager, activity=code("activity", "A7"),
                                   level=code("activity_level", "community"), done_on=TODAY)
    with pytest.raises(ValueError, match="1 groups with activities"):
        undo(job, manager)
    work.delete()
    assert undo(job, manager)["groups"] == 1 and not CommunityGroup.objects.exists()
