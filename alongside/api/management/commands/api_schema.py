"""alongside api_schema [PATH] — write the OpenAPI schema (default docs/api/openapi.json)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from alongside.api.v1 import api


def schema() -> dict:
    return api.get_openapi_schema(path_prefix="/api/v1")


def text() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the API's OpenAPI 3 schema, so that a change to it shows in review."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="docs/api/openapi.json")

    def handle(self, *args, path: str, **o):
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text(), encoding="utf-8")
        self.stdout.write(f"Wrote {out} ({len(schema()['paths'])} paths)")
