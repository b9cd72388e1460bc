"""The Alongside API, version 1: `/api/v1/`, its schema at `/api/v1/openapi.json` and its
documentation at `/api/v1/docs`.

Changes to the schema are deliberate: `alongside api_schema` writes docs/api/openapi.json, and a
test fails when the served schema differs from that copy.
"""

from django.conf import settings
from ninja import NinjaAPI
from ninja.throttling import AuthRateThrottle

from . import figures, introductions, problems, records  # noqa: F401 (introductions adds routes)
from .tokens import BearerToken

DESCRIPTION = """\
Records and figures of Local Area Coordination, scoped exactly as the Alongside pages are:
a Coordinator's token sees their wards, a manager's their council, commissioners and Network
analysts only counts (with numbers under 5 shown as "<5").

Authenticate with `Authorization: Bearer <token>`; tokens are made with
`alongside api_token create`, may be limited to one council and to reading, and can be revoked.
Lists are paged with `limit` (1–1000, default 100) and `offset`, and answer `{"items": [...],
"count": N}`. Errors are `application/problem+json` (RFC 9457) with one entry per field in
`errors`. A POST needs an `Idempotency-Key` header: a retry with the same key returns the first
answer and records nothing twice. Every person returned is written to the audit trail.
"""

PROBLEM = {
    "type": "object", "required": ["type", "title", "status", "detail"],
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "required": ["field", "message"],
                   "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
    },
}
ANSWERS = {400: "Bad request", 401: "No live token", 403: "Not allowed for this role or token",
           404: "Not found, or not in the token's scope", 409: "Conflict",
           422: "Invalid input, one entry per field", 429: "Too many requests"}


class AlongsideAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The schema, with the problem document every operation may answer with."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"]["schemas"]["Problem"] = PROBLEM
        ref = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema["paths"].values():
            for op in operations.values():
                for status, description in ANSWERS.items():
                    op["responses"].setdefault(status, {"description": description, "content": ref})
        return schema


api = AlongsideAPI(
    title="Alongside API", version="1.0.0", description=DESCRIPTION, urls_namespace="api-v1",
    auth=BearerToken(), throttle=[AuthRateThrottle(settings.ALONGSIDE_API_RATE)],
    openapi_url="/openapi.json", docs_url="/docs",
)
problems.install(api)
api.add_router("", records.router)
api.add_router("", figures.router)
