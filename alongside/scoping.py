"""The one place that decides which records a user may see.

Every view, API endpoint and export that returns people or their records asks
this module for its queryset; nothing else filters by ward or council. The
rules follow DESIGN.md:

- Coordinator: people and groups of their own ward(s).
- Manager (Senior Coordinator): everything in their own council.
- Commissioner, Network analyst, Administrator: no identifiable records at all;
  they get aggregates (see `aggregate_wards`), never a Person queryset.

An API token may be limited to one council (`within`): it narrows what its user sees,
never widens it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from alongside.accounts.models import Role, User
from alongside.places.models import Council, Ward


def _within(qs: QuerySet[Ward], within: Council | None) -> QuerySet[Ward]:
    return qs if within is None else qs.filter(council=within)


def wards(user: User, within: Council | None = None) -> QuerySet[Ward]:
    """Wards whose identifiable records the user may see."""
    if not user.is_authenticated or not user.is_active:
        return Ward.objects.none()
    if user.role == Role.COORDINATOR:
        return _within(user.wards.all(), within)
    if user.role == Role.MANAGER and user.council_id:
        return _within(Ward.objects.filter(council_id=user.council_id), within)
    return Ward.objects.none()


def aggregate_wards(user: User, within: Council | None = None) -> QuerySet[Ward]:
    """Wards whose anonymous, small-number-suppressed aggregates the user may see."""
    if not user.is_authenticated or not user.is_active:
        return Ward.objects.none()
    if user.role in (Role.COORDINATOR, Role.MANAGER):
        return wards(user, within)
    if user.role == Role.COMMISSIONER and user.council_id:
        return _within(Ward.objects.filter(council_id=user.council_id), within)
    if user.role == Role.ANALYST:
        return _within(Ward.objects.filter(council__shares_with_network=True), within)
    return Ward.objects.none()


def aggregate_councils(user: User, within: Council | None = None) -> QuerySet[Council]:
    return Council.objects.filter(wards__in=aggregate_wards(user, within)).distinct()


def require_identifiable(user: User) -> None:
    if not (user.is_authenticated and user.sees_identifiable_records):
        raise PermissionDenied("This role does not see identifiable records.")


def scoped(user: User, queryset: QuerySet, ward_path: str | tuple[str, ...] = "ward",
           within: Council | None = None) -> QuerySet:
    """Filter any queryset of identifiable records to the user's wards.

    `ward_path` is the lookup from the model to its ward, e.g. "person__ward"; several paths
    (a record of a person or of a group) keep a record whose ward is the user's by any of them.
    """
    if not (user.is_authenticated and user.sees_identifiable_records):
        return queryset.none()
    visible = wards(user, within)
    either = Q()
    for path in (ward_path,) if isinstance(ward_path, str) else ward_path:
        either |= Q(**{f"{path}__in": visible})
    return queryset.filter(either)


def people(user: User, within: Council | None = None) -> QuerySet:
    from alongside.people.models import Person

    # A record merged into another is not a person any more, only the way back from the merge.
    return scoped(user, Person.objects.current(), within=within)


def person_or_404(user: User, reference: str, within: Council | None = None,
                  related: tuple[str, ...] = (), recording: bool = False) -> Model:
    """The person with this reference if the user may see them; 404 otherwise. `related`:
    what to fetch with them (select_related), where the page shows it. `recording`: for a page
    that records something new, also 404 for a person whose identifiers were erased (a new
    record could identify them again).

    A 404 rather than a 403 so that a reference from another ward does not
    even confirm that the person exists.
    """
    require_identifiable(user)
    visible = people(user, within).select_related(*related)
    try:
        person = visible.get(reference=reference)
    except visible.model.DoesNotExist:
        raise Http404("No such person in your wards.") from None
    if recording and person.erased_on:
        raise Http404("This person's identifiers were erased; nothing more is recorded for them.")
    return person


def people_count(ward_queryset: QuerySet[Ward]) -> int:
    """How many people live in these wards' records: a number, never the people."""
    from alongside.people.models import Person

    return Person.objects.current().filter(ward__in=ward_queryset).count()
