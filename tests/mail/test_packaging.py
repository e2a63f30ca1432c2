"""The mail templates ship with the package (the container image installs it, without the source tree)."""

from __future__ import annotations

import fnmatch
import tomllib

from app.mail.render import TEMPLATES
from tests.conftest import ROOT


def test_every_mail_template_is_package_data() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["package-data"]["*"]
    files = sorted(p.name for p in (TEMPLATES / "mail").iterdir())
    assert files and [f for f in files if not any(fnmatch.fnmatch(f, p) for p in patterns)] == []
