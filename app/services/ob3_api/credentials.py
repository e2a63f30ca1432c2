"""A holder's credentials through the Open Badges 3.0 API: what a backpack reads (``GET /credentials``: the badges
issued here into the holder's space, and those received from elsewhere) and what it pushes (``POST /credentials``).

A credential pushed is verified by our verifier before it is stored: one whose proof does not hold is refused; one
whose proof holds is kept with the verdict (valid, revoked, expired, issuer unconfirmed…), which the holder's space
shows. The same credential is the same issuer id and credential id (each percent-decoded and trimmed): a newer
``validFrom`` replaces it (200), the first one is created (201), an older one changes nothing (304).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import strict_json
from app.config import Settings
from app.errors import BadRequest, UnsupportedMediaType
from app.models import Holder, ReceivedCredential
from app.models.base import new_id
from app.services import audit, publication, verification
from app.services.context import ServiceContext
from app.services.holders.spaces import space_awards
from app.services.ob3_api.oauth import Grant
from app.verify.dates import parse_datetime
from app.verify.report import CheckId, Outcome, Report

__all__ = ["JSON_TYPES", "MAX_LIMIT", "Page", "Upserted", "page", "upsert"]

JSON_TYPES = frozenset({"application/json", "application/ld+json", "application/vc+ld+json"})
MAX_LIMIT = 100
_JWT_CLAIMS = ("iss", "sub", "nbf", "exp", "iat", "jti", "aud")


@dataclass(frozen=True, slots=True)
class Page:
    credential: list[dict[str, Any]]
    compact_jws: list[str]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True, slots=True)
class Upserted:
    #: 201 created, 200 replaced, 304 an older copy of what is stored (nothing changed)
    status: int
    #: the stored credential as the API returns it: a JSON object, or the compact JWS text
    document: dict[str, Any] | None
    compact_jws: str | None


# ------------------------------------------------------------------------------------------------ read


def _holder(session: Session, grant: Grant) -> Holder:
    return session.get_one(Holder, grant.holder_id)


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    moment = parse_datetime(value)
    if moment is None:
        raise BadRequest("'since' must be a date and time (ISO 8601, with its offset).",
                         "« since » doit être une date et une heure (ISO 8601, avec son décalage).",
                         code="invalid_query_parameter")
    return moment


def page(ctx: ServiceContext, grant: Grant, *, limit: int, offset: int, since: str | None) -> Page:
    """One page of the holder's credentials, newest first (issued here and received, by date; ``since``: those
    issued, received or replaced at or after that moment).

    :raises BadRequest: ``invalid_query_parameter``: ``since`` is not a date and time."""
    after = _since(since)
    with ctx.db.sessions() as session:
        holder = _holder(session, grant)
        items: list[tuple[datetime, str, str]] = [
            (award.valid_from, "award", award.id) for award in space_awards(session, holder)]
        received = session.scalars(select(ReceivedCredential).where(ReceivedCredential.holder_id == holder.id)).all()
        items += [(row.updated_at, "received", row.id) for row in received]
    if after is not None:
        items = [item for item in items if item[0] >= after]
    items.sort(key=lambda item: (item[0], item[2]), reverse=True)
    chosen = items[offset:offset + limit]
    objects: list[dict[str, Any]] = []
    tokens: list[str] = []
    by_id = {row.id: row for row in received}
    for _, kind, item_id in chosen:
        if kind == "award":
            objects.append(publication.servable_award(ctx, item_id, public=False).credential)
            continue
        row = by_id[item_id]
        if row.compact_jws:
            tokens.append(row.compact_jws)
        else:
            objects.append(row.document)
    return Page(objects, tokens, len(items), offset, limit)


# ------------------------------------------------------------------------------------------------ write


def _unusable(en: str, fr: str) -> BadRequest:
    return BadRequest(en, fr, code="credential_unusable")


def _jws_payload(text: str) -> dict[str, Any]:
    parts = text.split(".")
    if len(parts) != 3 or not all(parts[i] for i in (0, 2)):
        raise _unusable("A text/plain body must be a compact JWS (three base64url parts joined by dots).",
                        "Un corps text/plain doit être un JWS compact (trois parties base64url séparées par des "
                        "points).")
    try:
        payload = strict_json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        raise _unusable("The JWS payload is not JSON.", "La charge utile du JWS n'est pas du JSON.") from None
    if not isinstance(payload, dict):
        raise _unusable("The JWS payload is not a JSON object.", "La charge utile du JWS n'est pas un objet JSON.")
    inner = payload.get("vc")
    if isinstance(inner, dict):  # VCDM 1.1 VC-JWT
        return inner
    return {key: value for key, value in payload.items() if key not in _JWT_CLAIMS}


def _read_body(body: bytes, media_type: str) -> tuple[dict[str, Any], str | None]:
    if media_type in JSON_TYPES:
        try:
            document = strict_json.loads(body)
        except ValueError as exc:
            raise _unusable(f"The body is not JSON we accept: {exc}.",
                            f"Le corps n'est pas du JSON accepté : {exc}.") from None
        if not isinstance(document, dict):
            raise _unusable("The body must be one credential (a JSON object).",
                            "Le corps doit être un seul badge (un objet JSON).")
        return document, None
    if media_type == "text/plain":
        try:
            text = body.decode("ascii").strip()
        except UnicodeDecodeError:
            raise _unusable("A compact JWS is ASCII text.", "Un JWS compact est du texte ASCII.") from None
        return _jws_payload(text), text
    raise UnsupportedMediaType(
        "Send a credential as application/json, application/ld+json or application/vc+ld+json, or a compact JWS as "
        "text/plain.", "Envoyez un badge en application/json, application/ld+json ou application/vc+ld+json, ou un "
        "JWS compact en text/plain.")


def normalised_id(value: Any) -> str | None:
    """An id as the API compares them: percent-decoded and trimmed (None when not a non-empty string)."""
    if not isinstance(value, str):
        return None
    return unquote(value).strip() or None


def _identity(document: dict[str, Any]) -> tuple[str, str]:
    issuer = document.get("issuer")
    issuer_id = normalised_id(issuer.get("id") if isinstance(issuer, dict) else issuer)
    credential_id = normalised_id(document.get("id"))
    if issuer_id is None or credential_id is None:
        raise _unusable("The credential needs an 'id' and an 'issuer' (or 'issuer.id'): they say which credential "
                        "it is.", "Le badge doit avoir un « id » et un « issuer » (ou « issuer.id ») : ils disent de "
                        "quel badge il s'agit.")
    return issuer_id, credential_id


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _names(document: dict[str, Any]) -> tuple[str, str]:
    subject = document.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    name = _text(achievement.get("name"), 300) if isinstance(achievement, dict) else ""
    issuer = document.get("issuer")
    issuer_name = _text(issuer.get("name"), 300) if isinstance(issuer, dict) else ""
    return name or _text(document.get("name"), 300), issuer_name


def _verdict(report: Report) -> str:
    if report.verified:
        return "valid"
    if report.status.value in ("revoked", "suspended"):
        return report.status.value
    if any(c.id == CheckId.VALIDITY and c.outcome == Outcome.FAILED for c in report.checks):
        return "expired"
    return report.trust.value


def _refused(report: Report) -> BadRequest:
    failed = next((c for c in report.checks if c.outcome == Outcome.FAILED), None)
    en = failed.message_en if failed else "its proof could not be checked."
    fr = failed.message_fr if failed else "sa preuve n'a pas pu être vérifiée."
    return BadRequest(f"The credential does not verify, so it was not stored: {en}",
                      f"Le badge ne se vérifie pas, il n'a donc pas été rangé : {fr}", code="credential_not_verified")


def upsert(ctx: ServiceContext, settings: Settings, grant: Grant, body: bytes, media_type: str) -> Upserted:
    """Verify a pushed credential and store it in the holder's space (or replace an older copy).

    :raises BadRequest: ``credential_unusable`` (not a credential, no id or issuer) or ``credential_not_verified``.
    :raises UnsupportedMediaType: neither JSON nor a compact JWS as text/plain.
    """
    document, jws = _read_body(body, media_type)
    issuer_id, credential_id = _identity(document)
    report = verification.verify_badge(ctx, settings, text=jws) if jws else verification.verify_badge(
        ctx, settings, credential=document)
    if report.outcome(CheckId.PROOF) != Outcome.PASSED:
        raise _refused(report)
    valid_from = parse_datetime(document.get("validFrom") or document.get("issuanceDate"))
    name, issuer_name = _names(document)
    key = hashlib.sha256(f"{grant.holder_id}|{issuer_id}|{credential_id}".encode()).hexdigest()
    values: dict[str, Any] = {
        "issuer_id": issuer_id, "credential_id": credential_id, "document": document, "compact_jws": jws,
        "valid_from": valid_from, "name": name, "issuer_name": issuer_name, "verdict": _verdict(report),
        "checks": [c.as_dict() for c in report.checks], "client_id": grant.client_id}
    with ctx.db.transaction() as session:
        now = ctx.clock.now()
        row = session.scalar(select(ReceivedCredential).where(ReceivedCredential.identity_sha256 == key))
        if row is None:
            try:
                with session.begin_nested():
                    row = ReceivedCredential(id=new_id(), holder_id=grant.holder_id, identity_sha256=key,
                                             received_at=now, updated_at=now, **values)
                    session.add(row)
                audit.record(session, actor=f"oauth-client:{grant.client_id}", action="credential.received",
                             target_type="holder", target_id=grant.holder_id, org_id=None,
                             details={"received": row.id})
                return Upserted(201, None if jws else document, jws)
            except IntegrityError:  # the same credential pushed twice at once: the other one is stored
                row = session.scalar(select(ReceivedCredential).where(ReceivedCredential.identity_sha256 == key))
                if row is None:
                    raise
        if row.valid_from is not None and (valid_from is None or valid_from < row.valid_from):
            return Upserted(304, None, None)
        for name_, value in values.items():
            setattr(row, name_, value)
        row.updated_at = now
        return Upserted(200, None if jws else document, jws)

