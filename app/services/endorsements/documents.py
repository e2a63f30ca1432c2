"""An EndorsementCredential at its own URL: served once issued, and still after its revocation (a verifier then
reads the revocation in its endorser's status list)."""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING

import orjson
from sqlalchemy import select

from app.errors import NotFound
from app.models import Endorsement
from app.services.publication import Served, serve, version_tag

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["serve_endorsement"]


def serve_endorsement(ctx: ServiceContext, endorsement_id: str, held: Container[str]) -> Served:
    """The signed credential: it never changes once issued (its status list says whether it still stands)."""
    with ctx.db.sessions() as session:
        credential = session.scalar(select(Endorsement.credential).where(
            Endorsement.id == endorsement_id, Endorsement.state.in_(("accepted", "revoked"))))
    if credential is None:
        raise NotFound("No such endorsement.", "Recommandation introuvable.")
    return serve(ctx.status_cache, version_tag(ctx.urls, "endorsement", endorsement_id), held,
                 lambda: orjson.dumps(credential))
