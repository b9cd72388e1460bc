"""Starting a journey: the one way an introduction is recorded, from the page or the API.

Both ask for the same details; both warn of a person already known in the council (a
duplicate person splits one journey in two and spoils every count built on it), and both
hand a person who lives in another ward to that ward's Coordinator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from alongside import scoping
from alongside.accounts.models import Role, User
from alongside.codes.lookup import code
from alongside.journeys.likeness import likeness, may_be_same
from alongside.people.models import ConsentRecord, Person
from alongside.people.references import coordinator_for, new_reference
from alongside.places.models import Ward

from .models import Engagement, Introduction

# `details` keys: introduced_on, route, introducing_organisation, reasons, level_requested,
# consent, lawful_basis (codes as Code rows).


def start(person: Person, details: Mapping, user: User, ward: Ward,
          coordinator: User | None) -> Introduction:
    """Record consent, the introduction and its reasons; open an engagement if none is open."""
    ConsentRecord.objects.create(person=person, status=details["consent"],
                                 lawful_basis=details["lawful_basis"],
                                 recorded_on=details["introduced_on"], recorded_by=user)
    intro = Introduction.objects.create(
        person=person, ward=ward, introduced_on=details["introduced_on"], route=details["route"],
        introducing_organisation=details.get("introducing_organisation", ""),
        level_requested=details["level_requested"], recorded_by=user)
    intro.reasons.set(details["reasons"])
    if not person.engagements.exclude(status__code="closed").exists():
        Engagement.objects.create(
            person=person, introduction=intro, coordinator=coordinator,
            level=details["level_requested"], status=code("engagement_status", "active"),
            started_on=details["introduced_on"])
    return intro


@dataclass
class NewPerson:
    person: Person
    introduction: Introduction
    handed_over: bool  # lives in a ward that is not the recorder's own


def introduce_new_person(user: User, ward: Ward, *, given_name: str, family_name: str,
                         birth_month: date | None, postcode: str, details: Mapping,
                         profile: Mapping | None = None) -> NewPerson:
    """Create the person in `ward` (one of the user's council's wards) and start their journey.

    Call inside a transaction. A person in the recorder's own ward stays with them (if a
    Coordinator); anyone else goes to the ward's Coordinator.
    """
    own = scoping.wards(user).filter(pk=ward.pk).exists()
    coordinator = user if own and user.role == Role.COORDINATOR else coordinator_for(ward)
    person = Person.objects.create(
        reference=new_reference(), ward=ward, coordinator=coordinator,
        given_name=given_name.strip(), family_name=family_name.strip(),
        birth_month=birth_month, postcode=postcode.upper().strip(), **(profile or {}))
    intro = start(person, details, user, ward, coordinator)
    return NewPerson(person, intro, handed_over=not own)


def council_wards(user: User) -> QuerySet[Ward]:
    """Wards a user may introduce someone into: their whole council, so a hand-over is possible."""
    if user.council_id:
        return Ward.objects.filter(council_id=user.council_id).order_by("name")
    return scoping.wards(user).order_by("name")


def possible_duplicates(user: User, wards: QuerySet[Ward], given: str, family: str,
                        birth_month: date | None, ward: Ward | int | None = None
                        ) -> tuple[list[Person], list[Person]]:
    """People already known in these wards who may be this person: those the user may see, and
    the others (of whom only the ward and Coordinator may be shown, enough for a hand-over).

    Among people the user may see, a close spelling, a nickname or swapped names count
    (journeys/likeness.py), looked for among everyone in the ward the person lives in and
    everyone in these wards born in the same month. Someone the user may not see is named only
    on a match of given name, family name and birth month together: a given name alone must not
    tell a Coordinator which other wards have someone of that name (issue 29)."""
    given, family = given.strip(), family.strip()
    exact = Q(given_name__iexact=given)
    if family:
        exact &= Q(family_name__iexact=family)
    if birth_month:
        exact |= Q(given_name__iexact=given, birth_month=birth_month)
    nearby = exact
    if ward is not None:
        nearby |= Q(ward=ward)
    if birth_month:
        nearby |= Q(birth_month=birth_month)
    visible_people = scoping.people(user)
    shown = []
    for p in visible_people.filter(nearby, ward__in=wards).select_related("ward", "coordinator"):
        same_month = birth_month is not None and p.birth_month == birth_month
        named_alike = p.given_name.casefold() == given.casefold() and (
            not family or p.family_name.casefold() == family.casefold() or same_month)
        if named_alike or may_be_same((given, family), (p.given_name, p.family_name), same_month):
            shown.append(p)
    shown.sort(key=lambda p: -likeness((given, family), (p.given_name, p.family_name)))
    elsewhere = []
    if family and birth_month:
        elsewhere = list(Person.objects.current().filter(
            ward__in=wards, given_name__iexact=given, family_name__iexact=family, birth_month=birth_month)
            .exclude(pk__in=visible_people.values("pk")).select_related("ward", "coordinator"))
    return shown, elsewhere
