"""Proposing a new badge, ``/proposer/{slug}``, and following the proposal, ``/proposition/{token}``: its state, the
committee's question or reason, the adopted badge; changing it when the committee asks more; withdrawing it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.recognition_pages.conftest import read, send, stored_proposals, token_of, words

GOOD = {"name": "Cuisine du monde", "description": "Partager une recette de son pays avec le quartier.",
        "criteria": "Avoir animé un atelier cuisine.", "levels": "Je goûte\r\nJe cuisine\r\n\r\nJ'anime",
        "proposers": "Awa\r\nInès"}


def _propose(client: TestClient, fields: dict[str, str] | None = None, **more: Any) -> Any:
    return send(client, "/proposer/puchot", {**GOOD, **(fields or {})}, **more)


@pytest.fixture(autouse=True)
def org(key: dict[str, str]) -> dict[str, str]:
    """The organisation ``puchot`` (no badge needed to propose one)."""
    return key


@pytest.fixture
def token(client: TestClient, key: dict[str, str]) -> str:
    return token_of(_propose(client), prefix="/proposition/")


def _vote(client: TestClient, key: dict[str, str], choice: str, comment: str | None = None) -> Any:
    member = client.post("/api/v1/committee/members", json={"name": "Fatou", "email": "fatou@exemple.fr"},
                         headers=key).json()["id"]
    client.patch("/api/v1/committee/settings", json={"acceptances": 1}, headers=key)
    [proposal] = client.get("/api/v1/proposals", headers=key).json()
    voted = client.post(f"/api/v1/proposals/{proposal['id']}/votes", headers=key,
                        json={"choice": choice, "member_id": member, **({"comment": comment} if comment else {})})
    assert voted.status_code == 200, voted.text
    return voted.json()


def test_the_form_asks_for_a_badge_in_plain_words(client: TestClient, key: dict[str, str]) -> None:
    page = client.get("/proposer/puchot")
    form = read(page)
    assert page.status_code == 200 and form.title == "Proposer un nouveau badge — savoirs"
    assert "Vous avez une idée de badge pour Centre social du Puchot\u00a0?" in words(page)
    assert [f.get("name") for f in form.fields()] == ["name", "description", "criteria", "levels", "proposers", "email",
                                                      "site_web"]
    assert [f.get("id") for f in form.fields() if f.get("id") not in form.labels] == []
    assert form.by_id("site_web")["tabindex"] == "-1" and len(form.value("csrf")) >= 40


def test_a_proposal_is_sent_and_its_link_shown(client: TestClient, app: Any, key: dict[str, str]) -> None:
    sent = _propose(client, {"email": "awa@exemple.fr"})
    token = token_of(sent, prefix="/proposition/")
    page = client.get(sent.headers["location"])
    assert read(page).title == "Votre proposition est envoyée — savoirs"
    assert f"https://badges.example.org/proposition/{token}" in page.text
    assert "Gardez bien ce lien : c'est votre clé pour suivre votre proposition." in words(page)
    assert "par e-mail" not in words(page)  # no message with the link is sent to proposers: none is promised
    [row] = stored_proposals(app)
    assert (row.name, row.proposers, row.contact) == ("Cuisine du monde", ["Awa", "Inès"], "awa@exemple.fr")
    assert [level["name"] for level in row.levels] == ["Je goûte", "Je cuisine", "J'anime"]
    follow = client.get(f"/proposition/{token}")
    assert read(follow).title == "Ma proposition de badge : Proposition reçue — savoirs"
    assert "Awa, Inès" in follow.text and f'href="/proposition/{token}/retirer"' in follow.text
    assert "Modifier ma proposition" not in follow.text  # only when the committee asks for more


def test_without_an_email_the_proposers_are_told_to_keep_the_link(client: TestClient) -> None:
    sent = _propose(client)
    assert "Vous n'avez pas donné de contact" in words(client.get(sent.headers["location"]))


def test_an_empty_proposal_says_every_missing_field(client: TestClient, app: Any) -> None:
    page = _propose(client, {"name": "", "description": "", "criteria": "", "proposers": "\r\n"})
    form = read(page)
    assert page.status_code == 422 and form.title.startswith("Erreur : 4 choses à corriger — Proposer un nouveau")
    links = [attrs["href"] for tag, attrs in form.elements if tag == "a" and attrs.get("href", "").startswith("#")]
    assert links == ["#contenu", "#name", "#description", "#criteria", "#proposers"]
    for said in ("Écrivez le nom du badge.", "Écrivez ce que le badge reconnaît.",
                 "Écrivez ce qu'il faut faire pour l'obtenir.", "Écrivez au moins un prénom ou un pseudo."):
        assert said in words(page)
    assert form.textareas["levels"] == "Je goûte\nJe cuisine\n\nJ'anime" and stored_proposals(app) == []


def test_levels_are_checked_as_the_api_checks_them(client: TestClient, app: Any) -> None:
    page = _propose(client, {"levels": "\n".join(f"Niveau {n}" for n in range(11))})
    assert page.status_code == 422 and "Trop de lignes : 10 au plus." in words(page)
    page = _propose(client, {"levels": "J'agis\nJ’agis"})
    assert page.status_code == 422 and "deux niveaux portent le même nom" in words(page)
    page = _propose(client, {"proposers": "Awa\n" + "x" * 101})
    assert "Ligne 2 : écrivez un nom" in words(page) and read(page).by_id("proposers")["aria-invalid"] == "true"
    assert stored_proposals(app) == []


def test_an_invalid_email_is_said_next_to_it(client: TestClient, app: Any) -> None:
    page = _propose(client, {"email": "awa@"})
    assert "Cette adresse e-mail n'est pas valide." in words(page) and read(page).value("email") == "awa@"
    assert stored_proposals(app) == []


def test_a_proposal_without_its_form_token_is_refused(client: TestClient, app: Any) -> None:
    page = _propose(client, csrf="")
    assert page.status_code == 403 and read(page).textareas["description"] == GOOD["description"]
    assert stored_proposals(app) == []


def test_the_committee_question_is_answered_by_changing_the_proposal(client: TestClient, app: Any,
                                                                      key: dict[str, str], token: str) -> None:
    _vote(client, key, "more", "Quels plats ?")
    page = client.get(f"/proposition/{token}")
    assert "Le comité a une question" in page.text and "Quels plats ?" in page.text
    assert f'href="/proposition/{token}/modifier"' in page.text
    form_page = client.get(f"/proposition/{token}/modifier")
    form = read(form_page)
    assert form.title == "Modifier ma proposition — savoirs" and form.value("name") == "Cuisine du monde"
    assert form.textareas["levels"] == "Je goûte\nJe cuisine\nJ'anime" and form.textareas["proposers"] == "Awa\nInès"
    assert "email" not in [f.get("name") for f in form.fields()] and "Quels plats ?" in form_page.text
    changed = send(client, f"/proposition/{token}/modifier", {**GOOD, "name": "Cuisines du monde"}, page=form_page)
    assert changed.status_code == 303 and changed.headers["location"] == f"/proposition/{token}?fait=modif"
    assert read(client.get(changed.headers["location"])).title.startswith("Votre proposition est modifiée. — ")
    [row] = stored_proposals(app)
    assert (row.name, row.state, row.round) == ("Cuisines du monde", "received", 2)


def test_a_change_with_errors_comes_back_as_typed(client: TestClient, token: str) -> None:
    form_page = client.get(f"/proposition/{token}/modifier")
    page = send(client, f"/proposition/{token}/modifier", {**GOOD, "criteria": ""}, page=form_page)
    assert page.status_code == 422 and "Écrivez ce qu'il faut faire pour l'obtenir." in words(page)
    assert read(page).value("name") == "Cuisine du monde"


def test_withdrawing_a_proposal_asks_first(client: TestClient, app: Any, token: str) -> None:
    sure = client.get(f"/proposition/{token}/retirer")
    assert read(sure).title == "Êtes-vous sûr(e)\u00a0? — savoirs" and "Cuisine du monde" in words(sure)
    done = send(client, f"/proposition/{token}/retirer", {}, page=sure)
    assert done.headers["location"] == f"/proposition/{token}?fait=retrait"
    page = client.get(done.headers["location"])
    assert read(page).title.startswith("Votre proposition est retirée. — Ma proposition de badge : Proposition retirée")
    assert stored_proposals(app)[0].state == "withdrawn"
    closed = client.get(f"/proposition/{token}/modifier")
    assert "Cette proposition est close" in words(closed) and "<form" not in closed.text
    late = send(client, f"/proposition/{token}/modifier", GOOD, page=sure)
    assert late.status_code == 409 and read(late).title.startswith("Erreur : Proposition close — ")


def test_an_adopted_proposal_shows_the_badge(client: TestClient, key: dict[str, str], token: str) -> None:
    assert _vote(client, key, "accept")["state"] == "adopted"
    page = client.get(f"/proposition/{token}")
    assert read(page).title == "Ma proposition de badge : Proposition adoptée — savoirs"
    assert "Le badge adopté" in page.text and "L&#39;équipe le prépare" in page.text and "<form" not in page.text


def test_a_declined_proposal_gives_the_reason(client: TestClient, key: dict[str, str], token: str) -> None:
    _vote(client, key, "decline", "Ce badge existe déjà.")
    page = client.get(f"/proposition/{token}")
    assert "Proposition non retenue" in page.text and "Ce badge existe déjà." in page.text


def test_proposals_are_closed_with_requests(client: TestClient, app: Any, key: dict[str, str]) -> None:
    form_page = client.get("/proposer/puchot")
    client.patch("/api/v1/committee/settings", json={"requests_open": False}, headers=key)
    page = client.get("/proposer/puchot")
    assert page.status_code == 200 and read(page).title == "Les demandes sont fermées — savoirs"
    assert "Centre social du Puchot ne reçoit pas de demandes en ce moment." in words(page) and "<form" not in page.text
    late = _propose(client, page=form_page)  # the form was open when the page was opened
    assert late.status_code == 409 and stored_proposals(app) == []
    assert client.get("/proposer/ailleurs").status_code == 404
