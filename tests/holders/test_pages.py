"""The holder's pages as pages: English on request, a form without its CSRF token changes nothing, leaving a space
opened with a code, the attachments' headers."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.holders.conftest import press, public_document, type_claim_code


def test_the_pages_speak_english_on_request(client: TestClient, printed: dict[str, Any]) -> None:
    entry = client.get("/mon-espace?lang=en")
    assert '<html lang="en">' in entry.text and "I have a code on paper" in entry.text
    assert type_claim_code(client, printed["claim_code"], lang="en").headers["location"].endswith("&lang=en")
    page = client.get(f"/mon-espace/badges/{printed['id']}?lang=en")
    assert "Who can see this badge?" in page.text and "This badge is private." in page.text
    assert 'href="/mon-espace/badges/' in page.text and 'lang="fr"' in page.text  # the switch back, marked French


def test_a_choice_without_its_token_changes_nothing(client: TestClient, printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    answer = client.post(f"/mon-espace/badges/{printed['id']}/visibilite", data={"choice": "public", "csrf": "x"},
                         follow_redirects=False)
    assert answer.status_code == 403 and "Formulaire expiré" in answer.text
    assert public_document(client, printed["id"]).status_code == 404


def test_another_site_cannot_make_a_badge_public(client: TestClient, printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    page = f"/mon-espace/badges/{printed['id']}"
    token = client.cookies.get("savoirs_csrf") or ""
    answer = client.post(f"{page}/visibilite", data={"choice": "public", "csrf": token},
                         headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False)
    assert answer.status_code == 403
    assert public_document(client, printed["id"]).status_code == 404


def test_leaving_closes_the_space_of_the_code(client: TestClient, printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    left = press(client, "/mon-espace", "/mon-espace/quitter")
    assert left.status_code == 303 and 'savoirs_holder=""' in left.headers["set-cookie"]
    assert "Taper mon code" in client.get("/mon-espace").text
    assert client.get(f"/mon-espace/badges/{printed['id']}/credential.json").status_code == 401


def test_files_are_attachments_under_a_sandbox(client: TestClient, printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    for name in ("attestation.pdf", "badge.png", "badge.svg", "credential.json", "credential.jwt"):
        answer = client.get(f"/mon-espace/badges/{printed['id']}/{name}")
        assert answer.status_code == 200, name
        assert answer.headers["content-disposition"].startswith("attachment;"), name
        assert answer.headers["content-security-policy"] == "default-src 'none'; sandbox", name
        assert answer.headers["cache-control"] == "no-store", name


def test_a_badge_page_of_nobody_s_space_sends_to_sign_in(client: TestClient, printed: dict[str, Any]) -> None:
    answer = client.get(f"/mon-espace/badges/{printed['id']}?lang=en", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/connexion?next=")
    assert answer.headers["location"].endswith("&lang=en")
