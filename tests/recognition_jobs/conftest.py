"""Notifications and retention tests: the application on a clock the test moves (no sleeping), without its
in-process job worker (tests run the due jobs with ``run_pending``), an organisation ``puchot`` with a published
badge and a committee of three, and helpers that act as a resident, a member or the calendar would."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from app.clock import FixedClock
from app.config import Settings
from app.main import create_app
from app.models import AuditEvent, BadgeRequest, CommitteeVote, OutgoingEmail, RequestEvidence
from tests.conftest import bearer

START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'agis"}]}
#: the committee: name, address, language
MEMBERS = (("Fatou", "fatou@exemple.fr", "fr"), ("Karim", "karim@exemple.fr", "en"), ("Lise", "lise@exemple.fr", "fr"))
SYLVIE = "sylvie@exemple.fr"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> Iterator[Any]:
    application = create_app(settings, clock=clock, jobs_in_process=False)
    yield application
    application.state.db.dispose()


@pytest.fixture
def key(make_org: Callable[..., dict[str, Any]]) -> dict[str, str]:
    return bearer(make_org("puchot")["api_key"]["token"])


@pytest.fixture
def badge(client: TestClient, key: dict[str, str]) -> str:
    created = client.post("/api/v1/achievements", json=BADGE, headers=key).json()
    assert client.post(f"/api/v1/achievements/{created['id']}/publish", headers=key).status_code == 200
    return str(created["id"])


@pytest.fixture
def members(client: TestClient, key: dict[str, str]) -> dict[str, str]:
    """The committee's member ids by name."""
    ids = {}
    for name, email, language in MEMBERS:
        answer = client.post("/api/v1/committee/members", json={"name": name, "email": email, "language": language},
                             headers=key)
        assert answer.status_code == 201, answer.text
        ids[name] = str(answer.json()["id"])
    return ids


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def ask(client: TestClient, badge: str, **fields: Any) -> dict[str, Any]:
    """A resident's request with a photo and a text as evidence; the answer (id, follow_token)."""
    body = {"achievement_id": badge, "name": "Sylvie", "email": SYLVIE, "level": "J'agis",
            "narrative": "J'ai animé l'atelier couture tout l'hiver.", "text_evidence": "Merci pour les ourlets !",
            **fields}
    answer = client.post("/api/v1/orgs/puchot/requests", data={"request": json.dumps(body)},
                         files=[("evidence", ("photo.png", png(), "image/png"))])
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def vote(client: TestClient, key: dict[str, str], request_id: str, member: str, choice: str,
         comment: str | None = None) -> dict[str, Any]:
    answer = client.post(f"/api/v1/requests/{request_id}/votes", headers=key,
                         json={"choice": choice, "member_id": member, **({"comment": comment} if comment else {})})
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def decide(client: TestClient, key: dict[str, str], request_id: str, members: dict[str, str], choice: str) -> None:
    """Two members make the same choice: the committee decides (two acceptances, the default rule)."""
    said = {"decline": "Trop tôt pour Sylvie.", "more": "Une photo ?"}.get(choice)  # the person reads it
    vote(client, key, request_id, members["Fatou"], choice, said)
    assert vote(client, key, request_id, members["Karim"], choice, "D'accord avec Fatou." if said else None
                )["state"] != "received"


def later(clock: FixedClock, **delta: float) -> datetime:
    """Move the clock from ``START`` (not from where it stands)."""
    clock.at = START + timedelta(**delta)
    return clock.at


def request_row(app: Any, request_id: str) -> BadgeRequest:
    with app.state.db.sessions() as session:
        return session.get_one(BadgeRequest, request_id)


def evidence_count(app: Any, request_id: str) -> int:
    with app.state.db.sessions() as session:
        return len(session.scalars(select(RequestEvidence.id).where(RequestEvidence.request_id == request_id)).all())


def vote_comments(app: Any, request_id: str) -> list[str | None]:
    with app.state.db.sessions() as session:
        return list(session.scalars(select(CommitteeVote.comment).where(CommitteeVote.subject_id == request_id)
                                    .order_by(CommitteeVote.created_at, CommitteeVote.id)))


def emails(app: Any, purpose: str | None = None) -> list[OutgoingEmail]:
    with app.state.db.sessions() as session:
        rows = session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.created_at, OutgoingEmail.id)).all()
    return [r for r in rows if purpose is None or r.purpose == purpose]


def audit(app: Any, action: str) -> list[AuditEvent]:
    with app.state.db.sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))
