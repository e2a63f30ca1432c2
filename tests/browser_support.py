"""What the page tests in a real browser share (tests/*/test_browser.py, each with its Node script built on
tests/browser/harness.mjs): Debian's headless Chromium, driven by interop/browser's playwright-core, is required
with ``CI=true`` and skipped without it otherwise; a script runs on a JSON config and its output is read back; the
screenshots are checked (right size, not blank, a box of the right colour), and so are the focus rings and the
pages' width and text size. Install with `bash interop/setup.sh`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.pages.png import Image, read_png

__all__ = ["CHROMIUM", "VIEWPORTS", "assert_fits_the_screen", "assert_focus_ring", "assert_greenish",
           "assert_reddish", "assert_screenshots", "box_colour", "require", "run_script", "viewport_cases"]

ROOT = Path(__file__).resolve().parents[1]
PLAYWRIGHT = ROOT / "interop" / "browser" / "node_modules" / "playwright-core" / "package.json"
CHROMIUM = Path("/usr/bin/chromium")
VIEWPORTS = {"desktop": {"width": 1000, "height": 900}, "phone": {"width": 390, "height": 844}}


def _unavailable(message: str) -> NoReturn:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: the browser test is required)")
    pytest.skip(f"{message}; install it with `bash interop/setup.sh`")


def require() -> str:
    """Node.js's path, once Chromium, Node.js and playwright-core are all there: otherwise the test is skipped (failed
    with ``CI=true``)."""
    found = shutil.which("node")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (Debian package chromium)")
    if found is None:
        _unavailable("node is not installed")
    if not PLAYWRIGHT.exists():
        _unavailable("playwright-core is not installed in interop/browser")
    return found


def viewport_cases(tmp: Path, more: Callable[[str], dict[str, Any]]) -> list[dict[str, Any]]:
    """One case a viewport of :data:`VIEWPORTS`: its name, its size, a new folder ``tmp/NAME`` for its screenshots,
    and what ``more(name)`` adds."""
    cases = []
    for name, viewport in VIEWPORTS.items():
        (tmp / name).mkdir()
        cases.append({"name": name, "viewport": viewport, "screenshots": str(tmp / name), **more(name)})
    return cases


def run_script(script: Path, tmp: Path, config: dict[str, Any], *, timeout: float) -> dict[str, Any]:
    """Run the Node script ``script`` on ``config`` (written to ``tmp/config.json``, with Chromium's path and a new
    profile ``tmp/profile``); it must succeed. Its output: Chromium's version as ``browser``, and each case's result
    under the case's name."""
    (tmp / "profile").mkdir()
    config = {"executablePath": str(CHROMIUM), "userDataDir": str(tmp / "profile"), **config}
    (tmp / "config.json").write_text(json.dumps(config))
    done = subprocess.run([require(), str(script), str(tmp / "config.json")], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)
    assert done.returncode == 0, f"the browser script failed:\n{done.stderr[-4000:]}\n{done.stdout[-2000:]}"
    try:
        output = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"the browser script wrote no JSON ({exc}):\n{done.stdout[-2000:]}\n"
                             f"{done.stderr[-4000:]}") from exc
    return {"browser": output["browser"], **{r["name"]: r for r in output["results"]}}


def assert_focus_ring(style: dict[str, Any], what: Any = None) -> None:
    """The focused element (as ``describeActive`` reads it) shows a solid outline of 2 px at least."""
    assert style["outlineStyle"] == "solid" and float(style["outlineWidth"].rstrip("px")) >= 2, (
        style if what is None else (what, style))


def assert_fits_the_screen(page: dict[str, Any], step: str) -> None:
    """The page (as ``readPage`` reads it) is no wider than the screen, its text 18 px at least."""
    assert page["scrollWidth"] <= page["clientWidth"], f"{step}: wider than the screen"
    assert float(page["bodyFontSize"].rstrip("px")) >= 18


def assert_screenshots(folder: Path, viewport: dict[str, int], shots: Iterable[str]) -> None:
    """Each ``folder/SHOT.png`` has the viewport's size and is not blank (more than 20 colours)."""
    for shot in shots:
        image = read_png(folder / f"{shot}.png")
        assert (image.width, image.height) == (viewport["width"], viewport["height"])
        assert len(image.colours(step=2)) > 20, f"{shot}: the screenshot looks blank"


def box_colour(image: Image, box: dict[str, float]) -> tuple[int, int, int]:
    """The most common colour inside ``box`` (a bounding rectangle read by ``readPage``), its border and left mark
    left out; the box must be on screen."""
    left, top = int(box["x"]) + 16, int(box["y"]) + 4
    right, bottom = int(box["x"] + box["width"]) - 4, int(box["y"] + box["height"]) - 4
    assert 0 <= left < right <= image.width and 0 <= top < bottom <= image.height, f"the box is on screen: {box}"
    (colour, _), = image.colours((left, top, right, bottom)).most_common(1)
    return colour


def assert_reddish(screenshot: Path, box: dict[str, float], what: str) -> None:
    colour = box_colour(read_png(screenshot), box)
    assert colour[0] > colour[1] + 8 and colour[0] > colour[2], f"{what} is not red-ish: {colour}"


def assert_greenish(screenshot: Path, box: dict[str, float], what: str) -> None:
    colour = box_colour(read_png(screenshot), box)
    assert colour[1] > colour[0] + 8 and colour[1] > colour[2], f"{what} is not green-ish: {colour}"
