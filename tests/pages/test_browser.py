"""The verification page in a real browser: Debian's headless Chromium, driven by playwright-core
(interop/browser/verify-page.mjs) with the keyboard only, against a live served instance.

A person opens /verify, tabs to the file field, opens the file chooser with Space, picks a badge, tabs to the button
and presses Enter: once with a valid baked PNG, once with a tampered JSON credential, once with a genuine VC-JWT whose
key is only in its ``jwk`` header (issuer not confirmed). The credential's own URL is opened too. Each page's
screenshot is checked: right size, not blank, and the verdict box's pixels green-ish for the valid badge, red-ish for
the tampered one and amber for the unconfirmed one (read with a small PNG decoder), matching the computed CSS colour.
Without Chromium or the Node.js package: skipped, or failed with CI=true. Install with `bash interop/setup.sh`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import LiveService
from tests.pages.conftest import fetch, tampered_json, unconfirmed_jwt, write
from tests.pages.png import contrast, read_png

pytestmark = pytest.mark.interop

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "interop" / "browser" / "verify-page.mjs"
CHROMIUM = Path("/usr/bin/chromium")
VIEWPORT = {"width": 1000, "height": 900}
PHONE = {"width": 390, "height": 844}


def _unavailable(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: the browser test is required)")
    pytest.skip(f"{message}; install it with `bash interop/setup.sh`")


@pytest.fixture(scope="module")
def run(live: LiveService, award: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    node = shutil.which("node")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (Debian package chromium)")
    if node is None:
        _unavailable("node is not installed")
    if not (SCRIPT.parent / "node_modules" / "playwright-core" / "package.json").exists():
        _unavailable("playwright-core is not installed in interop/browser")
    tmp = tmp_path_factory.mktemp("browser")
    png = write(tmp / "badge.png", fetch(live, award["links"]["baked_png"]))
    tampered = write(tmp / "badge-modifie.json", tampered_json(live, award))
    unconfirmed = write(tmp / "badge-tiers.jwt", unconfirmed_jwt())
    config = {
        "base": live.base, "executablePath": str(CHROMIUM), "userDataDir": str(tmp / "profile"),
        "viewport": VIEWPORT,
        "cases": [
            {"name": "valid", "kind": "upload", "file": str(png), "screenshot": str(tmp / "valid.png")},
            {"name": "tampered", "kind": "upload", "file": str(tampered), "screenshot": str(tmp / "tampered.png")},
            {"name": "unconfirmed", "kind": "upload", "file": str(unconfirmed),
             "screenshot": str(tmp / "unconfirmed.png")},
            {"name": "credential", "kind": "open", "url": award["links"]["credential"],
             "screenshot": str(tmp / "credential.png")},
            {"name": "home", "kind": "open", "url": f"{live.base}/", "screenshot": str(tmp / "home.png")},
            {"name": "home-phone", "kind": "open", "url": f"{live.base}/", "viewport": PHONE,
             "screenshot": str(tmp / "home-phone.png")},
            {"name": "docs", "kind": "open", "url": f"{live.base}/docs", "waitFor": ".swagger-ui .opblock",
             "screenshot": str(tmp / "docs.png")},
        ],
    }
    (tmp / "profile").mkdir()
    (tmp / "config.json").write_text(json.dumps(config))
    done = subprocess.run([str(node), str(SCRIPT), str(tmp / "config.json")], capture_output=True, text=True,
                          timeout=90, cwd=ROOT)
    assert done.returncode == 0, f"the browser script failed:\n{done.stderr[-4000:]}\n{done.stdout[-2000:]}"
    output = json.loads(done.stdout)
    return {"browser": output["browser"], **{r["name"]: r for r in output["results"]}}


def _rgb(css: str) -> str:
    r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def _assert_keyboard_only(result: dict[str, Any]) -> None:
    keyboard = result["keyboard"]
    assert keyboard["trail"][-4:] == ["url", "file", "recipient", "button"], keyboard["trail"]
    assert keyboard["fileChooser"] == "space", "Space on the focused file field opens the file chooser"
    assert keyboard["submittedWith"] == "Enter"
    for focused in (keyboard["fileFocus"], keyboard["submitFocus"]):  # a visible focus ring
        assert focused["outlineStyle"] == "solid" and float(focused["outlineWidth"].rstrip("px")) >= 2, focused
        assert focused["boxShadow"] not in ("none", ""), focused


def _assert_page_basics(result: dict[str, Any]) -> None:
    assert result["status"] == 200 and result["lang"] == "fr"
    assert result["problems"] == [], result["problems"]  # no CSP violation, script error or failed request
    assert float(result["bodyFontSize"].rstrip("px")) >= 18
    assert contrast(_rgb(result["verdictColor"]), _rgb(result["verdictBackground"])) >= 4.5
    assert all(img["referrerPolicy"] == "no-referrer" for img in result["images"])


def test_valid_badge_in_the_browser(run: dict[str, Any]) -> None:
    valid = run["valid"]
    assert valid["verdict"].splitlines()[0:2] == ["✔", "Ce badge est authentique et valide"], valid["verdict"]
    assert valid["verdictClass"] == "verdict verdict-ok"
    assert valid["badgeName"] == "Cuisine du monde" and valid["issuer"].startswith("Centre social du Puchot")
    assert valid["images"] and all(img["complete"] and img["naturalWidth"] > 0 for img in valid["images"])
    _assert_keyboard_only(valid)
    _assert_page_basics(valid)


def test_tampered_badge_in_the_browser(run: dict[str, Any]) -> None:
    tampered = run["tampered"]
    assert tampered["verdict"].splitlines()[0:2] == ["✘", "Ce badge n'est PAS valide"], tampered["verdict"]
    assert tampered["verdictClass"] == "verdict verdict-bad"
    assert tampered["badgeName"] == "Cuisine du mondE"
    _assert_keyboard_only(tampered)
    _assert_page_basics(tampered)


def test_unconfirmed_badge_in_the_browser(run: dict[str, Any]) -> None:
    unconfirmed = run["unconfirmed"]
    assert unconfirmed["verdict"].splitlines()[0:2] == ["?", "Signature authentique, mais organisme non confirmé"], \
        unconfirmed["verdict"]
    assert "Demandez-lui de confirmer" in unconfirmed["verdict"]
    assert unconfirmed["verdictClass"] == "verdict verdict-warn"
    assert unconfirmed["title"].startswith("Signature authentique, mais organisme non confirmé — ")
    assert unconfirmed["badgeName"] == "Réparer ensemble"
    assert unconfirmed["issuer"].startswith("Repair Café de la Croix-Rousse")
    _assert_keyboard_only(unconfirmed)
    _assert_page_basics(unconfirmed)


def test_credential_url_in_the_browser(run: dict[str, Any], award: dict[str, Any]) -> None:
    page = run["credential"]
    assert page["contentType"].startswith("text/html")
    assert page["verdict"].splitlines()[1] == "Ce badge est authentique et valide"
    assert page["links"]["linkedin"].startswith("https://www.linkedin.com/sharing/share-offsite/?url=http")
    assert page["links"]["png"].endswith("/badge.png") and page["links"]["svg"].endswith("/badge.svg")
    assert page["images"] and page["images"][0]["complete"] and page["images"][0]["naturalWidth"] > 0
    _assert_page_basics(page)


def _dominant(result: dict[str, Any]) -> tuple[tuple[int, int, int], int]:
    """The most common colour inside the verdict box of the screenshot, and how many colours the page has."""
    image = read_png(Path(result["screenshot"]))
    assert (image.width, image.height) == (VIEWPORT["width"], VIEWPORT["height"])
    box = result["verdictBox"]
    left, top = int(box["x"]) + 16, int(box["y"]) + 4  # inside the thick left border and the rounded corners
    right, bottom = int(box["x"] + box["width"]) - 4, int(box["y"] + box["height"]) - 4
    assert 0 <= left < right <= image.width and 0 <= top < bottom <= image.height, "the verdict is on screen"
    (colour, count), = image.colours((left, top, right, bottom)).most_common(1)
    assert count > 0.5 * (right - left) * (bottom - top), "the verdict box has one background colour"
    return colour, len(image.colours(step=2))


def test_screenshots_show_the_verdicts_in_colour(run: dict[str, Any]) -> None:
    seen: dict[str, tuple[int, int, int]] = {}
    for name in ("valid", "tampered", "unconfirmed", "credential"):
        colour, distinct = _dominant(run[name])
        assert distinct > 100, f"{name}: the screenshot looks blank ({distinct} colours)"
        assert _rgb(run[name]["verdictBackground"]) == "#{:02x}{:02x}{:02x}".format(*colour), name
        seen[name] = colour
    green: Callable[[tuple[int, int, int]], bool] = lambda c: c[1] > c[0] + 8 and c[1] > c[2]  # noqa: E731
    red: Callable[[tuple[int, int, int]], bool] = lambda c: c[0] > c[1] + 8 and c[0] > c[2]  # noqa: E731
    amber: Callable[[tuple[int, int, int]], bool] = lambda c: c[0] > c[2] + 20 and c[1] > c[2] + 10  # noqa: E731
    assert green(seen["valid"]) and not red(seen["valid"]), seen
    assert red(seen["tampered"]) and not green(seen["tampered"]) and not amber(seen["tampered"]), seen
    assert amber(seen["unconfirmed"]) and not green(seen["unconfirmed"]), seen
    assert not amber(seen["valid"]), seen
    assert green(seen["credential"]), seen


@pytest.mark.parametrize("name", ["home", "home-phone"])
def test_the_home_page_says_what_the_service_is_and_leads_to_the_check(run: dict[str, Any], name: str) -> None:
    page = run[name]
    assert page["status"] == 200 and page["lang"] == "fr" and page["problems"] == [], page["problems"]
    assert page["h1"] == "Des badges pour reconnaître les savoirs"
    assert page["links"]["verify"] == "/verify" and page["links"]["docs"] == "/docs"
    assert page["scrollWidth"] <= page["clientWidth"], "nothing wider than the screen"
    assert float(page["bodyFontSize"].rstrip("px")) >= 18


def test_the_api_docs_render_offline(run: dict[str, Any]) -> None:
    """Swagger UI draws every operation with its own files only: a request to any other origin is refused (and
    would be listed in ``problems``)."""
    docs = run["docs"]
    assert docs["status"] == 200 and docs["problems"] == [], docs["problems"]
    assert docs["docsTitle"].startswith("savoirs") and docs["operations"] > 30
