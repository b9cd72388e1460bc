"""Idempotency keys: the same POST retried (a timeout, a lost answer) records nothing twice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from .models import IdempotentRequest
from .problems import Problem

HEADER = "Idempotency-Key"


def fingerprint(request: HttpRequest) -> str:
    parts = [request.method.encode(), request.path.encode(), request.body]
    return hashlib.sha256(b"\n".join(parts)).hexdigest()


def once(request: HttpRequest, make: Callable[[], tuple[int, dict]]) -> tuple[int, dict, bool]:
    """Status, body and whether it is a replay. `make` runs at most once per key and user;
    if it fails, nothing is kept and the same key may be tried again."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        raise Problem(400, f"Send an {HEADER} header (any unique string, e.g. a UUID) so that "
                           "a retried request does not record twice.", "/api/v1/problems/idempotency")
    if len(key) > 200:
        raise Problem(400, f"{HEADER} is longer than 200 characters.", "/api/v1/problems/idempotency")
    fp = fingerprint(request)
    with transaction.atomic():
        try:
            # The unique constraint makes a concurrent second request wait here for the first
            # to commit, then fail, and so replay its answer.
            with transaction.atomic():
                row = IdempotentRequest.objects.create(user=request.user, key=key, fingerprint=fp)
        except IntegrityError:
            row = IdempotentRequest.objects.get(user=request.user, key=key)
            if row.fingerprint != fp:
                raise Problem(422, f"This {HEADER} was used before with a different request; "
                                   "use a new key for a new request.",
                              "/api/v1/problems/idempotency") from None
            return row.status, row.body, True
        status, body = make()
        row.status, row.body = status, body
        row.save(update_fields=["status", "body"])
        return status, body, False
