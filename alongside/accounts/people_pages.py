"""The people who use Alongside, in the configuration area: invited by e-mail (a link that works
once and expires), deactivated and reactivated, their second factor reset (set up again at the
next sign-in). An administrator does this for any council, a manager for their own council's
Coordinators and managers. Every change goes in the audit trail.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.audit.log import record
from alongside.front.forms import GovukForm
from alongside.front.pages import render_page
from alongside.places.models import Council, Ward

from .models import Invitation, Role, User

INVITATION_DAYS = 7
# What a manager may invite: the people of their own site. Commissioners, analysts and
# administrators are an administrator's to invite.
MANAGER_INVITES = (Role.COORDINATOR, Role.MANAGER)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _may_manage(user: User) -> None:
    if user.role not in (Role.ADMINISTRATOR, Role.MANAGER):
        raise PermissionDenied("People are managed by an administrator or a manager.")


def _managed(user: User):
    """The accounts this user may change."""
    if user.role == Role.ADMINISTRATOR:
        return User.objects.all()
    return User.objects.filter(council=user.council, role__in=MANAGER_INVITES)


class InviteForm(GovukForm):
    first_name = forms.CharField(label=_l("First name"), max_length=150)
    last_name = forms.CharField(label=_l("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_l("E-mail address"))
    role = forms.ChoiceField(label=_l("Role"), widget=forms.RadioSelect)
    council = forms.ModelChoiceField(Council.objects.all(), label=_l("Council"), required=False)
    wards = forms.ModelMultipleChoiceField(Ward.objects.none(), label=_l("Wards"), required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_l("For a Coordinator: the wards they work in"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].help_text = _("The invitation goes here: a link that works once, for "
                                           "%(days)s days") % {"days": INVITATION_DAYS}
        roles = Role.choices if user.role == Role.ADMINISTRATOR else [
            (r, label) for r, label in Role.choices if r in MANAGER_INVITES]
        self.fields["role"].choices = roles
        if user.role == Role.MANAGER:
            del self.fields["council"]
            self.fields["wards"].queryset = Ward.objects.filter(council=user.council)
        else:
            self.fields["council"].conditional = True  # needed for all but the Network's roles
            self.fields["wards"].queryset = Ward.objects.select_related("council")
            self.fields["wards"].label_from_instance = lambda w: f"{w.name} ({w.council.name})"
        self.fields["wards"].conditional = True

    def clean(self):
        d = super().clean()
        council = self.user.council if self.user.role == Role.MANAGER else d.get("council")
        role = d.get("role")
        if role in (Role.COORDINATOR, Role.MANAGER, Role.COMMISSIONER) and council is None:
            self.add_error("council", _("Choose the council they work for"))
        if role == Role.COORDINATOR and not d.get("wards"):
            self.add_error("wards", _("Choose the wards a Coordinator works in"))
        if council is not None and any(w.council_id != council.pk for w in d.get("wards") or []):
            self.add_error("wards", _("Choose wards of their own council"))
        if d.get("email") and User.objects.filter(email__iexact=d["email"], is_active=True).exists():
            self.add_error("email", _("Someone already uses Alongside with this address"))
        d["council_obj"] = council
        return d


def invite(request_user: User, data: dict) -> Invitation:
    """Make the invitation and e-mail its link (the token goes only into the e-mail)."""
    token = secrets.token_urlsafe(32)
    inv = Invitation.objects.create(
        email=data["email"], first_name=data["first_name"], last_name=data.get("last_name", ""),
        role=data["role"], council=data.get("council_obj"), token_hash=_hash(token),
        invited_by=request_user, expires_at=timezone.now() + timedelta(days=INVITATION_DAYS))
    inv.wards.set(data.get("wards") or [])
    link = settings.ALONGSIDE_BASE_URL.rstrip("/") + reverse("invitation", args=[token])
    body = _("%(who)s has invited you to use Alongside, the record of Local Area Coordination%(where)s.\n\n"
             "Choose your username and password here (the link works once, until %(until)s):\n%(link)s\n\n"
             "You will then set up a second factor: an authenticator app on your phone.") % {
        "who": request_user.get_full_name() or request_user.username,
        "where": f" ({inv.council.name})" if inv.council else "",
        "until": inv.expires_at.strftime("%d/%m/%Y"), "link": link}
    EmailMessage(_("You are invited to use Alongside"), body, to=[inv.email]).send()
    return inv


@login_required
def people(request):
    _may_manage(request.user)
    form = InviteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            inv = invite(request.user, form.cleaned_data)
            record(request, "create", None, what="invitation", invitation=inv.pk, role=inv.role,
                   council=inv.council_id)
        messages.success(request, _("Invitation sent to %(email)s") % {"email": inv.email})
        return redirect("settings_people")
    invitations = Invitation.objects.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())
    if request.user.role == Role.MANAGER:
        invitations = invitations.filter(council=request.user.council)
    return render_page(request, "accounts/people.html", {
        "form": form,
        "accounts": _managed(request.user).select_related("council").prefetch_related("wards")
        .order_by("-is_active", "last_name", "username"),
        "invitations": invitations,
        "with_factor": set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True)),
    })


@login_required
def person_action(request, pk: int, action: str):
    """Deactivate, reactivate or reset the second factor of an account (a POST)."""
    _may_manage(request.user)
    if request.method != "POST":
        return redirect("settings_people")
    account = get_object_or_404(_managed(request.user), pk=pk)
    if account == request.user and action == "deactivate":
        messages.error(request, _("You cannot deactivate your own account"))
        return redirect("settings_people")
    with transaction.atomic():
        if action == "deactivate":
            account.is_active = False
            account.save(update_fields=["is_active"])
            text = _("%(name)s can no longer sign in")
        elif action == "reactivate":
            account.is_active = True
            account.save(update_fields=["is_active"])
            text = _("%(name)s can sign in again")
        elif action == "reset-factor":
            TOTPDevice.objects.filter(user=account).delete()
            text = _("%(name)s sets up a new second factor at their next sign-in")
        else:
            raise PermissionDenied("No such change.")
        record(request, "update", None, what="account", account=account.username, change=action)
    messages.success(request, text % {"name": account.get_full_name() or account.username})
    return redirect("settings_people")


class AcceptForm(GovukForm):
    username = forms.RegexField(label=_l("Username"), max_length=150, regex=r"^[\w.@+-]+$",
                                help_text=_l("Letters, digits and @ . + - _ only"))
    password = forms.CharField(label=_l("Password"), widget=forms.PasswordInput,
                               help_text=_l("At least 12 characters; three or four words are easy to "
                                            "remember and hard to guess"))
    again = forms.CharField(label=_l("The same password again"), widget=forms.PasswordInput)

    def __init__(self, *args, invitation: Invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_username(self):
        name = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=name).exists():
            raise ValidationError(_("That username is taken: choose another"))
        return name

    def clean(self):
        d = super().clean()
        if d.get("password") and d.get("again") is not None and d["password"] != d["again"]:
            self.add_error("again", _("The two passwords are not the same"))
        elif d.get("password") and d.get("username"):
            probe = User(username=d["username"], email=self.invitation.email,
                         first_name=self.invitation.first_name, last_name=self.invitation.last_name)
            try:
                validate_password(d["password"], probe)
            except ValidationError as e:
                self.add_error("password", e)
        return d


def accept(request, token: str):
    """The invitation's link: choose a username and password, once, before it expires."""
    inv = Invitation.objects.filter(token_hash=_hash(token)).select_related("council").first()
    if inv is None or inv.accepted_at or inv.expires_at <= timezone.now():
        if inv is None:
            why = _("This link is not one Alongside sent, or it was copied only in part.")
        elif inv.accepted_at:
            why = _("This link has been used already: sign in with the username you chose.")
        else:
            why = _("This link has expired: ask whoever invited you to send a new one.")
        # Signed out: the page has no menu (render_page draws the signed-in one).
        return render(request, "accounts/invitation_gone.html", {"why": why}, status=410 if inv else 404)
    form = AcceptForm(request.POST or None, invitation=inv)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            inv = Invitation.objects.select_for_update().get(pk=inv.pk)
            if inv.accepted_at:  # accepted in another tab meanwhile
                return redirect("login")
            user = User(username=form.cleaned_data["username"], email=inv.email, first_name=inv.first_name,
                        last_name=inv.last_name, role=inv.role, council=inv.council)
            user.set_password(form.cleaned_data["password"])
            user.save()
            user.wards.set(inv.wards.all())
            inv.accepted_at, inv.user = timezone.now(), user
            inv.save(update_fields=["accepted_at", "user"])
            record(request, "create", None, user=user, what="account", invitation=inv.pk)
        messages.success(request, _("Your account is ready: sign in, then set up your second factor"))
        return redirect("login")
    return render(request, "front/record.html", {
        "form": form, "heading": _("Welcome to Alongside"),
        "caption": inv.council.name if inv.council else "",
        "lead": _("%(name)s, choose the username and password you will sign in with.")
        % {"name": inv.first_name},
        "back": reverse("login"), "submit": _("Create my account")})
