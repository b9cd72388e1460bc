"""Code lists changed by an administrator in the browser: a code added, relabelled in English
and Welsh, retired (kept on the records that hold it); a new version of the shipped lists
leaves what was set here alone."""

import pytest

from alongside.audit.models import AuditEvent
from alongside.codes.loader import load_codelists
from alongside.codes.lookup import code
from alongside.codes.models import Code
from alongside.community.models import CommunityGroup

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_relabels_and_retires_codes(world, login):
    c = login(world.admin)
    assert "Kind of community group or asset" in c.get("/settings/codes/").content.decode()
    body = c.post("/settings/codes/group_type/", {"code": "Choir!", "label": "Choir",
                                                  "label_cy": "Côr"}).content.decode()
    assert "Use lower-case letters, digits and _" in body
    c.post("/settings/codes/group_type/", {"code": "choir", "label": "Choir", "label_cy": "Côr"})
    choir = code("group_type", "choir")
    assert (choir.label, choir.label_cy, choir.active) == ("Choir", "Côr", True)
    body = c.post("/settings/codes/group_type/", {"code": "choir", "label": "x", "label_cy": "x"}).content
    assert "This list has that code already" in body.decode()
    # Relabel the lunch club, and retire it: the Ashley group that has it keeps it.
    lunch = code("group_type", "lunch_club")
    c.post(f"/settings/codes/code/{lunch.pk}/", {"label": "Lunch club", "label_cy": "Clwb cinio"})
    lunch.refresh_from_db()
    assert (lunch.label, lunch.active) == ("Lunch club", False)
    assert CommunityGroup.objects.get(pk=world.group_a.pk).type == lunch
    assert AuditEvent.objects.filter(detail__what="code").count() == 2
    # The group form offers the new code, not the retired one.
    form = login(world.coordinator_a).get("/community/groups/new/").content.decode()
    assert "Choir" in form and "Lunch club" not in form
    # A new version of the shipped lists: what was set here stands, and the added code stays.
    load_codelists(Code)
    lunch.refresh_from_db()
    assert (lunch.label, lunch.active) == ("Lunch club", False) and code("group_type", "choir").active


def test_only_an_administrator_changes_code_lists(world, login):
    lunch = code("group_type", "lunch_club")
    for user in (world.manager, world.coordinator_a, world.analyst):
        c = login(user)
        assert c.get("/settings/codes/").status_code == 403
        assert c.post(f"/settings/codes/code/{lunch.pk}/", {"label": "x", "label_cy": "x"}).status_code == 403
    lunch.refresh_from_db()
    assert lunch.label == "Lunch club or café"
    assert login(world.admin).get("/settings/codes/no_such_list/").status_code == 404
