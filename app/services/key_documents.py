"""The public documents that bind an organisation to its keys: did:web, JWKS, single JWKs, issuer profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.badges import issuer as docs
from app.errors import NotFound
from app.services import keys, organisations
from app.signing import keys as keylib
from app.signing.keys import KeyAlgorithm

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["did_document", "jwks", "ob2_issuer", "ob2_key", "ob3_profile", "single_jwk"]


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


def single_jwk(ctx: ServiceContext, slug: str, key_id: str) -> dict[str, Any]:
    """One published key as a JWK (the ``kid`` of our VC-JWTs)."""
    _, published = _issuer_and_keys(ctx, slug)
    for key in published:
        if key.id == key_id:
            return docs.jwk_for(key, ctx.urls, slug)
    raise NotFound("No such key.", "Clé introuvable.")


def ob3_profile(ctx: ServiceContext, slug: str) -> dict[str, Any]:
    issuer, _ = _issuer_and_keys(ctx, slug)
    return docs.ob3_profile(issuer, ctx.urls, with_context=True)


def ob2_issuer(ctx: ServiceContext, slug: str) -> dict[str, Any]:
    issuer, published = _issuer_and_keys(ctx, slug)
    return docs.ob2_issuer_profile(issuer, published, ctx.urls)


def ob2_key(ctx: ServiceContext, key_id: str) -> dict[str, Any]:
    """The OB 2.0 CryptographicKey of a published RSA key."""
    with ctx.db.sessions() as session:
        row = keys.get_published_rsa_key(session, key_id)
        issuer = organisations.issuer_info(organisations.get_by_id(session, row.org_id))
    published = docs.PublishedKey(row.id, KeyAlgorithm(row.algorithm),
                                  keylib.load_public_key_pem(row.public_key_pem), row.status)
    return docs.cryptographic_key(issuer, published, ctx.urls, row.public_key_pem)
