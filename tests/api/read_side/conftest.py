"""Fixtures of the read-side tests: an app on a fixed clock (awards issued at known moments), two organisations
and a published badge."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.clock import FixedClock
from app.config import Settings
from tests.api.read_side.helpers import START, Org, clocked_app


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> Iterator[Any]:
    yield from clocked_app(settings, clock)


@pytest.fixture
def org(client: TestClient, make_org: Any, clock: FixedClock) -> Org:
    return Org(client, make_org("puchot")["api_key"]["token"], clock)


@pytest.fixture
def other(client: TestClient, make_org: Any, clock: FixedClock) -> Org:
    return Org(client, make_org("grammont")["api_key"]["token"], clock)


@pytest.fixture
def badge(org: Org) -> dict[str, Any]:
    return org.achievement()
