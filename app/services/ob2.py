"""Open Badges 2.0 views of awards: hosted and signed Assertions, BadgeClasses, the issuer's RevocationList, and
the Endorsements of an organisation, a badge or an award.

Every award is published in 2.0 and 3.0 under one status: a revoked or suspended award answers 410 Gone as a
hosted assertion and is named in the RevocationList, in the same transaction that flips its 3.0 status bits.

As served (``serve_*``), each is tagged by what it is built from, read without reading the award's credential
(see :mod:`.publication`): a hosted assertion by its award (only its status changes, and a 410 is never tagged), a
signed one by the active RSA key that signs it, a BadgeClass by its achievement version, the RevocationList by the
versions of the organisation's status lists (every status change changes one). A BadgeClass and a hosted assertion
are tagged by their endorsements' version too (:func:`app.services.endorsements.published.version`): they name the
Endorsements that stand (``endorsement``: their URLs, which OB 2.0 validators fetch).

Each accepted endorsement is an OB 2.0 ``Endorsement`` with hosted verification at its own URL
(:func:`endorsement_url`): its ``claim`` names the endorsed object by its OB 2.0 id, its ``issuer`` is the endorser's
OB 2.0 Issuer. Once revoked it answers 410 Gone with ``revoked: true``, as a revoked hosted assertion does. The signed
assertion names no endorsement: a copy saved by its holder would keep naming one taken back since.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Container
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.badges import identity
from app.badges.endorsement import ob2_endorsement
from app.badges.ob2 import AssertionDoc, BadgeClassDoc, assertion, badge_class, gone, revocation_list
from app.errors import NotFound
from app.models import Achievement, Award, Endorsement, StatusList
from app.services import achievements, awards, keys, organisations
from app.services.endorsements import published as endorsed
from app.services.publication import Served, cached, remember, serve, version_tag
from app.signing.keys import KeyAlgorithm
from app.signing.ob2_jws import sign_assertion
from app.urls import PublicUrls

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["BadgePage", "HostedAssertion", "badge_class_for", "badge_page", "endorsement_url", "endorsement_urls",
           "hosted_assertion", "issuer_revocation_list", "serve_badge_class", "serve_endorsement", "serve_hosted",
           "serve_revocations", "serve_signed", "signed_assertion", "signed_assertion_id"]

_RECIPIENT_TYPES = {"email": "email", "phone": "telephone", "url": "url"}
SUSPENDED_REASON = "Suspendu temporairement par l'organisme émetteur (suspended by the issuer)."


@dataclass(frozen=True, slots=True)
class HostedAssertion:
    """A hosted OB 2.0 document (an Assertion, or an Endorsement), or the 410 body saying it was revoked."""

    document: dict[str, Any]  # the Assertion (or Endorsement), or the 410 body when ``revoked``
    revoked: bool


def signed_assertion_id(award_id: str) -> str:
    """``urn:uuid:…`` id of the signed form (OB 2.0 recommends it for signed assertions), stable per award."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:savoirs:award:{award_id}").urn


def _level_name(achievement: Achievement, level_key: str | None) -> str | None:
    return next((lvl["name"] for lvl in achievement.levels if lvl["key"] == level_key), None)


def _recipient(award: Award) -> tuple[str, str, str]:
    """(type, identity hash, salt): the award's own salted hash, or a hash of the credential subject's id."""
    if award.recipient_kind in _RECIPIENT_TYPES and award.identity_hash and award.salt:
        return _RECIPIENT_TYPES[award.recipient_kind], award.identity_hash, award.salt
    subject_id = str(award.credential["credentialSubject"]["id"])
    salt = hashlib.sha256(f"ob2-recipient:{award.id}".encode()).hexdigest()[:32]
    return "id", identity.identity_hash(subject_id, salt), salt


def _narrative(award: Award, achievement: Achievement) -> str | None:
    parts = []
    level = _level_name(achievement, award.level_id)
    if level:
        parts.append(f"Niveau : {level}")
    narrative = award.credential["credentialSubject"].get("narrative")
    if narrative:
        parts.append(str(narrative))
    return "\n\n".join(parts) or None


def _assertion_doc(award: Award, achievement: Achievement, urls: PublicUrls, assertion_id: str) -> AssertionDoc:
    recipient_type, identity_hash, salt = _recipient(award)
    evidence = tuple(e for e in award.credential.get("evidence", []) if isinstance(e, dict))
    return AssertionDoc(
        id=assertion_id, badge=urls.ob2_badge(achievement.id), recipient_type=recipient_type,
        identity_hash=identity_hash, salt=salt, issued_on=award.valid_from,
        expires=award.valid_until, narrative=_narrative(award, achievement), evidence=evidence,
    )


def hosted_assertion(session: Session, urls: PublicUrls, award: Award) -> HostedAssertion:
    """The hosted Assertion of an award, or the 410 body when it is revoked or suspended."""
    assertion_id = urls.ob2_assertion(award.id)
    if award.status == "revoked":
        return HostedAssertion(gone(assertion_id, award.revocation_reason), revoked=True)
    if award.status == "suspended":
        return HostedAssertion(gone(assertion_id, SUSPENDED_REASON), revoked=True)
    achievement = session.get_one(Achievement, award.achievement_id)
    document = assertion(_assertion_doc(award, achievement, urls, assertion_id))
    return HostedAssertion(_endorsed(document, endorsement_urls(session, urls, "award", award.id)), revoked=False)


def signed_assertion(session: Session, vault: keys.KeyVault, urls: PublicUrls, award: Award) -> str:
    """The signed Assertion (compact JWS, RS256) by the organisation's active RSA key; revocation of signed
    assertions goes through the issuer's RevocationList."""
    achievement = session.get_one(Achievement, award.achievement_id)
    row = keys.active_key(session, award.org_id, KeyAlgorithm.rsa2048)
    document = assertion(_assertion_doc(award, achievement, urls, signed_assertion_id(award.id)),
                         creator=urls.ob2_key(row.id))
    return sign_assertion(document, private_key=vault.signer(row).private_key)  # type: ignore[arg-type]


def _criteria_narrative(row: Achievement) -> str | None:
    parts = [row.criteria_narrative] if row.criteria_narrative else []
    for rank, level in enumerate(row.levels, start=1):
        text = " — ".join(p for p in (level.get("description"), level.get("criteria")) if p)
        parts.append(f"Niveau {rank} « {level['name']} »" + (f" : {text}" if text else ""))
    return "\n\n".join(parts) or None


def badge_class_for(session: Session, urls: PublicUrls, achievement_id: str) -> dict[str, Any]:
    """The BadgeClass of a published (or archived) achievement version."""
    row = achievements.get_public(session, achievement_id)
    org = organisations.get_by_id(session, row.org_id)
    narrative = _criteria_narrative(row)
    criteria_url = row.criteria_url or (None if narrative else urls.achievement(row.id))
    return _endorsed(badge_class(BadgeClassDoc(
        id=urls.ob2_badge(row.id), name=row.name, description=row.description,
        image=achievements.image_url(row, urls) or urls.default_image(row.id), issuer=urls.ob2_issuer(org.slug),
        criteria_narrative=narrative, criteria_url=criteria_url,
        tags=tuple(row.tags), alignments=tuple(row.alignments),
    )), endorsement_urls(session, urls, "achievement", row.id))


def endorsement_url(urls: PublicUrls, endorsement_id: str) -> str:
    """The OB 2.0 Endorsement (its ``id``), on the issuer's origin so that hosted verification holds."""
    return f"{urls.base}/ob2/endorsements/{endorsement_id}"


def endorsement_urls(session: Session, urls: PublicUrls, subject_kind: str, subject_id: str) -> list[str]:
    """The OB 2.0 Endorsements an object's OB 2.0 document names: those that stand, in the order its OB 3.0
    documents carry them (:func:`app.services.endorsements.published.published`)."""
    found = session.scalars(select(Endorsement.id).where(
        Endorsement.subject_kind == subject_kind, Endorsement.subject_id == subject_id,
        Endorsement.state == "accepted").order_by(Endorsement.decided_at, Endorsement.id))
    return [endorsement_url(urls, endorsement_id) for endorsement_id in found]


def _endorsed(document: dict[str, Any], endorsements: list[str]) -> dict[str, Any]:
    if endorsements:
        document["endorsement"] = endorsements
    return document


def _claim_id(session: Session, urls: PublicUrls, row: Endorsement) -> str:
    """The endorsed object's OB 2.0 id: its BadgeClass, hosted Assertion or Issuer."""
    if row.subject_kind == "achievement":
        return urls.ob2_badge(row.subject_id)
    if row.subject_kind == "award":
        return urls.ob2_assertion(row.subject_id)
    return urls.ob2_issuer(organisations.get_by_id(session, row.subject_id).slug)


def endorsement_document(session: Session, urls: PublicUrls, row: Endorsement) -> HostedAssertion:
    """The OB 2.0 Endorsement of an accepted endorsement, or the 410 body once it is revoked."""
    endorsement_id = endorsement_url(urls, row.id)
    if row.state == "revoked":
        return HostedAssertion(gone(endorsement_id, None), revoked=True)
    if row.state != "accepted" or row.endorser_org_id is None or row.decided_at is None:
        raise NotFound("No such endorsement.", "Recommandation introuvable.")
    endorser = organisations.get_by_id(session, row.endorser_org_id)
    return HostedAssertion(ob2_endorsement(
        endorsement_id=endorsement_id, claim_id=_claim_id(session, urls, row), issuer_id=urls.ob2_issuer(endorser.slug),
        comment=row.comment, issued_on=row.decided_at), revoked=False)


def issuer_revocation_list(session: Session, urls: PublicUrls, slug: str) -> dict[str, Any]:
    """Every revoked or suspended assertion of the organisation (signed and hosted ids)."""
    org = organisations.get_by_slug(session, slug)
    rows = session.execute(select(Award.id, Award.status, Award.revocation_reason)
                           .where(Award.org_id == org.id, Award.status.in_(("revoked", "suspended")))
                           .order_by(Award.id)).all()
    entries: list[tuple[str, str | None]] = []
    for award_id, status, reason in rows:
        why = reason if status == "revoked" else SUSPENDED_REASON
        entries += [(signed_assertion_id(award_id), why), (urls.ob2_assertion(award_id), why)]
    return revocation_list(urls.ob2_revocation_list(slug), urls.ob2_issuer(slug), entries)


# ------------------------------------------------------------------------------------------------ use cases


def signed(ctx: ServiceContext, award_id: str) -> str:
    """The signed OB 2.0 assertion (compact JWS) of an award."""
    with ctx.db.sessions() as session:
        return signed_assertion(session, ctx.vault, ctx.urls, awards.get_public(session, award_id))


def hosted(ctx: ServiceContext, award_id: str) -> HostedAssertion:
    with ctx.db.sessions() as session:
        return hosted_assertion(session, ctx.urls, awards.get_public(session, award_id))


def badge_class_document(ctx: ServiceContext, achievement_id: str) -> dict[str, Any]:
    with ctx.db.sessions() as session:
        return badge_class_for(session, ctx.urls, achievement_id)


@dataclass(frozen=True, slots=True)
class BadgePage:
    """What a person sees at a BadgeClass's address: the badge, and the organisation that awards it."""

    document: dict[str, Any]
    issuer_name: str
    issuer_url: str


def badge_page(ctx: ServiceContext, achievement_id: str) -> BadgePage:
    with ctx.db.sessions() as session:
        document = badge_class_for(session, ctx.urls, achievement_id)
        org = organisations.get_by_id(session, achievements.get_public(session, achievement_id).org_id)
        return BadgePage(document, org.name, org.url)


def revocations(ctx: ServiceContext, slug: str) -> dict[str, Any]:
    with ctx.db.sessions() as session:
        return issuer_revocation_list(session, ctx.urls, slug)


# ------------------------------------------------------------------------------------------------ as served


def serve_hosted(ctx: ServiceContext, award_id: str, media_type: str, held: Container[str]) -> Served:
    """The hosted Assertion as ``media_type``; once revoked or suspended, its 410 body (untagged, never kept). While
    active, only its endorsements change (its award and achievement version are fixed; re-signing leaves the
    credential's subject and evidence as they were)."""
    with ctx.db.sessions() as session:
        status = session.scalar(select(Award.status).where(Award.id == award_id))
        if status is None:
            raise NotFound("No such credential.", "Badge introuvable.")
        etag = version_tag(ctx.urls, "ob2-assertion", award_id, media_type,
                           *endorsed.version(session, "award", award_id))
        kept = cached(ctx.status_cache, etag, held) if status == "active" else None
        if kept is not None:
            return kept
        hosted = hosted_assertion(session, ctx.urls, awards.get_public(session, award_id))
        body = orjson.dumps(hosted.document)
        return Served(None, body, 410) if hosted.revoked else remember(ctx.status_cache, etag, body)


def serve_signed(ctx: ServiceContext, award_id: str, held: Container[str]) -> Served:
    """The signed Assertion (compact JWS), tagged by the active RSA key that signs it: signed once per rotation."""
    with ctx.db.sessions() as session:
        org_id = session.scalar(select(Award.org_id).where(Award.id == award_id))
        if org_id is None:
            raise NotFound("No such credential.", "Badge introuvable.")
        key_id = keys.active_key(session, org_id, KeyAlgorithm.rsa2048).id
        etag = version_tag(ctx.urls, "ob2-jws", award_id, key_id)
        return serve(ctx.status_cache, etag, held, lambda: signed_assertion(
            session, ctx.vault, ctx.urls, awards.get_public(session, award_id)).encode("utf-8"))


def serve_badge_class(ctx: ServiceContext, achievement_id: str, media_type: str, held: Container[str]) -> Served:
    """The BadgeClass of a published (or archived) achievement version as ``media_type``, tagged by the version and
    its endorsements (one accepted or taken back changes the tag)."""
    with ctx.db.sessions() as session:
        etag = version_tag(ctx.urls, "ob2-badge", achievement_id,
                           achievements.public_version(session, achievement_id), media_type,
                           *endorsed.version(session, "achievement", achievement_id))
        return serve(ctx.status_cache, etag, held, lambda: orjson.dumps(
            badge_class_for(session, ctx.urls, achievement_id)))


def serve_revocations(ctx: ServiceContext, slug: str, media_type: str, held: Container[str]) -> Served:
    """The organisation's RevocationList as ``media_type``, tagged by the versions of its status lists: revoking,
    suspending or reinstating an award changes one of them in the same transaction."""
    with ctx.db.sessions() as session:
        org = organisations.get_by_slug(session, slug)
        versions = session.execute(select(StatusList.id, StatusList.version)
                                   .where(StatusList.org_id == org.id).order_by(StatusList.id))
        etag = version_tag(ctx.urls, "ob2-revocations", slug, media_type,
                           *(f"{list_id}:{version}" for list_id, version in versions))
        return serve(ctx.status_cache, etag, held, lambda: orjson.dumps(
            issuer_revocation_list(session, ctx.urls, slug)))


def serve_endorsement(ctx: ServiceContext, endorsement_id: str, media_type: str, held: Container[str]) -> Served:
    """The OB 2.0 Endorsement as ``media_type``: nothing in it changes while it stands (its words, date, endorser and
    subject are fixed once accepted); once revoked, its 410 body (untagged, never kept). Unknown or never accepted:
    404."""
    with ctx.db.sessions() as session:
        state = session.scalar(select(Endorsement.state).where(Endorsement.id == endorsement_id))
        if state not in ("accepted", "revoked"):
            raise NotFound("No such endorsement.", "Recommandation introuvable.")
        etag = version_tag(ctx.urls, "ob2-endorsement", endorsement_id, media_type)
        kept = cached(ctx.status_cache, etag, held) if state == "accepted" else None
        if kept is not None:
            return kept
        document = endorsement_document(session, ctx.urls, session.get_one(Endorsement, endorsement_id))
        body = orjson.dumps(document.document)
        return Served(None, body, 410) if document.revoked else remember(ctx.status_cache, etag, body)
