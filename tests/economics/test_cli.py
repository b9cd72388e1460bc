"""The economics commands on real files, as a finance officer would run them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ALONGSIDE = [sys.executable, "-m", "alongside.cli"]
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def run(*args):
    return subprocess.run([*ALONGSIDE, *map(str, args)], capture_output=True, text=True, timeout=60)


def write(tmp_path, data, name="model.yaml"):
    f = tmp_path / name
    f.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data, encoding="utf-8")
    return f


def test_sroi_prints_pounds_to_the_penny_with_the_price_year(tmp_path):
    # 100 people × £200 × (1 − 50% deadweight) = £10,000 in year 1, one year, discounted at
    # 0%: present value £10,000 against £4,000 invested → NPV £6,000, ratio £2.50 : £1,
    # payback 4,000 / (10,000 / 12) = 4.8 months.
    f = write(tmp_path, {"name": "Tiny", "price_year": "2023/24", "discount_rate": 0, "investment": 4000,
                         "outcomes": [{"stakeholder": "People", "outcome": "Connected", "quantity": 100,
                                       "proxy": 200, "proxy_source": "hand", "deadweight": 50,
                                       "duration": 1}]})
    r = run("sroi", f)
    assert r.returncode == 0, r.stderr
    assert "2023/24 prices" in r.stdout
    assert "Present value             £10,000.00" in r.stdout
    assert "Net present value          £6,000.00" in r.stdout
    assert "SROI ratio          £2.50 : £1" in r.stdout
    assert "Payback             4.8 months" in r.stdout


def test_sroi_json_with_sensitivity_and_a_tornado_chart(tmp_path):
    svg = tmp_path / "tornado.svg"
    r = run("sroi", EXAMPLES / "sroi.yaml", "--sensitivity", "--json", "--tornado", svg)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"present_value", "net_present_value", "ratio", "payback_months", "sensitivity",
            "break_even", "years", "outcomes"} <= set(out)
    assert out["outcomes"][0]["proxy_source"].startswith("PSSRU Unit Costs of Health and Social Care 2024")
    widths = [abs(float(s["ratio_high"]) - float(s["ratio_low"])) for s in out["sensitivity"]]
    assert widths == sorted(widths, reverse=True)
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<svg") and "<title" in text and "break-even 1.00" in text


@pytest.mark.parametrize("verb", ["ccf", "scenario", "programme"])
def test_each_example_runs(verb):
    r = run(verb, EXAMPLES / f"{verb}.yaml")
    assert r.returncode == 0, r.stderr
    assert "2023/24" in r.stdout and "£" in r.stdout


def test_ccf_as_csv_and_html():
    r = run("ccf", EXAMPLES / "ccf.yaml", "--csv")
    assert r.returncode == 0 and r.stdout.splitlines()[0].startswith("level,side,heading")
    h = run("ccf", EXAMPLES / "ccf.yaml", "--html")
    assert '<table class="govuk-table">' in h.stdout


@pytest.mark.parametrize("content, message", [
    ("", "model.yaml: the file is empty"),
    ("name: [unclosed", "model.yaml: not valid YAML"),
    ("- a\n- b\n", "must hold a mapping of fields"),
    ("name: X\nprice_year: 2023/24\ninvestment: 100\noutcomes:\n  - stakeholder: P\n    outcome: O\n"
     "    quantity: -1\n    proxy: 10\n    duration: 1\n",
     "outcomes[1] (O).quantity: -1 cannot be negative"),
])
def test_bad_models_get_a_message_naming_the_field_and_no_traceback(tmp_path, content, message):
    r = run("sroi", write(tmp_path, content))
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_a_missing_file_is_named(tmp_path):
    r = run("scenario", tmp_path / "nope.yaml")
    assert r.returncode == 2 and "nope.yaml: no such file" in r.stderr


def test_unit_costs_lists_the_table_with_sources():
    r = run("unit-costs")
    assert r.returncode == 0
    assert "ae_attendance" in r.stdout and "Table 6.1.1" in r.stdout


# --- hostile model files --------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from alongside.evidence.economics.cli import main as economics  # noqa: E402

ANYTHING = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)


def _mutations(example: dict):
    """The worked example with one value anywhere in it replaced by anything."""
    paths = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                paths.append((*path, k))
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                paths.append((*path, i))
                walk(v, (*path, i))
    walk(example, ())
    return st.tuples(st.sampled_from(paths), ANYTHING)


@pytest.mark.parametrize("verb", ["sroi", "ccf", "scenario", "programme"])
def test_any_value_anywhere_in_a_model_gets_a_message_not_a_crash(verb, tmp_path_factory, capsys):
    example = yaml.safe_load((EXAMPLES / f"{verb}.yaml").read_text(encoding="utf-8"))

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(change=_mutations(example))
    def check(change):
        path, value = change
        model = yaml.safe_load(yaml.safe_dump(example))
        node = model
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
        f = tmp_path_factory.mktemp(verb) / "model.yaml"
        f.write_text(yaml.safe_dump(model), encoding="utf-8")
        code = economics(verb, [str(f), "--json"])     # an exception here fails the test
        err = capsys.readouterr().err
        assert code in (0, 1, 2)
        assert code == 0 or err.strip(), f"refused without saying why: {path} = {value!r}"

    check()
