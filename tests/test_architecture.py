"""Layering rules, checked on the source: each layer imports only what it may.

- the pure packages (signing, badges, verify) import neither the web framework nor the ORM nor the services;
- the error tree is dependency-free, so every layer raises the same errors;
- routers import no SQLAlchemy, no models and no other router, and open no session or transaction;
- schemas import no services; no module of ``app`` is over 400 lines.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
PURE = ["app/signing", "app/badges", "app/verify", "app/uploads", "app/documents"]
WEB_AND_DATABASE = ("fastapi", "starlette", "sqlalchemy", "alembic", "psycopg")
PURE_FORBIDDEN = (*WEB_AND_DATABASE, "app.models", "app.services", "app.routers", "app.deps", "app.main", "app.db",
                  "app.problems", "app.http")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _offenders(paths: list[Path], forbidden: tuple[str, ...]) -> set[str]:
    assert paths, "no modules to check"
    return {f"{path.relative_to(ROOT)}: {name}" for path in paths for name in _imports(path)
            if any(name == f or name.startswith(f + ".") for f in forbidden)}


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_do_not_import_web_database_or_service_code(package: str) -> None:
    assert _offenders(sorted((ROOT / package).rglob("*.py")), PURE_FORBIDDEN) == set()


def test_the_error_tree_imports_nothing_but_the_standard_library() -> None:
    imported = {name.split(".")[0] for name in _imports(APP / "errors.py")}
    assert imported <= {"__future__", "typing"}


def test_routers_import_no_database_no_models_and_no_other_router() -> None:
    routers = sorted((APP / "routers").glob("*.py"))
    assert _offenders(routers, ("sqlalchemy", "app.models", "app.db", "app.routers")) == set()


def test_routers_open_no_session_or_transaction() -> None:
    pattern = re.compile(r"\.(transaction|sessions)\(|\bSession\b")
    offenders = [f"{p.name}:{n}" for p in sorted((APP / "routers").glob("*.py"))
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []


def test_schemas_import_no_services_models_or_web_code() -> None:
    schemas = sorted((APP / "schemas").glob("*.py"))
    assert _offenders(schemas, ("app.services", "app.models", "app.routers", "fastapi", "sqlalchemy")) == set()


def test_nothing_below_the_http_layer_raises_http_exception() -> None:
    offenders = [p.name for p in APP.rglob("*.py")
                 if "HTTPException(" in p.read_text(encoding="utf-8") and p.name not in {"middleware.py"}]
    assert offenders == []


def test_no_module_is_over_400_lines() -> None:
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in APP.rglob("*.py")}
    assert {name: size for name, size in sizes.items() if size > 400} == {}


def test_every_public_module_is_typed() -> None:
    assert (APP / "py.typed").is_file()
