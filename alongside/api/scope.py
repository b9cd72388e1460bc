"""The pages' scoping layer seen through a token: the same rules, narrowed to the token's
council when it has one. API modules ask here, never the models directly."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from alongside import scoping
from alongside.places.models import Ward

from .models import ApiToken
from .problems import Problem


def token(request: HttpRequest) -> ApiToken:
    return request.auth  # set by BearerToken


def wards(request: HttpRequest) -> QuerySet[Ward]:
    return scoping.wards(request.user, token(request).council)


def aggregate_wards(request: HttpRequest) -> QuerySet[Ward]:
    return scoping.aggregate_wards(request.user, token(request).council)


def require_identifiable(request: HttpRequest) -> None:
    if not request.user.sees_identifiable_records:
        raise Problem(403, "This role sees no identifiable records; use the /figures endpoints.")


def scoped(request: HttpRequest, queryset: QuerySet,
           ward_path: str | tuple[str, ...] = "ward") -> QuerySet:
    require_identifiable(request)
    return scoping.scoped(request.user, queryset, ward_path, token(request).council)


def person(request: HttpRequest, reference: str) -> Model:
    return scoping.person_or_404(request.user, reference, token(request).council)


def require_write(request: HttpRequest) -> None:
    if not token(request).can_write:
        raise Problem(403, "This token may only read. Ask an administrator for a token that may write.")
    require_identifiable(request)
