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
