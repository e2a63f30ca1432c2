"""Holder spaces: who is asking (a signed-in address, or a browser that came in with a claim code), claiming
awards into a space, and the awards a space holds.

A holder with an address finds every award issued to it, in any organisation: signing in proves the address,
and each organisation's keyed hash of it (``awards.recipient_lookup``) finds its awards; they are claimed into
the space the first time it is opened. A printed claim code proves one award: typed while signed in, it joins
that space; typed by someone without an address, it opens a space of its own (a session cookie), and typing it
again later opens that space again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.badges import identity
from app.errors import Conflict, NotFound, Unauthorised
from app.models import Award, Holder, HolderSession, Organisation
from app.models.base import new_id
from app.services import audit
from app.services.context import ServiceContext
from app.signin.tokens import new_secret, sha256_hex

__all__ = ["CODE_SESSION_HOURS", "Claimed", "HolderKey", "claim_with_code", "clean_claim_code", "end_code_session",
           "holder_of", "owned_award", "space_awards"]

#: how long a browser stays in a space opened with a claim code
CODE_SESSION_HOURS = 12
_CODE = re.compile(r"[0-9A-F]{16}")


@dataclass(frozen=True, slots=True)
class HolderKey:
    """Who asks: the address they proved by signing in, and/or the token of a space opened with a claim code."""

    address: str | None = None
    code_token: str | None = None

    @property
    def empty(self) -> bool:
        return not self.address and not self.code_token


@dataclass(frozen=True, slots=True)
class Claimed:
    award_id: str
    #: the token of the space opened with the code (set as a cookie), when the person did not sign in
    code_token: str | None


def not_yours() -> NotFound:
    return NotFound("This badge is not in your space.", "Ce badge n'est pas dans votre espace.",
                    code="holder_award_not_found")


def clean_claim_code(typed: str) -> str | None:
    """A claim code as issued (``1A2B-3C4D-5E6F-7A8B``) from what a person typed (spaces, dashes, lower case, a
    letter O for a zero); None when it cannot be one."""
    letters = re.sub(r"[\s\-_.]", "", typed.upper()).replace("O", "0")
    if not _CODE.fullmatch(letters):
        return None
    return "-".join(letters[i:i + 4] for i in range(0, 16, 4))


def _holder_with_key(session: Session, key: str, now: datetime) -> Holder:
    """The space of the address whose keyed hash is ``key``, made on its first visit (two first visits at once: the
    second finds the first's)."""
    holder = session.scalar(select(Holder).where(Holder.email_key == key))
    if holder is not None:
        return holder
    try:
        with session.begin_nested():
            holder = Holder(id=new_id(), email_key=key, created_at=now)
            session.add(holder)
    except IntegrityError:
        holder = session.scalar(select(Holder).where(Holder.email_key == key))
        if holder is None:
            raise
    return holder


def _space_of_address(ctx: ServiceContext, session: Session, address: str, now: datetime) -> Holder:
    """The space of a proven address (made on its first visit), with every award issued to the address claimed."""
    try:
        normalised = identity.normalise_email(address)
    except ValueError:  # signing in proved it; a form the issuing rules refuse matches no award
        normalised = address.strip().lower()
    holder = _holder_with_key(session, ctx.vault.recipient_lookup("holders", "email", normalised), now)
    org_ids = session.scalars(select(Organisation.id).where(Organisation.kind == "organisation")).all()
    lookups = [ctx.vault.recipient_lookup(org_id, "email", normalised) for org_id in org_ids]
    for start in range(0, len(lookups), 500):
        found = session.scalars(select(Award).where(Award.recipient_lookup.in_(lookups[start:start + 500]),
                                                    Award.holder_id.is_(None), Award.erased_at.is_(None))).all()
        for award in found:
            award.holder_id, award.claimed_at = holder.id, now
            audit.record(session, actor=f"holder:{holder.id}", action="award.claimed", target_type="award",
                         target_id=award.id, org_id=award.org_id, details={"by": "address"})
    return holder


def _space_of_token(session: Session, token: str, now: datetime) -> Holder | None:
    found = session.scalar(select(HolderSession).where(HolderSession.token_sha256 == sha256_hex(token)))
    if found is None or found.revoked_at is not None or found.expires_at <= now:
        return None
    return session.get(Holder, found.holder_id)


def holder_of(ctx: ServiceContext, session: Session, who: HolderKey, now: datetime) -> Holder:
    """The space of whoever asks (an address first, then a code session).

    :raises Unauthorised: ``holder_signin_required``: neither is valid."""
    if who.address:
        return _space_of_address(ctx, session, who.address, now)
    if who.code_token:
        holder = _space_of_token(session, who.code_token, now)
        if holder is not None:
            return holder
    raise Unauthorised("Sign in with your email address, or type the code you received on paper.",
                       "Connectez-vous avec votre adresse e-mail, ou tapez le code reçu sur papier.",
                       code="holder_signin_required")


def owned_award(session: Session, holder: Holder, award_id: str) -> Award:
    """One award of the space. :raises NotFound: not in this space (or erased)."""
    award = session.get(Award, award_id[:32])
    if award is None or award.holder_id != holder.id or award.erased_at is not None:
        raise not_yours()
    return award


def space_awards(session: Session, holder: Holder) -> list[Award]:
    """The awards of a space, newest first."""
    return list(session.scalars(select(Award).where(Award.holder_id == holder.id, Award.erased_at.is_(None))
                                .order_by(Award.valid_from.desc(), Award.id)))


def _wrong_code() -> NotFound:
    return NotFound("No badge has this code. Check the code on your paper (16 letters and digits).",
                    "Aucun badge n'a ce code. Vérifiez le code sur votre papier (16 lettres et chiffres).",
                    code="claim_code_unknown")


def claim_with_code(ctx: ServiceContext, typed: str, who: HolderKey) -> Claimed:
    """Claim the award of a printed code into the space of whoever asks (signed in), or into a space of its own
    opened for this browser; a code already claimed without an address opens that space again.

    :raises NotFound: ``claim_code_unknown``: no award has this code.
    :raises Conflict: ``claim_code_taken``: the award is in the space of an address (sign in with it).
    """
    code = clean_claim_code(typed)
    if code is None:
        raise _wrong_code()
    digest = hashlib.sha256(code.encode()).hexdigest()
    with ctx.db.transaction() as session:
        now = ctx.clock.now()
        award = session.scalar(select(Award).where(Award.claim_code_sha256 == digest, Award.erased_at.is_(None)))
        if award is None:
            raise _wrong_code()
        owner = session.get(Holder, award.holder_id) if award.holder_id else None
        if who.address:
            holder = holder_of(ctx, session, who, now)
            if owner is not None and owner.id != holder.id and owner.email_key is not None:
                raise _taken()
            _claim(session, award, holder, now)
            return Claimed(award.id, None)
        if owner is not None and owner.email_key is not None:
            raise _taken()
        found = owner or (_space_of_token(session, who.code_token, now) if who.code_token else None)
        if found is None or found.email_key is not None:
            found = Holder(id=new_id(), email_key=None, created_at=now)
            session.add(found)
            session.flush()
        holder = found
        _claim(session, award, holder, now)
        token = new_secret()
        session.add(HolderSession(id=new_id(), holder_id=holder.id, token_sha256=sha256_hex(token), created_at=now,
                                  expires_at=now + timedelta(hours=CODE_SESSION_HOURS)))
        return Claimed(award.id, token)


def _taken() -> Conflict:
    return Conflict("This badge is already in the space of an email address: sign in with that address to see it.",
                    "Ce badge est déjà rangé dans l'espace d'une adresse e-mail : connectez-vous avec cette adresse "
                    "pour le voir.", code="claim_code_taken")


def _claim(session: Session, award: Award, holder: Holder, now: datetime) -> None:
    if award.holder_id == holder.id:
        return
    award.holder_id, award.claimed_at = holder.id, now
    audit.record(session, actor=f"holder:{holder.id}", action="award.claimed", target_type="award",
                 target_id=award.id, org_id=award.org_id, details={"by": "claim_code"})


def end_code_session(ctx: ServiceContext, token: str | None) -> None:
    """Close the space opened with a claim code in this browser (nothing when there is none)."""
    if not token:
        return
    with ctx.db.transaction() as session:
        found = session.scalar(select(HolderSession).where(HolderSession.token_sha256 == sha256_hex(token)))
        if found is not None and found.revoked_at is None:
            found.revoked_at = ctx.clock.now()

