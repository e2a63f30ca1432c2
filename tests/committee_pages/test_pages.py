"""The committee's pages (issue 14): a member signed in by email code reviews the requests and proposals awaiting
votes, sees a request's evidence (photos through a committee-only route), and votes with a form (CSRF, a comment
required to decline or ask for more); the page says what the vote did, or why it was refused, in words that take the
focus. Someone not signed in is sent to the committee's sign-in page; someone who is not a member gets a 403 page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.pages.committee_text import human_day
from tests.committee_pages.conftest import (
    PDF,
    api_vote,
    ask,
    focused,
    photo,
    sign_in,
    title,
    vote,
    votes_of,
)
from tests.signin.conftest import csrf_of, words

COMITE = "/comite/puchot"


def _page(request_id: str) -> str:
    return f"{COMITE}/demandes/{request_id}"


def test_without_signing_in_a_browser_goes_to_the_committee_s_sign_in_and_back(
        client: TestClient, app: Any, badge: str, members: dict[str, str]) -> None:
    request_id = ask(client, badge)
    for path, lang, back in ((COMITE, None, COMITE), (_page(request_id), "en", f"{_page(request_id)}?lang=en")):
        sent = client.get(path, params={"lang": lang} if lang else None, follow_redirects=False)
        assert sent.status_code == 303
        location = urlsplit(sent.headers["location"])
        query = parse_qs(location.query)
        assert location.path == "/connexion" and query["audience"] == ["committee"] and query["next"] == [back]
        assert query.get("lang") == ([lang] if lang else None)
    posted = client.post(_page(request_id), data={"choice": "accept", "csrf": "x" * 43}, follow_redirects=False)
    assert posted.status_code == 303 and "audience=committee" in posted.headers["location"]  # a session that ended
    signin_page = client.get(COMITE)  # followed: the sign-in page, keeping the audience and the way back
    assert signin_page.status_code == 200
    assert 'name="audience" value="committee"' in signin_page.text
    assert f'name="next" value="{COMITE}"' in signin_page.text
    sign_in(client, app, "fatou@exemple.fr")
    assert client.get(COMITE).status_code == 200


def test_someone_signed_in_who_is_not_a_member_gets_a_plain_403_page(
        client: TestClient, app: Any, key: dict[str, str], badge: str, members: dict[str, str]) -> None:
    request_id = ask(client, badge, files=(("photo.jpg", photo(), "image/jpeg"),))
    evidence_id = client.get(f"/api/v1/requests/{request_id}", headers=key).json()["evidence"][0]["id"]
    sign_in(client, app, "voisin@exemple.fr")
    for path in (COMITE, _page(request_id)):
        refused = client.get(path)
        assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")
        assert title(refused) == "Page réservée au comité — Comité — savoirs"
        assert "voisin@exemple.fr, qui n'en fait pas partie" in words(refused)
        assert "Sylvie" not in refused.text and "atelier" not in refused.text
        assert "/connexion?next=" in refused.text and "audience=committee" in refused.text
    assert client.get(f"{_page(request_id)}/preuves/{evidence_id}").status_code == 403
    assert vote(client, _page(request_id), "accept", csrf=csrf_of(client.get("/connexion"))).status_code == 403
    assert votes_of(client, key, request_id) == []


def test_the_list_shows_what_awaits_votes_and_what_awaits_the_resident(
        client: TestClient, app: Any, key: dict[str, str], badge: str, members: dict[str, str]) -> None:
    first = ask(client, badge)
    collective = ask(client, badge, name=None, email=None, group_name="Les couturières du jeudi",
                     members=[{"name": "Awa"}, {"name": "Inès"}])
    asked = ask(client, badge, name="Nathan", level="J'agis")
    api_vote(client, key, first, members["Karim"], "accept")
    api_vote(client, key, asked, members["Karim"], "more", "Combien d'ateliers ?")
    api_vote(client, key, asked, members["Lise"], "more", "Et à quelle date ?")
    proposal = client.post("/api/v1/orgs/puchot/proposals", json={
        "name": "Cuisine du monde", "description": "Partager une recette.", "criteria": "Avoir animé un atelier.",
        "proposers": ["Awa", "Inès"]}).json()["id"]
    sign_in(client, app, "fatou@exemple.fr")
    page = client.get(COMITE)
    assert page.status_code == 200 and title(page) == "Le comité de Centre social du Puchot — savoirs"
    text = words(page)
    awaiting, rest = text.split("Demandes en attente de la réponse de la personne")
    waiting, proposals = rest.split("Badges proposés qui attendent vos votes")
    assert "Demandes qui attendent vos votes (2)" in awaiting and "Fatou" in awaiting
    assert f'href="{_page(first)}"' in page.text and f'href="{_page(collective)}"' in page.text
    assert "Couture — J'explore" in awaiting and "Sylvie" in awaiting
    assert "Groupe « Les couturières du jeudi »" in awaiting
    assert human_day(datetime.now(UTC), "fr") in awaiting
    assert "1 vote(s) à ce tour ; 2 votes du même avis décident." in awaiting  # Karim's
    assert "0 vote(s) à ce tour ; 2 votes du même avis décident." in awaiting
    assert "Vous n'avez pas encore voté." in awaiting
    assert "(1)" in waiting and "Couture — J'agis" in waiting and "Nathan" in waiting
    assert "Combien d'ateliers ?" in waiting and f'href="{_page(asked)}"' in page.text
    assert "(1)" in proposals and "Cuisine du monde" in proposals and "Awa, Inès" in proposals
    assert f'href="{COMITE}/propositions/{proposal}"' in page.text


def test_the_request_page_shows_the_evidence_consents_and_votes(
        client: TestClient, app: Any, key: dict[str, str], badge: str, members: dict[str, str]) -> None:
    request_id = ask(client, badge, publish_evidence=True, text_evidence="Merci pour les ourlets !",
                     files=(("photo.jpg", photo(), "image/jpeg"), ("attestation.pdf", PDF, "application/pdf")))
    api_vote(client, key, request_id, members["Karim"], "accept", "Je l'ai vue animer.")
    sign_in(client, app, "fatou@exemple.fr")
    page = client.get(_page(request_id))
    assert page.status_code == 200 and title(page) == "Demande de badge : Couture — savoirs"
    text = words(page)
    assert "J'ai animé l'atelier couture tout l'hiver." in text and "Sylvie" in text and "J'explore" in text
    assert "Ses preuves" in text and "Oui : toute personne qui voit le badge pourra les voir" in text
    assert "Non : le badge ne le montre pas" in text  # the name is not published
    assert "Karim" in text and "Je l'ai vue animer." in text and "1 vote(s) à ce tour" in text
    evidence = {e["kind"]: e["id"] for e in client.get(f"/api/v1/requests/{request_id}", headers=key)
                .json()["evidence"]}
    image = f"{_page(request_id)}/preuves/{evidence['image']}"
    assert f'<img class="thumb" src="{image}" alt="Photo 1 envoyée par la personne" width="64" height="48"' \
        in page.text
    for kind in ("pdf", "text"):
        assert f'<a href="{_page(request_id)}/preuves/{evidence[kind]}" download>' in page.text
    served = client.get(image)
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert served.headers["content-security-policy"].startswith("sandbox")
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["cache-control"] == "private, no-store"
    assert served.headers["content-disposition"].startswith("inline")
    assert served.content == client.get(f"/api/v1/requests/{request_id}/evidence/{evidence['image']}",
                                        headers=key).content
    pdf = client.get(f"{_page(request_id)}/preuves/{evidence['pdf']}")
    assert pdf.content == PDF and pdf.headers["content-disposition"].startswith("attachment")
    assert pdf.headers["content-security-policy"].startswith("sandbox")
    client.cookies.clear()
    assert client.get(image).status_code == 401  # an image asked for without a session: nothing


def test_a_collective_request_shows_its_group_and_members(client: TestClient, app: Any, badge: str,
                                                         members: dict[str, str]) -> None:
    request_id = ask(client, badge, name=None, group_name="Les couturières du jeudi",
                     members=[{"name": "Awa", "email": "awa@exemple.fr"}, {"name": "Inès"}])
    sign_in(client, app, "lise@exemple.fr")
    text = words(client.get(_page(request_id)))
    assert "Les couturières du jeudi" in text and "<li>Awa</li>" in text and "<li>Inès</li>" in text


def test_a_vote_through_the_form_needs_the_page_s_csrf_token(
        client: TestClient, app: Any, key: dict[str, str], badge: str, members: dict[str, str]) -> None:
    request_id = ask(client, badge)
    sign_in(client, app, "fatou@exemple.fr")
    page = client.get(_page(request_id))
    for token, headers in (("", None), ("x" * 43, None), (csrf_of(page), {"Sec-Fetch-Site": "cross-site"})):
        refused = vote(client, _page(request_id), "accept", csrf=token, headers=headers)
        assert refused.status_code == 403 and title(refused).startswith("Formulaire expiré — ")
        assert "Ce formulaire a expiré ou ne vient pas de ce site" in words(refused)
    assert votes_of(client, key, request_id) == []
    counted = vote(client, _page(request_id), "accept", page=page)
    assert counted.status_code == 200, counted.text
    assert title(counted) == "Vote compté — Demande de badge : Couture — savoirs"
    assert [tag for tag in focused(counted)] == [
        '<section class="verdict verdict-ok" id="resultat" aria-labelledby="resultat-titre" tabindex="-1" autofocus>']
    assert "Votre vote est compté." in words(counted) and "Vous avez voté à ce tour : Accepter." in words(counted)
    assert 'name="choice"' not in counted.text  # no second vote offered
    assert votes_of(client, key, request_id) == [("Fatou", "accept", None)]


def test_two_members_accept_and_the_page_says_the_badge_was_awarded(
        client: TestClient, other_client: TestClient, app: Any, key: dict[str, str], badge: str,
        members: dict[str, str]) -> None:
    request_id = ask(client, badge)
    sign_in(client, app, "fatou@exemple.fr")
    sign_in(other_client, app, "karim@exemple.fr")
    first = vote(client, _page(request_id), "accept", "Bravo.")
    assert "Votre vote est compté." in words(first) and "Le badge a été décerné." not in words(first)
    second = vote(other_client, _page(request_id), "accept")
    assert second.status_code == 200
    assert title(second) == "Vote compté : badge décerné — Demande de badge : Couture — savoirs"
    assert "Le badge a été décerné." in words(second) and "Acceptée : le badge est décerné" in words(second)
    decided = client.get(f"/api/v1/requests/{request_id}", headers=key).json()
    assert decided["state"] == "accepted" and decided["award_id"]
    award = client.get(f"/api/v1/awards/{decided['award_id']}", headers=key)
    assert award.status_code == 200 and award.json()["achievement_id"] == badge


@pytest.mark.parametrize("choice", ["decline", "more"])
def test_declining_or_asking_for_more_needs_a_comment(client: TestClient, app: Any, key: dict[str, str],
                                                      badge: str, members: dict[str, str], choice: str) -> None:
    request_id = ask(client, badge)
    sign_in(client, app, "fatou@exemple.fr")
    page = client.get(_page(request_id))
    assert "Obligatoire si vous refusez ou demandez plus d'informations : la personne lira ce message." \
        in words(page)
    refused = vote(client, _page(request_id), choice, "   \r\n ", page=page)
    assert refused.status_code == 422
    assert title(refused) == "Commentaire manquant — Demande de badge : Couture — savoirs"
    assert "Écrivez un commentaire : la personne le lira." in words(refused)
    assert len(focused(refused)) == 1 and 'id="erreur"' in focused(refused)[0]
    assert f'value="{choice}" required checked>' in refused.text  # the choice is kept
    assert 'aria-describedby="comment-hint erreur-message" aria-invalid="true"' in refused.text
    assert votes_of(client, key, request_id) == []
    comment = "Il manque une photo.\r\nMerci !"
    counted = vote(client, _page(request_id), choice, comment, page=refused)
    assert counted.status_code == 200 and "Votre vote est compté." in words(counted)
    assert votes_of(client, key, request_id) == [("Fatou", choice, "Il manque une photo.\nMerci !")]


def test_a_vote_without_a_choice_is_refused_in_words(client: TestClient, app: Any, key: dict[str, str],
                                                     badge: str, members: dict[str, str]) -> None:
    request_id = ask(client, badge)
    sign_in(client, app, "karim@exemple.fr")
    for choice in ("", "maybe"):
        refused = vote(client, _page(request_id), choice, "Je ne sais pas.")
        assert refused.status_code == 422 and title(refused).startswith("Réponse manquante — ")
        assert "Choisissez l'une des trois réponses." in words(refused)
        assert '<fieldset class="choices" aria-describedby="erreur-message">' in refused.text
        assert "Je ne sais pas.</textarea>" in words(refused)
    assert votes_of(client, key, request_id) == []


def test_a_decline_that_decides_says_the_resident_will_read_the_message(
        client: TestClient, app: Any, key: dict[str, str], badge: str, members: dict[str, str]) -> None:
    request_id = ask(client, badge)
    api_vote(client, key, request_id, members["Karim"], "decline", "Il faut trois ateliers.")
    sign_in(client, app, "fatou@exemple.fr")
    declined = vote(client, _page(request_id), "decline", "Revenez après le troisième atelier.")
    assert title(declined) == "Vote compté : demande refusée — Demande de badge : Couture — savoirs"
    assert "La demande est refusée : la personne recevra votre message." in words(declined)
    assert "Revenez après le troisième atelier." in words(declined)  # the reason, as the resident reads it


def test_a_member_cannot_vote_on_their_own_request_and_is_told_so(
        client: TestClient, app: Any, key: dict[str, str], badge: str, members: dict[str, str]) -> None:
    request_id = ask(client, badge, email="Fatou@Exemple.fr")
    sign_in(client, app, "fatou@exemple.fr")
    page = client.get(_page(request_id))
    assert "Vous avez fait cette demande vous-même" in words(page) and 'name="choice"' not in page.text
    token = client.cookies.get("__Host-savoirs_csrf")  # the form of a page opened elsewhere carries it
    assert token
    refused = vote(client, _page(request_id), "accept", csrf=token)
    assert refused.status_code == 403 and title(refused).startswith("Vote impossible — ")
    assert "Vous ne pouvez pas voter sur votre propre demande" in words(refused)
    assert len(focused(refused)) == 1 and 'id="erreur"' in focused(refused)[0]
    assert votes_of(client, key, request_id) == []


def test_voting_twice_or_after_the_decision_is_refused_in_words(
        client: TestClient, other_client: TestClient, app: Any, key: dict[str, str], badge: str,
        members: dict[str, str]) -> None:
    request_id = ask(client, badge)
    sign_in(client, app, "fatou@exemple.fr")
    page = client.get(_page(request_id))
    assert vote(client, _page(request_id), "accept", page=page).status_code == 200
    again = vote(client, _page(request_id), "decline", "Non.", page=page)  # the page of before, sent again
    assert again.status_code == 409 and title(again).startswith("Déjà voté — ")
    assert "Vous avez déjà voté à ce tour" in words(again)
    sign_in(other_client, app, "karim@exemple.fr")
    stale = other_client.get(_page(request_id))
    api_vote(client, key, request_id, members["Lise"], "accept")  # decides meanwhile
    late = vote(other_client, _page(request_id), "more", "Une photo ?", page=stale)
    assert late.status_code == 409 and title(late).startswith("Vote clos — ")
    assert "Cette demande n'attend pas de votes." in words(late) and "Votre vote n'a pas été compté." in words(late)
    assert sorted(v[0] for v in votes_of(client, key, request_id)) == ["Fatou", "Lise"]  # not Karim


def test_a_request_of_another_organisation_is_not_found(client: TestClient, app: Any, badge: str,
                                                       members: dict[str, str]) -> None:
    sign_in(client, app, "fatou@exemple.fr")
    missing = client.get(_page("nothing-here"))
    assert missing.status_code == 404 and title(missing).startswith("Page introuvable — ")
    assert client.get("/comite/nowhere").status_code == 404


def test_the_pages_in_english(client: TestClient, app: Any, key: dict[str, str], badge: str,
                              members: dict[str, str]) -> None:
    request_id = ask(client, badge)
    sign_in(client, app, "fatou@exemple.fr")
    listed = client.get(COMITE, params={"lang": "en"})
    assert '<html lang="en">' in listed.text and "Requests awaiting your votes (1)" in words(listed)
    assert f'href="{_page(request_id)}?lang=en"' in listed.text
    assert f'href="{COMITE}?lang=fr" lang="fr" hreflang="fr">Français' in listed.text
    page = client.get(_page(request_id), params={"lang": "en"})
    assert "Ask for more information" in words(page) and "Required if you decline" in words(page)
    assert f'action="{_page(request_id)}?lang=en"' in page.text
    refused = vote(client, f"{_page(request_id)}?lang=en", "more", page=page, lang="en")
    assert title(refused) == "Comment missing — Badge request: Couture — savoirs"
    assert "Write a comment: the resident will read it." in words(refused)
    counted = vote(client, f"{_page(request_id)}?lang=en", "accept", page=refused, lang="en")
    assert "Your vote is counted." in words(counted) and '<html lang="en">' in counted.text
    french = client.get(_page(request_id))
    assert '<html lang="fr">' in french.text and "Vous avez voté à ce tour : Accepter." in words(french)


def _propose(client: TestClient) -> str:
    proposed = client.post("/api/v1/orgs/puchot/proposals", json={
        "name": "Cuisine du monde", "description": "Partager une recette de son pays.",
        "criteria": "Avoir animé un atelier cuisine.", "proposers": ["Awa", "Inès"],
        "levels": [{"name": "Je soutiens"}, {"name": "J'agis"}]})
    assert proposed.status_code == 201, proposed.text
    return str(proposed.json()["id"])


def test_two_members_adopt_a_proposal_and_the_page_links_the_draft_badge(
        client: TestClient, other_client: TestClient, app: Any, key: dict[str, str], members: dict[str, str]
        ) -> None:
    proposal = _propose(client)
    path = f"{COMITE}/propositions/{proposal}"
    sign_in(client, app, "fatou@exemple.fr")
    page = client.get(path)
    assert page.status_code == 200 and title(page) == "Badge proposé : Cuisine du monde — savoirs"
    text = words(page)
    assert "Partager une recette de son pays." in text and "Avoir animé un atelier cuisine." in text
    assert "Awa, Inès" in text and "<li>Je soutiens</li>" in text
    assert all(f'value="{c}" required>' in page.text for c in ("accept", "decline", "more"))
    assert "Adopter" in text and "les personnes qui ont proposé ce badge liront ce message" in text
    assert "Votre vote est compté." in words(vote(client, path, "accept", page=page))
    assert "Vous avez voté : Adopter." in words(client.get(COMITE))
    sign_in(other_client, app, "karim@exemple.fr")
    adopted = vote(other_client, path, "accept")
    assert title(adopted) == "Vote compté : proposition adoptée — Badge proposé : Cuisine du monde — savoirs"
    assert "La proposition est adoptée : un brouillon de badge est créé." in words(adopted)
    draft = client.get(f"/api/v1/proposals/{proposal}", headers=key).json()["achievement_id"]
    assert draft and f'href="/api/v1/achievements/{draft}"' in adopted.text
    badge = client.get(f"/api/v1/achievements/{draft}", headers=key)
    assert badge.status_code == 200 and badge.json()["name"] == "Cuisine du monde"


def test_declining_a_proposal_needs_a_comment_too(client: TestClient, app: Any, key: dict[str, str],
                                                  members: dict[str, str]) -> None:
    proposal = _propose(client)
    path = f"{COMITE}/propositions/{proposal}"
    sign_in(client, app, "lise@exemple.fr")
    refused = vote(client, path, "decline")
    assert refused.status_code == 422 and title(refused).startswith("Commentaire manquant — ")
    assert "Écrivez un commentaire : les personnes qui l'ont proposé le liront." in words(refused)
    assert client.get(f"/api/v1/proposals/{proposal}", headers=key).json()["votes"] == []
    assert vote(client, path, "decline", "Il existe déjà.", page=refused).status_code == 200
    assert [v["comment"] for v in client.get(f"/api/v1/proposals/{proposal}", headers=key).json()["votes"]] == [
        "Il existe déjà."]
