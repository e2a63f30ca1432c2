"""The endorser's page in a real browser: Debian's headless Chromium, driven by playwright-core
(tests/endorsement_pages/endorsement-page.mjs, with interop/browser's playwright-core) with the keyboard only,
against a live served instance whose mail job writes each message to its outbox (where the script reads the code).

At a desktop width and at 390 px, a person opens the private link the centre sent her; Tab to "Me connecter": the
sign-in page, which brings her back; she signs in with the code; presses "Je recommande" without writing: the error
box has the focus, is announced and the title starts with it; Tab to her words, type them, send: "Merci : votre
recommandation est publiée" has the focus and is in the title; Tab to "Voir le badge": the badge's public page
shows her name and her words. Each step's screenshot is saved under the test's tmp dir and checked: right size, not
blank, the error box red and the thanks green. Without Chromium or the Node.js package: skipped (failed with
CI=true, as the other browser tests). Install with `bash interop/setup.sh`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import browser_support as browser
from tests.endorsement_pages.conftest import BADGE
from tests.live_server import LiveService, live_service

pytestmark = pytest.mark.interop

SCRIPT = Path(__file__).resolve().with_name("endorsement-page.mjs")
WORDS = "J'ai vu cet atelier rassembler tout le quartier, chaque jeudi."


def _asked(live: LiveService) -> tuple[str, dict[str, str], dict[str, str]]:
    """Organisation ``puchot``: a published badge, and one person per viewport asked to endorse it. Returns the
    badge's id, and the link's path and the endorsement's id per viewport."""
    key = {"Authorization": f"Bearer {live.org('puchot')}"}
    badge = live.http.post("/api/v1/achievements", json=BADGE, headers=key).json()["id"]
    assert live.http.post(f"/api/v1/achievements/{badge}/publish", headers=key).status_code == 200
    links, ids = {}, {}
    for name in browser.VIEWPORTS:
        asked = live.http.post("/api/v1/endorsements", headers=key, json={
            "about": {"kind": "achievement", "id": badge},
            "endorser": {"name": f"Fatou {name}", "email": f"fatou.{name}@example.fr"},
            "message": "Votre avis compte beaucoup pour nous."})
        assert asked.status_code == 201, asked.text
        links[name], ids[name] = urlsplit(asked.json()["link"]).path, asked.json()["id"]
    return badge, links, ids


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    browser.require()
    tmp = tmp_path_factory.mktemp("endorsement-browser")
    with live_service(tmp / "service") as live:
        badge, links, ids = _asked(live)
        cases = browser.viewport_cases(tmp, lambda name: {
            "email": f"fatou.{name}@example.fr", "words": f"{WORDS} ({name})", "linkPath": links[name]})
        outbox = str(live.app.state.settings.var_dir / "outbox")
        output = browser.run_script(SCRIPT, tmp, {"base": live.base, "outbox": outbox, "cases": cases}, timeout=180)
        document = live.http.get(f"/achievements/{badge}").json()  # what verifiers read, after both
    return {**output, "tmp": tmp, "badge": badge, "links": links, "document": document}


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_she_opens_her_link_and_is_sent_to_sign_in_and_back_by_keyboard(run: dict[str, Any], name: str) -> None:
    case = run[name]
    link = run["links"][name]
    assert case["problems"] == [], case["problems"]  # no CSP violation, script error or failed request
    assert case["link"]["title"] == "Recommander un badge — savoirs"
    assert case["signInButton"]["tag"] == "a"
    start = urlsplit(case["start"]["url"])
    assert start.path == "/connexion" and parse_qs(start.query) == {"next": [link]}
    assert case["start"]["title"] == "Me connecter — savoirs"
    assert case["signedIn"]["url"] == link and case["signedIn"]["h1"] == "Recommander un badge"


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_sending_without_words_puts_the_focus_on_the_error(run: dict[str, Any], name: str) -> None:
    case = run[name]
    for focused in (case["emptyWords"], case["button"]):  # a visible focus ring
        browser.assert_focus_ring(focused)
    refused = case["refused"]
    assert refused["title"] == "Erreur : Recommandation vide — Recommander un badge — savoirs"
    assert refused["alert"] is not None and refused["alert"].startswith("✘")
    assert "Écrivez votre recommandation : quelques mots suffisent." in refused["alert"]
    assert case["refusedFocus"]["id"] == "erreur" and case["refusedFocus"]["role"] == "contains-alert"
    assert case["retryFocus"]["id"] == "comment"


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_her_words_are_published_and_the_thanks_take_the_focus_and_the_title(run: dict[str, Any],
                                                                             name: str) -> None:
    case = run[name]
    thanks = case["thanks"]
    assert thanks["url"] == f"{run['links'][name]}?fait=merci"
    assert thanks["title"] == "Merci : votre recommandation est publiée — Recommander un badge — savoirs"
    assert case["thanksFocus"]["id"] == "message" and case["thanksFocus"]["role"] == "contains-status"
    assert thanks["status"] is not None and "Merci : votre recommandation est publiée" in thanks["status"]
    assert f"{WORDS} ({name})" in case["thanksText"]


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_the_badge_page_shows_her_name_and_her_words(run: dict[str, Any], name: str) -> None:
    badge = run[name]["badge"]
    assert badge["url"] == f"/achievements/{run['badge']}" and badge["title"] == "Couture — savoirs"
    assert badge["image"]["complete"] and badge["image"]["naturalWidth"] > 0  # the badge's generated image
    assert any(line.startswith(f"Fatou {name}, le ") and f"{WORDS} ({name})" in line for line in badge["vouchers"])
    names = [endorsement["issuer"]["name"] for endorsement in run["document"]["endorsement"]]
    assert sorted(names) == ["Fatou desktop", "Fatou phone"]  # and the document verifiers read carries both


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_every_page_fits_the_screen(run: dict[str, Any], name: str) -> None:
    for step in ("link", "start", "signedIn", "refused", "thanks", "badge"):
        assert run[name][step]["lang"] == "fr"
        browser.assert_fits_the_screen(run[name][step], step)


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_the_screenshots_are_not_blank_and_show_the_error_red_and_the_thanks_green(run: dict[str, Any],
                                                                                    name: str) -> None:
    shots = run["tmp"] / name
    browser.assert_screenshots(shots, browser.VIEWPORTS[name], ("link", "form", "refused", "thanks", "badge"))
    browser.assert_reddish(shots / "refused.png", run[name]["refused"]["errorBox"], "the error box")
    browser.assert_greenish(shots / "thanks.png", run[name]["thanks"]["statusBox"], "the thanks box")
