"""Two transactions issuing rows with the same key at the same time (PostgreSQL; SQLite runs writers one at a
time): the second answers 409 `idempotency_key_in_use` and keeps nothing, never a second award nor a 500."""

from __future__ import annotations

import base64
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app.db import Database
from app.errors import Conflict
from app.services import bulk
from app.services.keys import KeyVault
from app.urls import PublicUrls
from tests.cli_support import BASE, count_awards, published_achievement
from tests.conftest import TEST_KEK

ROWS = [{"recipient": {"email": "sylvie@example.fr"}, "idempotency_key": "inscription-1"}]


def _waiting_for_a_lock(db: Database) -> bool:
    with db.engine.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                      "AND wait_event_type = 'Lock'")).scalar_one())


def test_the_second_of_two_concurrent_batches_with_one_key_is_a_409(database_url: str, tmp_path: Path) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one writer at a time: the second batch finds the first one's key")
    org_id, achievement_id = published_achievement(database_url, tmp_path)
    db, vault, urls = Database(database_url), KeyVault(base64.b64decode(TEST_KEK)), PublicUrls(BASE)
    now = datetime.now(UTC)
    outcome: list[BaseException | None] = []

    def second() -> None:
        try:
            with db.transaction() as session:
                bulk.award_rows(session, vault, urls, org_id, achievement_id, ROWS, now=now, actor="second")
            outcome.append(None)
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)

    try:
        with db.transaction() as session:
            bulk.award_rows(session, vault, urls, org_id, achievement_id, ROWS, now=now, actor="first")
            thread = threading.Thread(target=second)
            thread.start()
            deadline = time.monotonic() + 10
            while not _waiting_for_a_lock(db) and time.monotonic() < deadline:
                time.sleep(0.05)  # the second batch looked for the key, found none, and waits for this one
        thread.join(30)
        assert len(outcome) == 1 and isinstance(outcome[0], Conflict)
        assert outcome[0].code == "idempotency_key_in_use"
        assert count_awards(database_url) == 1
    finally:
        db.dispose()
