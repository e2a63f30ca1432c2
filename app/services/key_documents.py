"""The public documents that bind an organisation to its keys: did:web, JWKS, single JWKs, issuer profiles.

Each has two forms: the document itself (what the verifier reads locally, :mod:`.local_documents`) and the
document as served (``serve_*``: tagged by the organisation's public fields and the ids and states of its published
keys, read without a key's material, so that a 304 loads, parses and serialises nothing; see
:mod:`.publication`).
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import astuple
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from app.badges import issuer as docs
from app.badges.issuer import IssuerInfo
from app.errors import NotFound
from app.models import Organisation, SigningKey
from app.services import keys, ob2, organisations
from app.services.endorsements import published as endorsed
from app.services.publication import Served, cached, remember, serve, version_tag
from app.signing import keys as keylib
from app.signing.keys import KeyAlgorithm
from app.urls import PublicUrls

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["did_document", "jwks", "ob2_issuer", "ob2_key", "ob3_profile", "serve_did_document", "serve_jwks",
           "serve_ob2_issuer", "serve_ob2_key", "serve_ob3_profile", "serve_single_jwk", "single_jwk"]

_Build = Callable[[docs.IssuerInfo, list[docs.PublishedKey]], dict[str, Any]]


def _issuer_and_keys(ctx: ServiceContext, slug: str) -> tuple[docs.IssuerInfo, list[docs.PublishedKey]]:
    with ctx.db.sessions() as session:
        org = organisations.get_by_slug(session, slug)
        return organisations.issuer_info(org), keys.published_keys(session, org.id)


def did_document(ctx: ServiceContext, slug: str) -> dict[str, Any]:
    issuer, published = _issuer_and_keys(ctx, slug)
    return docs.did_document(issuer, published, ctx.urls)


def jwks(ctx: ServiceContext, slug: str) -> dict[str, Any]:
    issuer, published = _issuer_and_keys(ctx, slug)
    return docs.jwks(issuer, published, ctx.urls)


def _jwk_of(published: list[docs.PublishedKey], key_id: str, urls: PublicUrls, slug: str) -> dict[str, Any]:
    for key in published:
        if key.id == key_id:
            return docs.jwk_for(key, urls, slug)
    raise NotFound("No such key.", "Clé introuvable.")


def single_jwk(ctx: ServiceContext, slug: str, key_id: str) -> dict[str, Any]:
    """One published key as a JWK (the ``kid`` of our VC-JWTs)."""
    _, published = _issuer_and_keys(ctx, slug)
    return _jwk_of(published, key_id, ctx.urls, slug)


def ob3_profile(ctx: ServiceContext, slug: str) -> dict[str, Any]:
    """The organisation's OB 3.0 Profile, with the endorsements it carries."""
    with ctx.db.sessions() as session:
        org = organisations.get_by_slug(session, slug)
        return docs.ob3_profile(organisations.issuer_info(org), ctx.urls, with_context=True,
                                endorsements=endorsed.published(session, "organisation", org.id))


def ob2_issuer(ctx: ServiceContext, slug: str) -> dict[str, Any]:
    """The organisation's OB 2.0 Issuer, with the OB 2.0 Endorsements of it that stand."""
    with ctx.db.sessions() as session:
        org = organisations.get_by_slug(session, slug)
        return docs.ob2_issuer_profile(organisations.issuer_info(org), keys.published_keys(session, org.id), ctx.urls,
                                       endorsements=ob2.endorsement_urls(session, ctx.urls, "organisation", org.id))


def _cryptographic_key(session: Session, ctx: ServiceContext, key_id: str) -> dict[str, Any]:
    row = keys.get_published_rsa_key(session, key_id)
    issuer = organisations.issuer_info(organisations.get_by_id(session, row.org_id))
    published = docs.PublishedKey(row.id, KeyAlgorithm(row.algorithm),
                                  keylib.load_public_key_pem(row.public_key_pem), row.status)
    return docs.cryptographic_key(issuer, published, ctx.urls, row.public_key_pem)


def ob2_key(ctx: ServiceContext, key_id: str) -> dict[str, Any]:
    """The OB 2.0 CryptographicKey of a published RSA key."""
    with ctx.db.sessions() as session:
        return _cryptographic_key(session, ctx, key_id)


# ------------------------------------------------------------------------------------------------ as served


#: an organisation's public fields by slug, built once (the tag of its documents names them all)
_ISSUER_FIELDS = select(Organisation.id, Organisation.slug, Organisation.name, Organisation.url, Organisation.email,
                        Organisation.description, Organisation.image, Organisation.language, Organisation.kind
                        ).where(Organisation.slug == bindparam("slug"))
#: the id and state of every published key, oldest first (as :func:`keys.published_keys` lists them), without their
#: material: a key's material never changes, and its state only moves on (active, retired, compromised)
_KEY_STATES = (select(SigningKey.id, SigningKey.status)
               .where(SigningKey.org_id == bindparam("org_id"), SigningKey.status != "compromised")
               .order_by(SigningKey.created_at, SigningKey.id))


def _issuer_version(ctx: ServiceContext, slug: str, with_keys: bool) -> tuple[str, IssuerInfo, list[str]]:
    """(organisation id, its public fields, its keys' states), read on a plain connection: what the tag names."""
    def reading(connection: Connection) -> tuple[str, IssuerInfo, list[str]] | None:
        row = connection.execute(_ISSUER_FIELDS, {"slug": slug}).first()
        if row is None:
            return None
        issuer = IssuerInfo(slug=row.slug, name=row.name, url=row.url, email=row.email, description=row.description,
                            image=row.image, language=row.language, kind=row.kind)
        states = [f"{key_id}:{status}" for key_id, status in connection.execute(_KEY_STATES, {"org_id": row.id})
                  ] if with_keys else []
        return row.id, issuer, states

    found = ctx.db.read(reading)
    if found is None:
        raise NotFound("No such organisation.", "Organisation introuvable.")
    return found


def _serve_issuer_document(ctx: ServiceContext, slug: str, held: Container[str], kind: str, build: _Build, *,
                           key_id: str | None = None, with_keys: bool = True) -> Served:
    """An organisation's document ``kind``, tagged by its public fields and (``with_keys``) its keys' states. The
    body is built from the very fields the tag names, and from keys read after it (never older than the tag)."""
    org_id, issuer, states = _issuer_version(ctx, slug, with_keys)
    if key_id is not None and not any(state.startswith(f"{key_id}:") for state in states):
        raise NotFound("No such key.", "Clé introuvable.")
    etag = version_tag(ctx.urls, kind, *astuple(issuer), *states, key_id)
    hit = cached(ctx.status_cache, etag, held)
    if hit is not None:
        return hit
    with ctx.db.sessions() as session:
        return remember(ctx.status_cache, etag, orjson.dumps(
            build(issuer, keys.published_keys(session, org_id) if with_keys else [])))


def serve_did_document(ctx: ServiceContext, slug: str, held: Container[str]) -> Served:
    return _serve_issuer_document(ctx, slug, held, "did", lambda issuer, published: docs.did_document(
        issuer, published, ctx.urls))


def serve_jwks(ctx: ServiceContext, slug: str, held: Container[str]) -> Served:
    return _serve_issuer_document(ctx, slug, held, "jwks", lambda issuer, published: docs.jwks(
        issuer, published, ctx.urls))


def serve_single_jwk(ctx: ServiceContext, slug: str, key_id: str, held: Container[str]) -> Served:
    """One published key as a JWK; 404 once it is compromised."""
    return _serve_issuer_document(ctx, slug, held, "jwk", lambda _, published: _jwk_of(
        published, key_id, ctx.urls, slug), key_id=key_id)


def serve_ob3_profile(ctx: ServiceContext, slug: str, held: Container[str]) -> Served:
    """The Profile, tagged by the organisation's public fields and its endorsements' version."""
    org_id, issuer, _ = _issuer_version(ctx, slug, False)
    with ctx.db.sessions() as session:
        etag = version_tag(ctx.urls, "profile", *astuple(issuer), *endorsed.version(session, "organisation", org_id))
        return serve(ctx.status_cache, etag, held, lambda: orjson.dumps(docs.ob3_profile(
            issuer, ctx.urls, with_context=True, endorsements=endorsed.published(session, "organisation", org_id))))


def serve_ob2_issuer(ctx: ServiceContext, slug: str, held: Container[str]) -> Served:
    """The OB 2.0 Issuer, tagged by the organisation's public fields, its keys' states and its endorsements'
    version (one accepted or taken back changes the tag)."""
    org_id, issuer, states = _issuer_version(ctx, slug, True)
    with ctx.db.sessions() as session:
        etag = version_tag(ctx.urls, "ob2-issuer", *astuple(issuer), *states,
                           *endorsed.version(session, "organisation", org_id))
        return serve(ctx.status_cache, etag, held, lambda: orjson.dumps(docs.ob2_issuer_profile(
            issuer, keys.published_keys(session, org_id), ctx.urls,
            endorsements=ob2.endorsement_urls(session, ctx.urls, "organisation", org_id))))


def serve_ob2_key(ctx: ServiceContext, key_id: str, held: Container[str]) -> Served:
    """An OB 2.0 CryptographicKey: its id, owner (by slug, which never changes) and material never change while it
    is published; a compromise makes it a 404."""
    with ctx.db.sessions() as session:
        found = session.execute(select(SigningKey.status, SigningKey.algorithm).where(SigningKey.id == key_id)).first()
        if found is None or found.status == "compromised" or found.algorithm != KeyAlgorithm.rsa2048.value:
            raise NotFound("No such key.", "Clé introuvable.")
        etag = version_tag(ctx.urls, "ob2-key", key_id)
        return serve(ctx.status_cache, etag, held, lambda: orjson.dumps(_cryptographic_key(session, ctx, key_id)))
