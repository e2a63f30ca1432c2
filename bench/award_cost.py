"""The cost of one award as the organisation's stored awards grow, and with several clients at once (issue 13).

A fresh PostgreSQL database (created here, dropped at the end): one organisation and a published badge, created
through the API. Then, through ``POST /api/v1/achievements/{id}/awards`` (TestClient, API key checked, credential
signed, in one transaction each):

1. 1,000 awards are issued, then the p50 of 200 more is measured (the baseline, in the same process);
2. synthetic awards are written with ``COPY`` (in full status lists, as an organisation that issued for years) until
   ``STORED`` (1,000,000 by default) are stored, then the p50 of 200 more is measured: the ratio to the baseline is
   what the issue asks to keep within 1.5x;
3. four clients (threads) issue 100 awards each at once: awards per second (target: >= 80/s).

No assertion: the numbers are printed. Run: ``make bench`` or ``python -m bench.award_cost [STORED]``
(``BENCH_DATABASE_URL`` overrides the PostgreSQL admin URL).
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from psycopg.types.json import Json
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.config import Environment, Settings
from app.main import create_app
from app.migrate import upgrade
from app.models import SigningKey
from app.services.status import LIST_SIZE
from bench.fixtures import full_lists, issuer_with_badge, scratch_database

ADMIN = "bench-admin-token-0123456789"
BASE = "https://badges.example.org"
SAMPLES = 200
COLUMNS = ["id", "org_id", "achievement_id", "recipient_kind", "identity_hash", "salt", "valid_from", "status",
           "revocation_list_id", "revocation_index", "suspension_list_id", "suspension_index", "signing_key_id",
           "credential", "created_at"]


def _fill(app: Any, url: str, org_id: str, achievement_id: str, count: int) -> float:
    """COPY ``count`` synthetic awards of the organisation into full status lists; the seconds it took."""
    ctx = app.state.ctx
    with ctx.db.sessions() as session:
        key_id = session.scalar(select(SigningKey.id).where(SigningKey.org_id == org_id,
                                                            SigningKey.algorithm == "Ed25519"))
    pairs = full_lists(ctx, org_id, -(-count // LIST_SIZE))
    start, first = time.perf_counter(), datetime(2023, 1, 1, tzinfo=UTC)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        with conn.cursor() as cursor, cursor.copy(f"COPY awards ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for i in range(count):
                salt, at, award_id = secrets.token_hex(16), first + timedelta(seconds=60 * i), secrets.token_urlsafe(16)
                revocation, suspension = pairs[i // LIST_SIZE]
                copy.write_row([award_id, org_id, achievement_id, "email",
                                "sha256$" + hashlib.sha256(f"p{i}@example.fr{salt}".encode()).hexdigest(), salt, at,
                                "active", revocation, i % LIST_SIZE, suspension, i % LIST_SIZE, key_id,
                                Json({"id": f"{BASE}/credentials/{award_id}", "stub": True}), at])
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE awards")
    return time.perf_counter() - start


def _p50(run: Any, count: int) -> float:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _concurrent(award: Any, clients: int, each: int) -> float:
    """Awards per second with ``clients`` threads issuing ``each`` awards at once."""
    failures: list[int] = []

    def client() -> None:
        for _ in range(each):
            if award() != 201:
                failures.append(1)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    assert not failures, f"{len(failures)} awards failed"
    return clients * each / elapsed


def main(stored: int = 1_000_000) -> None:
    with scratch_database("savoirs_bench_award") as url, tempfile.TemporaryDirectory() as tmp:
        upgrade(url)
        settings = Settings(environment=Environment.test, database_url=url, public_base_url=BASE,
                            kek=base64.b64encode(os.urandom(32)).decode(), admin_token=ADMIN, var_dir=Path(tmp),
                            auth_failure_limit=10**9)
        app = create_app(settings, jobs_in_process=False)
        with TestClient(app, base_url=BASE) as client:
            headers, organisation, badge_id = issuer_with_badge(client, ADMIN)
            counter = iter(range(10**9))

            def award() -> int:
                return client.post(f"/api/v1/achievements/{badge_id}/awards", headers=headers,
                                   json={"recipient": {"email": f"p{next(counter)}@example.fr"}}).status_code

            for _ in range(1_000):
                award()
            small = _p50(award, SAMPLES)
            seconds = _fill(app, url, organisation["id"], badge_id, max(0, stored - 1_200))
            print(f"{stored:,} awards stored ({seconds:.0f} s to write the synthetic ones)", flush=True)
            large = _p50(award, SAMPLES)
            rate = _concurrent(award, 4, 100)
        app.state.ctx.db.dispose()
    print(f"single award p50: {small * 1000:.1f} ms with 1,000 stored, {large * 1000:.1f} ms with {stored:,}")
    print(f"AWARD COST RATIO p50 at {stored:,} vs at 1,000: {large / small:.2f}x (target <= 1.5x)")
    print(f"4 CLIENTS: {rate:.0f} awards/s (target >= 80/s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
