"""What is refused before any view reads it: for the API, a body over the upload limit (413, not
the 500 Django's RequestDataTooBig became) and text holding a NUL character, which PostgreSQL
cannot store or compare (422, not the database error it became); for the pages, a query string
holding a NUL (400). Forms need nothing here: Django's form fields already refuse NUL."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.views.defaults import bad_request

from .problems import response

NUL = (b"\x00", b"\\u0000", b"%00")


class ApiGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "").encode()
        if not request.path.startswith("/api/"):
            if NUL[2] in query.lower() or "\x00" in request.path:
                return bad_request(request, exception=None)
            return self.get_response(request)
        try:
            body = request.body
        except RequestDataTooBig:
            return response(413, "The request body is larger than 2 MB; send fewer records at a time.")
        if any(n in body for n in NUL[:2]) or NUL[2] in query.lower() or "\x00" in request.path:
            return response(422, "Text may not contain the NUL character (U+0000).",
                            "/api/v1/problems/invalid")
        return self.get_response(request)
