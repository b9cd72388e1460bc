"""Every API error as an RFC 9457 problem document (application/problem+json), never a page
or a stack trace: `type`, `title`, `status`, `detail`, and for bad input `errors`, one per
field, naming where it is ("body.introduced_on") and what is wrong."""

from __future__ import annotations

import json
import logging
import math

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

log = logging.getLogger("alongside.api")
MEDIA_TYPE = "application/problem+json"
TITLES = {400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found",
          409: "Conflict", 413: "Too large", 422: "Invalid request", 429: "Too many requests",
          500: "Server error"}


class Problem(HttpError):
    """An error with a type of its own and, optionally, field messages or other members."""

    def __init__(self, status: int, detail: str, kind: str = "about:blank",
                 errors: list[dict] | None = None, **extra) -> None:
        super().__init__(status, detail)
        self.kind, self.errors, self.extra = kind, errors, extra


def response(status: int, detail: str, kind: str = "about:blank", errors: list[dict] | None = None,
             **extra) -> HttpResponse:
    body = {"type": kind, "title": TITLES.get(status, "Error"), "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return HttpResponse(json.dumps(body, default=str), status=status, content_type=MEDIA_TYPE)


def _field(loc) -> str:
    parts = [str(p) for p in loc]
    # Ninja names a body parameter after the argument ("body.body.ward"); callers know no argument.
    if parts[:2] == ["body", "body"] and len(parts) > 2:
        parts = parts[1:]
    return ".".join(parts)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"field": _field(e.get("loc", ())), "message": e.get("msg", "invalid")}
                  for e in exc.errors]
        return response(422, f"{len(errors)} field(s) are not valid; see errors.",
                        "/api/v1/problems/invalid", errors)

    @api.exception_handler(Problem)
    def problem(request: HttpRequest, exc: Problem) -> HttpResponse:
        return response(exc.status_code, exc.message, exc.kind, exc.errors, **exc.extra)

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = math.ceil(exc.wait or 1)
        r = response(429, f"Too many requests for this token; try again in {wait} s.")
        r["Retry-After"] = str(wait)
        return r

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        r = response(401, "Send a live API token: 'Authorization: Bearer als_…'. "
                          "Tokens are made with 'alongside api_token create'.")
        r["WWW-Authenticate"] = 'Bearer realm="alongside"'
        return r

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return response(exc.status_code, exc.message)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return response(403, str(exc) or "This role may not do this.")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return response(404, str(exc) or "Nothing here, or nothing this token may see.")

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged in full for the operator; the caller gets no internals.
        log.exception("API error on %s", request.path)
        return response(500, "Something went wrong on the server; it has been logged.")
