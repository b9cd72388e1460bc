"""Every page that shows a person's identifiers is a view of them in the audit trail, whether it
is their record, a form about them, their story or the erase page (issue 29: details, consent,
the conversation and recording forms, the erase page, stories and group pages were not)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from alongside.audit.log import record


def audited(what: str, person_of: Callable | None = None) -> Callable:
    """Record a view of the person the page showed, once it has been shown (a GET answered 200).

    The view has already found the person in the user's scope, or it would not have answered
    200; `person_of(request, **kwargs)` says who it was when the URL does not name them by
    reference (a story, a group)."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if request.method == "GET" and response.status_code == 200:
                detail = {"what": what}
                if person_of is not None:
                    person, extra = person_of(request, **kwargs)
                    detail.update(extra)
                else:
                    from alongside.people.models import Person

                    person = Person.objects.filter(reference=kwargs["reference"]).first()
                record(request, "view", person, **detail)
            return response

        return wrapped

    return decorate


def story_person(request, pk: int, **_):
    from alongside.journeys.models import Story

    story = Story.objects.filter(pk=pk).select_related("person").first()
    return (story.person if story else None), {"story": pk}


def group_seen(request, pk: int, **_):
    return None, {"group": pk}


def asset_seen(request, pk: int, **_):
    return None, {"asset": pk}
