"""Issue 17's "send to my backpack" and the consent page, in a real browser: Debian's headless Chromium, driven by
playwright-core (tests/ob3_api/backpack-page.mjs) with the keyboard only, between two live savoirs at a desktop
width and at 390 px. One gives the badge; the other is the holder's backpack, whose consent page she reads and
accepts (a page on the way names the backpack she goes to). Back on her badge's page the message has the focus and
starts the title; at the backpack her space lists the badge, verified. Screenshots are checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import browser_support as browser
from tests.live_server import live_service
from tests.ob3_api.conftest import BADGE

pytestmark = pytest.mark.interop

SCRIPT = Path(__file__).resolve().with_name("backpack-page.mjs")
EMAILS = {"desktop": "sylvie@exemple.fr", "phone": "malika@exemple.fr"}
BACKPACK = "Sac à badges de Rouen"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    browser.require()
    tmp = tmp_path_factory.mktemp("backpack-browser")
    with live_service(tmp / "issuer") as issuer, \
            live_service(tmp / "backpack", host="127.0.0.1", service_name=BACKPACK) as backpack:
        key = {"Authorization": f"Bearer {issuer.org('puchot')}"}
        badge = issuer.http.post("/api/v1/achievements", json=BADGE, headers=key).json()["id"]
        assert issuer.http.post(f"/api/v1/achievements/{badge}/publish", headers=key).status_code == 200
        awards = {}
        for name, email in EMAILS.items():
            given = issuer.http.post(f"/api/v1/achievements/{badge}/awards", headers=key,
                                     json={"recipient": {"email": email}, "notify": False})
            assert given.status_code == 201, given.text
            awards[name] = given.json()["id"]
        cases = browser.viewport_cases(tmp, lambda name: {"email": EMAILS[name], "award": awards[name]})
        output = browser.run_script(SCRIPT, tmp, {
            "base": issuer.base, "backpack": backpack.base, "otherOrigins": [backpack.base],
            "outbox": str(issuer.app.state.settings.var_dir / "outbox"),
            "backpackOutbox": str(backpack.app.state.settings.var_dir / "outbox"), "cases": cases}, timeout=240)
        output["awards"], output["tmp"] = awards, tmp
        return output


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_the_consent_page_says_who_asks_and_what_for_in_french(run: dict[str, Any], name: str) -> None:
    case = run[name]
    assert case["problems"] == [], case["problems"]
    consent = case["consent"]
    assert consent["lang"] == "fr" and consent["url"].startswith("/ims/ob/v3p0/authorize?")
    assert consent["h1"] == "Autoriser « savoirs » ?" and consent["title"].startswith(consent["h1"])
    assert "Si vous acceptez, elle pourra :" in case["consentText"]
    assert "Ajouter des badges à votre espace, ou les remplacer par une version plus récente" in case["consentText"]
    assert "Lire les badges de votre espace" not in case["consentText"]  # only what it asked
    browser.assert_focus_ring(case["allowButton"], "Autoriser")
    browser.assert_fits_the_screen(consent, "consent")


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_a_page_names_her_backpack_before_she_goes_there(run: dict[str, Any], name: str) -> None:
    case = run[name]
    go = case["go"]
    assert go["title"].startswith("Dernière étape sur votre sac à badges —")
    assert case["goFocus"]["role"] == "contains-status"
    assert case["goLink"]["text"] == f"Continuer sur {BACKPACK}"
    browser.assert_focus_ring(case["goLink"], "Continuer")
    browser.assert_fits_the_screen(go, "go")


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_she_is_back_on_her_badge_and_the_message_has_the_focus(run: dict[str, Any], name: str) -> None:
    case = run[name]
    sent = case["sent"]
    assert sent["url"] == f"/mon-espace/badges/{run['awards'][name]}?fait=sent"
    assert sent["title"].startswith("Votre badge a été envoyé à votre sac à badges. —")
    assert case["sentFocus"]["role"] == "contains-status"
    browser.assert_focus_ring(case["sendButton"], "Envoyer ce badge")
    browser.assert_fits_the_screen(sent, "sent")
    shots = Path(run["tmp"]) / name
    browser.assert_screenshots(shots, browser.VIEWPORTS[name], ("go", "consent", "sent", "space"))
    browser.assert_greenish(shots / "sent.png", sent["statusBox"], "the message")


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_her_space_at_the_backpack_lists_the_badge_verified(run: dict[str, Any], name: str) -> None:
    case = run[name]
    assert case["space"]["url"] == "/mon-espace"
    text = case["spaceText"]
    assert "Badges reçus d'ailleurs" in text and BADGE["name"] in text and "Vérifié : authentique" in text
    browser.assert_fits_the_screen(case["space"], "space")
