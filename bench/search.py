"""Finding awards by recipient among 1,000,000 stored awards, on PostgreSQL, with the migrations' indexes.

A fresh database (created here, dropped at the end) is migrated to head; four organisations, each with two published
achievements, are created through the API; then 1,000,000 synthetic awards (250,000 per organisation, over three
years) are written with ``COPY``: only the columns a search reads are realistic (recipient kind, salted identity hash,
keyed lookup hash computed by the service's own vault, level, status, dates), the signed credential is a stub. In
the first organisation, the 10,000 oldest awards have no lookup hash, as if issued before it existed: a search there
also compares salted hashes.

Then, in alternating rounds in the same process, the p50 and p95 of:

- baseline: reading one award by its id (primary key), through the service and through ``GET /api/v1/awards/{id}``;
- search by recipient email (as staff type it: other case, spaces; 10 % of them received nothing), through the
  service (``search.find_awards``) and through ``GET /api/v1/awards?recipient=`` (TestClient, API key checked);
- the same search in the organisation with 10,000 awards issued before lookup hashes;
- for information: a first page without filter, revoked awards, one achievement's awards at one level.

The issue's target: a search by recipient email answers in < 100 ms p95. No assertion: the numbers are printed.
Run: ``make bench`` or ``python -m bench.search [N]`` (``BENCH_DATABASE_URL`` overrides the Postgres admin URL;
``BENCH_VERBOSE=1`` prints the query plan).
"""

from __future__ import annotations

import base64
import hashlib
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from psycopg.types.json import Json
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app.config import Environment, Settings
from app.main import create_app
from app.migrate import upgrade
from app.models import SigningKey
from app.principal import Principal, Scope
from app.schemas.search import AwardQuery
from app.services import awards, search
from app.services.context import ServiceContext
from app.services.status import LIST_SIZE
from bench.fixtures import full_lists, scratch_database

ADMIN = "bench-admin-token-0123456789"
BASE = "https://badges.example.org"
ORGS = 4
LEGACY = 10_000  # awards of the first organisation without a lookup hash (issued before it existed)
ROUNDS = 3
SAMPLES = 200  # per measure and round
FIRST = datetime(2024, 1, 1, tzinfo=UTC)
COLUMNS = ["id", "org_id", "achievement_id", "recipient_kind", "identity_hash", "salt", "recipient_lookup",
           "display_name", "level_id", "valid_from", "status", "revoked_at", "revocation_list_id", "revocation_index",
           "suspension_list_id", "suspension_index", "signing_key_id", "credential", "created_at"]


@dataclass
class Tenant:
    org_id: str
    slug: str
    token: str
    achievements: list[str]
    people: list[tuple[str, str]]  # (kind, as issued)
    award_ids: list[str]
    emails: list[str]  # some of the people's emails, to search


    @property
    def principal(self) -> Principal:
        return Principal(self.org_id, self.slug, "bench", "bench", frozenset({Scope.read}))


def _tenants(client: TestClient, count: int, per_org: int, rng: random.Random) -> list[Tenant]:
    tenants = []
    for n in range(count):
        made = client.post("/api/v1/orgs", headers={"Authorization": f"Bearer {ADMIN}"}, json={
            "slug": f"centre-{n}", "name": f"Centre social {n}", "url": f"https://centre-{n}.example",
            "email": f"contact@centre-{n}.example"})
        made.raise_for_status()
        token = made.json()["api_key"]["token"]
        ids = []
        for name in ("Place aux jeunes", "Radio du quartier"):
            badge = client.post("/api/v1/achievements", headers={"Authorization": f"Bearer {token}"}, json={
                "name": name, "description": "S'impliquer dans la vie du quartier.",
                "criteria": {"narrative": "A participé."},
                "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}).json()
            client.post(f"/api/v1/achievements/{badge['id']}/publish",
                        headers={"Authorization": f"Bearer {token}"}).raise_for_status()
            ids.append(badge["id"])
        people = [("email", f"personne.{n}.{i}@exemple.fr") if i % 5 else ("phone", f"+3361{n}{i:07d}")
                  for i in range(per_org // 2)]  # two awards per person on average
        rng.shuffle(people)
        emails = [value for kind, value in people[:2000] if kind == "email"]
        tenants.append(Tenant(made.json()["organisation"]["id"], f"centre-{n}", token, ids, people, [], emails))
    return tenants


def _lists(ctx: ServiceContext, org_id: str, count: int) -> list[tuple[str, str]]:
    """Status list pairs enough for ``count`` awards, marked full (the synthetic awards fill them)."""
    return full_lists(ctx, org_id, -(-count // LIST_SIZE))


def _fill(ctx: ServiceContext, url: str, tenants: list[Tenant], per_org: int, rng: random.Random) -> float:
    """COPY ``per_org`` awards per organisation; returns the seconds it took."""
    with ctx.db.sessions() as session:
        key_of = dict(session.execute(select(SigningKey.org_id, SigningKey.id)
                                      .where(SigningKey.algorithm == "Ed25519")).all())
    start = time.perf_counter()
    span = (3 * 365 * 86400) / per_org
    with psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)) as conn:
        for number, tenant in enumerate(tenants):
            pairs = _lists(ctx, tenant.org_id, per_org)
            with conn.cursor() as cursor, cursor.copy(f"COPY awards ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for i in range(per_org):
                    kind, value = tenant.people[rng.randrange(len(tenant.people))]
                    salt = secrets.token_hex(16)
                    legacy = number == 0 and i < LEGACY
                    status = "revoked" if i % 50 == 7 else "suspended" if i % 100 == 3 else "active"
                    at = FIRST + timedelta(seconds=int(i * span))
                    award_id = secrets.token_urlsafe(16)
                    revocation, suspension = pairs[i // LIST_SIZE]
                    copy.write_row([
                        award_id, tenant.org_id, tenant.achievements[i % 2], kind,
                        "sha256$" + hashlib.sha256((value + salt).encode()).hexdigest(), salt,
                        None if legacy else ctx.vault.recipient_lookup(tenant.org_id, kind, value),
                        "Sylvie D." if i % 3 == 0 else None, [None, "level-1", "level-2", "level-3"][i % 4], at,
                        status, at + timedelta(days=30) if status == "revoked" else None, revocation, i % LIST_SIZE,
                        suspension, i % LIST_SIZE, key_of[tenant.org_id],
                        Json({"id": f"{BASE}/credentials/{award_id}", "stub": True}), at])
                    if i % 997 == 0:
                        tenant.award_ids.append(award_id)
            conn.commit()
            print(f"  {(number + 1) * per_org:>9,} awards written ({time.perf_counter() - start:.0f} s)", flush=True)
    with psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE awards")
    return time.perf_counter() - start


def _typed(rng: random.Random, tenant: Tenant) -> str:
    """A recipient as staff type it: an email in another case with spaces, a phone in the national format; one
    time in ten, someone who received nothing."""
    if rng.random() < 0.1:
        return f"  Inconnu.{rng.randrange(10**6)}@Exemple.fr "
    return f" {rng.choice(tenant.emails).upper()} "


def _timed(run: Callable[[], Any], count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def _measures(app: Any, client: TestClient, tenants: list[Tenant], rng: random.Random
              ) -> dict[str, Callable[[], Any]]:
    ctx: ServiceContext = app.state.ctx
    plain, legacy = tenants[1], tenants[0]

    def service_search(tenant: Tenant) -> Callable[[], Any]:
        def run() -> Any:
            query = AwardQuery(recipient=_typed(rng, tenant))
            return search.find_awards(ctx, tenant.principal, query, achievement_id=None, limit=50, cursor=None)
        return run

    def http(tenant: Tenant, **params: Any) -> Callable[[], Any]:
        def run() -> Any:
            query = {"recipient": _typed(rng, tenant)} if params.get("recipient") else params
            response = client.get("/api/v1/awards", params=query, headers={"Authorization": f"Bearer {tenant.token}"})
            response.raise_for_status()
            return response
        return run

    def by_id_service() -> Any:
        return awards.read(ctx, plain.principal, rng.choice(plain.award_ids))

    def by_id_http() -> Any:
        response = client.get(f"/api/v1/awards/{rng.choice(plain.award_ids)}",
                              headers={"Authorization": f"Bearer {plain.token}"})
        response.raise_for_status()
        return response

    return {
        "baseline: one award by id, service": by_id_service,
        "baseline: one award by id, HTTP": by_id_http,
        "search by email, service": service_search(plain),
        "search by email, HTTP": http(plain, recipient=True),
        f"search by email, {LEGACY:,} legacy awards, service": service_search(legacy),
        f"search by email, {LEGACY:,} legacy awards, HTTP": http(legacy, recipient=True),
        "first page, no filter, HTTP": http(plain),
        "revoked awards, first page, HTTP": http(plain, status="revoked"),
        "one achievement at one level, HTTP": http(plain, achievement_id=plain.achievements[0], level="level-2"),
    }


def _explain(url: str, tenant: Tenant, ctx: ServiceContext) -> None:
    lookup = ctx.vault.recipient_lookup(tenant.org_id, "email", next(v for k, v in tenant.people if k == "email"))
    engine = create_engine(url)
    with engine.connect() as conn:
        plan = conn.execute(text(
            "EXPLAIN ANALYZE SELECT * FROM awards WHERE org_id = :o AND recipient_lookup = :l "
            "ORDER BY created_at DESC, id DESC LIMIT 51"), {"o": tenant.org_id, "l": lookup}).scalars().all()
    engine.dispose()
    print("\n".join("  " + line for line in plan))


def main(total: int = 1_000_000) -> None:
    per_org = total // ORGS
    rng = random.Random(12)
    with scratch_database("savoirs_bench_search") as url:
        upgrade(url)
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(environment=Environment.test, database_url=url, public_base_url=BASE,
                                kek=base64.b64encode(os.urandom(32)).decode(), admin_token=ADMIN, var_dir=Path(tmp),
                                auth_failure_limit=10**9)
            app = create_app(settings, jobs_in_process=False)
            with TestClient(app, base_url=BASE) as client:
                tenants = _tenants(client, ORGS, per_org, rng)
                seconds = _fill(app.state.ctx, url, tenants, per_org, rng)
                print(f"{per_org * ORGS:,} awards in {ORGS} organisations written and analysed in {seconds:.0f} s")
                if os.environ.get("BENCH_VERBOSE"):
                    _explain(url, tenants[1], app.state.ctx)
                measures = _measures(app, client, tenants, rng)
                for run in measures.values():
                    _timed(run, 20)  # warm up: imports, caches, connections
                times: dict[str, list[float]] = {label: [] for label in measures}
                for _ in range(ROUNDS):
                    for label, run in measures.items():
                        times[label] += _timed(run, SAMPLES)
            app.state.ctx.db.dispose()
    _report(times, per_org * ORGS)


def _report(times: dict[str, list[float]], total: int) -> None:
    def p(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000

    print(f"{total:,} awards on PostgreSQL, {ROUNDS} rounds of {SAMPLES} per measure, alternating; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for label, values in times.items():
        print(f"  {label:<52} p50 {p(values, 50):6.1f} ms   p95 {p(values, 95):6.1f} ms")
    base = {kind: p(times[f"baseline: one award by id, {kind}"], 95) for kind in ("service", "HTTP")}
    for kind in ("service", "HTTP"):
        p95 = p(times[f"search by email, {kind}"], 95)
        print(f"SEARCH RATIO ({kind}) p95 vs one award by id: {p95 / base[kind]:.2f}x; target p95 < 100 ms: "
              f"{'met' if p95 < 100 else 'NOT met'} ({p95:.1f} ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
