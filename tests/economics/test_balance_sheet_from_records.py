"""The balance sheet and programme cost counted from live records, one council and one year."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from alongside.codes.lookup import code
from alongside.community.models import GroupSupport
from alongside.journeys.models import Connection, Insulator, Outcome, Ripple

pytestmark = pytest.mark.django_db
IN_YEAR = date(2025, 6, 1)  # financial year 2025/26
BEFORE = date(2025, 3, 1)  # 2024/25


def run(*args) -> str:
    out = StringIO()
    call_command("balance_sheet", *args, stdout=out)
    return out.getvalue()


def test_counts_distinct_people_in_the_year_and_council_and_names_nobody(world, tmp_path):
    a, b, c = world.person_a, world.person_b, world.person_c
    for person in (a, a, b):  # a twice: still one person
        Insulator.objects.create(person=person, observed_on=IN_YEAR,
                                 insulator=code("insulator", "confidence"))
    Insulator.objects.create(person=b, observed_on=BEFORE, insulator=code("insulator", "networks"))
    Insulator.objects.create(person=c, observed_on=IN_YEAR, insulator=code("insulator", "confidence"))
    Outcome.objects.create(person=a, observed_on=IN_YEAR, outcome=code("outcome", "STO3"))
    Outcome.objects.create(person=b, observed_on=IN_YEAR, outcome=code("outcome", "STO3"), present=False)
    Connection.objects.create(person=a, kind=code("connection_kind", "group"), group=world.group_a,
                              made_on=IN_YEAR)
    GroupSupport.objects.create(group=world.group_a, kind=code("group_support", "funding"),
                                given_on=IN_YEAR)
    Ripple.objects.create(person=b, observed_on=IN_YEAR, ripple=code("ripple", "volunteering"))

    out = json.loads(run("--council", "Lowmere Council", "--year", "2025/26", "--json"))
    rows = {r["description"]: r for r in out["rows"]}
    # a and b in Lowmere (c is in Glasmoor); a counted once.
    assert rows["People with the insulator “Confidence and independence”"]["natural_units"] == "2"
    # b's "networks" insulator was in 2024/25.
    assert not any("Engagement and support networks" in d for d in rows)
    # STO3: a only (b's record says the outcome is not present).
    assert rows["STO3 Less isolated"]["natural_units"] == "1"
    assert rows["People connected to a community group"]["natural_units"] == "1"
    assert rows["Community groups given support"]["natural_units"] == "1"
    assert rows["People who went on to volunteer, run a group or lead"]["level"] == "community"
    text = json.dumps(out)
    for person in (a, b, c):
        assert person.given_name not in text and person.reference not in text


def test_programme_cost_per_person_uses_the_records_counts(world, tmp_path):
    # Engagements: a and b (Lowmere, both Level 2, started 1 March 2025, still open) overlap
    # 2025/26; wards Ashley North 9,000 + Brookside 11,000 = 20,000 residents.
    # Programme: 1 FTE × £30,000 × 1.25 = £37,500; no other costs.
    # Per person supported £37,500 / 2 = £18,750; per resident £37,500 / 20,000 = £1.875.
    prog = tmp_path / "programme.yaml"
    prog.write_text(yaml.safe_dump({"site": "Lowmere", "year": "2025/26",
                                    "coordinators": {"fte": 1, "salary": 30000, "on_costs": 25}}))
    out = json.loads(run("--council", "Lowmere Council", "--year", "2025/26", "--programme", str(prog),
                         "--json"))
    per = {p["per"]: (p["count"], Decimal(p["amount"])) for p in out["programme_cost_per"]}
    assert per["person supported"] == (2, Decimal(18750))
    assert per["Level 2 person"] == (2, Decimal(18750))
    assert per["ward resident"] == (20000, Decimal("1.875"))
    lac = [r for r in out["rows"] if r["side"] == "cost"]
    assert len(lac) == 1 and Decimal(lac[0]["amount"]) == Decimal(37500)


def test_a_programme_for_another_year_or_an_unknown_council_is_refused(world, tmp_path):
    prog = tmp_path / "programme.yaml"
    prog.write_text(yaml.safe_dump({"site": "Lowmere", "year": "2023/24",
                                    "coordinators": {"fte": 1, "salary": 30000}}))
    with pytest.raises(CommandError, match="is for 2023/24 but the balance sheet is for 2025/26"):
        run("--council", "Lowmere Council", "--year", "2025/26", "--programme", str(prog))
    with pytest.raises(CommandError, match="no council called 'Nowhere'"):
        run("--council", "Nowhere", "--year", "2025/26")
    with pytest.raises(CommandError, match="not a financial year"):
        run("--council", "Lowmere Council", "--year", "2025")
    assert Path(prog).exists()
