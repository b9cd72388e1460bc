"""SROI against hand calculations written out step by step (DOMAIN.md's formulas from the
Cabinet Office guide, 2012), and the checks that stop a bad model being computed at all."""

from decimal import Decimal as D

import pytest

from alongside.evidence.economics import discounting
from alongside.evidence.economics.model_file import EconomicsError
from alongside.evidence.economics.sroi import break_even, evaluate, one_way, read_model

# Hand calculation 1, written out.
#
# Investment £50,000. Discount rate 3.5% a year, discounted from year 1.
# Outcome A (people walked alongside, "less isolated"): 40 people × £1,000 proxy,
#   deadweight 25%, attribution 20%, displacement 0%, lasting 3 years, drop-off 10%.
#   Year-1 impact = 40 × 1,000 × 0.75 × 0.80 = £24,000
#   Year 2 = 24,000 × 0.9 = £21,600;  year 3 = 21,600 × 0.9 = £19,440
# Outcome B (NHS, "fewer A&E attendances"): 10 × £500, deadweight 10%, displacement 10%,
#   attribution 0%, lasting 1 year.   Year-1 impact = 10 × 500 × 0.9 × 0.9 = £4,050
# Totals by year: 28,050; 21,600; 19,440.
# Present value = 28,050 / 1.035 + 21,600 / 1.035² + 19,440 / 1.035³
#               = 27,101.4493 + 20,163.8311 + 17,533.7662 = £64,799.05 (to the penny)
# NPV = 64,799.05 − 50,000 = £14,799.05;  ratio = 64,799.05 / 50,000 = 1.2960
# Payback = 50,000 / (28,050 / 12) = 21.39 months
HAND_1 = {
    "name": "Hand calculation 1", "price_year": "2023/24", "discount_rate": 3.5,
    "investment": 50000,
    "outcomes": [
        {"stakeholder": "People walked alongside", "outcome": "Less isolated", "quantity": 40,
         "proxy": 1000, "proxy_source": "hand calculation", "deadweight": 25, "attribution": 20,
         "duration": 3, "drop_off": 10},
        {"stakeholder": "NHS", "outcome": "Fewer A&E attendances", "quantity": 10, "proxy": 500,
         "proxy_source": "hand calculation", "deadweight": 10, "displacement": 10, "duration": 1},
    ],
}


def pennies(x: D) -> D:
    return x.quantize(D("0.01"))


def test_hand_calculation_1_impact_drop_off_discounting_npv_ratio_payback():
    res = evaluate(read_model(HAND_1))
    assert [o.impact() for o in res.model.outcomes] == [D(24000), D(4050)]
    assert res.year_values == [D(28050), D(21600), D(19440)]
    assert pennies(res.present_values[0]) == D("27101.45")
    assert pennies(res.present_values[1]) == D("20163.83")
    assert pennies(res.present_values[2]) == D("17533.77")
    assert pennies(res.present_value) == D("64799.05")
    assert pennies(res.net_present_value) == D("14799.05")
    assert res.ratio.quantize(D("0.0001")) == D("1.2960")
    assert res.payback_months.quantize(D("0.01")) == D("21.39")


def test_break_even_of_hand_calculation_1():
    # Outcome A's present value is 24,000/1.035 + 21,600/1.035² + 19,440/1.035³ = 60,886.0127;
    # B's is 4,050/1.035 = 3,913.0435. For PV to equal £50,000 with B unchanged, A must be
    # scaled by (50,000 − 3,913.0435) / 60,886.0127 = 0.756936: a proxy of £756.94, or
    # deadweight 1 − 0.75 × 0.756936 = 43.23%. B alone cannot bring the ratio down to 1
    # (A on its own is worth more than the investment). Every value together would have to
    # fall by 1 − 50,000 / 64,799.05 = 22.84%.
    fall, points = break_even(read_model(HAND_1))
    assert fall.quantize(D("0.01")) == D("22.84")
    got = {(p.label.split(":")[0], p.assumption): p.break_even for p in points}
    assert got[("People walked alongside", "proxy")].quantize(D("0.01")) == D("756.94")
    assert got[("People walked alongside", "deadweight")].quantize(D("0.01")) == D("43.23")
    assert got[("NHS", "proxy")] is None and got[("NHS", "deadweight")] is None


def test_one_way_sensitivity_moves_one_assumption_at_a_time():
    # Deadweight on A down 10 points to 15%: A's value scales by 0.85 / 0.75, so
    # ratio = (60,886.0127 × 0.85 / 0.75 + 3,913.0435) / 50,000 = 1.458345;
    # up to 35%: (60,886.0127 × 0.65 / 0.75 + 3,913.0435) / 50,000 = 1.133619.
    swings = {s.label: s for s in one_way(read_model(HAND_1))}
    dw = swings["People walked alongside: Less isolated – deadweight"]
    assert (dw.low_setting, dw.high_setting) == ("15%", "35%")
    assert dw.ratio_low.quantize(D("0.0001")) == D("1.4583")
    assert dw.ratio_high.quantize(D("0.0001")) == D("1.1336")
    # Attribution of B is 0%: it can only go up, to 10%: B's value × 0.9.
    at = swings["NHS: Fewer A&E attendances – attribution"]
    assert (at.low_setting, at.high_setting) == ("0%", "10%")
    assert at.ratio_high.quantize(D("0.0001")) == ((D("60886.0127") + D("3913.0435") * D("0.9"))
                                                   / 50000).quantize(D("0.0001"))
    ordered = [s.width for s in one_way(read_model(HAND_1))]
    assert ordered == sorted(ordered, reverse=True)


def test_green_book_rate_falls_to_3_percent_after_year_30():
    # Year 31 is discounted 30 years at 3.5% and one at 3.0%.
    assert discounting.factor(30) == 1 / D("1.035") ** 30
    assert discounting.factor(31) == 1 / D("1.035") ** 30 / D("1.03")
    assert discounting.factor(0) == 1


def test_a_model_without_a_stated_rate_uses_the_green_book():
    model = read_model({**HAND_1, "discount_rate": None})
    assert model.discount_rate is None
    assert pennies(evaluate(model).present_value) == D("64799.05")


def test_inputs_can_be_listed_by_stakeholder():
    data = {k: v for k, v in HAND_1.items() if k != "investment"}
    data["inputs"] = [{"stakeholder": "Council", "description": "LAC service", "amount": 45000},
                      {"stakeholder": "NHS", "description": "Contribution", "amount": "5,000"}]
    assert read_model(data).investment == D(50000)


def problems_of(data: dict) -> list[str]:
    with pytest.raises(EconomicsError) as e:
        read_model(data)
    return e.value.problems


def test_invalid_models_name_every_bad_field_and_compute_nothing():
    bad = {**HAND_1, "outcomes": [
        {**HAND_1["outcomes"][0], "quantity": -5, "deadweight": 120},
        {**HAND_1["outcomes"][1], "proxy_source": "", "attribution": "lots"},
        {"stakeholder": "Family", "outcome": "Peace of mind", "quantity": 3, "duration": 0,
         "deadwieght": 10},
    ]}
    problems = problems_of(bad)
    assert "outcomes[1] (Less isolated).quantity: -5 cannot be negative" in problems
    assert "outcomes[1] (Less isolated).deadweight: 120 is outside 0–100" in problems
    assert ("outcomes[2] (Fewer A&E attendances).proxy_source: is required: say where the "
            "financial proxy comes from") in problems
    assert "outcomes[2] (Fewer A&E attendances).attribution: 'lots' is not a number" in problems
    assert any(p.startswith("outcomes[3] (Peace of mind).proxy: is required") for p in problems)
    assert "outcomes[3] (Peace of mind).duration: 0 is outside 1–50 years" in problems
    assert any(p.startswith("outcomes[3] (Peace of mind).deadwieght: unknown field") for p in problems)
    assert len(problems) == 7


def test_missing_top_level_fields_and_a_zero_investment_are_refused():
    assert set(problems_of({"outcomes": []})) >= {"name: is required", "price_year: is required",
                                                  "outcomes: must list at least one"}
    assert "price_year: '2023-24' is not a financial year written like 2023/24" in problems_of(
        {**HAND_1, "price_year": "2023-24"})
    with pytest.raises(EconomicsError, match="investment must be more than £0"):
        evaluate(read_model({**HAND_1, "investment": 0}))


def _one_outcome(deadweight, **more):
    return {"name": "Fractions", "price_year": "2023/24", "investment": 1000, **more,
            "outcomes": [{"stakeholder": "People", "outcome": "Less isolated", "quantity": 10, "proxy": 200,
                          "proxy_source": "hand calculation", "deadweight": deadweight, "duration": 1}]}


def test_a_percentage_written_as_a_fraction_is_refused_by_field():
    # 10 × £200 × (1 − 20%) = £1,600 in year 1; discounted at 3.5%: 1,600 / 1.035 = £1,545.89;
    # ratio 1,545.89 / 1,000 = 1.55. Written as 0.2, the deadweight would be 0.2% and the ratio
    # 1,996 / 1.035 / 1,000 = 1.93: refused instead, saying what to write.
    assert evaluate(read_model(_one_outcome(20))).ratio.quantize(D("0.01")) == D("1.55")
    with pytest.raises(EconomicsError) as e:
        read_model(_one_outcome(0.2))
    assert e.value.problems == ['outcomes[1] (Less isolated).deadweight: 0.2 means 0.2%, not 20%: '
                                'write 20 for 20%, or "0.2%" if you do mean less than one per cent']
    # With its sign, a small percentage is taken as written: 10 × 200 × 0.998 / 1.035 / 1,000.
    small = evaluate(read_model(_one_outcome("0.2%")))
    assert small.ratio.quantize(D("0.0001")) == (D(1996) / D("1.035") / 1000).quantize(D("0.0001"))
    with pytest.raises(EconomicsError) as e:
        read_model(_one_outcome(20, discount_rate=0.035))
    assert "discount_rate: 0.035 means 0.035%, not 3.5%" in str(e.value)
