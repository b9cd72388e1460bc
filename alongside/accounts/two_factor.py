"""Two-factor sign-in (TOTP, RFC 6238) for every role that can reach identifiable records.

Coordinators and managers read people's records; administrators create the accounts that can.
After the password, they give the six-digit code from an authenticator app (set up on first
sign-in, from a QR code or the key typed in). Until then every page but these sends them here.
Devices, codes, throttling of wrong codes and refusal of a code used twice are django-otp's.
"""

from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role, User

NEEDS_SECOND_FACTOR = (Role.COORDINATOR, Role.MANAGER, Role.ADMINISTRATOR)
# Reachable before the second factor: the two-factor pages themselves, signing out, the
# language switch and the files the pages need.
OPEN_PATHS = ("/two-factor/", "/sign-out/", "/sign-in/", "/i18n/", "/static/", "/api/")


def needs_second_factor(user: User) -> bool:
    return user.is_authenticated and (user.role in NEEDS_SECOND_FACTOR or user.is_staff)


class RequireSecondFactor:
    """After OTPMiddleware: sends a signed-in user who needs a second factor and has not given
    it to give it (or set it up), whatever page they asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (needs_second_factor(user) and not user.is_verified()
                and not request.path.startswith(OPEN_PATHS)):
            target = "two_factor_set_up" if not _device(user, confirmed=True) else "two_factor"
            return redirect_to_login(request.get_full_path(), target)
        return self.get_response(request)


def _device(user: User, confirmed: bool) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("id").first()


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{3}\s?\d{3}\s*$", label=_l("Code from your authenticator app"),
        error_messages={"invalid": _l("Enter the 6 digits shown in your authenticator app"),
                        "required": _l("Enter the 6 digits shown in your authenticator app")},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "numeric",
                                      "autocomplete": "one-time-code", "spellcheck": "false"}))

    def token(self) -> str:
        return self.cleaned_data["code"].replace(" ", "").strip()


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def code_now(device: TOTPDevice) -> str:
    """The code the device's authenticator app shows now, or the next step's when this one's
    has been used (the server accepts one step either side)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t is not None and totp.t() <= device.last_t:
        totp.drift = device.last_t - totp.t() + 1
    return f"{totp.token():0{device.digits}d}"


def demo_code(device: TOTPDevice) -> str | None:
    """The demo (ALONGSIDE_DEMO=1, never with HTTPS: a deploy check refuses it) shows the code,
    so that someone trying Alongside does not need an authenticator app."""
    if not settings.ALONGSIDE_DEMO or device is None:
        return None
    return code_now(device)


def _accept(request, device: TOTPDevice, token: str, confirm: bool = False) -> bool:
    """Check the code with the device's row locked, so that one code cannot be taken by several
    sessions at once (django-otp refuses a code used before, but two checks running together
    both see it unused); then give the session a new key, so an id seen before the second
    factor is worth nothing after it."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not locked.verify_token(token):
            return False
        if confirm:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
    otp_login(request, locked)
    request.session.cycle_key()
    return True


@login_required
def verify(request):
    device = _device(request.user, confirmed=True)
    if device is None:
        return redirect_to_login(_next(request), "two_factor_set_up")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, why = device.verify_is_allowed()
        if not allowed:
            # django-otp doubles the wait after each wrong code: guessing six digits takes years
            wait = max(1, int((why["locked_until"] - timezone.now()).total_seconds()) + 1)
            form.add_error("code", _("Too many wrong codes. Wait %(n)d seconds, then enter the code "
                                     "shown then.") % {"n": wait})
        elif _accept(request, device, form.token()):
            return redirect(_next(request))
        else:
            form.add_error("code", _("That code is wrong or has been used. Wait for the next code "
                                     "and enter it."))
    return render(request, "accounts/two_factor.html", {
        "form": form, "next": _next(request), "demo_code": demo_code(device), "nav": []})


@login_required
def set_up(request):
    if _device(request.user, confirmed=True):
        return redirect_to_login(_next(request), "two_factor")
    device = _device(request.user, confirmed=False) or TOTPDevice.objects.create(
        user=request.user, name=_("Authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _accept(request, device, form.token(), confirm=True):
            return redirect(_next(request))
        form.add_error("code", _("That code does not match. Check the app shows Alongside and "
                                 "enter the code it shows now."))
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = BytesIO()
    image.save(svg)
    key = b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/two_factor_set_up.html", {
        "form": form, "next": _next(request), "nav": [],
        "qr": mark_safe(svg.getvalue().decode().split("?>", 1)[-1]),   # our own SVG, not user input
        "key": " ".join(key[i:i + 4] for i in range(0, len(key), 4)),
        "demo_code": demo_code(device),
    })
