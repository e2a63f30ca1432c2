"""An endorsement never given (declined, or left unanswered past its date) loses the person's name and address, the
organisation's message and the words written, 90 days after; a given one stays whole (it is published)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.clock import FixedClock
from app.models import Endorsement
from app.services.recognition.purge import purge
from tests.endorsements.conftest import FATOU, START, accept_as, ask, token_of


def _row(app: Any, endorsement_id: str) -> Endorsement:
    with app.state.db.sessions() as session:
        return session.get_one(Endorsement, endorsement_id)


def _personal(row: Endorsement) -> tuple[Any, ...]:
    return row.invited_name, row.invited_email, row.message, row.comment


def _asked_fatou(client: TestClient, key: dict[str, str], **more: Any) -> dict[str, Any]:
    return ask(client, key, {"kind": "organisation"}, {"name": "Fatou Diallo", "email": FATOU},
               message="Vous nous connaissez bien.", **more)


def test_a_declined_request_forgets_the_person_after_90_days_not_before(client: TestClient, app: Any,
                                                                        clock: FixedClock,
                                                                        key: dict[str, str]) -> None:
    asked = _asked_fatou(client, key)
    client.post(f"/api/v1/endorsement-links/{token_of(asked['link'])}/decline", json={})
    clock.at = START + timedelta(days=89)
    purge(app.state.ctx, actor="cli")
    assert _personal(_row(app, asked["id"])) == ("Fatou Diallo", FATOU, "Vous nous connaissez bien.", None)
    clock.at = START + timedelta(days=91)
    done = purge(app.state.ctx, actor="cli")
    assert done.endorsements == 1
    row = _row(app, asked["id"])
    assert _personal(row) == (None, None, None, None) and (row.state, row.subject_kind) == ("declined",
                                                                                            "organisation")
    assert purge(app.state.ctx, actor="cli").endorsements == 0  # nothing left to do


def test_an_unanswered_request_is_forgotten_90_days_after_its_date(client: TestClient, app: Any, clock: FixedClock,
                                                                   key: dict[str, str]) -> None:
    asked = _asked_fatou(client, key, expires_in_days=10)
    clock.at = START + timedelta(days=101)
    purge(app.state.ctx, actor="cli")
    row = _row(app, asked["id"])
    assert row.state == "expired" and _personal(row) == (None, None, None, None)


def test_a_given_endorsement_stays_whole(client: TestClient, app: Any, clock: FixedClock, key: dict[str, str],
                                         mairie: dict[str, str]) -> None:
    asked = ask(client, key, {"kind": "organisation"}, {"organisation": "mairie"}, message="Merci !")
    accept_as(client, mairie, asked["id"], "Un partenaire fiable.")
    clock.at = START + timedelta(days=400)
    purge(app.state.ctx, actor="cli")
    row = _row(app, asked["id"])
    assert (row.state, row.message, row.comment) == ("accepted", "Merci !", "Un partenaire fiable.")
