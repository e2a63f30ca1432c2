"""The private link's page, ``/suivi/{token}``, with its two forms: add evidence (the answer to the committee's
question, when it asked one) and withdraw the request after « Êtes-vous sûr(e) ? »."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.recognition_pages.conftest import (
    ask,
    evidence_of,
    phone_photo,
    read,
    send,
    stored_requests,
    token_of,
    words,
)
from tests.uploads.samples import gps_of


@pytest.fixture
def token(client: TestClient, badge: str) -> str:
    return token_of(ask(client, badge, files=[("IMG_2031.jpg", phone_photo(), "image/jpeg")]))


def _ask_more(client: TestClient, key: dict[str, str], request_id: str, question: str) -> None:
    member = client.post("/api/v1/committee/members", json={"name": "Fatou", "email": "fatou@exemple.fr"},
                         headers=key).json()["id"]
    client.patch("/api/v1/committee/settings", json={"acceptances": 1}, headers=key)
    voted = client.post(f"/api/v1/requests/{request_id}/votes", headers=key,
                        json={"choice": "more", "member_id": member, "comment": question})
    assert voted.status_code == 200 and voted.json()["state"] == "more_info", voted.text


def test_an_open_request_offers_its_two_forms(client: TestClient, token: str) -> None:
    page = client.get(f"/suivi/{token}")
    form = read(page)
    assert form.title == "Ma demande de badge : Demande reçue — savoirs"
    assert [attrs["action"] for tag, attrs in form.elements if tag == "form"] == [f"/suivi/{token}/preuves"]
    assert f'href="/suivi/{token}/retirer"' in page.text and "Ajouter une preuve" in page.text
    assert form.by_id("evidence")["accept"] == "image/*,application/pdf" and "multiple" in form.by_id("evidence")
    assert set(form.labels) >= {"evidence", "text"} and len(form.value("csrf")) >= 40
    assert "1 fichier(s) ou texte(s)" in page.text and page.headers["referrer-policy"] == "no-referrer"


def test_adding_evidence_answers_with_the_page_updated_and_a_message_that_takes_the_focus(
        client: TestClient, app: Any, token: str) -> None:
    sent = send(client, f"/suivi/{token}/preuves", {"text": "Fatou peut en parler.\r\nElle était là."},
                page=client.get(f"/suivi/{token}"), files=[("atelier.jpg", phone_photo(), "image/jpeg")])
    assert sent.status_code == 303 and sent.headers["location"] == f"/suivi/{token}?fait=preuve"
    page = client.get(sent.headers["location"])
    form = read(page)
    assert form.title == "Votre preuve est ajoutée. Le comité la verra. — Ma demande de badge : Demande reçue — savoirs"
    assert "autofocus" in form.by_id("message") and '<div role="status">' in page.text
    assert "3 fichier(s) ou texte(s)" in page.text
    stored = evidence_of(app, stored_requests(app)[0].id)
    assert sorted(e.kind for e in stored) == ["image", "image", "text"]
    assert all(gps_of(e.content) == {} for e in stored if e.kind == "image")
    assert [e.content for e in stored if e.kind == "text"] == ["Fatou peut en parler.\nElle était là.".encode()]


def test_adding_nothing_says_what_to_do(client: TestClient, token: str) -> None:
    page = send(client, f"/suivi/{token}/preuves", {"text": "  "}, page=client.get(f"/suivi/{token}"))
    form = read(page)
    assert page.status_code == 422 and form.title.startswith("Erreur : Une chose à corriger — Ma demande de badge")
    assert "Ajoutez un fichier ou un texte." in words(page) and form.by_id("evidence")["aria-invalid"] == "true"
    assert "autofocus" in form.by_id("erreur")


def test_a_refused_file_keeps_the_text_and_says_why(client: TestClient, token: str) -> None:
    page = send(client, f"/suivi/{token}/preuves", {"text": "Voici l'affiche."}, page=client.get(f"/suivi/{token}"),
                files=[("affiche.docx", b"PK\x03\x04 not a photo", "application/octet-stream")])
    assert page.status_code == 422
    assert "«\u00a0affiche.docx\u00a0» : Les fichiers ZIP ne sont pas acceptés" in words(page)
    assert read(page).textareas["text"] == "Voici l'affiche." and "choisissez-les à nouveau" in words(page)


def test_evidence_without_the_form_token_is_refused(client: TestClient, app: Any, token: str) -> None:
    page = send(client, f"/suivi/{token}/preuves", {"text": "Un texte."}, csrf="")
    assert page.status_code == 403 and read(page).textareas["text"] == "Un texte."
    assert len(evidence_of(app, stored_requests(app)[0].id)) == 1


def test_the_committee_question_is_answered_with_evidence(client: TestClient, app: Any, key: dict[str, str],
                                                         token: str) -> None:
    request_id = stored_requests(app)[0].id
    _ask_more(client, key, request_id, "Pouvez-vous ajouter une photo de l'atelier ?")
    page = client.get(f"/suivi/{token}")
    assert "Le comité a une question" in page.text and "Pouvez-vous ajouter une photo de l&#39;atelier ?" in page.text
    assert "Répondre au comité" in page.text and "Envoyer ma réponse" in page.text
    answered = send(client, f"/suivi/{token}/preuves", {"text": "La voici."}, page=page,
                    files=[("atelier.jpg", phone_photo(), "image/jpeg")])
    assert answered.status_code == 303
    followed = client.get(f"/api/v1/request-links/{token}").json()
    assert (followed["state"], followed["round"]) == ("received", 2)
    assert "Demande reçue" in read(client.get(answered.headers["location"])).title


def test_withdrawing_asks_first_then_answers_with_the_page_updated(client: TestClient, app: Any,
                                                                    token: str) -> None:
    sure = client.get(f"/suivi/{token}/retirer")
    form = read(sure)
    assert sure.status_code == 200 and form.title == "Êtes-vous sûr(e)\u00a0? — savoirs"
    assert "Vos preuves seront effacées. Vous ne pourrez pas revenir en arrière." in words(sure)
    assert [attrs["action"] for tag, attrs in form.elements if tag == "form"] == [f"/suivi/{token}/retirer"]
    assert [tag for tag, _ in form.elements if tag == "button"] == ["button"]
    assert f'href="/suivi/{token}"' in sure.text
    assert stored_requests(app)[0].state == "received"  # asking changes nothing
    done = send(client, f"/suivi/{token}/retirer", {}, page=sure)
    assert done.status_code == 303 and done.headers["location"] == f"/suivi/{token}?fait=retrait"
    page = client.get(done.headers["location"])
    assert read(page).title.startswith("Votre demande est retirée. Vos preuves sont effacées. — Ma demande de badge")
    assert "autofocus" in read(page).by_id("message") and "<form" not in page.text
    [row] = stored_requests(app)
    assert row.state == "withdrawn" and evidence_of(app, row.id) == []


def test_a_closed_request_cannot_be_withdrawn_again(client: TestClient, app: Any, token: str) -> None:
    sure = client.get(f"/suivi/{token}/retirer")
    assert send(client, f"/suivi/{token}/retirer", {}, page=sure).status_code == 303
    again = client.get(f"/suivi/{token}/retirer")
    assert "Cette demande est close" in again.text and "<form" not in again.text
    late = send(client, f"/suivi/{token}/retirer", {}, page=sure)  # the button of a page opened before
    assert late.status_code == 409 and read(late).title == "Erreur : Demande close — savoirs"
    assert "Cette demande est close." in words(late) and f'href="/suivi/{token}"' in late.text


def test_withdrawing_without_the_form_token_changes_nothing(client: TestClient, app: Any, token: str) -> None:
    page = send(client, f"/suivi/{token}/retirer", {}, csrf="nope")
    assert page.status_code == 403 and read(page).title == "Erreur : Formulaire expiré — savoirs"
    assert stored_requests(app)[0].state == "received"


def test_a_message_in_the_address_is_shown_only_when_it_is_true(client: TestClient, token: str) -> None:
    page = client.get(f"/suivi/{token}", params={"fait": "retrait"})
    assert "Votre demande est retirée" not in page.text and 'id="message"' not in page.text


def test_the_follow_page_speaks_english(client: TestClient, token: str) -> None:
    page = client.get(f"/suivi/{token}", params={"lang": "en"})
    assert read(page).title == "My badge request: Request received — savoirs" and "Add evidence" in page.text
    assert read(page).value("lang") == "en"
    done = send(client, f"/suivi/{token}/retirer", {"lang": "en"}, page=client.get(f"/suivi/{token}/retirer"))
    assert done.headers["location"] == f"/suivi/{token}?fait=retrait&lang=en"


def test_unknown_links_are_said_in_words(client: TestClient) -> None:
    for path in ("/suivi/" + "x" * 43 + "/envoyee", "/suivi/" + "x" * 43 + "/retirer"):
        page = client.get(path)
        assert page.status_code == 404 and "Vérifiez le lien reçu." in words(page), path
    assert send(client, "/suivi/" + "x" * 43 + "/preuves", {"text": "x"}).status_code == 404
