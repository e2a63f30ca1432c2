"""The award's holder's page (``/accord/{token}``): their award, who would endorse it, the organisation's message;
« J'accepte » lets the endorser answer, « Je refuse » closes the request; then the page says where it stands."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.endorsement_pages.conftest import (
    ASKS,
    FATOU,
    FATOU_SAYS,
    ask_fatou,
    endorse,
    focused,
    path_of,
    press,
    state_of,
    text_of,
    title,
)
from tests.recognition_pages.conftest import read
from tests.signin.conftest import sign_in


def test_the_holder_sees_the_award_who_would_endorse_it_and_the_message(client: TestClient, key: dict[str, str],
                                                                        award: str) -> None:
    _, path = ask_fatou(client, key, {"kind": "award", "id": award})
    assert path.startswith("/accord/")
    page = client.get(path)
    said = text_of(page)
    assert page.status_code == 200 and title(page) == "Une recommandation pour votre badge — savoirs"
    assert "Centre social du Puchot voudrait que Fatou Diallo recommande votre badge." in said
    for shown in ("Votre badge", "Couture", "Décerné à\u00a0: Sylvie", "Coudre ensemble, à l'atelier du jeudi.",
                  "Qui recommanderait votre badge", "Fatou Diallo", ASKS, "Êtes-vous d'accord\u00a0?"):
        assert shown in said, shown
    buttons = [(a.get("name"), a.get("value")) for t, a in read(page).elements if t == "button"]
    assert buttons == [("choice", "oui"), ("choice", "non")]
    assert f'href="/credentials/{award}"' in page.text


def test_agreeing_lets_the_endorser_answer(client: TestClient, app: Any, key: dict[str, str], award: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "award", "id": award})
    sent = press(client, path, {"choice": "oui"})
    assert sent.status_code == 303 and sent.headers["location"] == f"{path}?fait=oui"
    assert state_of(client, key, endorsement_id) == "requested"
    page = client.get(sent.headers["location"])
    assert title(page) == "Merci : votre accord est enregistré — Une recommandation pour votre badge — savoirs"
    assert len(focused(page)) == 1 and read(page).fields() == []
    assert "Vous avez donné votre accord : Fatou Diallo peut maintenant écrire sa recommandation." in text_of(page)
    assert not [a for t, a in read(page).elements if t == "button"]


def test_once_the_endorser_answered_the_holder_reads_her_words(client: TestClient, app: Any, key: dict[str, str],
                                                               award: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "award", "id": award})
    assert press(client, path, {"choice": "oui"}).status_code == 303
    link = app.state.vault.private_link("endorsement", endorsement_id)
    sign_in(client, app, FATOU)
    assert "Décerné à\u00a0: Sylvie" in text_of(client.get(f"/recommander/{link}"))
    assert endorse(client, f"/recommander/{link}", FATOU_SAYS).status_code == 303
    page = client.get(path)
    assert "La recommandation de Fatou Diallo est publiée avec votre badge." in text_of(page)
    assert FATOU_SAYS in text_of(page)


def test_refusing_closes_the_request(client: TestClient, key: dict[str, str], award: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "award", "id": award})
    sent = press(client, path, {"choice": "non"})
    assert sent.status_code == 303 and sent.headers["location"] == f"{path}?fait=non"
    assert state_of(client, key, endorsement_id) == "declined"
    page = client.get(sent.headers["location"])
    assert title(page).startswith("Votre refus est enregistré : rien ne sera publié — ")
    assert "Cette recommandation ne sera pas publiée." in text_of(page)


def test_an_answer_without_the_csrf_token_is_refused(client: TestClient, key: dict[str, str], award: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "award", "id": award})
    page = press(client, path, {"choice": "oui"}, csrf="x" * 43)
    assert page.status_code == 403 and state_of(client, key, endorsement_id) == "consent"
    assert title(page) == "Erreur : Formulaire expiré — Une recommandation pour votre badge — savoirs"
    [box] = focused(page)
    assert 'id="erreur"' in box
    assert press(client, path, {"choice": "oui"}, page=page).status_code == 303


def test_an_answer_without_a_choice_is_refused(client: TestClient, key: dict[str, str], award: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "award", "id": award})
    page = press(client, path, {"choice": "peut-être"})
    assert page.status_code == 400 and state_of(client, key, endorsement_id) == "consent"
    assert "Choisissez « J'accepte » ou « Je refuse »." in text_of(page)


def test_answering_twice_says_where_it_stands(client: TestClient, key: dict[str, str], award: str) -> None:
    _, path = ask_fatou(client, key, {"kind": "award", "id": award})
    page = client.get(path)
    assert press(client, path, {"choice": "non"}, page=page).status_code == 303
    again = press(client, path, {"choice": "oui"}, page=page)  # the first page, in another tab
    assert again.status_code == 409 and title(again).startswith("Erreur : Demande close — ")


def test_the_holder_page_in_english(client: TestClient, key: dict[str, str], award: str) -> None:
    _, path = ask_fatou(client, key, {"kind": "award", "id": award})
    page = client.get(path, params={"lang": "en"})
    assert title(page) == "An endorsement for your badge — savoirs" and '<html lang="en">' in page.text
    assert "Centre social du Puchot would like Fatou Diallo to endorse your badge." in text_of(page)
    assert "Awarded to: Sylvie" in text_of(page) and "I agree" in text_of(page)
    assert any(a.get("lang") == "fr" and t == "p" for t, a in read(page).elements)  # the badge's French text
    sent = client.post(path, data={"csrf": read(page).value("csrf"), "lang": "en", "choice": "oui"},
                       follow_redirects=False)
    assert sent.headers["location"] == f"{path}?fait=oui&lang=en"


def test_an_unknown_consent_link_is_a_plain_404_page(client: TestClient) -> None:
    page = client.get("/accord/" + "B" * 43)
    assert page.status_code == 404 and title(page) == "Erreur : Page introuvable — savoirs"


def test_the_holder_agrees_to_an_offered_endorsement_and_it_is_published(client: TestClient, app: Any,
                                                                         key: dict[str, str], award: str) -> None:
    sign_in(client, app, FATOU)
    offered = client.post("/api/v1/endorsement-offers", json={"about": {"kind": "award", "id": award},
                                                              "name": "Fatou Diallo", "comment": FATOU_SAYS})
    assert offered.status_code == 201, offered.text
    decided = client.post(f"/api/v1/endorsements/{offered.json()['id']}/accept", headers=key)
    assert decided.status_code == 200, decided.text
    path = path_of(decided.json()["link"])
    page = client.get(path)
    assert "Les mots de Fatou Diallo\u00a0:" in text_of(page) and FATOU_SAYS in text_of(page)
    assert press(client, path, {"choice": "oui"}, page=page).status_code == 303
    assert state_of(client, key, offered.json()["id"]) == "accepted"
    assert "La recommandation de Fatou Diallo est publiée avec votre badge." in text_of(client.get(path))
