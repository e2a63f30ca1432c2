"""Realistic OB 3.0 credentials of one achievement with levels, varied recipients, narratives and evidence."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.badges import identity
from app.badges.issuer import IssuerInfo, ob3_profile
from app.badges.ob3 import AchievementDoc, AwardDoc, Level, build_credential
from app.urls import PublicUrls

URLS = PublicUrls("https://badges.example.org")
ACHIEVEMENT = AchievementDoc(
    id=URLS.achievement("ach-place-aux-jeunes"), name="Place aux jeunes",
    description="S'impliquer dans la vie du quartier, à son rythme : soutenir, explorer, agir.",
    criteria_narrative="A participé à **trois** actions du centre social.", achievement_type="Competency",
    image="https://badges.example.org/images/place-aux-jeunes.svg", tags=("savoir-être", "engagement"),
    alignments=({"targetName": "Travailler en équipe", "targetUrl": "https://esco.example/skill/teamwork",
                 "targetFramework": "ESCO", "targetCode": "S1.8.1"},),
    levels=(Level("level-1", "Je soutiens"), Level("level-2", "Je teste, j'explore"),
            Level("level-3", "J'agis, je sais faire", "Anime un atelier seul.")),
)
ISSUER = ob3_profile(IssuerInfo("puchot", "Centre social du Puchot", "https://puchot.example",
                                "contact@puchot.example", "Réseau d'échanges réciproques de savoirs"), URLS)
NAMES = ["Sylvie", "Nathan", "Hélène", "Zoé", "Jean-François", "Aïcha", "Œdipe", "Renée"]


def credentials(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    out = []
    for i in range(count):
        email = f"{rng.choice(NAMES).lower()}.{i}@exemple.fr"
        salt = identity.new_salt()
        ids = [{"type": "IdentityObject", "identityHash": identity.identity_hash(identity.normalise_email(email), salt),
                "identityType": "emailAddress", "hashed": True, "salt": salt}]
        if rng.random() < 0.3:
            ids.append({"type": "IdentityObject", "identityHash": rng.choice(NAMES) + " D.",
                        "identityType": "name", "hashed": False})
        award = AwardDoc(
            credential_id=URLS.credential(f"cred-{uuid.UUID(int=rng.getrandbits(128))}"),
            subject_id=f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}",
            valid_from=start + timedelta(minutes=i), identifiers=tuple(ids),
            narrative=rng.choice([None, "A animé l'atelier « papier mâché »\navec 12 enfants."]),
            level_key=rng.choice([None, "level-1", "level-2", "level-3"]),
            evidence=tuple({"id": f"https://puchot.example/photos/{i}-{n}.jpg", "name": f"Photo {n + 1}"}
                           for n in range(rng.choice([0, 0, 1, 2]))),
            credential_status={"id": f"{URLS.status_list('list1')}#{i}", "type": "BitstringStatusListEntry",
                               "statusPurpose": "revocation", "statusListIndex": str(i),
                               "statusListCredential": URLS.status_list("list1")},
        )
        out.append(build_credential(ISSUER, ACHIEVEMENT, award))
    return out


#: the PostgreSQL server benchmarks create their databases on (``BENCH_DATABASE_URL``)
ADMIN_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (its URL) for one benchmark, dropped afterwards whatever happens."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def full_lists(ctx: Any, org_id: str, pairs: int) -> list[tuple[str, str]]:
    """``pairs`` status list pairs of the organisation, marked full: the synthetic awards a benchmark writes
    occupy them, and the service opens new lists for the awards it issues."""
    from app.badges.bitstring import Bitstring
    from app.models import StatusList
    from app.models.base import new_id
    from app.services.status import LIST_SIZE, suspension_list_id

    made = []
    encoded = Bitstring(LIST_SIZE).encode()
    with ctx.db.transaction() as session:
        for _ in range(pairs):
            list_id = new_id()
            session.add_all([StatusList(id=ident, org_id=org_id, purpose=purpose, size=LIST_SIZE, used=LIST_SIZE,
                                        encoded_list=encoded, permutation_seed=None)
                             for ident, purpose in ((list_id, "revocation"),
                                                    (suspension_list_id(list_id), "suspension"))])
            made.append((list_id, suspension_list_id(list_id)))
    return made


def issuer_with_badge(client: Any, admin_token: str) -> tuple[dict[str, str], dict[str, Any], str]:
    """Through the API: an organisation (its API key's headers, and the organisation) with one published badge
    (its id)."""
    created = client.post("/api/v1/orgs", headers={"Authorization": f"Bearer {admin_token}"}, json={
        "slug": "puchot", "name": "Centre social du Puchot", "url": "https://puchot.example",
        "email": "contact@puchot.example"}).json()
    headers = {"Authorization": f"Bearer {created['api_key']['token']}"}
    badge = client.post("/api/v1/achievements", headers=headers, json={
        "name": "Place aux jeunes", "description": "S'impliquer dans la vie du quartier.",
        "criteria": {"narrative": "A participé à trois actions."}}).json()
    client.post(f"/api/v1/achievements/{badge['id']}/publish", headers=headers)
    return headers, created["organisation"], badge["id"]


# --- served benchmarks (bench/served.py, bench/verify_peers.py): a real ``savoirs serve``, stored awards ----------
# (imports kept local to this block)

#: the admin token and KEK of every served benchmark: the setup done in process and the served workers read the
#: same sealed keys
BENCH_ADMIN = "bench-admin-token-0123456789"
BENCH_KEK = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # base64 of bytes 0..31
AWARD_COLUMNS = ["id", "org_id", "achievement_id", "recipient_kind", "identity_hash", "salt", "valid_from", "status",
                 "revoked_at", "revocation_list_id", "revocation_index", "suspension_list_id", "suspension_index",
                 "signing_key_id", "credential", "created_at"]


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_settings(database_url: str, base: str, var_dir: Any, **overrides: Any) -> Any:
    """The settings of a served benchmark (test environment, ``BENCH_KEK``, ``BENCH_ADMIN``, no limit on failed
    authentications), for the setup done in process before :func:`served` serves the same database."""
    from app.config import Environment, Settings

    return Settings(environment=Environment.test, database_url=database_url, public_base_url=base, kek=BENCH_KEK,
                    admin_token=BENCH_ADMIN, var_dir=var_dir, **{"auth_failure_limit": 10**9, **overrides})


@contextmanager
def served(database_url: str, base: str, var_dir: Any, *, workers: int = 1, **env: str) -> Iterator[Any]:
    """``savoirs serve --workers N`` in a subprocess on ``base``'s port (127.0.0.1), with the settings of
    :func:`bench_settings` plus ``env`` (upper-case names). Yields the process (a ``subprocess.Popen``) once
    ``/readyz`` answers 200; stops the server afterwards (SIGTERM, SIGKILL to its process group after 20 s).
    ``LOG_LEVEL`` comes from this process's environment when set, else INFO (the access log included: as deployed).
    Output: ``var_dir/serve-<port>.log``."""
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path
    from urllib.parse import urlsplit

    import httpx

    port = urlsplit(base).port or 80
    settings = {"ENVIRONMENT": "test", "DATABASE_URL": database_url, "PUBLIC_BASE_URL": base, "KEK": BENCH_KEK,
                "ADMIN_TOKEN": BENCH_ADMIN, "VAR_DIR": str(var_dir), "AUTH_FAILURE_LIMIT": str(10**9),
                "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"), **env}
    environment = {k: v for k, v in os.environ.items() if k != "KEK_FILE"} | settings
    var = Path(var_dir)
    var.mkdir(parents=True, exist_ok=True)
    log_path = var / f"serve-{port}.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen([str(Path(sys.executable).with_name("savoirs")), "serve", "--host", "127.0.0.1",
                                    "--port", str(port), "--workers", str(workers)], env=environment, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"savoirs serve exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"savoirs serve not ready after 60 s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _copy_awards(database_url: str, rows: Any) -> None:
    """COPY award rows (``AWARD_COLUMNS``, the credential a dict) into the awards table, then VACUUM ANALYZE."""
    import psycopg
    from psycopg.types.json import Json

    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        with conn.cursor() as cursor, cursor.copy(f"COPY awards ({', '.join(AWARD_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([*row[:-2], Json(row[-2]), row[-1]])
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE awards")
        conn.execute("VACUUM ANALYZE status_lists")


def _award_row(org_id: str, achievement_id: str, key_id: str, i: int, lists: tuple[str, str], index: int,
               revoked: bool) -> list[Any]:
    import hashlib
    import secrets

    salt, award_id = secrets.token_hex(16), secrets.token_urlsafe(16)
    at = datetime(2023, 1, 1, tzinfo=UTC) + timedelta(seconds=60 * (i % 10**7))
    return [award_id, org_id, achievement_id, "email",
            "sha256$" + hashlib.sha256(f"p{i}@example.fr{salt}".encode()).hexdigest(), salt, at,
            "revoked" if revoked else "active", at if revoked else None, lists[0], index, lists[1], index, key_id,
            {"id": f"{URLS.base}/credentials/{award_id}", "stub": True}, at]


def _ed25519_key(ctx: Any, org_id: str) -> str:
    from sqlalchemy import select

    from app.models import SigningKey

    with ctx.db.sessions() as session:
        key_id = session.scalar(select(SigningKey.id).where(SigningKey.org_id == org_id,
                                                            SigningKey.algorithm == "Ed25519"))
    assert key_id is not None
    return str(key_id)


def synthetic_awards(ctx: Any, database_url: str, org_id: str, achievement_id: str, count: int) -> float:
    """(PostgreSQL) ``COPY`` ``count`` synthetic awards of the organisation (stub credentials) into status lists
    made full by :func:`full_lists`, as an organisation that issued for years; the seconds it took."""
    import time

    from app.services.status import LIST_SIZE

    start = time.perf_counter()
    key_id = _ed25519_key(ctx, org_id)
    pairs = full_lists(ctx, org_id, -(-count // LIST_SIZE)) if count else []
    _copy_awards(database_url, (_award_row(org_id, achievement_id, key_id, i, pairs[i // LIST_SIZE], i % LIST_SIZE,
                                           False) for i in range(count)))
    return time.perf_counter() - start


def fill_status_list(ctx: Any, database_url: str, org_id: str, achievement_id: str, list_id: str, used: int, *,
                     revoked: float = 0.01, seed: int = 13) -> int:
    """(PostgreSQL) Take the organisation's status list pair ``list_id`` (the one the service issues into) to
    ``used`` entries: synthetic awards at the next indexes of its permutation, as the service would have drawn
    them, a share ``revoked`` of them revoked (their bits set, the list's version bumped). The list served and the
    awards issued next are then those of a list in use for long. Returns the number of awards written."""
    from app.badges.bitstring import Bitstring
    from app.badges.index_permutation import permuted_index
    from app.models import StatusList

    rng = random.Random(seed)
    key_id = _ed25519_key(ctx, org_id)
    with ctx.db.sessions() as session:
        row = session.get(StatusList, list_id)
        assert row is not None and row.permutation_seed is not None and row.org_id == org_id
        start, size, permutation, encoded = row.used, row.size, row.permutation_seed, row.encoded_list
    if used <= start:
        return 0
    bits, rows = Bitstring.decode(encoded), []
    for counter in range(start, used):
        index, gone = permuted_index(permutation, counter, size), rng.random() < revoked
        if gone:
            bits.set(index, True)
        rows.append(_award_row(org_id, achievement_id, key_id, 10**8 + counter, (list_id, list_id + "s"), index,
                               gone))
    with ctx.db.transaction() as session:
        session.execute(text("UPDATE status_lists SET used = :used, encoded_list = :encoded, version = version + 1 "
                             "WHERE id = :id"), {"used": used, "encoded": bits.encode(), "id": list_id})
    _copy_awards(database_url, rows)
    return used - start
