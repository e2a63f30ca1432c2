"""Recognition tests: the application without its in-process job worker, so that the messages it queues stay in
the ``emails`` table as they were written (a sent message's bodies are emptied)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.config import Settings
from app.main import create_app


@pytest.fixture
def app(settings: Settings) -> Iterator[Any]:
    application = create_app(settings, jobs_in_process=False)
    yield application
    application.state.db.dispose()
