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

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import live_service
from tests.pages.png import read_png

pytestmark = pytest.mark.interop

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "signin" / "signin-page.mjs"
PLAYWRIGHT = ROOT / "interop" / "browser" / "node_modules" / "playwright-core" / "package.json"
CHROMIUM = Path("/usr/bin/chromium")
VIEWPORTS = {"desktop": {"width": 1000, "height": 900}, "phone": {"width": 390, "height": 844}}


def _unavailable(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: the browser test is required)")
    pytest.skip(f"{message}; install it with `bash interop/setup.sh`")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    node = shutil.which("node")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (Debian package chromium)")
    if node is None:
        _unavailable("node is not installed")
    if not PLAYWRIGHT.exists():
        _unavailable("playwright-core is not installed in interop/browser")
    tmp = tmp_path_factory.mktemp("signin-browser")
    with live_service(tmp / "service") as live:
        outbox = live.app.state.settings.var_dir / "outbox"
        cases = []
        for name, viewport in VIEWPORTS.items():
            (tmp / name).mkdir()
            cases.append({"name": name, "email": f"sylvie.{name}@example.fr", "viewport": viewport,
                          "screenshots": str(tmp / name)})
        (tmp / "profile").mkdir()
        config = {"base": live.base, "executablePath": str(CHROMIUM), "userDataDir": str(tmp / "profile"),
                  "outbox": str(outbox), "cases": cases}
        (tmp / "config.json").write_text(json.dumps(config))
        done = subprocess.run([str(node), str(SCRIPT), str(tmp / "config.json")], capture_output=True, text=True,
                              timeout=120, cwd=ROOT)
    assert done.returncode == 0, f"the browser script failed:\n{done.stderr[-4000:]}\n{done.stdout[-2000:]}"
    output = json.loads(done.stdout)
    return {"browser": output["browser"], "tmp": tmp, **{r["name"]: r for r in output["results"]}}


@pytest.mark.parametrize("name", sorted(VIEWPORTS))
def test_the_code_flow_by_keyboard_only(run: dict[str, Any], name: str) -> None:
    case = run[name]
    assert case["problems"] == [], case["problems"]  # no CSP violation, script error or failed request
    assert case["start"]["lang"] == "fr" and case["start"]["title"] == "Me connecter — savoirs"
    assert case["emailFocus"]["id"] == "email" and case["codeFocus"]["id"] == "code"
    assert case["sent"]["url"] == "/connexion" and case["sent"]["h1"] == "Tapez le code reçu"
    assert case["signedIn"]["url"] == "/moi" and case["signedIn"]["h1"] == "Connexion réussie"
    assert f"sylvie.{name}@example.fr" in case["signedInText"]
    for focused in (case["emailFocus"], case["codeFocus"]):  # a visible focus ring
        assert focused["outlineStyle"] == "solid" and float(focused["outlineWidth"].rstrip("px")) >= 2, focused


@pytest.mark.parametrize("name", sorted(VIEWPORTS))
def test_after_a_wrong_code_the_error_has_the_focus_and_the_title(run: dict[str, Any], name: str) -> None:
    case = run[name]
    refused = case["refused"]
    assert refused["title"] == "Code refusé — Tapez le code reçu — savoirs"
    assert refused["alert"] is not None and refused["alert"].startswith("✘")
    assert "Ce code n'est pas le bon" in refused["alert"]
    focus = case["refusedFocus"]
    assert focus["id"] == "erreur" and focus["role"] == "contains-alert", focus
    assert case["retryFocus"]["id"] == "code", "the next Tab goes from the error to the code field"


@pytest.mark.parametrize("name", sorted(VIEWPORTS))
def test_every_page_fits_the_screen(run: dict[str, Any], name: str) -> None:
    for step in ("start", "sent", "refused", "signedIn"):
        page = run[name][step]
        assert page["scrollWidth"] <= page["clientWidth"], f"{step}: wider than the screen"
        assert float(page["bodyFontSize"].rstrip("px")) >= 18


@pytest.mark.parametrize("name", sorted(VIEWPORTS))
def test_the_screenshots_are_not_blank_and_show_the_error_in_red(run: dict[str, Any], name: str) -> None:
    viewport = VIEWPORTS[name]
    for shot in ("code", "refused", "signed-in"):
        image = read_png(run["tmp"] / name / f"{shot}.png")
        assert (image.width, image.height) == (viewport["width"], viewport["height"])
        assert len(image.colours(step=2)) > 20, f"{shot}: the screenshot looks blank"
    image = read_png(run["tmp"] / name / "refused.png")
    box = run[name]["refused"]["errorBox"]
    left, top = int(box["x"]) + 16, int(box["y"]) + 4
    right, bottom = int(box["x"] + box["width"]) - 4, int(box["y"] + box["height"]) - 4
    assert 0 <= left < right <= image.width and 0 <= top < bottom <= image.height, "the error is on screen"
    (colour, _), = image.colours((left, top, right, bottom)).most_common(1)
    assert colour[0] > colour[1] + 8 and colour[0] > colour[2], f"the error box is not red-ish: {colour}"
