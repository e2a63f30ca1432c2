"""What the command-line tests share: the environment of a `savoirs` run, an organisation with a published
achievement (made through the services, as the API does), and counting what the database holds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.conftest import TEST_KEK

BASE = "https://badges.example.org"


def cli_env(database_url: str, tmp_path: Path, **overrides: str) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "KEK": TEST_KEK, "ENVIRONMENT": "test", "PUBLIC_BASE_URL": BASE,
            "VAR_DIR": str(tmp_path / "var"), **overrides}


def published_achievement(database_url: str, tmp_path: Path, *, base: str | None = BASE, slug: str = "puchot",
                          **fields: Any) -> tuple[str, str]:
    """(organisation id, achievement id) of a new organisation whose identifiers were published under ``base``
    (``None``: an organisation created before that was recorded)."""
    from app.config import Settings
    from app.db import Database
    from app.services import achievements, organisations
    from app.services.keys import KeyVault

    settings = Settings(**{k.lower(): v for k, v in cli_env(database_url, tmp_path).items()})
    db = Database(database_url)
    with db.transaction() as session:
        org = organisations.create_organisation(session, KeyVault(settings.read_kek()), {
            "slug": slug, "name": "P", "url": "https://p.example", "email": "a@p.example"}, actor="test",
            public_base_url=base)
        achievement = achievements.create(session, org.organisation.id, {
            "name": "Radio", "description": "Animer une émission.", "criteria": {"narrative": "A animé."},
            "levels": [{"name": "Je soutiens"}, {"name": "J'agis"}], **fields}, actor="test")
        achievements.publish(session, org.organisation.id, achievement.id, now=datetime.now(UTC), actor="test")
        ids = org.organisation.id, achievement.id
    db.dispose()
    return ids


def scalar(database_url: str, sql: str) -> Any:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


def count_awards(database_url: str) -> int:
    return int(scalar(database_url, "SELECT count(*) FROM awards"))


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc/*/stat: the field after the state is the parent's id)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found
