"""Saying no, taking back, and every other state of the endorser's link: « Je préfère ne pas recommander » needs
no sign-in but asks « Êtes-vous sûr(e) ? » first; « Retirer ma recommandation » needs her address and asks too;
a declined, expired, revoked link, or one still waiting for the award's holder, says so in one sentence."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from app.clock import FixedClock
from tests.endorsement_pages.conftest import (
    ask_fatou,
    endorse,
    focused,
    press,
    state_of,
    text_of,
    title,
)
from tests.endorsements.conftest import FATOU
from tests.recognition_pages.conftest import read
from tests.signin.conftest import sign_in


def _given(client: TestClient, app: Any, key: dict[str, str], badge: str) -> tuple[str, str]:
    """Fatou, signed in, endorsed the badge."""
    endorsement_id, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sign_in(client, app, FATOU)
    assert endorse(client, path).status_code == 303
    return endorsement_id, path


def test_declining_asks_first_and_changes_nothing_until_confirmed(client: TestClient, key: dict[str, str],
                                                                   badge: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    assert read(client.get(path)).by_id("refus-titre")
    sure = client.get(f"{path}/refuser")
    assert title(sure) == "Êtes-vous sûr(e)\u00a0? — savoirs"
    assert "Vous allez répondre à Centre social du Puchot que vous préférez ne pas recommander." in text_of(sure)
    assert "Oui, je préfère ne pas recommander" in text_of(sure) and f'href="{path}"' in sure.text
    assert state_of(client, key, endorsement_id) == "requested"


def test_declining_needs_no_sign_in_and_the_page_says_it_is_recorded(client: TestClient, key: dict[str, str],
                                                                     badge: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sent = press(client, f"{path}/refuser")
    assert sent.status_code == 303 and sent.headers["location"] == f"{path}?fait=refus"
    assert state_of(client, key, endorsement_id) == "declined"
    page = client.get(sent.headers["location"])
    assert title(page) == "Votre réponse est enregistrée : rien ne sera publié — Recommander un badge — savoirs"
    assert len(focused(page)) == 1
    assert "Cette demande est close : aucune recommandation ne sera publiée." in text_of(page)


def test_declining_without_the_csrf_token_is_refused(client: TestClient, key: dict[str, str], badge: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    page = press(client, f"{path}/refuser", csrf="x" * 43)
    assert page.status_code == 403 and state_of(client, key, endorsement_id) == "requested"
    assert title(page) == "Erreur : Formulaire expiré — Êtes-vous sûr(e)\u00a0? — savoirs"
    assert press(client, f"{path}/refuser", page=page).status_code == 303  # the page that said so works


def test_declining_twice_says_the_request_is_closed(client: TestClient, key: dict[str, str], badge: str) -> None:
    _, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sure = client.get(f"{path}/refuser")
    assert press(client, f"{path}/refuser", page=sure).status_code == 303
    again = press(client, f"{path}/refuser", page=sure)  # the first confirmation page, pressed again
    assert again.status_code == 409 and title(again).startswith("Erreur : Demande close — ")
    assert "Cette demande n'attend plus de réponse." in text_of(again)


def test_the_published_words_come_with_the_way_to_take_them_back(client: TestClient, app: Any,
                                                                  key: dict[str, str], badge: str) -> None:
    _, path = _given(client, app, key, badge)
    page = client.get(path)
    assert "Votre recommandation est publiée" in text_of(page) and read(page).fields() == []
    assert f'href="{path}/retirer"' in page.text


def test_revoking_asks_first(client: TestClient, app: Any, key: dict[str, str], badge: str) -> None:
    endorsement_id, path = _given(client, app, key, badge)
    sure = client.get(f"{path}/retirer")
    assert title(sure) == "Êtes-vous sûr(e)\u00a0? — savoirs"
    assert "Vous allez retirer votre recommandation. Elle ne sera plus publiée." in text_of(sure)
    assert "Oui, je retire ma recommandation" in text_of(sure)
    assert state_of(client, key, endorsement_id) == "accepted"


def test_revoking_takes_the_endorsement_back_and_the_page_says_so(client: TestClient, app: Any,
                                                                  key: dict[str, str], badge: str) -> None:
    endorsement_id, path = _given(client, app, key, badge)
    sent = press(client, f"{path}/retirer")
    assert sent.status_code == 303 and sent.headers["location"] == f"{path}?fait=retrait"
    assert state_of(client, key, endorsement_id) == "revoked"
    page = client.get(sent.headers["location"])
    assert title(page).startswith("Votre recommandation est retirée — ") and len(focused(page)) == 1
    assert "Vous avez retiré votre recommandation : elle n'est plus publiée." in text_of(page)


def test_revoking_without_the_csrf_token_is_refused(client: TestClient, app: Any, key: dict[str, str],
                                                    badge: str) -> None:
    endorsement_id, path = _given(client, app, key, badge)
    page = press(client, f"{path}/retirer", csrf="x" * 43)
    assert page.status_code == 403 and title(page).startswith("Erreur : Formulaire expiré — ")
    assert state_of(client, key, endorsement_id) == "accepted"


def test_revoking_needs_her_sign_in(client: TestClient, app: Any, key: dict[str, str], badge: str) -> None:
    endorsement_id, path = _given(client, app, key, badge)
    client.cookies.delete("savoirs_session")
    page = client.get(path)
    assert "Pour la retirer, connectez-vous avec l'adresse f…@exemple.fr." in text_of(page)
    for sent in (client.get(f"{path}/retirer", follow_redirects=False),
                 press(client, f"{path}/retirer", csrf="x" * 43)):
        location = urlsplit(sent.headers["location"])
        assert sent.status_code == 303 and location.path == "/connexion"
        assert parse_qs(location.query)["next"] == [f"{path}/retirer"]
    assert state_of(client, key, endorsement_id) == "accepted"


def test_revoking_with_another_address_is_refused(client: TestClient, app: Any, key: dict[str, str],
                                                  badge: str) -> None:
    endorsement_id, path = _given(client, app, key, badge)
    sure = client.get(f"{path}/retirer")
    sign_in(client, app, "voisin@exemple.fr")
    assert "Me connecter avec la bonne adresse" in text_of(client.get(f"{path}/retirer"))
    refused = press(client, f"{path}/retirer", page=sure)
    assert refused.status_code == 403 and title(refused).startswith("Erreur : Adresse différente — ")
    assert state_of(client, key, endorsement_id) == "accepted"


def test_an_expired_link_says_so(client: TestClient, clock: FixedClock, key: dict[str, str], badge: str) -> None:
    _, path = ask_fatou(client, key, {"kind": "achievement", "id": badge}, expires_in_days=3)
    clock.at += timedelta(days=4)
    page = client.get(path)
    assert "Cette demande a expiré : il n'est plus possible d'y répondre." in text_of(page)
    assert read(page).fields() == [] and "/refuser" not in page.text


def test_before_the_holder_agrees_the_endorser_s_link_says_to_wait(client: TestClient, app: Any,
                                                                   key: dict[str, str], award: str) -> None:
    endorsement_id, _ = ask_fatou(client, key, {"kind": "award", "id": award})
    link = app.state.vault.private_link("endorsement", endorsement_id)  # the endorser's, not yet sent to her
    page = client.get(f"/recommander/{link}")
    assert "La personne qui a reçu ce badge n'a pas encore donné son accord : vous pourrez répondre ensuite." \
        in text_of(page)
    assert read(page).fields() == []


def test_the_endorser_page_in_english_says_where_it_stands(client: TestClient, key: dict[str, str],
                                                           badge: str) -> None:
    _, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sent = client.post(f"{path}/refuser", data={"csrf": read(client.get(f"{path}/refuser")).value("csrf"),
                                                "lang": "en"}, follow_redirects=False)
    assert sent.headers["location"] == f"{path}?fait=refus&lang=en"
    page = client.get(sent.headers["location"])
    assert title(page) == "Your answer is recorded: nothing will be published — Endorse a badge — savoirs"
    assert "This request is closed: no endorsement will be published." in text_of(page)


def test_an_offer_s_link_says_it_waits_for_the_organisation(client: TestClient, app: Any, badge: str) -> None:
    sign_in(client, app, FATOU)
    offered = client.post("/api/v1/endorsement-offers", json={"about": {"kind": "achievement", "id": badge},
                                                              "name": "Fatou Diallo", "comment": "Bravo."})
    assert offered.status_code == 201, offered.text
    page = client.get(urlsplit(offered.json()["link"]).path)
    assert "Vous avez proposé de recommander un badge de Centre social du Puchot." in text_of(page)
    assert "Centre social du Puchot n'a pas encore décidé de publier votre recommandation." in text_of(page)
    assert read(page).fields() == []
