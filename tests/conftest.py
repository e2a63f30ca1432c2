"""Test fixtures: a real database (SQLite and Postgres), migrated by Alembic, and a fresh app per test.

Every test that asks for ``database_url`` (directly or through ``app``/``client``) runs twice: on SQLite and on
Postgres (``TEST_DATABASE_URL`` or ``postgresql+psycopg://postgres@127.0.0.1:5432/test``). With ``CI=true`` an
unreachable Postgres fails the run instead of skipping.
"""

from __future__ import annotations

import base64
import io
import logging
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.config import Environment, Settings
from app.logging import JsonFormatter, PersonalDataFilter
from app.main import create_app
from app.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "tests" / "vectors"
TEST_KEK = base64.b64encode(bytes(range(32))).decode()
ADMIN_TOKEN = "test-admin-token-0123456789"
BASE_URL = "https://badges.example.org"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def vector_credentials() -> list[dict[str, Any]]:
    """Every credential among the bundled W3C and 1EdTech vectors (any JSON object with a credentialSubject)."""
    import json

    found = []
    for path in sorted(VECTORS.rglob("*.json")):
        try:
            document = json.loads(path.read_text("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(document, dict) and "credentialSubject" in document:
            found.append(document)
    return found


def _ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


#: what an email address left in a log looks like once the service's filter ran (it masks whole addresses): an
#: ``@`` (or ``%40``) still followed by a domain, e.g. one whose local part the filter did not recognise
LEFT_EMAIL = re.compile(r"(?:@|%40)[A-Za-z0-9-]+\.[A-Za-z]{2,}")


def assert_no_email(log: str, where: str) -> None:
    found = [log[max(0, m.start() - 60):m.end() + 10] for m in LEFT_EMAIL.finditer(log)]
    assert not found, f"{len(found)} email address(es) in {where}, e.g. {found[:5]}"


@pytest.fixture(scope="session", autouse=True)
def no_email_in_the_logs() -> Iterator[None]:
    """Everything logged during the run (INFO and above), written as ``savoirs serve`` writes it (JSON lines through
    the personal-data filter), is kept; at the end it must hold none of the email addresses the tests used."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    assert_no_email(stream.getvalue(), "the logs of this test run")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    """A database of its own for this test worker, migrated to head; dropped at the end."""
    admin_url = os.environ.get("TEST_DATABASE_URL", PG_DEFAULT)
    name = f"savoirs_test_{worker_id}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        message = f"PostgreSQL unreachable at {make_url(admin_url).render_as_string()}: {type(exc).__name__}"
        if _ci():
            pytest.fail(message + " (CI=true: Postgres is required)")
        pytest.skip(message)
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"))]
        if tables:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "savoirs.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_url")
    _truncate_all(url)
    yield url


@pytest.fixture
def settings_factory(database_url: str, tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "environment": Environment.test,
            "database_url": database_url,
            "public_base_url": BASE_URL,
            "kek": TEST_KEK,
            "admin_token": ADMIN_TOKEN,
            "var_dir": tmp_path / "var",
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory()


@pytest.fixture
def app(settings: Settings) -> Iterator[Any]:
    application = create_app(settings)
    yield application
    application.state.db.dispose()


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE_URL) as test_client:
        yield test_client


def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def make_org(client: TestClient) -> Callable[..., dict[str, Any]]:
    """Create an organisation through the admin API; returns the response body (with ``api_key.token``)."""
    counter = iter(range(1_000_000))

    def make(slug: str | None = None, **fields: Any) -> dict[str, Any]:
        body = {
            "slug": slug or f"centre-{next(counter)}",
            "name": "Centre social du Puchot",
            "url": "https://centre-social-puchot.example",
            "email": "contact@centre-social-puchot.example",
            **fields,
        }
        response = client.post("/api/v1/orgs", json=body, headers=admin_headers())
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    return make


@pytest.fixture
def token(make_org: Callable[..., dict[str, Any]]) -> str:
    """The API key (every scope) of a fresh organisation with slug ``puchot``."""
    return make_org("puchot")["api_key"]["token"]  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    """The pytest-xdist worker id, or "main" when running without xdist."""
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "main"
