"""Claiming: a printed claim code opens a space of its own (and again later); an address proven by signing in
gathers every award issued to it, across organisations; a space shows only its own badges."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi.testclient import TestClient

from app.services.holders.spaces import clean_claim_code
from tests.conftest import bearer
from tests.documents.conftest import Reader, flat
from tests.documents.conftest import reader as reader
from tests.endorsements.conftest import publish_badge
from tests.holders.conftest import BADGE, SYLVIE, give, signed_in_as, type_claim_code
from tests.signin.conftest import messages


def test_a_printed_code_opens_a_space_with_its_badge(client: TestClient, printed: dict[str, Any]) -> None:
    answer = type_claim_code(client, printed["claim_code"])
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/mon-espace/badges/{printed['id']}?fait=claimed"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("savoirs_holder=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    page = client.get(answer.headers["location"])
    assert page.status_code == 200
    assert "Ce badge est maintenant dans votre espace." in page.text
    assert "<h1>Cuisine du monde</h1>" in page.text and "Niveau : J&#39;agis" in page.text


def test_a_code_typed_loosely_is_understood(client: TestClient, printed: dict[str, Any]) -> None:
    typed = " " + printed["claim_code"].replace("-", " ").lower().replace("0", "o") + " "
    assert clean_claim_code(typed) == printed["claim_code"]
    assert type_claim_code(client, typed).status_code == 303


def test_a_wrong_code_is_refused_in_words_and_keeps_what_was_typed(client: TestClient,
                                                                   printed: dict[str, Any]) -> None:
    answer = type_claim_code(client, "0000-0000-0000-0000")
    assert answer.status_code == 404
    assert "<title>Erreur : Code inconnu" in answer.text and "autofocus" in answer.text
    assert 'value="0000-0000-0000-0000"' in answer.text and "savoirs_holder" not in answer.headers.get("set-cookie", "")


def test_the_same_code_brings_the_holder_back_from_another_browser(app: Any, printed: dict[str, Any]) -> None:
    with TestClient(app) as first:
        assert type_claim_code(first, printed["claim_code"]).status_code == 303
    with TestClient(app) as second:
        assert second.get("/mon-espace").text.count("Taper mon code") >= 1  # not in a space
        assert type_claim_code(second, printed["claim_code"]).status_code == 303
        assert "Cuisine du monde" in second.get("/mon-espace").text


def test_a_second_code_joins_the_same_space(client: TestClient, key: dict[str, str], badge: str,
                                            printed: dict[str, Any]) -> None:
    other = give(client, key, badge, level="J'explore", recipient={"display_name": "Malik Benali"})
    type_claim_code(client, printed["claim_code"])
    type_claim_code(client, other["claim_code"])
    space = client.get("/mon-espace").text
    assert "Vous avez 2 badges." in space
    assert printed["id"] in space and other["id"] in space


def test_without_a_space_the_page_offers_the_two_ways_in(client: TestClient) -> None:
    page = client.get("/mon-espace")
    assert page.status_code == 200
    assert 'href="/connexion?next=/mon-espace"' in page.text and 'href="/recuperer"' in page.text


def test_an_address_gathers_its_awards_across_organisations(client: TestClient, app: Any, key: dict[str, str],
                                                             badge: str, make_org: Callable[..., dict[str, Any]]
                                                             ) -> None:
    mine = give(client, key, badge, recipient={"email": SYLVIE})
    other_key = bearer(make_org("mjc", name="MJC de Rouen")["api_key"]["token"])
    elsewhere = give(client, other_key, publish_badge(client, other_key, {**BADGE, "name": "Théâtre"}),
                     recipient={"email": "Sylvie@Exemple.fr"})
    not_mine = give(client, key, badge, recipient={"email": "nadia@exemple.fr"})
    signed_in_as(client, app)
    space = client.get("/mon-espace").text
    assert "Vous avez 2 badges." in space and f"Vous êtes entré(e) avec l&#39;adresse {SYLVIE}." in space
    assert mine["id"] in space and elsewhere["id"] in space and not_mine["id"] not in space


def test_a_badge_of_another_space_is_not_shown(app: Any, client: TestClient, key: dict[str, str], badge: str,
                                               printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    theirs = give(client, key, badge, recipient={"email": "nadia@exemple.fr"})
    page = client.get(f"/mon-espace/badges/{theirs['id']}")
    assert page.status_code == 404 and "Ce badge n&#39;est pas dans votre espace." in page.text
    assert client.get(f"/mon-espace/badges/{theirs['id']}/credential.json").status_code == 404


def test_a_code_claimed_into_an_address_space_does_not_open_it_without_the_address(
        app: Any, client: TestClient, printed: dict[str, Any]) -> None:
    signed_in_as(client, app)
    assert type_claim_code(client, printed["claim_code"]).status_code == 303
    with TestClient(app) as stranger:
        answer = type_claim_code(stranger, printed["claim_code"])
        assert answer.status_code == 409 and "connectez-vous avec cette adresse" in answer.text


def test_downloads_need_a_space(client: TestClient, printed: dict[str, Any]) -> None:
    answer = client.get(f"/mon-espace/badges/{printed['id']}/credential.json")
    assert answer.status_code == 401
    assert answer.json()["code"] == "holder_signin_required"


def test_the_recipient_is_told_by_email_and_its_link_claims_the_badge(app: Any, client: TestClient,
                                                                       key: dict[str, str], badge: str) -> None:
    award = give(client, key, badge, recipient={"email": SYLVIE})
    [told] = [m for m in messages(app, SYLVIE) if m.purpose == "award.received"]
    assert told.subject == "Vous avez reçu le badge « Cuisine du monde »"
    assert "votre badge est privé" in told.text
    link = re.search(r"https://\S+/mon-espace/badges/\S+", told.text)
    assert link and link.group(0).endswith(f"/mon-espace/badges/{award['id']}")
    path = urlsplit(link.group(0)).path
    opened = client.get(path, follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "/connexion?" + urlencode({"next": path})
    signed_in_as(client, app)
    page = client.get(path)
    assert page.status_code == 200 and "<h1>Cuisine du monde</h1>" in page.text


def test_no_message_when_the_organisation_says_so(app: Any, client: TestClient, key: dict[str, str],
                                                  badge: str) -> None:
    give(client, key, badge, recipient={"email": SYLVIE}, notify=False)
    give(client, key, badge, recipient={"display_name": "Malik"})
    assert [m for m in messages(app) if m.purpose == "award.received"] == []


def test_the_claim_sheet_carries_the_code_and_a_qr_code_to_the_filled_in_claim_page(
        client: TestClient, key: dict[str, str], reader: Reader, printed: dict[str, Any]) -> None:
    assert printed["links"]["claim"] == f"https://badges.example.org/recuperer?code={printed['claim_code']}"
    sheet = client.post("/api/v1/claim-sheets", headers=key, json={"codes": [printed["claim_code"].lower()]})
    assert sheet.status_code == 200 and sheet.headers["content-type"] == "application/pdf"
    text = flat(reader.text(sheet.content))
    assert printed["claim_code"] in text and "Pour : Malik Benali" in text and "Niveau : J'agis" in text
    [[code]] = reader.codes(sheet.content)
    assert code.text == printed["links"]["claim"]
    filled = client.get(urlsplit(code.text).path + "?" + urlsplit(code.text).query)
    assert f'value="{printed["claim_code"]}"' in filled.text


def test_a_code_of_another_organisation_prints_nothing(client: TestClient, printed: dict[str, Any],
                                                       make_org: Callable[..., dict[str, Any]]) -> None:
    other = bearer(make_org("mjc", name="MJC")["api_key"]["token"])
    answer = client.post("/api/v1/claim-sheets", headers=other, json={"codes": [printed["claim_code"]]})
    assert answer.status_code == 404 and answer.json()["code"] == "claim_code_unknown"


def test_a_new_code_replaces_a_lost_one(client: TestClient, key: dict[str, str], printed: dict[str, Any]) -> None:
    renewed = client.post(f"/api/v1/awards/{printed['id']}/claim-code", headers=key)
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["claim_code"] != printed["claim_code"]
    assert type_claim_code(client, printed["claim_code"]).status_code == 404
    assert type_claim_code(client, renewed.json()["claim_code"]).status_code == 303
