"""A visitor offers an endorsement from a public page (``/achievements/{id}/recommander``, ``/credentials/{id}/…``,
``/orgs/{slug}/…``): what they would endorse and when it is published; not signed in, the way to sign in and come
back; signed in, their name as it will be published and their words, « Proposer ma recommandation »: the thanks
take the focus and the title, with the offer's private link in full; refused, the form again with the error focused
and what they typed; nothing public there, the missing page."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.endorsement_pages.conftest import BADGE, BROWSER, focused, press, text_of, title
from tests.recognition_pages.conftest import read
from tests.signin.conftest import ask as ask_for_a_code
from tests.signin.conftest import last_message, sign_in, type_code

KARIM = "karim.benali@exemple.fr"
KARIM_SAYS = "J'ai vu ces ateliers changer la vie du quartier."
LINK = "https://badges.example.org/recommander/"


def _offer(client: TestClient, path: str, name: str = "Karim Benali", comment: str = KARIM_SAYS,
           **more: Any) -> Any:
    """Write a name and words on the offer page ``path`` and press « Proposer ma recommandation »."""
    return press(client, path, {"name": name, "comment": comment}, **more)


def _offers(client: TestClient, key: dict[str, str]) -> list[dict[str, Any]]:
    """The offers waiting for the organisation's decision."""
    found = client.get("/api/v1/endorsements", params={"state": "offered"}, headers=key)
    assert found.status_code == 200, found.text
    return list(found.json())


def _sign_in_href(page: Any) -> str:
    return next(a["href"] for t, a in read(page).elements if t == "a" and a.get("id") == "se-connecter")


# ------------------------------------------------------------------------------------------------ the page


def test_not_signed_in_the_visitor_sees_the_badge_and_a_button_to_sign_in_and_come_back(client: TestClient,
                                                                                       badge: str) -> None:
    path = f"/achievements/{badge}/recommander"
    page = client.get(path)
    said = text_of(page)
    assert page.status_code == 200 and title(page) == "Recommander un badge — savoirs"
    for shown in ("Vous connaissez ce badge de Centre social du Puchot\u00a0? Vous pouvez le recommander.",
                  "Recommander, c'est dire en quelques mots que vous faites confiance",
                  "Vos mots seront publiés avec votre nom quand Centre social du Puchot aura dit oui.",
                  "Couture", BADGE["description"], "Me connecter"):
        assert shown in said, shown
    location = urlsplit(_sign_in_href(page))
    assert location.path == "/connexion" and parse_qs(location.query) == {"next": [path]}
    assert read(page).fields() == []  # nothing to write before signing in
    assert page.headers["X-Robots-Tag"] == "noindex" and page.headers["Cache-Control"] == "no-store"


def test_signing_in_from_the_page_brings_the_visitor_back_to_it(client: TestClient, app: Any, badge: str) -> None:
    path = f"/achievements/{badge}/recommander"
    assert ask_for_a_code(client, KARIM, next=path).status_code == 200
    answer = type_code(client, last_message(app, KARIM).code, KARIM)
    assert answer.status_code == 303 and answer.headers["location"] == path


def test_signed_in_the_visitor_is_asked_for_a_name_and_words(client: TestClient, app: Any, badge: str) -> None:
    sign_in(client, app, KARIM)
    page = client.get(f"/achievements/{badge}/recommander")
    form = read(page)
    name, comment = form.fields()
    assert (name["tag"], name["name"], name["type"], name["maxlength"]) == ("input", "name", "text", "200")
    assert (comment["tag"], comment["name"], comment["maxlength"]) == ("textarea", "comment", "2000")
    assert "required" in name and "required" in comment and focused(page) == []
    assert form.labels["name"] == "Votre nom, tel qu'il sera publié (obligatoire)"
    assert form.labels["comment"] == "Votre recommandation (obligatoire)"
    assert form.value("csrf") and "Proposer ma recommandation" in text_of(page)
    assert f"connecté(e) avec l'adresse {KARIM}. Elle ne sera pas publiée." in text_of(page)


def test_the_award_s_page_says_its_holder_agrees_too(client: TestClient, award: str) -> None:
    page = client.get(f"/credentials/{award}/recommander")
    said = text_of(page)
    assert page.status_code == 200 and title(page) == "Recommander un badge décerné — savoirs"
    assert "quand Centre social du Puchot et la personne qui a reçu ce badge auront dit oui" in said
    assert "Sylvie" in said and f'href="/credentials/{award}"' in page.text


def test_the_organisation_s_page_names_it(client: TestClient, key: dict[str, str]) -> None:
    page = client.get("/orgs/puchot/recommander")
    assert page.status_code == 200 and title(page) == "Recommander une organisation — savoirs"
    assert "Vous connaissez Centre social du Puchot\u00a0? Vous pouvez la recommander." in text_of(page)


# ------------------------------------------------------------------------------------------------ offering


def test_a_good_offer_leads_to_the_thanks_and_the_private_link(client: TestClient, app: Any, key: dict[str, str],
                                                               badge: str) -> None:
    sign_in(client, app, KARIM)
    sent = _offer(client, f"/achievements/{badge}/recommander")
    assert sent.status_code == 303
    location = sent.headers["location"]
    assert location.startswith("/recommander/") and location.endswith("/envoyee")
    page = client.get(location)
    thanks = "Merci : Centre social du Puchot va lire votre recommandation"
    assert title(page) == f"{thanks} — Recommander un badge — savoirs" and thanks in text_of(page)
    [box] = focused(page)
    assert 'id="message"' in box and 'role="status"' in page.text
    link = read(page).by_id("lien")
    assert link["class"] == "private-link"
    token = location.removeprefix("/recommander/").removesuffix("/envoyee")
    assert f"{LINK}{token}" in text_of(page) and "Gardez bien ce lien" in text_of(page)
    assert KARIM_SAYS in text_of(page) and "Karim Benali" in text_of(page)


def test_the_offer_waits_for_the_organisation(client: TestClient, app: Any, key: dict[str, str], badge: str) -> None:
    sign_in(client, app, KARIM)
    assert _offer(client, f"/achievements/{badge}/recommander").status_code == 303
    [waiting] = _offers(client, key)
    assert (waiting["origin"], waiting["about"]["kind"], waiting["about"]["id"]) == ("offered", "achievement", badge)
    assert (waiting["endorser_name"], waiting["comment"]) == ("Karim Benali", KARIM_SAYS)


def test_the_private_link_shows_the_offer_waiting(client: TestClient, app: Any, badge: str) -> None:
    sign_in(client, app, KARIM)
    location = _offer(client, f"/achievements/{badge}/recommander").headers["location"]
    page = client.get(location.removesuffix("/envoyee"))
    assert page.status_code == 200
    assert "Centre social du Puchot n'a pas encore décidé de publier votre recommandation." in text_of(page)


def test_an_award_is_offered_from_its_page(client: TestClient, app: Any, key: dict[str, str], award: str) -> None:
    sign_in(client, app, KARIM)
    sent = _offer(client, f"/credentials/{award}/recommander")
    assert sent.status_code == 303
    assert "la personne qui a reçu ce badge donnera son accord" in text_of(client.get(sent.headers["location"]))
    [waiting] = _offers(client, key)
    assert (waiting["about"]["kind"], waiting["about"]["id"]) == ("award", award)


def test_the_organisation_is_offered_from_its_page(client: TestClient, app: Any, key: dict[str, str]) -> None:
    sign_in(client, app, KARIM)
    assert _offer(client, "/orgs/puchot/recommander").status_code == 303
    [waiting] = _offers(client, key)
    assert waiting["about"]["kind"] == "organisation"


def test_a_name_keeps_single_spaces(client: TestClient, app: Any, key: dict[str, str], badge: str) -> None:
    sign_in(client, app, KARIM)
    assert _offer(client, f"/achievements/{badge}/recommander", name="  Karim \n  Benali ").status_code == 303
    [waiting] = _offers(client, key)
    assert waiting["endorser_name"] == "Karim Benali"


# ------------------------------------------------------------------------------------------------ refused


@pytest.mark.parametrize(("name", "headline", "says"), [
    ("  ", "Nom manquant", "Écrivez votre nom : il sera publié avec votre recommandation."),
    ("K" * 201, "Nom trop long", "Votre nom est trop long : 200 caractères au plus (il en a 201)."),
])
def test_a_missing_or_too_long_name_is_refused_and_focused(client: TestClient, app: Any, key: dict[str, str],
                                                           badge: str, name: str, headline: str, says: str) -> None:
    sign_in(client, app, KARIM)
    page = _offer(client, f"/achievements/{badge}/recommander", name=name)
    assert page.status_code == 422 and _offers(client, key) == []
    assert title(page) == f"Erreur : {headline} — Recommander un badge — savoirs"
    [box] = focused(page)
    assert 'id="erreur"' in box and says in text_of(page)
    field = read(page).by_id("name")
    assert field["aria-invalid"] == "true" and field["aria-describedby"] == "name-hint name-error"
    assert field["value"] == name and read(page).textareas["comment"] == KARIM_SAYS  # what they typed, kept


@pytest.mark.parametrize(("comment", "headline", "says"), [
    ("   ", "Recommandation vide", "Écrivez votre recommandation : quelques mots suffisent."),
    ("a" * 2001, "Recommandation trop longue", "2\u202f000 caractères au plus (elle en a 2\u202f001)"),
])
def test_missing_or_too_long_words_are_refused_and_focused(client: TestClient, app: Any, key: dict[str, str],
                                                           badge: str, comment: str, headline: str, says: str) -> None:
    sign_in(client, app, KARIM)
    page = _offer(client, f"/achievements/{badge}/recommander", comment=comment)
    assert page.status_code == 422 and _offers(client, key) == []
    assert title(page) == f"Erreur : {headline} — Recommander un badge — savoirs"
    [box] = focused(page)
    assert 'id="erreur"' in box and says in text_of(page)
    field = read(page).by_id("comment")
    assert field["aria-invalid"] == "true" and field["aria-describedby"] == "comment-hint comment-error"
    assert read(page).textareas["comment"] == comment and read(page).value("name") == "Karim Benali"


def test_a_form_without_its_csrf_token_is_refused_and_what_was_typed_kept(client: TestClient, app: Any,
                                                                          key: dict[str, str], badge: str) -> None:
    path = f"/achievements/{badge}/recommander"
    sign_in(client, app, KARIM)
    page = _offer(client, path, csrf="x" * 43)
    assert page.status_code == 403 and _offers(client, key) == []
    assert title(page) == "Erreur : Formulaire expiré — Recommander un badge — savoirs"
    assert 'id="erreur"' in focused(page)[0]
    assert read(page).textareas["comment"] == KARIM_SAYS and read(page).value("name") == "Karim Benali"
    assert _offer(client, path, page=page).status_code == 303  # the page that said so works


def test_a_form_sent_from_another_site_is_refused(client: TestClient, app: Any, key: dict[str, str],
                                                  badge: str) -> None:
    path = f"/achievements/{badge}/recommander"
    sign_in(client, app, KARIM)
    token = read(client.get(path)).value("csrf")
    sent = client.post(path, data={"csrf": token, "name": "Karim Benali", "comment": KARIM_SAYS},
                       headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False)
    assert sent.status_code == 403 and _offers(client, key) == []


def test_not_signed_in_a_submit_leads_to_sign_in_and_nothing_is_stored(client: TestClient, key: dict[str, str],
                                                                       badge: str) -> None:
    path = f"/achievements/{badge}/recommander"
    sent = _offer(client, path, csrf="")  # the page had no form: the session ended while it was open
    assert sent.status_code == 303 and _offers(client, key) == []
    location = urlsplit(sent.headers["location"])
    assert location.path == "/connexion" and parse_qs(location.query) == {"next": [path]}


# ------------------------------------------------------------------------------------------------ nothing there


@pytest.mark.parametrize("path", ["/achievements/{draft}/recommander", "/achievements/nope/recommander",
                                  "/credentials/nope/recommander", "/achievements/{award}/recommander",
                                  "/credentials/" + "x" * 80 + "/recommander"])
def test_a_draft_or_unknown_badge_or_award_is_not_found(client: TestClient, key: dict[str, str], award: str,
                                                        path: str) -> None:
    draft = client.post("/api/v1/achievements", json=BADGE, headers=key).json()["id"]
    page = client.get(path.format(draft=draft, award=award))
    assert page.status_code == 404 and title(page) == "Page introuvable — savoirs"
    assert "Nous ne trouvons pas de badge publié à cette adresse." in text_of(page)


def test_an_unknown_organisation_is_not_found(client: TestClient, key: dict[str, str]) -> None:
    page = client.get("/orgs/personne/recommander")
    assert page.status_code == 404 and title(page) == "Page introuvable — savoirs"
    assert "Nous ne trouvons pas d'organisation à cette adresse." in text_of(page)


def test_an_offer_about_a_draft_badge_is_not_found_and_not_stored(client: TestClient, app: Any,
                                                                  key: dict[str, str]) -> None:
    draft = client.post("/api/v1/achievements", json=BADGE, headers=key).json()["id"]
    sign_in(client, app, KARIM)
    path = f"/achievements/{draft}/recommander"
    page = _offer(client, path, csrf=read(client.get("/orgs/puchot/recommander")).value("csrf"))
    assert page.status_code == 404 and _offers(client, key) == []


def test_an_archived_badge_is_not_offered(client: TestClient, key: dict[str, str], badge: str) -> None:
    assert client.post(f"/api/v1/achievements/{badge}/archive", headers=key).status_code == 200
    assert client.get(f"/achievements/{badge}/recommander").status_code == 404
    page = client.get(f"/achievements/{badge}", headers=BROWSER)
    assert page.status_code == 200 and 'id="recommander"' not in page.text


def test_a_revoked_award_can_no_longer_be_endorsed(client: TestClient, key: dict[str, str], award: str) -> None:
    assert client.post(f"/api/v1/awards/{award}/revoke", headers=key, json={"reason": "Erreur"}).status_code == 200
    page = client.get(f"/credentials/{award}/recommander")
    assert page.status_code == 409 and title(page) == "Erreur : Badge plus actif — savoirs"
    assert "Seul un badge décerné actif peut être recommandé" in text_of(page)


def test_an_unknown_thanks_page_is_not_found(client: TestClient) -> None:
    page = client.get("/recommander/inconnu/envoyee")
    assert page.status_code == 404 and title(page) == "Erreur : Page introuvable — savoirs"


# ------------------------------------------------------------------------------------------------ English


def test_in_english_the_page_and_the_way_back_keep_the_language(client: TestClient, badge: str) -> None:
    path = f"/achievements/{badge}/recommander"
    page = client.get(path, params={"lang": "en"})
    assert title(page) == "Endorse a badge — savoirs" and 'lang="en"' in page.text
    assert "You know this badge from Centre social du Puchot? You can endorse it." in text_of(page)
    location = urlsplit(_sign_in_href(page))
    assert parse_qs(location.query) == {"next": [f"{path}?lang=en"], "lang": ["en"]}


def test_in_english_the_thanks_are_in_english(client: TestClient, app: Any, badge: str) -> None:
    path = f"/achievements/{badge}/recommander"
    sign_in(client, app, KARIM)
    page = client.get(path, params={"lang": "en"})
    assert read(page).labels["name"] == "Your name, as it will be published (required)"
    sent = press(client, f"{path}?lang=en", {"name": "Karim Benali", "comment": KARIM_SAYS, "lang": "en"}, page=page)
    assert sent.status_code == 303 and sent.headers["location"].endswith("/envoyee?lang=en")
    thanks = client.get(sent.headers["location"])
    assert title(thanks) == "Thank you: Centre social du Puchot will read your endorsement — Endorse a badge — savoirs"


def test_in_english_a_refusal_is_in_english(client: TestClient, app: Any, badge: str) -> None:
    path = f"/achievements/{badge}/recommander"
    sign_in(client, app, KARIM)
    page = press(client, f"{path}?lang=en", {"name": "", "comment": KARIM_SAYS, "lang": "en"})
    assert page.status_code == 422 and title(page) == "Error: Name missing — Endorse a badge — savoirs"
    assert "Write your name: it will be published with your endorsement." in text_of(page)


# ------------------------------------------------------------------------------------------------ the badge's page


def test_the_badge_s_page_links_to_the_offer(client: TestClient, badge: str) -> None:
    page = client.get(f"/achievements/{badge}", headers=BROWSER)
    assert "Vous connaissez ce badge\u00a0? Recommandez-le" in text_of(page)
    assert read(page).by_id("recommander")["href"] == f"/achievements/{badge}/recommander"
    english = client.get(f"/achievements/{badge}", params={"lang": "en"}, headers=BROWSER)
    assert read(english).by_id("recommander")["href"] == f"/achievements/{badge}/recommander?lang=en"
