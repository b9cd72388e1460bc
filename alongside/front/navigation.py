from django.urls import reverse
from django.utils.translation import gettext as _

from alongside.accounts.models import Role


def items(request) -> list[dict]:
    user = request.user
    entries = []
    if user.role in (Role.COORDINATOR, Role.MANAGER):
        label = _("Your people") if user.role == Role.COORDINATOR else _("Caseloads")
        entries.append((label, reverse("caseload")))
        entries.append((_("Community map"), reverse("community_map")))
        entries.append((_("Stories"), reverse("stories")))
        entries.append((_("Data quality"), reverse("data_quality")))
    if user.role in (Role.COORDINATOR, Role.MANAGER, Role.COMMISSIONER, Role.ANALYST):
        entries.append((_("Overview"), reverse("overview")))
    if user.role in (Role.MANAGER, Role.COMMISSIONER, Role.ANALYST):
        entries.append((_("Sites compared"), reverse("comparison")))
        # Distance travelled, the logic model and the analyses are reached from here.
        entries.append((_("Evidence"), reverse("evidence")))
        entries.append((_("Principles"), reverse("fidelity")))
    if user.role in (Role.MANAGER, Role.ADMINISTRATOR):
        entries.append((_("Imports"), reverse("imports")))
        entries.append((_("Audit trail"), reverse("audit_trail")))
    if user.role == Role.ADMINISTRATOR:
        entries.append((_("Retention"), reverse("retention")))
        entries.append((_("Research export"), reverse("research_export")))
    if user.role in (Role.ADMINISTRATOR, Role.MANAGER):
        entries.append((_("Configuration"), reverse("settings")))
    elif user.is_staff:
        entries.append((_("Configuration"), reverse("admin:index")))
    entries.append((_("Your password"), reverse("password_change")))
    return [
        {"text": text, "href": href, "current": request.path.startswith(href)}
        for text, href in entries
    ]


def context(request) -> dict:
    """The menu for pages not drawn by render_page (the error pages): worked out only if the
    template uses it, and never over the one render_page gives."""
    return {"nav": lambda: items(request) if request.user.is_authenticated else []}
