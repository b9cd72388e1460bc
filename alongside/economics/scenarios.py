"""A story's costed scenario: its recorded service events, as the economics library reads them."""

from __future__ import annotations

from alongside.evidence.economics.model_file import EconomicsError
from alongside.evidence.economics.money import plain
from alongside.evidence.economics.scenario import Scenario, read_scenario
from alongside.journeys.models import Story

from . import prices


def scenario_data(story: Story, price_year: str) -> dict:
    pathways: dict[str, list[dict]] = {"with_lac": [], "without_lac": []}
    for e in story.scenario_events.all():
        uc = prices.table().get(e.service)
        pathways[e.pathway].append({
            "month": e.month, "description": e.note or (prices.item_name(uc) if uc else e.service),
            "quantity": plain(e.quantity), "unit_cost": e.service})
    assumptions = ["The pathway without LAC is the team's judgement of what would likely have happened."]
    if story.without_lac:
        assumptions.append(f"Without LAC: {story.without_lac}")
    return {"name": story.title, "price_year": price_year, "assumptions": assumptions, **pathways}


def scenario(story: Story, price_year: str | None = None) -> Scenario:
    """Raises EconomicsError naming the event that cannot be priced at price_year."""
    price_year = price_year or prices.table_year()
    if {e.pathway for e in story.scenario_events.all()} != {"with_lac", "without_lac"}:
        raise EconomicsError("List at least one service event with LAC and one without it to cost "
                             "this story.")
    return read_scenario(scenario_data(story, price_year), f"story {story.pk}", prices.table(),
                         prices.index())
