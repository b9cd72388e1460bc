"""The weekly e-mail to each Coordinator: reviews due and people not in touch for N weeks.

E-mail leaves the council, so it carries references and counts only, never a name or any
detail: each reference is a link into Alongside, where the Coordinator signs in to see who it
is. The lists are the caseload page's own ("Reviews due", "Not in touch for N weeks"), drawn by
the same functions, so the e-mail and the page agree. Done by the background worker as a job
(`alongside digest` queues it; cron runs that once a week).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside import scoping
from alongside.accounts.models import Role, User

from .caseload import (
    QUIET_WEEKS,
    REVIEW_WINDOW_DAYS,
    STATUS_CODES,
    Codes,
    annotated,
    not_in_touch,
    reviews_due,
)


def lists_for(user: User, today: date, weeks: int = QUIET_WEEKS) -> tuple[list[str], list[str]]:
    """The references of the user's own open people: reviews due, and not in touch."""
    codes = Codes()
    people = annotated(scoping.people(user).filter(coordinator=user)).filter(
        current_status__in=codes.status(*STATUS_CODES["open"]))
    due = reviews_due(people, today).order_by("review_due", "reference")
    quiet = not_in_touch(people, today, weeks).order_by("reference")
    return list(due.values_list("reference", flat=True)), list(quiet.values_list("reference", flat=True))


def message_for(user: User, today: date, weeks: int = QUIET_WEEKS) -> EmailMessage | None:
    """The user's e-mail, in their council's first language; None when both lists are empty."""
    due, quiet = lists_for(user, today, weeks)
    if not due and not quiet:
        return None
    base = settings.ALONGSIDE_BASE_URL.rstrip("/")
    language = getattr(user.council, "first_language", "") or "en"
    with translation.override(language):
        subject = _("Alongside: %(due)s and %(quiet)s") % {
            "due": ngettext("%(n)s review due", "%(n)s reviews due", len(due)) % {"n": len(due)},
            "quiet": ngettext("%(n)s person not in touch", "%(n)s people not in touch", len(quiet))
            % {"n": len(quiet)}}
        lines = [_("Reviews due in the next %(days)s days, or overdue (%(n)s):")
                 % {"days": REVIEW_WINDOW_DAYS, "n": len(due)}]
        lines += [f"  {ref}  {base}{reverse('person', args=[ref])}" for ref in due] or [_("  none")]
        lines += ["", _("Not in touch for %(weeks)s weeks or more (%(n)s):")
                  % {"weeks": weeks, "n": len(quiet)}]
        lines += [f"  {ref}  {base}{reverse('person', args=[ref])}" for ref in quiet] or [_("  none")]
        lines += ["", _("References only: names and details stay in Alongside. Sign in to see who each "
                        "one is."), _("Your caseload: %(url)s") % {"url": f"{base}{reverse('caseload')}"}]
    return EmailMessage(subject, "\n".join(lines), to=[user.email])


def recipients():
    return User.objects.filter(role=Role.COORDINATOR, is_active=True).exclude(email="").select_related(
        "council").order_by("pk")


def send_digests(today: date | None = None, weeks: int = QUIET_WEEKS, progress=None) -> dict:
    """One e-mail to each active Coordinator with an address and something on either list."""
    today = today or date.today()
    users = list(recipients())
    sent = skipped = 0
    with get_connection() as connection:
        for i, user in enumerate(users, start=1):
            message = message_for(user, today, weeks)
            if message is None:
                skipped += 1
            else:
                message.connection = connection
                message.send()
                sent += 1
            if progress:
                progress(5 + int(90 * i / max(len(users), 1)), f"{i:,} of {len(users):,} Coordinators")
    return {"sent": sent, "nothing_to_say": skipped, "weeks": weeks}


def digest_work(job, progress) -> dict:
    """The job the worker does for `alongside digest`."""
    return {"summary": send_digests(weeks=int(job.options.get("weeks", QUIET_WEEKS)), progress=progress)}
