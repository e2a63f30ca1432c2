"""The sign-in pages in a real browser: Debian's headless Chromium, driven by playwright-core
(tests/signin/signin-page.mjs, with interop/browser's playwright-core) with the keyboard only, against a live served
instance whose mail job writes each message to its outbox (where the script reads the code, as a person reads
their mail).

At a desktop width and at 390 px: Tab to the address, type it, Enter; Tab to the code field, type a wrong code,
Enter: the error box has the focus, is announced (``role=alert``) and the title starts with it; Tab to the code field
again, type the right code, Enter: signed in. Each step's screenshot is saved under the test's tmp dir and checked:
right size, not blank, the error box red. Without Chromium or the Node.js package: skipped, or failed with CI=true.
Install with `bash interop/setup.sh`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import browser_support as browser
from tests.live_server import live_service

pytestmark = pytest.mark.interop

SCRIPT = Path(__file__).resolve().with_name("signin-page.mjs")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    browser.require()
    tmp = tmp_path_factory.mktemp("signin-browser")
    with live_service(tmp / "service") as live:
        outbox = str(live.app.state.settings.var_dir / "outbox")
        cases = browser.viewport_cases(tmp, lambda name: {"email": f"sylvie.{name}@example.fr"})
        output = browser.run_script(SCRIPT, tmp, {"base": live.base, "outbox": outbox, "cases": cases}, timeout=120)
    return {**output, "tmp": tmp}


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_the_code_flow_by_keyboard_only(run: dict[str, Any], name: str) -> None:
    case = run[name]
    assert case["problems"] == [], case["problems"]  # no CSP violation, script error or failed request
    assert case["start"]["lang"] == "fr" and case["start"]["title"] == "Me connecter — savoirs"
    assert case["emailFocus"]["id"] == "email" and case["codeFocus"]["id"] == "code"
    assert case["sent"]["url"] == "/connexion" and case["sent"]["h1"] == "Tapez le code reçu"
    assert case["signedIn"]["url"] == "/moi" and case["signedIn"]["h1"] == "Connexion réussie"
    assert f"sylvie.{name}@example.fr" in case["signedInText"]
    for focused in (case["emailFocus"], case["codeFocus"]):  # a visible focus ring
        browser.assert_focus_ring(focused)


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_after_a_wrong_code_the_error_has_the_focus_and_the_title(run: dict[str, Any], name: str) -> None:
    case = run[name]
    refused = case["refused"]
    assert refused["title"] == "Code refusé — Tapez le code reçu — savoirs"
    assert refused["alert"] is not None and refused["alert"].startswith("✘")
    assert "Ce code n'est pas le bon" in refused["alert"]
    focus = case["refusedFocus"]
    assert focus["id"] == "erreur" and focus["role"] == "contains-alert", focus
    assert case["retryFocus"]["id"] == "code", "the next Tab goes from the error to the code field"


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_every_page_fits_the_screen(run: dict[str, Any], name: str) -> None:
    for step in ("start", "sent", "refused", "signedIn"):
        browser.assert_fits_the_screen(run[name][step], step)


@pytest.mark.parametrize("name", sorted(browser.VIEWPORTS))
def test_the_screenshots_are_not_blank_and_show_the_error_in_red(run: dict[str, Any], name: str) -> None:
    shots = run["tmp"] / name
    browser.assert_screenshots(shots, browser.VIEWPORTS[name], ("code", "refused", "signed-in"))
    browser.assert_reddish(shots / "refused.png", run[name]["refused"]["errorBox"], "the error box")
