"""Layering rules: the pure packages import neither the web framework nor the ORM."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = ["app/signing", "app/badges", "app/verify"]
FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "alembic", "app.models", "app.services", "app.routers",
             "app.errors", "app.deps", "app.main", "app.db")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_do_not_import_web_or_database_code(package: str) -> None:
    assert list((ROOT / package).rglob("*.py")), f"{package} has no modules"
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / package).rglob("*.py")
        for name in _imports(path)
        if name.startswith(FORBIDDEN)
    }
    assert offenders == set()


def test_routers_do_not_raise_http_exception() -> None:
    offenders = [p.name for p in (ROOT / "app").rglob("*.py")
                 if "HTTPException(" in p.read_text(encoding="utf-8") and p.name not in {"middleware.py"}]
    assert offenders == []
