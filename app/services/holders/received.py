"""What a holder sees of the credentials other applications pushed into their space (``POST
/ims/ob/v3p0/credentials``): each with our verifier's verdict when it arrived, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Holder, ReceivedCredential

__all__ = ["ReceivedView", "received_views"]

#: the verdicts the space has words for; anything else reads as not verified
VERDICTS = frozenset({"valid", "revoked", "suspended", "expired", "unconfirmed", "invalid"})


@dataclass(frozen=True, slots=True)
class ReceivedView:
    """One credential received from elsewhere."""

    received_id: str
    name: str
    issuer: str
    #: its ``validFrom`` (or when it arrived, when it has none)
    issued_on: date
    verdict: str


def received_views(session: Session, holder: Holder) -> tuple[ReceivedView, ...]:
    rows = session.scalars(select(ReceivedCredential).where(ReceivedCredential.holder_id == holder.id)
                           .order_by(ReceivedCredential.received_at.desc(), ReceivedCredential.id))
    return tuple(ReceivedView(received_id=row.id, name=row.name or "—", issuer=row.issuer_name or "—",
                              issued_on=(row.valid_from or row.received_at).date(),
                              verdict=row.verdict if row.verdict in VERDICTS else "invalid") for row in rows)
