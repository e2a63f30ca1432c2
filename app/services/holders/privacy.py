"""The holder's choices for one award: whether its address shows it to anyone (public) or to no one (private), and
whether the credential names them (a change issues the credential again under its id, with a newer
``validFrom``: OB 3.0 verifiers keep the newer of two credentials with one id)."""

from __future__ import annotations

from typing import Any

from app.errors import Conflict, InvalidInput
from app.models import Award
from app.services import audit
from app.services.context import ServiceContext
from app.services.endorsements.signing import reissue_award
from app.services.holders.spaces import HolderKey, holder_of, owned_award

__all__ = ["NAME_MAX", "clean_name", "set_name", "set_visibility", "shown_name"]

NAME_MAX = 200


def shown_name(credential: dict[str, Any]) -> str | None:
    """The name a credential shows (its ``identityType: name`` identifier), if any."""
    subject = credential.get("credentialSubject")
    found = subject.get("identifier") if isinstance(subject, dict) else None
    for item in found if isinstance(found, list) else []:
        if isinstance(item, dict) and item.get("identityType") == "name" and isinstance(item.get("identityHash"), str):
            return str(item["identityHash"])
    return None


def clean_name(typed: str) -> str:
    """The name as it will be shown: spaces tidied; refused when empty or too long.

    :raises InvalidInput: ``holder_name_invalid``."""
    name = " ".join(typed.split())
    if not name or len(name) > NAME_MAX or any(ord(c) < 32 for c in name):
        raise InvalidInput(f"Type the name to show (1 to {NAME_MAX} characters).",
                           f"Tapez le nom à afficher (de 1 à {NAME_MAX} caractères).", code="holder_name_invalid")
    return name


def set_visibility(ctx: ServiceContext, who: HolderKey, award_id: str, public: bool) -> Award:
    """Make one award of the space public or private (no new credential: only what its address serves changes)."""
    with ctx.db.transaction() as session:
        now = ctx.clock.now()
        holder = holder_of(ctx, session, who, now)
        award = owned_award(session, holder, award_id)
        wanted = "public" if public else "private"
        if award.visibility != wanted:
            award.visibility = wanted
            audit.record(session, actor=f"holder:{holder.id}", action=f"award.made_{wanted}", target_type="award",
                         target_id=award.id, org_id=award.org_id)
        session.flush()
        session.expunge(award)
        return award


def _with_name(credential: dict[str, Any], name: str | None) -> dict[str, Any]:
    subject = dict(credential["credentialSubject"])
    kept = [i for i in subject.get("identifier") or [] if not (isinstance(i, dict) and i.get("identityType") == "name")]
    if name:
        kept.append({"type": "IdentityObject", "identityHash": name, "identityType": "name", "hashed": False})
    if kept:
        subject["identifier"] = kept
    else:
        subject.pop("identifier", None)
    return {**credential, "credentialSubject": subject}


def set_name(ctx: ServiceContext, who: HolderKey, award_id: str, name: str | None) -> Award:
    """Show ``name`` in the credential (None: no name), issued again under its id; nothing when it is already so.

    :raises Conflict: ``award_not_reissuable``: the award expired or was revoked (its credential stays as it was).
    """
    shown = clean_name(name) if name is not None else None
    ctx.vault.require_kek()
    with ctx.db.transaction() as session:
        now = ctx.clock.now()
        holder = holder_of(ctx, session, who, now)
        award = owned_award(session, holder, award_id)
        if shown_name(award.credential) != shown:
            if award.status == "revoked" or (award.valid_until is not None and award.valid_until <= now):
                raise Conflict("This badge was withdrawn or has expired: its name can no longer change.",
                               "Ce badge a été retiré ou a expiré : son nom ne peut plus changer.",
                               code="award_not_reissuable")
            award.credential = _with_name(award.credential, shown)
            reissue_award(session, ctx.vault, ctx.urls, award, now=now)
            award.public_name = shown
            audit.record(session, actor=f"holder:{holder.id}", action="award.name_shown" if shown else
                         "award.name_hidden", target_type="award", target_id=award.id, org_id=award.org_id)
        session.flush()
        session.expunge(award)
        return award
