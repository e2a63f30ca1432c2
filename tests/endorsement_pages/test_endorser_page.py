"""The endorser's page (``/recommander/{token}``): what she is asked to vouch for and who asks; not signed in, the
address to use (masked) and the way to sign in; signed in with it, her words and « Je recommande »: the thanks take
the focus and the title; signed in with another address, that said plainly."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from tests.endorsement_pages.conftest import (
    ASKS,
    FATOU,
    FATOU_SAYS,
    ask_fatou,
    endorse,
    focused,
    path_of,
    state_of,
    text_of,
    title,
)
from tests.endorsements.conftest import ask
from tests.recognition_pages.conftest import read
from tests.signin.conftest import ask as ask_for_a_code
from tests.signin.conftest import last_message, sign_in, type_code


def test_the_link_shows_the_badge_its_criteria_who_asks_and_the_message(client: TestClient, key: dict[str, str],
                                                                       badge: str) -> None:
    _, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    page = client.get(path)
    said = text_of(page)
    assert page.status_code == 200 and title(page) == "Recommander un badge — savoirs"
    assert "Centre social du Puchot vous demande de recommander l'un de ses badges." in said
    for shown in ("Couture", "Coudre ensemble, à l'atelier du jeudi.", "Pour l'obtenir",
                  "Avoir cousu au moins trois fois avec le groupe.", "Le message de Centre social du Puchot", ASKS,
                  "Vous pouvez répondre jusqu'au 2 janvier 2027."):
        assert shown in said, shown
    assert f'href="/achievements/{badge}"' in page.text
    assert page.headers["X-Robots-Tag"] == "noindex" and page.headers["Cache-Control"] == "no-store"


def test_the_link_about_the_organisation_shows_its_name(client: TestClient, key: dict[str, str]) -> None:
    _, path = ask_fatou(client, key, {"kind": "organisation"})
    page = client.get(path)
    assert title(page) == "Recommander une organisation — savoirs"
    assert "Centre social du Puchot vous demande de la recommander." in text_of(page)
    assert read(page).by_id("objet-titre") is not None and "L'organisation" in text_of(page)


def test_not_signed_in_she_is_told_which_address_to_use_and_offered_to_sign_in(client: TestClient,
                                                                               key: dict[str, str],
                                                                               badge: str) -> None:
    _, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    page = client.get(path)
    assert "connectez-vous d'abord avec l'adresse e-mail à laquelle cette demande a été envoyée : f…@exemple.fr" \
        in text_of(page)
    assert FATOU not in page.text  # whoever holds the link does not learn her address
    sign_in_link = next(a["href"] for t, a in read(page).elements if t == "a" and a.get("class") == "button")
    location = urlsplit(sign_in_link)
    assert location.path == "/connexion" and parse_qs(location.query) == {"next": [path]}
    assert read(page).fields() == []  # nothing to write before signing in


def test_signing_in_from_the_link_brings_her_back_to_it(client: TestClient, app: Any, key: dict[str, str],
                                                        badge: str) -> None:
    _, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    assert ask_for_a_code(client, FATOU, next=path).status_code == 200
    answer = type_code(client, last_message(app, FATOU).code, FATOU)
    assert answer.status_code == 303 and answer.headers["location"] == path


def test_signed_in_with_her_address_she_is_asked_for_her_words(client: TestClient, app: Any, key: dict[str, str],
                                                               badge: str) -> None:
    _, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sign_in(client, app, FATOU)
    form = read(client.get(path))
    [field] = form.fields()
    assert field["tag"] == "textarea" and field["name"] == "comment" and field["maxlength"] == "2000"
    assert "required" in field and form.labels["comment"] == "Votre recommandation (obligatoire)"
    assert field["aria-describedby"] == "comment-hint"
    assert form.value("csrf") and any(a.get("type") == "submit" for _, a in form.elements)


def test_her_words_are_published_and_the_thanks_take_the_focus_and_the_title(client: TestClient, app: Any,
                                                                             key: dict[str, str],
                                                                             badge: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sign_in(client, app, FATOU)
    sent = endorse(client, path, FATOU_SAYS)
    assert sent.status_code == 303 and sent.headers["location"] == f"{path}?fait=merci"
    page = client.get(sent.headers["location"])
    assert title(page) == "Merci : votre recommandation est publiée — Recommander un badge — savoirs"
    [box] = focused(page)
    assert 'id="message"' in box
    assert 'role="status"' in page.text and "Merci : votre recommandation est publiée" in text_of(page)
    assert FATOU_SAYS in text_of(page)
    assert f'href="https://badges.example.org/endorsements/{endorsement_id}"' in page.text
    assert state_of(client, key, endorsement_id) == "accepted"


def test_her_words_keep_their_line_breaks_and_count_each_as_one_character(client: TestClient, app: Any,
                                                                          key: dict[str, str], badge: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sign_in(client, app, FATOU)
    lines = "\r\n".join(["x" * 999, "y" * 999])  # 2,000 characters in the text area, 2,001 as a form sends them
    assert endorse(client, path, lines).status_code == 303
    found = client.get(f"/api/v1/endorsements/{endorsement_id}", headers=key).json()
    assert found["comment"] == "x" * 999 + "\n" + "y" * 999


def test_without_words_nothing_is_published_and_the_error_takes_the_focus(client: TestClient, app: Any,
                                                                          key: dict[str, str], badge: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sign_in(client, app, FATOU)
    page = endorse(client, path, "   ")
    assert page.status_code == 422 and state_of(client, key, endorsement_id) == "requested"
    assert title(page) == "Erreur : Recommandation vide — Recommander un badge — savoirs"
    [box] = focused(page)
    assert 'id="erreur"' in box and "Écrivez votre recommandation : quelques mots suffisent." in text_of(page)
    field = read(page).by_id("comment")
    assert field["aria-invalid"] == "true" and field["aria-describedby"] == "comment-hint comment-error"
    assert read(page).by_id("comment-error")  # the error said next to the field too


def test_words_over_2000_characters_are_refused_and_kept(client: TestClient, app: Any, key: dict[str, str],
                                                         badge: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sign_in(client, app, FATOU)
    page = endorse(client, path, "a" * 2001)
    assert page.status_code == 422 and state_of(client, key, endorsement_id) == "requested"
    assert title(page).startswith("Erreur : Recommandation trop longue — ")
    assert "2\u202f000 caractères au plus (elle en a 2\u202f001)" in text_of(page)
    assert read(page).textareas["comment"] == "a" * 2001


def test_a_form_without_its_csrf_token_is_refused_and_her_words_kept(client: TestClient, app: Any,
                                                                     key: dict[str, str], badge: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sign_in(client, app, FATOU)
    page = endorse(client, path, FATOU_SAYS, csrf="x" * 43)
    assert page.status_code == 403 and state_of(client, key, endorsement_id) == "requested"
    assert title(page) == "Erreur : Formulaire expiré — Recommander un badge — savoirs"
    assert read(page).textareas["comment"] == FATOU_SAYS
    assert endorse(client, path, FATOU_SAYS, page=page).status_code == 303  # the page that said so works


def test_a_form_sent_from_another_site_is_refused(client: TestClient, app: Any, key: dict[str, str],
                                                  badge: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sign_in(client, app, FATOU)
    token = read(client.get(path)).value("csrf")
    sent = client.post(path, data={"csrf": token, "comment": FATOU_SAYS}, headers={"Sec-Fetch-Site": "cross-site"})
    assert sent.status_code == 403 and state_of(client, key, endorsement_id) == "requested"


def test_sending_without_being_signed_in_leads_to_the_sign_in_page(client: TestClient, key: dict[str, str],
                                                                   badge: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sent = endorse(client, path, FATOU_SAYS, csrf="x" * 43)  # a page opened before her session ended
    assert sent.status_code == 303 and urlsplit(sent.headers["location"]).path == "/connexion"
    assert parse_qs(urlsplit(sent.headers["location"]).query)["next"] == [path]
    assert state_of(client, key, endorsement_id) == "requested"


def test_signed_in_with_another_address_the_page_says_so(client: TestClient, app: Any, key: dict[str, str],
                                                         badge: str) -> None:
    _, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sign_in(client, app, "voisin@exemple.fr")
    page = client.get(path)
    assert ("Vous êtes connecté(e) avec l'adresse voisin@exemple.fr. Cette demande a été envoyée à une autre "
            "adresse : f…@exemple.fr.") in text_of(page)
    assert read(page).fields() == [] and "Me connecter avec la bonne adresse" in text_of(page)


def test_words_sent_with_another_address_are_refused(client: TestClient, app: Any, key: dict[str, str],
                                                     badge: str) -> None:
    endorsement_id, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    sign_in(client, app, FATOU)
    page = client.get(path)  # her page, opened before someone else signed in on this computer
    sign_in(client, app, "voisin@exemple.fr")
    refused = endorse(client, path, FATOU_SAYS, page=page)
    assert refused.status_code == 403 and state_of(client, key, endorsement_id) == "requested"
    assert title(refused).startswith("Erreur : Adresse différente — ")
    assert "Connectez-vous avec l'adresse à laquelle cette recommandation a été demandée." in text_of(refused)


def test_the_town_hall_signs_in_with_its_contact_address(client: TestClient, app: Any, key: dict[str, str],
                                                         mairie: dict[str, str], badge: str) -> None:
    asked = ask(client, key, {"kind": "achievement", "id": badge}, {"organisation": "mairie"})
    path = path_of(asked["link"])
    assert "j…@rouen.example" in text_of(client.get(path))
    sign_in(client, app, "jeunesse@rouen.example")
    assert endorse(client, path, "La mairie soutient ces ateliers.").status_code == 303
    assert state_of(client, key, asked["id"]) == "accepted"


def test_an_unknown_link_is_a_plain_404_page(client: TestClient) -> None:
    page = client.get("/recommander/" + "A" * 43)
    assert page.status_code == 404 and title(page) == "Erreur : Page introuvable — savoirs"
    assert "Ce lien ne mène à aucune recommandation." in text_of(page)
    [box] = focused(page)
    assert 'id="erreur"' in box


def test_the_page_in_english_marks_the_french_badge_text(client: TestClient, app: Any, key: dict[str, str],
                                                         badge: str) -> None:
    _, path = ask_fatou(client, key, {"kind": "achievement", "id": badge})
    page = client.get(path, params={"lang": "en"})
    form = read(page)
    assert title(page) == "Endorse a badge — savoirs" and '<html lang="en">' in page.text
    assert "Centre social du Puchot asks you to endorse one of its badges." in text_of(page)
    assert "first sign in with the email address this request was sent to: f…@exemple.fr" in text_of(page)
    french = [a for t, a in form.elements if a.get("lang") == "fr" and t == "p"]
    assert len(french) >= 3  # the badge's name, description and criteria, and the centre's message
    location = urlsplit(next(a["href"] for t, a in form.elements if t == "a" and a.get("class") == "button"))
    assert parse_qs(location.query) == {"next": [f"{path}?lang=en"], "lang": ["en"]}
