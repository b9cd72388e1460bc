"""Signing out after SESSION_COOKIE_AGE idle seconds, without a database write per request.

Django can save the session on every request (SESSION_SAVE_EVERY_REQUEST) to push its expiry
forward, but that is an UPDATE and a transaction on every page a Coordinator opens. Saving at
most once every TOUCH_EVERY seconds keeps the idle limit right to within that minute.
"""

from __future__ import annotations

import time

TOUCH_EVERY = 60
SEEN = "alongside_seen"


class KeepSessionAlive:
    """Place after the session and authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SEEN, 0) >= TOUCH_EVERY:
                request.session[SEEN] = now  # marks it modified: saved with a new expiry
        return response
