"""Flows for the strengths-based model diagram, checked by hand."""

import pytest

from alongside.evidence.sankey import flows, node_totals, svg


def test_each_person_counts_once_per_stage_split_evenly():
    # Ann: context x, triggers at two levels (p, q), then outcome o.
    # Bob: context y, one trigger level p, then outcome o.
    paths = [[{"x"}, {"p", "q"}, {"o"}], [{"y"}, {"p"}, {"o"}]]
    links = flows(paths)
    # Ann's 1 splits 1/2 to p and 1/2 to q; from each of those, all to o.
    assert links == {(0, "x", "p"): 0.5, (0, "x", "q"): 0.5, (0, "y", "p"): 1.0,
                     (1, "p", "o"): 1.5, (1, "q", "o"): 0.5}
    totals = node_totals([["x", "y"], ["p", "q"], ["o"]], links)
    assert totals == [{"x": 1.0, "y": 1.0}, {"p": 1.5, "q": 0.5}, {"o": 2.0}]
    # Every column adds up to the two people.
    assert [sum(t.values()) for t in totals] == [2.0, 2.0, 2.0]


def test_a_case_with_nothing_at_a_stage_is_refused():
    with pytest.raises(ValueError, match="stage 1"):
        flows([[{"x"}, set(), {"o"}]])


def test_the_diagram_labels_every_node_with_its_people():
    links = flows([[{"x"}, {"p", "q"}], [{"y"}, {"p"}]])
    picture = svg([["x", "y"], ["p", "q"]], ["Context", "Triggers"], links,
                  labels={"p": "Individual", "q": "System <b>"}, title="Flows")
    assert picture.startswith("<svg") and 'aria-label="Flows"' in picture
    assert "Individual (2)" in picture  # 1.5 people, shown rounded to whole people
    assert "System &lt;b&gt; (0)" in picture  # labels are escaped
    assert picture.count("<rect") == 4 and picture.count("<path") == 3
