"""Making versions: a site starts from the study's model and changes it; every save is a new
version, the old ones kept."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from alongside.codes.models import Code

from .models import Element, Link, LogicModel

# The study's logic model (Table 1 of 002_…): problems, activities and outcomes in the codes
# recording uses; inputs and outputs as the teams described them. Links are left to each team.
STUDY_TEMPLATE = [
    ("input", "Local Area Coordinators, one for each ward", None),
    ("input", "Manager, team and partners", None),
    *[("problem", None, c) for c in ("PA1", "PA2", "PA3", "PA4")],
    ("interim_activity", "Getting to know the community: groups, assets and people", None),
    *[("activity", None, c) for c in ("A1", "A2", "A3", "A4", "A5", "A6", "A7")],
    ("output", "People walked alongside (Level 2)", None),
    ("output", "People given information and connections (Level 1)", None),
    ("output", "Community groups supported", None),
    *[("short_outcome", None, c) for c in ("STO1", "STO2", "STO3", "STO4", "STO5")],
    *[("medium_outcome", None, c) for c in ("MTO1", "MTO2", "MTO3", "MTO4", "MTO5", "MTO6")],
]


def current(council) -> LogicModel | None:
    return LogicModel.objects.filter(council=council).order_by("-version").first()


@transaction.atomic
def save_version(council, elements: list[dict], links: list[tuple[int, int]], user=None,
                 note: str = "", valid_from: date | None = None) -> LogicModel:
    """A new version from plain data: elements as {kind, text, code (Code or None)}, links as
    (source index, target index) into that list."""
    previous = current(council)
    model = LogicModel.objects.create(council=council, version=(previous.version + 1) if previous else 1,
                                      valid_from=valid_from or date.today(), note=note, created_by=user)
    made = Element.objects.bulk_create([
        Element(model=model, kind=e["kind"], text=e["text"] or (e["code"].label if e["code"] else ""),
                code=e["code"], position=i) for i, e in enumerate(elements)])
    Link.objects.bulk_create([Link(model=model, source=made[s], target=made[t])
                              for s, t in dict.fromkeys(links) if s != t])
    return model


def as_data(model: LogicModel) -> tuple[list[dict], list[tuple[int, int]]]:
    """The version as the plain data `save_version` takes (to change and save again)."""
    elements = list(model.elements.select_related("code"))
    index = {e.pk: i for i, e in enumerate(elements)}
    return ([{"kind": e.kind, "text": e.text, "code": e.code} for e in elements],
            [(index[lk.source_id], index[lk.target_id]) for lk in model.links.all()])


def start_from_study(council, user=None) -> LogicModel:
    codes = {(c.list, c.code): c
             for c in Code.objects.filter(list__in=("problem", "activity", "outcome"))}
    lists = {"problem": "problem", "activity": "activity", "short_outcome": "outcome",
             "medium_outcome": "outcome"}
    elements = [{"kind": k, "text": text or "", "code": codes[(lists[k], c)] if c else None}
                for k, text, c in STUDY_TEMPLATE]
    return save_version(council, elements, [], user, "Started from the study's logic model (Table 1)")


# The links a demo site's team drew (synthetic: for trying the page, not findings).
DEMO_LINKS = [("PA1", "A5"), ("PA2", "A3"), ("PA3", "A1"), ("A1", "STO1"), ("A3", "STO2"),
              ("A5", "STO3"), ("A7", "STO5"), ("A4", "STO4"), ("STO3", "MTO2"), ("STO2", "MTO1"),
              ("STO5", "MTO6")]


def demo_model(council) -> LogicModel:
    """Version 1 from the study's model, version 2 with the demo team's links."""
    first = start_from_study(council)
    elements, _ = as_data(first)
    where = {e["code"].code: i for i, e in enumerate(elements) if e["code"]}
    links = [(where[a], where[b]) for a, b in DEMO_LINKS]
    return save_version(council, elements, links, note="The team's links, agreed at a workshop (demo)")
