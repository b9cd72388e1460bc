"""Unit costs with provenance, the price index, the cost consequence balance sheet, costed
scenarios and programme cost, each against a hand calculation written out here."""

import csv
import io
from decimal import Decimal as D

import pytest

from alongside.evidence.economics.ccf import read_balance_sheet
from alongside.evidence.economics.model_file import EconomicsError
from alongside.evidence.economics.programme import read_programme
from alongside.evidence.economics.scenario import read_scenario
from alongside.evidence.economics.unit_costs import (
    UNIT_COSTS,
    PriceIndex,
    load_unit_costs,
)


def test_every_shipped_unit_cost_has_a_source_a_table_and_a_price_year():
    costs = load_unit_costs()
    assert len(costs) >= 15
    for uc in costs.values():
        assert uc.source and uc.table and uc.price_year[4] == "/", uc.key
    # Read the raw file too: the loader must not be the only thing standing between a
    # blank source and a shipped figure.
    with UNIT_COSTS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    assert rows and all(r["source"].strip() and r["table"].strip() and r["price_year"].strip()
                        for r in rows)


def test_a_unit_cost_row_without_provenance_is_refused_with_its_row(tmp_path):
    f = tmp_path / "costs.csv"
    f.write_text("key,item,sector,unit,cost,price_year,source,table,checked\n"
                 "gp,GP visit,nhs,visit,45,2023/24,PSSRU 2024,Table 9.4.2,no\n"
                 "ae,A&E,nhs,attendance,273,,PSSRU 2024,,no\n"
                 "x,Thing,space,unit,-3,2023/25,Somewhere,T1,no\n", encoding="utf-8")
    with pytest.raises(EconomicsError) as e:
        load_unit_costs(f)
    assert e.value.problems == [
        "row 3.price_year: is required", "row 3.table: is required",
        "row 4.price_year: '2023/25' is not a financial year: the second year must follow the first",
        "row 4.sector: 'space' is not one of: nhs, local_authority, housing, benefits, police_justice, "
        "fire, third_sector, employment, education",
        "row 4.cost: -3 is below the minimum of 0.01",
    ]


def test_the_price_index_moves_a_cost_between_years_and_says_what_is_missing():
    # An index of 80 in 2010/11 and 100 in 2023/24: £6,680 × 100 / 80 = £8,350.
    index = PriceIndex({"2010/11": D(80), "2023/24": D(100)}, "test index")
    assert index.convert(D(6680), "2010/11", "2023/24") == D(8350)
    with pytest.raises(EconomicsError, match="the price index has no 2008/09"):
        index.convert(D(3186), "2008/09", "2023/24")


UNIT = {"gp": "45", "ae": "273", "evict": "6680"}


def tables():
    from alongside.evidence.economics.unit_costs import UnitCost
    costs = {k: UnitCost(k, k, "nhs" if k != "evict" else "housing", "unit", D(v),
                         "2010/11" if k == "evict" else "2023/24", "Test source", "T1", False)
             for k, v in UNIT.items()}
    return costs, PriceIndex({"2010/11": D(80), "2023/24": D(100)})


# Hand calculation 2, the balance sheet at 2023/24 prices:
#   system cost: the LAC service £250,000 (stated);
#   individual cost: out-of-pocket, 30 bus fares × £3.50 = £105 (stated as an amount);
#   individual consequence: 57 people more independent (natural units only, no £);
#   system consequence: 30 A&E attendances prevented × £273 = £8,190;
#   system consequence: 2 evictions prevented × £6,680 × 100/80 = 2 × £8,350 = £16,700;
#   system consequence: 40 more GP consultations × £45 = £1,800 increased.
CCF = {
    "name": "Anytown 2023/24", "price_year": "2023/24",
    "costs": [
        {"level": "system", "category": "lac_service", "description": "Coordinators and management",
         "amount": 250000, "source": "programme cost 2023/24"},
        {"level": "individual", "category": "out_of_pocket", "description": "Bus fares to groups",
         "amount": 105, "source": "Coordinators' notes"},
    ],
    "consequences": [
        {"level": "individual", "domain": "Independence and confidence", "description": "More independent",
         "count": 57, "evidence": "57 people with outcome STO2"},
        {"level": "system", "domain": "Delayed or avoided use of other services",
         "description": "A&E attendances", "count": 30, "unit": "attendances", "change": "prevented",
         "unit_cost": "ae", "evidence": "30 triggers resolved before crisis"},
        {"level": "system", "domain": "Delayed or avoided use of other services",
         "description": "Evictions", "count": 2, "unit": "evictions", "change": "prevented",
         "unit_cost": "evict", "evidence": "2 stories, case conference"},
        {"level": "system", "domain": "Change in service use", "description": "GP consultations",
         "count": 40, "unit": "consultations", "change": "increased", "unit_cost": "gp",
         "evidence": "40 people connected to a GP"},
    ],
}


def test_hand_calculation_2_balance_sheet_keeps_levels_apart_and_traces_each_figure():
    sheet = read_balance_sheet(CCF, unit_costs=tables()[0], index=tables()[1])
    rows = sheet.rows()
    by_desc = {r["description"]: r for r in rows}
    assert by_desc["More independent"]["amount"] is None
    assert by_desc["More independent"]["natural_units"] == D(57)
    assert by_desc["A&E attendances"]["amount"] == D(8190)
    assert by_desc["Evictions"]["amount"] == D(16700)
    assert "moved to 2023/24 prices" in by_desc["Evictions"]["trace"]
    assert by_desc["Evictions"]["trace"].startswith("2 stories, case conference; 2 × £8,350.00")
    assert by_desc["GP consultations"]["change"] == "Increased"
    system = sheet.level_summary("system")
    assert system["costs"] == D(250000)
    assert system["prevented_monetised"] == D(24890)
    assert system["increased_monetised"] == D(1800)
    assert sheet.level_summary("individual")["costs"] == D(105)
    out = list(csv.DictReader(io.StringIO(sheet.to_csv())))
    assert [r["description"] for r in out] == ["Bus fares to groups", "More independent",
                                               "Coordinators and management", "A&E attendances",
                                               "Evictions", "GP consultations"]
    html = sheet.to_html()
    assert "£16,700.00" in html and "£250,000.00" in html and "Community – community-led change" in html


def test_a_balance_sheet_that_needs_a_missing_index_year_says_so():
    costs, _ = tables()
    with pytest.raises(EconomicsError) as e:
        read_balance_sheet(CCF, unit_costs=costs, index=PriceIndex({}))
    assert e.value.problems == [
        "consequences[3].unit_cost: cannot move a 2010/11 cost to 2023/24 prices: the price index has "
        "no 2010/11 or 2023/24. Add the year from HM Treasury's GDP deflators to the index file "
        "(--price-index), or state the model at 2010/11 prices."]


def test_a_bad_balance_sheet_names_each_field():
    bad = {**CCF, "costs": [{"level": "street", "category": "lac_service", "description": "x",
                             "amount": 10}],
           "consequences": [{"level": "system", "domain": "d", "count": 3, "unit_cost": "ae",
                             "evidence": "e"}]}
    with pytest.raises(EconomicsError) as e:
        read_balance_sheet(bad, unit_costs=tables()[0], index=tables()[1])
    assert e.value.problems == [
        "costs[1].level: 'street' is not one of: individual, community, system",
        "costs[1].source: is required: say where this cost comes from",
        "consequences[1].change: is required with unit_cost: increased, reduced, deferred or prevented",
    ]


# Hand calculation 3, a costed scenario at 3.5%:
#   with LAC: month 0, 20 Coordinator hours × £30 = £600 (year 0, not discounted).
#   without LAC: month 3, 2 A&E attendances × £273 = £546 (year 0);
#                month 14, a long non-elective stay £5,134 (year 1): 5,134 / 1.035 = £4,960.39.
#   Cost avoided = 546 + 4,960.39 − 600 = £4,906.39 (undiscounted: 5,680 − 600 = £5,080).
SCENARIO = {
    "name": "Mrs A", "price_year": "2023/24", "discount_rate": 3.5,
    "assumptions": ["Without LAC a fall at home was likely within the year (GP at the case conference)"],
    "with_lac": [{"month": 0, "description": "Coordinator time", "quantity": 20, "cost": 30,
                  "source": "Coordinator hourly cost, programme cost 2023/24"}],
    "without_lac": [
        {"month": 14, "description": "Non-elective stay", "cost": 5134, "source": "PSSRU 2024 6.1.1"},
        {"month": 3, "description": "A&E", "quantity": 2, "unit_cost": "ae"},
    ],
}


def test_hand_calculation_3_scenario_difference_discounted():
    sc = read_scenario(SCENARIO, unit_costs=tables()[0], index=tables()[1])
    assert [e.month for e in sc.pathways["without_lac"]] == [3, 14]
    assert sc.total("without_lac", discounted=False) - sc.total("with_lac", discounted=False) == D(5080)
    assert sc.difference.quantize(D("0.01")) == D("4906.39")
    text = sc.to_text()
    assert "Cost avoided with LAC (discounted): £4,906.39" in text
    assert "fall at home was likely" in text


# Hand calculation 4, programme cost for a year:
#   Coordinators 6 FTE × £32,000 × 1.30 (30% on-costs) = £249,600
#   management £45,000; overheads 12% × (249,600 + 45,000) = £35,352; venues £3,000;
#   training £2,000.  Total = £334,952.
#   Per person supported (420) = £797.50; per Level 2 person (310) = £1,080.49;
#   per ward resident (56,000) = £5.98.
PROGRAMME = {"site": "Anytown", "year": "2023/24",
             "coordinators": {"fte": 6, "salary": 32000, "on_costs": 30},
             "management": 45000, "venues": 3000, "overheads": 12,
             "other": [{"description": "Training", "amount": 2000}],
             "people_supported": 420, "level2_people": 310, "ward_residents": 56000}


def test_hand_calculation_4_programme_cost_per_person():
    pc = read_programme(PROGRAMME)
    assert pc.coordinators == D(249600)
    assert pc.overhead_amount == D(35352)
    assert pc.total == D(334952)
    assert pc.per(420).quantize(D("0.01")) == D("797.50")
    assert pc.per(310).quantize(D("0.01")) == D("1080.49")
    assert pc.per(56000).quantize(D("0.01")) == D("5.98")


def test_a_bad_programme_names_each_field():
    with pytest.raises(EconomicsError) as e:
        read_programme({**PROGRAMME, "coordinators": {"fte": -1, "salary": 32000, "oncosts": 30},
                        "overheads": 140})
    assert e.value.problems == ["coordinators.fte: -1 cannot be negative",
                                "coordinators.oncosts: unknown field "
                                "(expected one of: fte, on_costs, salary)",
                                "overheads: 140 is outside 0–100%"]
