"""Recording audit events inside the caller's transaction (so a failed change leaves no trace either)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import AuditEvent

__all__ = ["record"]


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    org_id: str | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one audit event. ``details`` must not contain personal data or secrets."""
    session.add(
        AuditEvent(
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=target_id,
            org_id=org_id,
            details=details or {},
        )
    )
