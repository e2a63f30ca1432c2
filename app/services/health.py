"""Readiness: the database answers; whether signing is possible."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["readiness"]


def readiness(ctx: ServiceContext) -> tuple[bool, dict[str, str]]:
    """(ready, checks): ready when the database answers; signing is reported, not required."""
    checks: dict[str, str] = {}
    try:
        with ctx.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except (SQLAlchemyError, OSError):
        checks["database"] = "unreachable"
    checks["signing"] = "ok" if ctx.vault.available else "unavailable (no key-encryption key: verification only)"
    return checks["database"] == "ok", checks
