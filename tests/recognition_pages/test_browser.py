"""A resident asks for a badge in a real browser: Debian's headless Chromium, driven by playwright-core
(tests/recognition_pages/resident-page.mjs, with interop/browser's playwright-core) with the keyboard only, against a
live served instance, at a desktop width and at 390 px.

The resident opens the request form of a badge in three levels, chooses « J'explore » with the arrow keys, types a
first name, chooses "no contact", attaches a phone photo (a JPEG with a GPS position, made here with Pillow), and
sends without writing what they did: the error summary has the focus and the title starts with « Erreur : ». They
follow the summary's link, write the text, attach the photo again (files are never kept), send: the confirmation
page shows the private link in full (and prints it without the site's header and footer); its button opens the
follow page, « Demande reçue ». Each step's screenshot is saved under the test's tmp dir and checked: right size, not
blank, the error box red. The stored photo has no GPS position. Without Chromium or the Node.js package: skipped, or
failed with CI=true. Install with `bash interop/setup.sh`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests import browser_support as browser
from tests.conftest import bearer
from tests.live_server import live_service
from tests.recognition_pages.conftest import ASK_TITLE, BADGE, phone_photo
from tests.uploads.samples import gps_of

pytestmark = pytest.mark.interop

SCRIPT = Path(__file__).resolve().with_name("resident-page.mjs")
NARRATIVE = "J'ai animé l'atelier couture tous les jeudis."


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    browser.require()
    tmp = tmp_path_factory.mktemp("resident-browser")
    photo = tmp / "IMG_2031.jpg"
    photo.write_bytes(phone_photo())
    assert gps_of(photo.read_bytes()), "the photo given to the browser has a GPS position"
    with live_service(tmp / "service") as live:
        key = bearer(live.org("puchot"))
        badge = live.http.post("/api/v1/achievements", json=BADGE, headers=key).json()["id"]
        assert live.http.post(f"/api/v1/achievements/{badge}/publish", headers=key).status_code == 200
        cases = browser.viewport_cases(tmp, lambda name: {"firstName": f"Sylvie {name}", "narrative": NARRATIVE})
        output = browser.run_script(SCRIPT, tmp, {"base": live.base, "form": f"/demander/puchot/{badge}",
                                          "photo": str(photo), "cases": cases}, timeout=180)
        stored = []
        for request in live.http.get("/api/v1/requests", headers=key).json():
            files = [live.http.get(f"/api/v1/requests/{request['id']}/evidence/{e['id']}", headers=key).content
                     for e in request["evidence"]]
            stored.append({**request, "files": files})
    return {**output, "tmp": tmp, "base": live.base, "stored": stored}


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_a_request_by_keyboard_only(run: dict[str, Any], name: str) -> None:
    case = run[name]
    assert case["problems"] == [], case["problems"]  # no CSP violation, script error or outside request
    assert case["start"]["lang"] == "fr" and case["start"]["title"] == f"{ASK_TITLE} — savoirs"
    assert case["focus"]["levelChosen"]["id"] == "level-2" and case["focus"]["levelChosen"]["checked"] is True
    assert case["focus"]["contactChosen"]["id"] == "contact-none" and case["focus"]["contactChosen"]["checked"]
    assert case["filesBefore"] == 1
    for focused in ("level", "name", "file", "submit", "narrative"):  # a visible focus ring on each
        browser.assert_focus_ring(case["focus"][focused], focused)


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_without_the_text_the_error_summary_takes_the_focus_and_the_title(run: dict[str, Any], name: str) -> None:
    case = run[name]
    refused = case["refused"]
    assert case["refusedStatus"] == 422
    assert refused["title"] == f"Erreur : Une chose à corriger — {ASK_TITLE} — savoirs"
    assert case["refusedFocus"]["id"] == "erreur" and case["refusedFocus"]["role"] == "contains-alert"
    assert "Ce que j'ai fait" in refused["alert"] and "Écrivez ce que vous avez fait." in refused["alert"]
    assert "choisissez-les à nouveau" in refused["alert"]  # the photo must be attached again
    assert (refused["levelChecked"], refused["contactChecked"], refused["name"]) == ("level-2", "none",
                                                                                      f"Sylvie {name}")
    assert refused["filesChosen"] == 0
    assert case["focus"]["summaryLink"]["href"] == "#narrative"  # the next Tab goes from the summary to its link
    assert case["afterLink"]["id"] == "narrative"  # Enter on the link puts the focus in the field


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_the_confirmation_shows_the_private_link_and_the_follow_page_the_request(run: dict[str, Any],
                                                                                 name: str) -> None:
    case = run[name]
    sent, follow = case["sent"], case["follow"]
    assert case["sentStatus"] == 200 and sent["title"] == "Votre demande est envoyée — savoirs"
    found = re.fullmatch(re.escape(run["base"]) + r"/suivi/([A-Za-z0-9_-]{20,64})", sent["privateLink"])
    assert found, sent["privateLink"]
    assert sent["url"] == f"/suivi/{found.group(1)}/envoyee" and case["sentFocus"]["id"] == "message"
    assert "ce lien est le seul moyen de revenir ici" in sent["main"]
    assert case["print"] == {"header": "none", "footer": "none", "link": "block"}
    assert case["followStatus"] == 200 and follow["url"] == f"/suivi/{found.group(1)}"
    assert follow["h1"] == "Ma demande de badge" and follow["state"] == "Demande reçue"
    assert "1 fichier(s) ou texte(s)" in follow["main"]


def test_the_committee_receives_both_requests_without_the_photos_position(run: dict[str, Any]) -> None:
    stored = sorted(run["stored"], key=lambda r: str(r["name"]))
    assert [(r["name"], r["level"], r["narrative"], r["contact_kind"]) for r in stored] == [
        ("Sylvie desktop", "J'explore", NARRATIVE, "none"), ("Sylvie phone", "J'explore", NARRATIVE, "none")]
    for request in stored:
        [photo] = request["files"]
        assert photo[:3] == b"\xff\xd8\xff" and gps_of(photo) == {}


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_every_page_fits_the_screen(run: dict[str, Any], name: str) -> None:
    for step in ("start", "refused", "sent", "follow"):
        browser.assert_fits_the_screen(run[name][step], step)


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_the_screenshots_are_not_blank_and_show_the_error_in_red(run: dict[str, Any], name: str) -> None:
    shots = run["tmp"] / name
    browser.assert_screenshots(shots, browser.VIEWPORTS[name], ("form", "refused", "sent", "sent-print", "follow"))
    browser.assert_reddish(shots / "refused.png", run[name]["refused"]["errorBox"], "the error box")
