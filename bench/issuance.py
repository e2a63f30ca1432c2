"""End to end: N awards (signed OB 3.0 credential + status list entry), committed to PostgreSQL.

Uses the same service as ``POST …/awards:batch`` and ``savoirs award --csv`` (rows of 10,000 per transaction),
on a fresh database. Prints the total time and the rate (issue 13's target: 100,000 awards in at most 25 s), and
the processor time of this process, of the signing processes and of the PostgreSQL backend: on a machine others use
at the same time, they compare runs better than the elapsed time. Run: ``python -m bench.issuance [N]``
(``BENCH_VERBOSE=1``: the time of each transaction; ``BENCH_DATABASE_URL`` overrides the Postgres admin URL).
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from app.clock import SystemClock
from app.db import Database
from app.migrate import upgrade
from app.models import Award
from app.services import achievements, bulk, organisations
from app.services.batch_signing import BatchSigner
from app.services.keys import KeyVault
from app.urls import PublicUrls
from bench.fixtures import scratch_database

NAMES = ["sylvie", "nathan", "helene", "zoe", "jean-francois", "aicha", "renee", "karim"]


def _rows(count: int) -> list[dict]:
    levels = [None, "Je soutiens", "J'explore", "J'agis"]
    rows = []
    for i in range(count):
        row: dict = {"recipient": {"email": f"{NAMES[i % len(NAMES)]}.{i}@exemple.fr"}}
        if levels[i % 4]:
            row["level"] = levels[i % 4]
        if i % 3 == 0:
            row["narrative"] = f"A animé l'atelier n°{i} « papier mâché »."
        rows.append(row)
    return rows


def main(count: int = 100_000, per_transaction: int = 10_000) -> None:
    with scratch_database("savoirs_bench") as url:
        upgrade(url)
        db = Database(url)
        vault, urls, clock = KeyVault(os.urandom(32)), PublicUrls("https://badges.example.org"), SystemClock()
        with db.transaction() as session:
            org = organisations.create_organisation(session, vault, {
                "slug": "puchot", "name": "Centre social du Puchot", "url": "https://puchot.example",
                "email": "contact@puchot.example"}, actor="bench").organisation
            achievement = achievements.create(session, org.id, {
                "name": "Place aux jeunes", "description": "S'impliquer dans la vie du quartier.",
                "criteria": {"narrative": "A participé à trois actions."}, "achievementType": "Competency",
                "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}, actor="bench")
            achievements.publish(session, org.id, achievement.id, now=clock.now(), actor="bench")
            org_id, achievement_id = org.id, achievement.id
        rows = _rows(count)
        signer = BatchSigner()  # same as `savoirs award --csv`: the proofs are made on every core
        backends: set[int] = set()
        start, start_cpu = time.perf_counter(), time.process_time()
        for offset in range(0, count, per_transaction):
            chunk_start = time.perf_counter()
            with db.transaction() as session:
                backends.add(session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
                results = bulk.award_rows(session, vault, urls, org_id, achievement_id,
                                          rows[offset:offset + per_transaction], now=clock.now(), actor="bench",
                                          signer=signer)
                assert all(r.error is None for r in results)
            if os.environ.get("BENCH_VERBOSE"):
                print(f"  rows {offset + len(results):>7}: {time.perf_counter() - chunk_start:.2f} s")
        elapsed, main_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        database_cpu = sum(_cpu_seconds(pid) for pid in backends)  # the pooled connections are still open
        signer.close()  # the workers end: their time is counted
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        with db.sessions() as session:
            stored = session.scalar(select(func.count()).select_from(Award))
        db.dispose()
        print(f"{stored} awards signed (eddsa-rdfc-2022) and committed to PostgreSQL in {elapsed:.1f} s "
              f"({stored / elapsed:.0f} awards/s, {signer.workers} signing processes; target: 100,000 in <= 25 s)")
        print(f"processor time: this process {main_cpu:.1f} s, signing processes "
              f"{workers.ru_utime + workers.ru_stime:.1f} s, PostgreSQL backend {database_cpu:.1f} s "
              "(including the connection's setup work)")


def _cpu_seconds(pid: int) -> float:
    """User and system time of a process on this machine (Linux), 0 if it cannot be read (a remote server)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
