"""What keeps the public forms from being abused, and how each refusal reads: the CSRF token, the trap field, the
limits per client and per organisation (on the service's clock). Nothing refused is stored; what was typed comes
back."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.clock import FixedClock
from app.ratelimit import SharedWindow
from app.routers.recognition_pages import ResidentLimits
from tests.recognition_pages.conftest import (
    ASK_TITLE,
    ask,
    csrf_of,
    phone_photo,
    read,
    send,
    stored_proposals,
    stored_requests,
    token_of,
    words,
)

PROPOSAL = {"name": "Cuisine du monde", "description": "Partager une recette.", "criteria": "Avoir animé un atelier.",
            "proposers": "Awa"}


def test_a_form_without_its_token_is_refused_and_comes_back_as_typed(client: TestClient, app: Any,
                                                                    badge: str) -> None:
    page = ask(client, badge, {"name": "Sylvie"}, csrf="x" * 43, files=[("a.jpg", phone_photo(), "image/jpeg")])
    form = read(page)
    assert page.status_code == 403 and stored_requests(app) == []
    assert form.title == f"Erreur : Formulaire expiré — {ASK_TITLE} — savoirs"
    assert "Ce formulaire a expiré ou ne vient pas de ce site." in words(page)
    assert form.value("name") == "Sylvie" and form.checked("level") == ["level-2"]
    assert "choisissez-les à nouveau" in words(page)
    assert token_of(ask(client, badge, page=page))  # the page that said so carries a token that works


def test_a_form_sent_from_another_site_is_refused(client: TestClient, app: Any, badge: str) -> None:
    token = csrf_of(client.get(f"/demander/puchot/{badge}"))
    page = client.post(f"/demander/puchot/{badge}", data={"csrf": token, "level": "level-1", "contact": "none",
                                                         "narrative": "J'ai cousu."},
                       headers={"Sec-Fetch-Site": "cross-site"})
    assert page.status_code == 403 and stored_requests(app) == []


def test_a_filled_trap_field_refuses_the_request_and_stores_nothing(client: TestClient, app: Any,
                                                                   badge: str) -> None:
    page = ask(client, badge, {"site_web": "https://spam.example"})
    form = read(page)
    assert page.status_code == 400 and stored_requests(app) == []
    assert form.title.startswith("Erreur : Formulaire refusé — ")
    assert "Le formulaire n'a pas été envoyé. Si vous êtes une personne, envoyez-le à nouveau." in words(page)
    assert form.value("site_web") == "" and form.textareas["narrative"].startswith("J'ai animé")
    proposal = send(client, "/proposer/puchot", {**PROPOSAL, "site_web": "oui"})
    assert proposal.status_code == 400 and stored_proposals(app) == []


def test_too_many_forms_from_one_client_wait_an_hour_said_in_words(client: TestClient, app: Any, badge: str,
                                                                  clock: FixedClock) -> None:
    app.state.resident_limits = replace(ResidentLimits.shared(app.state.ctx),
                                        client=SharedWindow(app.state.ctx.db, "test", 2, timedelta(hours=1)))
    token_of(ask(client, badge))
    clock.at += timedelta(minutes=20)
    assert ask(client, badge, {"narrative": ""}).status_code == 422  # a refused form counts too
    clock.at += timedelta(minutes=5)
    page = ask(client, badge, {"name": "Sylvie"})
    assert page.status_code == 429 and page.headers["retry-after"] == str(35 * 60)
    assert read(page).title.startswith("Erreur : Trop d'envois — ")
    assert "Attendez 35 minutes, puis envoyez à nouveau le vôtre : ce que vous avez écrit est gardé ci-dessous." \
        in words(page)
    assert read(page).value("name") == "Sylvie" and len(stored_requests(app)) == 1
    assert send(client, "/proposer/puchot", PROPOSAL).status_code == 429  # every form of these pages counts
    clock.at += timedelta(minutes=35)
    token_of(ask(client, badge))
    assert len(stored_requests(app)) == 2


def test_an_organisation_takes_so_many_requests_an_hour(client: TestClient, app: Any, badge: str,
                                                       clock: FixedClock) -> None:
    app.state.resident_limits = replace(ResidentLimits.shared(app.state.ctx),
                                        org=SharedWindow(app.state.ctx.db, "test", 2, timedelta(hours=1)))
    token_of(ask(client, badge))
    assert ask(client, badge, {"narrative": ""}).status_code == 422  # only what is stored counts here
    token_of(send(client, "/proposer/puchot", PROPOSAL, page=client.get("/proposer/puchot")),
             prefix="/proposition/")
    page = ask(client, badge)
    assert page.status_code == 429 and "Attendez une heure" in words(page)
    clock.at += timedelta(hours=1)
    token_of(ask(client, badge))


def test_the_limits_are_generous_for_a_social_centre_behind_one_address(app: Any) -> None:
    limits = ResidentLimits.shared(app.state.ctx)
    assert isinstance(limits.client, SharedWindow) and isinstance(limits.org, SharedWindow)
    assert (limits.client.limit, limits.client.window) == (30, timedelta(hours=1))
    assert (limits.org.limit, limits.org.window) == (200, timedelta(hours=1))


@pytest.mark.parametrize("body", [b"not a multipart body", b'--x\r\nContent-Disposition: form-data; name="narrative"'
                                  b"\r\n\r\n" + b"a" * (2 << 20) + b"\r\n--x--\r\n"])
def test_an_unreadable_form_says_so_in_words(client: TestClient, app: Any, badge: str, body: bytes) -> None:
    page = client.post(f"/demander/puchot/{badge}", content=body,
                       headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert page.status_code == 400 and read(page).title.startswith("Erreur : Formulaire illisible — ")
    assert "Le formulaire n'a pas pu être lu. Rouvrez la page et recommencez." in words(page)
    assert stored_requests(app) == []
