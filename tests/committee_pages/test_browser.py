"""The committee's pages in a real browser: Debian's headless Chromium, driven by playwright-core
(tests/committee_pages/committee-page.mjs, with interop/browser's playwright-core) with the keyboard only, against a
live served instance whose mail job writes each message to its outbox (where the script reads the code).

At a desktop width and at 390 px, a member opens the committee's page and is sent to the sign-in page for the
committee; signs in with the code; opens a request (its photo shows as a thumbnail); ticks "Demander plus
d'informations" and sends without a comment: the error box has the focus, is announced and the title starts with it;
Tab to the comment, type it, send: the vote is counted and, with the vote another member gave before, decides: "La
personne va recevoir votre question" has the focus and is in the title. Each step's screenshot is saved under the
test's tmp dir and checked: right size, not blank, the error box red and the result box green. Without Chromium or
the Node.js package: skipped (failed with CI=true, as the other browser tests). Install with `bash interop/setup.sh`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import browser_support as browser
from tests.committee_pages.conftest import BADGE, photo
from tests.live_server import LiveService, live_service

pytestmark = pytest.mark.interop

SCRIPT = Path(__file__).resolve().with_name("committee-page.mjs")
COMMENT = "Pouvez-vous ajouter une photo de l'atelier terminé ?"
KARIM_ASKS = "Combien d'ateliers avez-vous animés ?"


def _committee(live: LiveService) -> tuple[dict[str, str], dict[str, str]]:
    """Organisation ``puchot``: a published badge, Karim and one member per viewport; each member's request, on
    which Karim already asked for more. Returns the API key's header and the request id per viewport."""
    key = {"Authorization": f"Bearer {live.org('puchot')}"}
    badge = live.http.post("/api/v1/achievements", json=BADGE, headers=key).json()["id"]
    assert live.http.post(f"/api/v1/achievements/{badge}/publish", headers=key).status_code == 200
    karim = live.http.post("/api/v1/committee/members", headers=key,
                           json={"name": "Karim", "email": "karim@example.fr"}).json()["id"]
    requests = {}
    for name in browser.VIEWPORTS:
        added = live.http.post("/api/v1/committee/members", headers=key,
                               json={"name": f"Fatou {name}", "email": f"fatou.{name}@example.fr"})
        assert added.status_code == 201, added.text
        body = {"achievement_id": badge, "name": f"Sylvie {name}", "level": "J'explore",
                "narrative": "J'ai animé l'atelier couture tout l'hiver.", "text_evidence": "Merci !"}
        received = live.http.post("/api/v1/orgs/puchot/requests", data={"request": json.dumps(body)},
                                  files=[("evidence", ("photo.jpg", photo(), "image/jpeg"))])
        assert received.status_code == 201, received.text
        requests[name] = received.json()["id"]
        asked = live.http.post(f"/api/v1/requests/{requests[name]}/votes", headers=key,
                               json={"choice": "more", "member_id": karim, "comment": KARIM_ASKS})
        assert asked.status_code == 200 and asked.json()["state"] == "received", asked.text
    return key, requests


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    browser.require()
    tmp = tmp_path_factory.mktemp("committee-browser")
    with live_service(tmp / "service") as live:
        key, requests = _committee(live)
        cases = browser.viewport_cases(tmp, lambda name: {
            "email": f"fatou.{name}@example.fr", "listPath": "/comite/puchot",
            "requestPath": f"/comite/puchot/demandes/{requests[name]}", "requestId": requests[name]})
        outbox = live.app.state.settings.var_dir / "outbox"
        output = browser.run_script(SCRIPT, tmp, {"base": live.base, "outbox": str(outbox), "comment": COMMENT,
                                                  "cases": cases}, timeout=180)
        decided = {name: live.http.get(f"/api/v1/requests/{request_id}", headers=key).json()
                   for name, request_id in requests.items()}
    return {**output, "tmp": tmp, "decided": decided}


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_a_member_signs_in_for_the_committee_and_opens_a_request_by_keyboard(run: dict[str, Any], name: str) -> None:
    case = run[name]
    assert case["problems"] == [], case["problems"]  # no CSP violation, script error or failed request
    assert case["start"]["url"] == "/connexion?next=%2Fcomite%2Fpuchot&audience=committee"
    assert case["start"]["title"] == "Me connecter — savoirs"
    assert case["list"]["url"] == "/comite/puchot" and case["list"]["h1"] == "Le comité de Centre social du Puchot"
    assert case["link"]["tag"] == "a"
    request = case["request"]
    assert request["url"].startswith("/comite/puchot/demandes/")
    assert request["title"] == "Demande de badge : Couture — savoirs"
    assert request["thumbs"] == [{"complete": True, "naturalWidth": 64, "alt": "Photo 1 envoyée par la personne"}]


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_asking_for_more_without_a_comment_puts_the_focus_on_the_error(run: dict[str, Any], name: str) -> None:
    case = run[name]
    assert case["firstChoice"]["id"] == "choice-accept" and case["firstChoice"]["checked"] is False
    assert case["choice"]["id"] == "choice-more" and case["choice"]["checked"] is True  # arrows choose
    for focused in (case["firstChoice"], case["emptyComment"], case["button"]):  # a visible focus ring
        browser.assert_focus_ring(focused)
    refused = case["refused"]
    assert refused["title"] == "Commentaire manquant — Demande de badge : Couture — savoirs"
    assert refused["alert"] is not None and refused["alert"].startswith("✘")
    assert "Écrivez un commentaire : la personne le lira." in refused["alert"]
    assert case["refusedFocus"]["id"] == "erreur" and case["refusedFocus"]["role"] == "contains-alert"
    assert case["retryFocus"]["id"] == "comment", "from the error, Tab reaches the comment (past the kept choice)"


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_the_vote_with_its_comment_is_counted_and_asks_the_resident(run: dict[str, Any], name: str) -> None:
    case = run[name]
    voted = case["voted"]
    assert voted["title"] == "Vote compté : question envoyée — Demande de badge : Couture — savoirs"
    assert case["votedFocus"]["id"] == "resultat" and case["votedFocus"]["role"] == "contains-status"
    assert voted["status"] is not None and "Votre vote est compté." in voted["status"]
    assert "La personne va recevoir votre question." in voted["status"]
    assert COMMENT in case["votedText"] and KARIM_ASKS in case["votedText"]
    decided = run["decided"][name]
    assert decided["state"] == "more_info" and decided["question"] == f"{KARIM_ASKS}\n{COMMENT}"


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_every_page_fits_the_screen(run: dict[str, Any], name: str) -> None:
    for step in ("start", "list", "request", "refused", "voted"):
        assert run[name][step]["lang"] == "fr"
        browser.assert_fits_the_screen(run[name][step], step)


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_the_screenshots_are_not_blank_and_show_the_error_red_and_the_vote_green(run: dict[str, Any],
                                                                                  name: str) -> None:
    shots = run["tmp"] / name
    browser.assert_screenshots(shots, browser.VIEWPORTS[name], ("list", "request", "refused", "voted"))
    browser.assert_reddish(shots / "refused.png", run[name]["refused"]["errorBox"], "the error box")
    browser.assert_greenish(shots / "voted.png", run[name]["voted"]["statusBox"], "the result box")
