"""Every operation of the API, called with inputs schemathesis derives from its own OpenAPI document (valid and
not), with real keys and a real database: never a 5xx, and every answer as documented (status, content type,
schema). Bounded: a few examples per operation, so that it runs in ``make test`` (issue 12).

An organisation with a published achievement, an award and a group exists first, so that operations reach their
real work and not only their 404s; schemathesis also tries every operation without its key.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.config import Settings
from app.main import create_app
from tests.conftest import ADMIN_TOKEN, bearer

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def app(settings: Settings) -> Iterator[Any]:
    """The application without its in-process job worker (SQLite): that thread sends the messages operations
    queue, and writing one draws its MIME boundary from the ``random`` module; Hypothesis, seeing the global random
    state move while it drew a case, raised a deprecation warning (an error here) on whichever operation it was
    drawing: the "flaky" failures of earlier runs (sign-in challenges, proposals)."""
    application = create_app(settings, jobs_in_process=False)
    yield application
    application.state.db.dispose()


@pytest.fixture
def world(client: TestClient, token: str) -> dict[str, str]:
    """A published achievement with levels, one award and one group, for the operations to find."""
    created = client.post("/api/v1/achievements", json={
        "name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu."},
        "levels": [{"name": "Je soutiens"}, {"name": "J'agis"}]}, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    award = client.post(f"/api/v1/achievements/{created['id']}/awards",
                        json={"recipient": {"email": "sylvie@example.fr"}}, headers=bearer(token)).json()
    group = client.post("/api/v1/groups", json={"name": "Atelier", "members": [{"email": "a@example.fr"}]},
                        headers=bearer(token)).json()
    return {"achievement_id": created["id"], "award_id": award["id"], "group_id": group["id"], "slug": "puchot"}


#: a few cases per operation in `make test`; `make soak` asks for a thousand (SOAK_EXAMPLES)
MAX_EXAMPLES = int(os.environ.get("SOAK_EXAMPLES", "10"))


def _failures(schema: Any, token: str, world: dict[str, str]) -> list[str]:
    """Run every operation's examples; one line per operation that failed a check (with its first failure)."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            for name, value in world.items():  # some calls on things that exist, not only on random ids
                if name in (case.path_parameters or {}) and case.path_parameters[name][:1] in "0123456789abcdef":
                    case.path_parameters[name] = value
            admin = case.path.startswith("/api/v1/orgs")
            case.call_and_validate(headers={"Authorization": f"Bearer {ADMIN_TOKEN if admin else token}"},
                                   checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried, the failures reported together
            failures.append(f"{operation.label}: {_described(exc)[:3000]}")
    return failures


def _described(exc: BaseException) -> str:
    """The failure and, for a group (hypothesis reports a failure it could not reproduce as one), each of its
    causes with the last lines of its traceback: what a flaky failure was must show in CI's log."""
    text = f"{type(exc).__name__}: {exc}"
    for sub in getattr(exc, "exceptions", ()):
        where = "".join(traceback.format_exception(sub)[-6:])
        text += f"\n  caused by {where}"
    return text


def test_every_operation_answers_as_documented_and_never_a_5xx(app: Any, token: str,
                                                               world: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures = _failures(schema, token, world)
    assert not failures, f"{len(failures)} operations failed:\n" + "\n\n".join(failures)
