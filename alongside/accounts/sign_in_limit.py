"""Sign-in attempts from one address, limited (issue 29, 9).

django-axes pauses an account after 5 wrong passwords, but only for the address they came
from (username and address together): so nobody can lock a Coordinator out from elsewhere with
five requests. To stop one address trying many accounts, more than
ALONGSIDE_SIGN_IN_ADDRESS_LIMIT failed sign-ins from it within 15 minutes pause every sign-in
from that address for the rest of the 15 minutes. The limit is well above what an office of
people mistyping reaches (6 accounts × 5 tries each before their own lock-outs)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import reverse

WINDOW = 15 * 60


def _key(request) -> str | None:
    from axes.helpers import get_client_ip_address

    address = get_client_ip_address(request) if request is not None else None
    return f"sign-in-failures:{address}" if address else None


@receiver(user_login_failed, dispatch_uid="alongside-sign-in-address-limit")
def count_failure(sender, credentials, request=None, **kwargs) -> None:
    key = _key(request)
    if key is None:
        return
    if cache.add(key, 1, WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW)


def failures(request) -> int:
    key = _key(request)
    return (cache.get(key) or 0) if key else 0


class AddressLimit:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.method == "POST" and request.path == reverse("login")
                and failures(request) >= settings.ALONGSIDE_SIGN_IN_ADDRESS_LIMIT):
            return render(request, "accounts/address_paused.html", status=429)
        return self.get_response(request)
