"""Introductions from another system (a council's front door, a social prescribing platform):
the same rules as the page, retried safely with an Idempotency-Key."""

from datetime import date

from django.db import transaction
from django.http import HttpRequest, JsonResponse

from alongside.audit.log import record
from alongside.codes.models import Code
from alongside.journeys.introducing import (
    council_wards,
    introduce_new_person,
    possible_duplicates,
    start,
)
from alongside.journeys.models import Introduction
from alongside.places.models import Ward

from . import idempotency, scope
from .problems import Problem
from .records import router
from .schemas import IntroductionIn, IntroductionOut

INVALID = "/api/v1/problems/invalid"


def _codes(body: IntroductionIn) -> dict:
    """Look every code up, collecting all the errors before saying anything."""
    wanted = {"route": ("introduction_route", [body.route]),
              "level_requested": ("level_of_support", [body.level_requested]),
              "consent": ("consent_status", [body.consent]),
              "lawful_basis": ("lawful_basis", [body.lawful_basis]),
              "reasons": ("problem", body.reasons)}
    found, errors = {}, []
    for name, (list_name, values) in wanted.items():
        rows = {c.code: c for c in Code.objects.filter(list=list_name, code__in=values, active=True)}
        for v in values:
            if v not in rows:
                errors.append({"field": f"body.{name}", "message":
                               f"'{v}' is not in the code list {list_name} (see /api/v1/codes/{list_name})"})
        found[name] = [rows[v] for v in values if v in rows]
    if found["level_requested"] and body.level_requested not in ("L1", "L2"):
        errors.append({"field": "body.level_requested", "message": "an introduction asks for L1 or L2"})
    if (body.person is None) == (body.new_person is None):
        errors.append({"field": "body.person", "message": "give either person or new_person"})
    if body.introduced_on > date.today():
        errors.append({"field": "body.introduced_on", "message": "is in the future"})
    if errors:
        raise Problem(422, f"{len(errors)} field(s) are not valid; see errors.", INVALID, errors)
    return {"introduced_on": body.introduced_on, "route": found["route"][0],
            "introducing_organisation": body.introducing_organisation,
            "reasons": found["reasons"], "level_requested": found["level_requested"][0],
            "consent": found["consent"][0], "lawful_basis": found["lawful_basis"][0]}


def _ward(request: HttpRequest, ons_code: str) -> Ward:
    wards = council_wards(request.user)
    council = scope.token(request).council
    if council is not None:
        wards = wards.filter(council=council)
    ward = wards.filter(ons_code=ons_code).first()
    if ward is None:
        raise Problem(422, "The ward is not one this token may introduce into.", INVALID,
                      [{"field": "body.new_person.ward",
                        "message": f"'{ons_code}' is not a ward of your council (see /api/v1/wards)"}])
    return ward


def _introduce(request: HttpRequest, body: IntroductionIn) -> tuple[int, dict]:
    details = _codes(body)
    user = request.user
    with transaction.atomic():
        if body.person:
            person = scope.person(request, body.person)
            coordinator = person.coordinator
            intro = start(person, details, user, person.ward, coordinator)
        else:
            new = body.new_person
            ward = _ward(request, new.ward)
            birth = date.fromisoformat(new.birth_month + "-01") if new.birth_month else None
            shown, elsewhere = possible_duplicates(user, council_wards(user), new.given_name,
                                                   new.family_name, birth, ward=ward)
            for p in [*shown, *elsewhere]:
                record(request, "view", p, what="duplicate check", via="api")
            if (shown or elsewhere) and not body.different_person:
                raise Problem(
                    409, "Someone with these details is already known. Introduce them by reference, "
                         "or send different_person: true if this is someone else.",
                    "/api/v1/problems/possible-duplicate",
                    possible_duplicates=[p.reference for p in shown],
                    known_in_other_wards=sorted({p.ward.name for p in elsewhere}))
            made = introduce_new_person(user, ward, given_name=new.given_name,
                                        family_name=new.family_name, birth_month=birth,
                                        postcode=new.postcode, details=details)
            person, intro = made.person, made.introduction
            if made.handed_over:
                record(request, "hand-over", person, ward=ward.name, via="api",
                       to=person.coordinator.username if person.coordinator else "")
        record(request, "create", person, what="introduction", via="api")
    intro = Introduction.objects.select_related("person", "ward", "route", "level_requested").get(pk=intro.pk)
    return 201, IntroductionOut.from_orm(intro).model_dump(mode="json")


@router.post("/introductions", response={201: IntroductionOut},
             summary="Record an introduction (send an Idempotency-Key header)",
             openapi_extra={"parameters": [{
                 "name": "Idempotency-Key", "in": "header", "required": True,
                 "schema": {"type": "string", "maxLength": 200},
                 "description": "A unique string per introduction; a retry with the same key "
                                "returns the first answer and records nothing twice."}]})
def new_introduction(request: HttpRequest, body: IntroductionIn):
    scope.require_write(request)
    status, data, replayed = idempotency.once(request, lambda: _introduce(request, body))
    response = JsonResponse(data, status=status)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response
