"""Issue 16's "done when", in a real browser: Debian's headless Chromium, driven by playwright-core
(tests/holder_pages/holder-page.mjs) with the keyboard only, against a live served instance, at a desktop width and
at 390 px.

A resident with no email address received a paper with a claim code. She opens "Mes badges", types the code, sees
her badge, makes it public and shows her first name, and downloads the PDF certificate. The test renders the PDF
(pdftoppm), decodes its QR code (zxing-cpp): it leads to the badge's verification page, which the browser opens and
which says the badge is valid and shows her first name. She comes back another day with the same code, makes the
badge private again: the same address then shows neither the badge nor her name. She opens her CV page and asks
for her data to be erased. Every message after a submit has the focus and starts the title; screenshots are
checked.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from tests import browser_support as browser
from tests.holders.conftest import BADGE
from tests.live_server import LiveService, live_service

pytestmark = pytest.mark.interop

SCRIPT = Path(__file__).resolve().with_name("holder-page.mjs")
POPPLER = Path("/usr/bin")
FIRST_NAMES = {"desktop": "Malika", "phone": "Sylvie"}


def _printed_codes(live: LiveService) -> dict[str, dict[str, str]]:
    """Organisation ``puchot`` awards its badge to one resident per viewport, none with an address: the code on
    their paper, and the award's id."""
    key = {"Authorization": f"Bearer {live.org('puchot')}"}
    badge = live.http.post("/api/v1/achievements", json=BADGE, headers=key).json()["id"]
    assert live.http.post(f"/api/v1/achievements/{badge}/publish", headers=key).status_code == 200
    given = {}
    for name in browser.VIEWPORTS:
        award = live.http.post(f"/api/v1/achievements/{badge}/awards", headers=key,
                               json={"level": "J'agis", "recipient": {"display_name": f"{FIRST_NAMES[name]} M."}})
        assert award.status_code == 201, award.text
        given[name] = {"code": award.json()["claim_code"], "id": award.json()["id"]}
    return given


def _qr_codes(pdf: Path) -> list[str]:
    subprocess.run([POPPLER / "pdftoppm", "-r", "110", "-png", str(pdf), str(pdf.with_suffix(""))], check=True,
                   timeout=60)
    found = []
    for page in sorted(pdf.parent.glob(f"{pdf.stem}-*.png")):
        with Image.open(page) as image:
            found += [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    return found


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    browser.require()
    if not (POPPLER / "pdftoppm").is_file():
        pytest.fail("pdftoppm (poppler-utils) is needed: bash interop/setup.sh")
    tmp = tmp_path_factory.mktemp("holder-browser")
    with live_service(tmp / "service") as live:
        given = _printed_codes(live)
        claim_dir, check_dir = tmp / "claim", tmp / "check"
        claim_dir.mkdir()
        check_dir.mkdir()
        claim_cases = browser.viewport_cases(claim_dir, lambda name: {
            "code": given[name]["code"], "firstName": FIRST_NAMES[name], "pdf": str(claim_dir / f"{name}.pdf")})
        claimed = browser.run_script(SCRIPT, claim_dir, {"base": live.base, "phase": "claim", "cases": claim_cases},
                                     timeout=180)
        decoded = {name: _qr_codes(claim_dir / f"{name}.pdf") for name in browser.VIEWPORTS}
        check_cases = browser.viewport_cases(check_dir, lambda name: {
            "code": given[name]["code"], "firstName": FIRST_NAMES[name],
            "verifyUrl": decoded[name][0] if decoded[name] else f"{live.base}/"})
        checked = browser.run_script(SCRIPT, check_dir, {"base": live.base, "phase": "check", "cases": check_cases},
                                     timeout=180)
        base = live.base
    return {"claim": claimed, "check": checked, "decoded": decoded, "given": given, "base": base, "tmp": tmp}


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_she_claims_her_badge_with_the_code_on_her_paper(run: dict[str, Any], name: str) -> None:
    case = run["claim"][name]
    assert case["problems"] == [], case["problems"]
    assert case["entry"]["title"] == "Mes badges — savoirs" and case["entry"]["lang"] == "fr"
    assert case["codePage"]["h1"] == "Taper mon code"
    award_id = run["given"][name]["id"]
    assert case["claimed"]["url"] == f"/mon-espace/badges/{award_id}?fait=claimed"
    assert case["claimed"]["title"].startswith("Ce badge est maintenant dans votre espace. —")
    assert case["claimedFocus"]["role"] == "contains-status"
    assert case["claimed"]["h1"] == BADGE["name"]
    browser.assert_fits_the_screen(case["claimed"], "claimed")


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_she_makes_it_public_with_her_first_name(run: dict[str, Any], name: str) -> None:
    case = run["claim"][name]
    browser.assert_focus_ring(case["publicButton"])
    assert case["madePublic"]["title"].startswith("Votre badge est maintenant public. —")
    assert case["madePublicFocus"]["role"] == "contains-status"
    assert case["named"]["title"].startswith("Votre nom est maintenant sur le badge. —")
    assert case["namedFocus"]["role"] == "contains-status"
    assert f"Le badge affiche ce nom : {FIRST_NAMES[name]}." in case["namedText"]
    shots = Path(run["tmp"]) / "claim" / name
    browser.assert_screenshots(shots, browser.VIEWPORTS[name], ("entry", "claimed", "public", "named"))
    browser.assert_greenish(shots / "named.png", case["named"]["statusBox"], "the message")


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_the_qr_code_of_her_pdf_leads_to_the_verification_page(run: dict[str, Any], name: str) -> None:
    award_id = run["given"][name]["id"]
    assert run["claim"][name]["pdfName"] == f"attestation-{award_id}.pdf"
    assert run["decoded"][name] == [f"{run['base']}/credentials/{award_id}"]
    page = run["check"][name]["verifyPage"]
    assert page["url"] == f"/credentials/{award_id}" and page["h1"] == BADGE["name"]
    assert page["status"] is not None and "authentique et valide" in page["status"]
    assert FIRST_NAMES[name] in run["check"][name]["verifyText"]


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_private_again_the_page_shows_no_name(run: dict[str, Any], name: str) -> None:
    case = run["check"][name]
    assert case["problems"] == [], case["problems"]
    assert case["claimed"]["title"].startswith("Ce badge est maintenant dans votre espace. —")  # the same code
    assert case["madePrivate"]["title"].startswith("Votre badge est maintenant privé. —")
    assert case["madePrivateFocus"]["role"] == "contains-status"
    assert "Ce badge est privé" in case["privateText"]
    assert FIRST_NAMES[name] not in case["privateText"] and BADGE["name"] not in case["privateText"]
    shots = Path(run["tmp"]) / "check" / name
    browser.assert_screenshots(shots, browser.VIEWPORTS[name], ("verify-public", "private", "verify-private"))


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_her_cv_page_and_her_erasure_request_by_keyboard(run: dict[str, Any], name: str) -> None:
    case = run["check"][name]
    assert case["cvPage"]["title"] == "Mon CV de badges — savoirs" and case["cvTicked"] == [True]
    assert case["erasePage"]["title"] == "Effacer mes données — savoirs"
    assert case["keepChoice"]["checked"] is True  # « Ils restent valables » is the choice already made
    assert case["asked"]["title"].startswith("Votre demande est envoyée à 1 organisme(s).")
    assert case["askedFocus"]["role"] == "contains-status"
    shots = Path(run["tmp"]) / "check" / name
    browser.assert_screenshots(shots, browser.VIEWPORTS[name], ("cv", "erase", "asked"))
    for step in ("cvPage", "erasePage", "asked"):
        browser.assert_fits_the_screen(case[step], step)
