"""Schema-driven fuzzing: schemathesis generates requests from /api/openapi.json; no 5xx,
and every response matches the schema documented for its status code.

Runs over the ASGI app in-process (no network) with a fresh database, as the
coordinator of the demo cycle (most requests get past access control and
reach the services) and once anonymously. A few examples per operation keep
it well under a minute.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.web.conftest import Web

EXAMPLES = 12
CHECKS = [not_a_server_error, response_schema_conformance]


def test_no_server_errors(web: Web) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", web.client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    headers = web.h("khoa")
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)
            case.call_and_validate(checks=CHECKS)  # anonymous: 401, never 5xx

        run()
