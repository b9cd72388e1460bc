"""The charts and a manager's tables on a 390 px phone and a 1280 px desktop, in real Chromium:
nothing wider than the screen (outside a labelled region that scrolls), no chart label over
another label or over a bar or node, and every bar of the tornado chart visible."""

import os
from datetime import date
from decimal import Decimal

import pytest

from alongside.evidence.economics.charts import tornado_svg
from alongside.evidence.economics.sroi import Swing
from alongside.evidence.sankey import flows, svg
from alongside.journeys.models import ServiceUseChange
from alongside.places.models import ProgrammeCost

from .test_browser import SHOTS, accessible, browser, sign_in  # noqa: F401 - browser is a fixture

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENS = {"phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True},
           "desktop": {"viewport": {"width": 1280, "height": 800}}}

# The picture's shown <svg>s (a chart drawn for a phone and for a desktop shows one), each
# with its text labels and its rects, as client rectangles.
BOXES = """() => [...document.querySelectorAll('main svg, body > svg')]
  .filter(s => s.getBoundingClientRect().width > 0)
  .map(s => {
    const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
    return {cls: s.getAttribute('class') || '',
            texts: [...s.querySelectorAll('text')].map(t => ({text: t.textContent, box: box(t)})),
            rects: [...s.querySelectorAll('rect')].map(box)};
  })"""
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Anything wider than its place that is not inside a labelled region that scrolls, with its hint.
UNCONTAINED = """() => [...document.querySelectorAll('main table, main svg, main figure')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => { const r = e.closest('.app-scroll');
    return !(r && r.getAttribute('role') === 'region' && r.getAttribute('tabindex') === '0'
             && (r.getAttribute('aria-label') || r.getAttribute('aria-labelledby'))); })
  .map(e => e.tagName + '#' + e.id)"""


def _overlap(a, b, slack=0.5) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def collisions(chart: dict) -> list[str]:
    """Pairs of labels that overlap, and labels that overlap a rect (a node or a bar: no label
    in these charts belongs inside one)."""
    texts = chart["texts"]
    out = [f"{a['text']!r} over {b['text']!r}" for i, a in enumerate(texts) for b in texts[i + 1:]
           if _overlap(a["box"], b["box"])]
    out += [f"{t['text']!r} over a bar at {r}" for t in texts for r in chart["rects"]
            if _overlap(t["box"], r)]
    return out


def check_charts(page, *, kinds: set[str]) -> None:
    charts = page.evaluate(BOXES)
    assert kinds <= {c["cls"] for c in charts}, charts
    for chart in charts:
        if chart["cls"] not in kinds:
            continue
        assert collisions(chart) == [], chart["cls"]
        if chart["cls"] == "app-tornado":
            widths = [r[2] - r[0] for r in chart["rects"]]
            assert widths and min(widths) >= 2, widths


def check_fits(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    assert page.evaluate(OVERFLOW) <= 0, f"{name}: the page is wider than the screen"
    assert page.evaluate(UNCONTAINED) == [], name


# --- The charts alone, with the hardest labels and a 0–1 scale ----------------------------------

LONG = {"ctx": "Lifelong physical disability or mental health condition and something more besides",
        "ctx2": "Sudden traumatic event or major change in life circumstances", "p": "Individual",
        "q": "Community", "r": "System", "o": "In control of own life", "m": "A medium-term outcome",
        "s": "Short-term outcomes only"}


def sankey_picture() -> str:
    paths = ([[{"ctx"}, {"p"}, {"o"}]] * 20 + [[{"ctx2"}, {"p", "q"}, {"m"}]] * 3
             + [[{"ctx2"}, {"r"}, {"s"}]] + [[{"ctx"}, {"q"}, {"o"}]])
    links = flows(paths)
    return svg([["ctx", "ctx2"], ["p", "q", "r"], ["o", "m", "s"]], ["Context", "Triggers", "Outcome"],
               links, LONG, title="Flows")


def tornado_picture(narrow: bool) -> str:
    # Ratios of 0.02–0.03 with break-even at 1: on a 0–1 axis these bars would be slivers.
    swings = [Swing("NHS: Prevented: A&E attendance – duration", "1 years", "2 years",
                    Decimal("0.021"), Decimal("0.034")),
              Swing("NHS: Fewer: GP consultation, 10 minutes (including qualification costs) – proxy",
                    "36", "54", Decimal("0.0215"), Decimal("0.0219")),
              Swing("Discount rate", "2.0%", "5.0%", Decimal("0.0216"), Decimal("0.0216"))]
    return tornado_svg(swings, Decimal("0.0216"), "How the ratio moves", narrow=narrow)


@pytest.mark.browser
@pytest.mark.parametrize("screen", SCREENS)
def test_the_charts_alone_have_no_label_over_a_label_or_a_bar(browser, screen):  # noqa: F811
    context = browser.new_context(**SCREENS[screen])
    page = context.new_page()
    wide = screen == "desktop"
    page.set_content('<!doctype html><meta name="viewport" content="width=device-width">'
                     '<body style="margin:0">' + sankey_picture() + tornado_picture(not wide) + "</body>")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"charts-alone-{screen}.png", full_page=True)
    charts = page.evaluate(BOXES)
    assert [c["cls"] for c in charts] == ["app-sankey", "app-tornado"]
    for chart in charts:
        assert collisions(chart) == [], chart["cls"]
    sankey, tornado = charts
    # The long label is wrapped onto lines (and on a narrow column shortened, the full text in a
    # <title>), its count kept.
    assert any(t["text"].replace(" ", "").startswith(LONG["ctx"].replace(" ", "")) and "(21)" in t["text"]
               for t in sankey["texts"]), sankey["texts"]
    widths = [r[2] - r[0] for r in tornado["rects"]]
    assert len(widths) == 3 and min(widths) >= 2, widths
    # The 0.021–0.034 swing is drawn wide: the axis is fitted to the ratios, not stretched to 1.
    assert max(widths) > 100, widths
    assert any(t["text"] == "break-even 1.00 →" for t in tornado["texts"])
    context.close()


# --- The pages a manager sees -----------------------------------------------------------------

@pytest.fixture
def costed(world):
    """North's programme cost and two priced changes, so the SROI and its tornado are drawn."""
    ProgrammeCost.objects.create(council=world.north, year="2025/26", coordinator_fte=2, salary=30000,
                                 on_costs=25, management=5000, venues=1000, overheads=10,
                                 source="Budget report")
    on = date(2025, 6, 1)
    ServiceUseChange.objects.create(person=world.person_a, service="ae_attendance", change="prevented",
                                    quantity=10, observed_on=on, evidence="Says so")
    ServiceUseChange.objects.create(person=world.person_b, service="gp_consultation", change="reduced",
                                    quantity=20, observed_on=on, evidence="Surgery confirmed")
    return world


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("screen", SCREENS)
def test_a_managers_charts_and_tables_fit_the_screen(costed, live_server, browser, screen):  # noqa: F811
    from alongside.logic_models.versions import demo_model

    demo_model(costed.north)
    context = browser.new_context(**SCREENS[screen])
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, "manager_north")

    page.goto(f"{live_server.url}/evidence/model/?period=all")
    check_fits(page, f"charts-model-{screen}")
    check_charts(page, kinds={"app-sankey"})
    region = page.get_by_role("region", name="Diagram of the flows")
    assert region.get_attribute("tabindex") == "0"
    hint = page.locator("#flows-hint")
    assert hint.is_visible() == (screen == "phone")  # only where the diagram scrolls
    accessible(page, f"charts-model-{screen}-axe")

    page.goto(f"{live_server.url}/evidence/economics/?year=2025/26")
    check_fits(page, f"charts-economics-{screen}")
    check_charts(page, kinds={"app-tornado"})
    assert page.locator("#tornado-table").count() == 1  # the table alternative is kept
    accessible(page, f"charts-economics-{screen}-axe")

    page.goto(f"{live_server.url}/logic-model/")
    check_fits(page, f"charts-logic-model-{screen}")
    assert page.get_by_role("region", name="Diagram of the logic model").is_visible()
    assert page.locator("#diagram-hint").is_visible()
    assert "Scroll sideways" in page.locator("#diagram-hint").inner_text()

    for path in ("/caseload/", "/overview/"):
        page.goto(f"{live_server.url}{path}")
        check_fits(page, f"charts-{path.strip('/')}-{screen}")
        widths = page.evaluate("[...document.querySelectorAll('main table')]"
                               ".map(t => t.getBoundingClientRect().right)")
        assert all(w <= SCREENS[screen]["viewport"]["width"] for w in widths), (path, widths)
        accessible(page, f"charts-{path.strip('/')}-{screen}-axe")
    context.close()
