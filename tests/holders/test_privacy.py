"""The holder's choices: a badge is private by default (its address serves no document, its page shows nothing of
it); public on the holder's word; a name shown or taken back issues the credential again under its id, with a
newer validFrom, and every verifier still accepts it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.clock import FixedClock
from tests.endorsements.conftest import verify
from tests.holders.conftest import BADGE, give, paragraph, press, public_document, type_claim_code

BROWSER = {"Accept": "text/html"}


def _badge_page(award: dict[str, Any]) -> str:
    return f"/mon-espace/badges/{award['id']}"


def test_a_new_badge_is_private_everywhere(client: TestClient, printed: dict[str, Any]) -> None:
    award_id = printed["id"]
    document = public_document(client, award_id)
    assert document.status_code == 404 and document.json()["code"] == "credential_private"
    assert client.get(f"/credentials/{award_id}?format=jwt").status_code == 404
    assert client.get(f"/credentials/{award_id}/badge.png").status_code == 404
    assert client.get(f"/ob2/assertions/{award_id}", headers={"Accept": "application/ld+json"}).status_code == 404
    page = client.get(f"/credentials/{award_id}", headers=BROWSER)
    assert page.status_code == 404 and "Ce badge est privé" in page.text
    assert BADGE["name"] not in page.text and "Malik" not in page.text


def test_the_holder_makes_a_badge_public_then_private(client: TestClient, printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    page = _badge_page(printed)
    assert paragraph(client.get(page), "visibilite").startswith("Ce badge est privé.")
    made = press(client, page, f"{page}/visibilite", choice="public")
    assert made.status_code == 303 and made.headers["location"] == f"{page}?fait=public"
    shown = client.get(made.headers["location"])
    assert "<title>Votre badge est maintenant public. —" in shown.text
    assert paragraph(shown, "visibilite").startswith("Ce badge est public.")
    assert public_document(client, printed["id"]).status_code == 200
    assert "Cuisine du monde" in client.get(f"/credentials/{printed['id']}", headers=BROWSER).text
    press(client, page, f"{page}/visibilite", choice="private")
    assert public_document(client, printed["id"]).status_code == 404


def test_a_private_badge_still_verifies_from_its_file(client: TestClient, printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    saved = client.get(f"{_badge_page(printed)}/credential.json")
    assert saved.status_code == 200
    assert saved.headers["content-disposition"].startswith("attachment;")
    assert verify(client, saved.json())["verified"] is True


def test_showing_a_name_issues_the_credential_again_under_its_id(client: TestClient, clock: FixedClock,
                                                                 printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    page = _badge_page(printed)
    before = client.get(f"{page}/credential.json").json()
    assert paragraph(client.get(page), "nom-actuel") == "Votre nom n&#39;est pas écrit sur le badge."
    clock.at += timedelta(hours=1)
    answer = press(client, page, f"{page}/nom", action="show", name="  Malik  ")
    assert answer.status_code == 303 and answer.headers["location"] == f"{page}?fait=name"
    after = client.get(f"{page}/credential.json").json()
    assert after["id"] == before["id"] and after["validFrom"] > before["validFrom"]
    names = [i["identityHash"] for i in after["credentialSubject"]["identifier"] if i["identityType"] == "name"]
    assert names == ["Malik"]
    assert verify(client, after)["verified"] is True
    assert paragraph(client.get(page), "nom-actuel") == "Le badge affiche ce nom : Malik."


def test_taking_the_name_back_leaves_no_name_in_the_credential(client: TestClient, printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    page = _badge_page(printed)
    press(client, page, f"{page}/nom", action="show", name="Malik")
    answer = press(client, page, f"{page}/nom", action="hide", name="")
    assert answer.headers["location"] == f"{page}?fait=noname"
    after = client.get(f"{page}/credential.json").json()
    assert "Malik" not in str(after) and verify(client, after)["verified"] is True


def test_an_empty_name_is_refused_in_words(client: TestClient, printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    page = _badge_page(printed)
    answer = press(client, page, f"{page}/nom", action="show", name="   ")
    assert answer.status_code == 422
    assert "<title>Erreur : Nom à corriger" in answer.text and 'aria-invalid="true"' in answer.text


def test_the_public_page_shows_what_the_holder_chose(client: TestClient, printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    page = _badge_page(printed)
    press(client, page, f"{page}/visibilite", choice="public")
    assert "Malik" not in client.get(f"/credentials/{printed['id']}", headers=BROWSER).text
    press(client, page, f"{page}/nom", action="show", name="Malik")
    assert "Malik" in client.get(f"/credentials/{printed['id']}", headers=BROWSER).text
    assert "et le nom « Malik »" in client.get(page).text


def test_a_revoked_badge_keeps_its_name_as_it_was(client: TestClient, key: dict[str, str],
                                                  printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    revoked = client.post(f"/api/v1/awards/{printed['id']}/revoke", headers=key, json={"reason": "Erreur"})
    assert revoked.status_code == 200, revoked.text
    page = _badge_page(printed)
    answer = press(client, page, f"{page}/nom", action="show", name="Malik")
    assert answer.status_code == 409 and "Changement impossible" in answer.text


def test_an_award_the_person_agreed_to_make_public_is_public(client: TestClient, key: dict[str, str],
                                                             badge: str) -> None:
    award = give(client, key, badge, recipient={"email": "nadia@exemple.fr", "public": True})
    assert public_document(client, award["id"]).status_code == 200


def test_the_verifier_reads_no_private_badge_by_its_address(client: TestClient, printed: dict[str, Any]) -> None:
    url = f"https://badges.example.org/credentials/{printed['id']}"
    report = client.get("/api/v1/verify", params={"url": url})
    assert report.status_code == 200 and report.json()["verified"] is False
    assert "Cuisine du monde" not in report.text and "Malik" not in report.text


def test_each_member_of_a_group_has_their_own_consent(client: TestClient, key: dict[str, str], badge: str) -> None:
    group = client.post("/api/v1/groups", headers=key, json={"name": "Les cuisinières", "members": [
        {"email": "awa@exemple.fr", "display_name": "Awa", "publish_name": True, "public": True},
        {"email": "lina@exemple.fr", "display_name": "Lina"}]})
    assert group.status_code == 201, group.text
    award = give(client, key, badge, group_id=group.json()["id"])
    assert public_document(client, award["id"]).status_code == 200  # the group's own badge
    by_name = {m["display_name"]: m for m in award["members"]}
    awa = public_document(client, by_name["Awa"]["id"])
    assert awa.status_code == 200 and "Awa" in awa.text
    assert public_document(client, by_name["Lina"]["id"]).status_code == 404
    assert by_name["Awa"]["visibility"] == "public" and by_name["Lina"]["visibility"] == "private"
