"""Schemathesis against the published OpenAPI schema: generated requests (valid and invalid)
to every operation, sent in-process through the WSGI application with a real token, bounded
in number. No request may produce a server error."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from alongside.api import tokens

EXAMPLES = 30   # per operation: enough to reach every parameter's edge cases, few enough for CI


@pytest.fixture
def api_schema(world, settings):
    settings.ALONGSIDE_API_RATE = "100000/m"    # the generator, not the rate limit, is under test
    # As Django's test client does: the request must not close the test's database connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def manager_token(world):
    return tokens.make(world.manager, "fuzz")[1]


def _fuzz(operation, headers) -> int:
    sent = []

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        sent.append(case)
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()
    return len(sent)


def test_no_generated_request_causes_a_server_error(api_schema, manager_token):
    # One loop over the operations rather than schemathesis' pytest parametrisation, which does
    # not run under pytest 9 (it reads a pytest internal that has gone).
    headers = {"Authorization": f"Bearer {manager_token}"}
    cases: dict[str, int] = {}

    for result in api_schema.get_all_operations():
        operation = result.ok()
        cases[f"{operation.method.upper()} {operation.path}"] = _fuzz(operation, headers)
    print("schemathesis cases per operation:", cases, "total", sum(cases.values()))
    assert len(cases) >= 10 and all(n > 0 for n in cases.values())
