"""Signing a benchmark's sessions past the second factor.

A TOTP code works once per 30 s step, so fifty simulated Coordinators cannot each type one.
The benchmarks stand in for the authenticator app and mark each signed-in session verified,
as the code page does once the code is right.
"""

from __future__ import annotations


def pass_second_factor(session, user) -> None:
    """`session`: a signed-in session (a SessionStore, or a test client's `.session`)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench",
                                                 defaults={"confirmed": True})
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
