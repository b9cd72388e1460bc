"""API tokens in the configuration area: made for an account with a scope (read, or read and
write), a council and an expiry; the secret shown once; listed with their last use; revoked at
once. An administrator for any account, a manager for their own council's. Audited."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from alongside.accounts.models import Role
from alongside.accounts.people_pages import _managed
from alongside.audit.log import record
from alongside.front.forms import GovukForm
from alongside.front.pages import render_page

from . import tokens
from .models import ApiToken

EXPIRY_DAYS = [(30, _l("30 days")), (90, _l("90 days")), (365, _l("A year")), (0, _l("Until revoked"))]


class TokenForm(GovukForm):
    name = forms.CharField(label=_l("What will use it"), max_length=100,
                           help_text=_l("For example, the council's front door system"))
    user = forms.ModelChoiceField(None, label=_l("The account it acts as"),
                                  help_text=_l("It sees and does only what this account may"))
    can_write = forms.TypedChoiceField(label=_l("It may"), widget=forms.RadioSelect,
                                       coerce=lambda v: v == "1", initial="0",
                                       choices=[("0", _l("Read only")), ("1", _l("Read and record"))])
    expires = forms.TypedChoiceField(label=_l("It stops working after"), widget=forms.RadioSelect,
                                     coerce=int, choices=EXPIRY_DAYS, initial=90)

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _managed(manager).filter(is_active=True).order_by("username")


def _allowed(user) -> None:
    if user.role not in (Role.ADMINISTRATOR, Role.MANAGER):
        raise PermissionDenied("API tokens are made by an administrator or a manager.")


def _tokens(user):
    return ApiToken.objects.filter(user__in=_managed(user)).select_related("user", "council")


@login_required
def token_list(request):
    _allowed(request.user)
    form = TokenForm(request.POST or None, manager=request.user)
    secret = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        account = d["user"]
        expires = timezone.now() + timedelta(days=d["expires"]) if d["expires"] else None
        with transaction.atomic():
            token, secret = tokens.make(account, d["name"], account.council, d["can_write"], expires)
            record(request, "create", None, what="api token", token=token.pk, account=account.username,
                   write=token.can_write)
        form = TokenForm(manager=request.user)
    return render_page(request, "api/tokens.html", {
        "form": form, "secret": secret, "tokens": _tokens(request.user), "now": timezone.now()})


@login_required
def token_revoke(request, pk: int):
    _allowed(request.user)
    if request.method == "POST":
        token = get_object_or_404(_tokens(request.user), pk=pk)
        with transaction.atomic():
            tokens.revoke(token)
            record(request, "update", None, what="api token", token=token.pk, change="revoked")
        messages.success(request, _("Token %(name)s revoked: it no longer works") % {"name": token.name})
    return redirect("settings_tokens")
