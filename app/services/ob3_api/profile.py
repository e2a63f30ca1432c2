"""The holder's profile through the Open Badges 3.0 API: what a backpack last put there (``PUT /profile``), read
back as it was put (``GET /profile``: 404 while none was put). It must follow the OB 3.0 Profile JSON Schema."""

from __future__ import annotations

from typing import Any

from app import strict_json
from app.errors import BadRequest, NotFound
from app.models import HolderProfile
from app.services import audit
from app.services.context import ServiceContext
from app.services.ob3_api.oauth import Grant
from app.verify.schema import schema_departure

__all__ = ["read", "replace"]


def read(ctx: ServiceContext, grant: Grant) -> dict[str, Any]:
    """:raises NotFound: ``profile_not_found``: no profile was put yet."""
    with ctx.db.sessions() as session:
        row = session.get(HolderProfile, grant.holder_id)
        if row is None:
            raise NotFound("No profile was put in this space yet.", "Aucun profil n'a encore été déposé dans cet "
                           "espace.", code="profile_not_found")
        return row.document


def replace(ctx: ServiceContext, grant: Grant, body: bytes) -> dict[str, Any]:
    """Store the whole profile (replacing the one before).

    :raises BadRequest: ``profile_unusable``: not JSON, or not a Profile by the OB 3.0 schema.
    """
    try:
        document = strict_json.loads(body)
    except ValueError as exc:
        raise BadRequest(f"The body is not JSON we accept: {exc}.", f"Le corps n'est pas du JSON accepté : {exc}.",
                         code="profile_unusable") from None
    if not isinstance(document, dict):
        raise BadRequest("The profile must be a JSON object.", "Le profil doit être un objet JSON.",
                         code="profile_unusable")
    departure = schema_departure(document, "profile")
    if departure is not None:
        raise BadRequest(f"This is not an Open Badges 3.0 Profile ({departure}).",
                         f"Ce n'est pas un profil Open Badges 3.0 ({departure}).", code="profile_unusable")
    with ctx.db.transaction() as session:
        row = session.get(HolderProfile, grant.holder_id)
        now = ctx.clock.now()
        if row is None:
            session.add(HolderProfile(holder_id=grant.holder_id, document=document, updated_at=now))
        else:
            row.document, row.updated_at = document, now
        audit.record(session, actor=f"oauth-client:{grant.client_id}", action="profile.replaced",
                     target_type="holder", target_id=grant.holder_id, org_id=None)
        return document
