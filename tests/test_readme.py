"""The README's walkthrough runs as written (issue 12): its shell block, taken from the README between the
``walkthrough`` markers, runs with ``bash -euo pipefail`` against a live service, in an empty directory, with
nothing but curl and python3; every step must succeed (``curl -f``) and say what the README says it says."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ADMIN_TOKEN
from tests.live_server import live_service

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"<!-- walkthrough: start -->\n```sh\n(.*?)```\n<!-- walkthrough: end -->", re.S)


def walkthrough() -> str:
    found = BLOCK.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert found, "the README has no walkthrough block between its markers"
    return found.group(1)


def test_the_walkthrough_uses_only_curl_and_python3() -> None:
    commands = {line.split()[0] for line in walkthrough().splitlines()
                if line.strip() and not line.startswith((" ", "#", "}", "value", "for", "print"))}
    assert not {c for c in commands if not re.match(r"^([A-Z]+=|curl$|printf$|field\(\)$|SLUG=)", c)}, commands
    assert "jq" not in walkthrough()


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    with live_service(tmp_path) as live:
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", walkthrough()], cwd=work, capture_output=True,
                              text=True, timeout=300,
                              env={**os.environ, "BASE": live.base, "ADMIN_TOKEN": ADMIN_TOKEN})
    assert done.returncode == 0, f"the walkthrough stopped:\n{done.stderr[-3000:]}\n{done.stdout[-3000:]}"
    # step 5: confirmed, then verified three times; step 6: one award found, revoked, then 410 (the answers before
    # them are JSON printed without a final newline)
    assert done.stdout.endswith("confirmed\nTrue\nTrue\nTrue\n1\nrevoked\n410\n"), done.stdout[-500:]
    assert (work / "badge.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
