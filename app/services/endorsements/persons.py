"""Individual endorsers: a person the service hosts (an organisation of kind ``person``: a key and a did:web of
their own, their name published, never their address), found by the address they proved."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Organisation
from app.models.base import new_id
from app.services import audit, keys
from app.services.context import ServiceContext

__all__ = ["host_person", "person_of"]


def person_of(session: Session, address: str) -> Organisation | None:
    """The person the service hosts for ``address`` (the first, should two have been created at once)."""
    return session.scalar(select(Organisation).where(Organisation.kind == "person",
                                                     func.lower(Organisation.email) == address.lower())
                          .order_by(Organisation.created_at, Organisation.id).limit(1))


def host_person(ctx: ServiceContext, address: str, name: str, language: str) -> None:
    """Host the person proven by ``address``, named ``name``, unless they are already, in a transaction of its own:
    their status lists, opened when they first sign, refer to them."""
    with ctx.db.transaction() as session:
        if person_of(session, address) is not None:
            return
        person = Organisation(id=new_id(), slug=f"personne-{secrets.token_hex(8)}", kind="person",
                              name=name or address.split("@")[0], url=ctx.urls.base, email=address.lower(),
                              language=language, public_base_url=ctx.urls.base)
        session.add(person)
        session.flush()
        keys.create_person_key(session, ctx.vault, person.id)
        audit.record(session, actor="endorser", action="endorser.create", target_type="organisation",
                     target_id=person.id, org_id=person.id, details={"kind": "person"})
