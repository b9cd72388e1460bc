"""Logs as one JSON object a line, each carrying the id of the request (or task) it came from, so
a council's log store can follow one request across its lines. Never personal details: query
strings (where a search for a name would be) are cut from every message, and Django's request
object is not written."""

from __future__ import annotations

import contextvars
import logging
import re

from pythonjsonlogger.json import JsonFormatter

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
QUERY = re.compile(r"\?[^\s\"']*")


class RequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class Json(JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*_RESERVED, "request", "server_time"])
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s", *args,
                         rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}, **kwargs)

    def process_log_record(self, log_record: dict) -> dict:
        for key in ("message", "exc_info"):
            if isinstance(log_record.get(key), str):
                log_record[key] = QUERY.sub("?…", log_record[key])
        log_record.pop("args", None)
        return log_record


_RESERVED = ["args", "created", "exc_text", "filename", "funcName", "levelno", "lineno", "module",
             "msecs", "msg", "pathname", "process", "processName", "relativeCreated", "stack_info",
             "thread", "threadName", "taskName", "status_code"]


def config(level: str = "INFO", json: bool = True) -> dict:
    """The LOGGING setting: JSON to standard output (where containers and systemd collect it),
    or plain lines for a person at a terminal (ALONGSIDE_LOG_FORMAT=text)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestId}},
        "formatters": {
            "json": {"()": Json},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {"out": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if json else "text"}},
        "root": {"handlers": ["out"], "level": level},
        "loggers": {
            # Each request's own line comes from operations/requests.py, with its timing.
            "django.server": {"level": "WARNING"},
        },
    }
