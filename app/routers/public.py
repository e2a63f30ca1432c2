"""Public, unauthenticated documents that let anyone verify an organisation's badges."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.badges import issuer as docs
from app.deps import DbDep, UrlsDep
from app.errors import NotFound
from app.http import cacheable_json
from app.services import keys, organisations

router = APIRouter(tags=["publication"])

LD_JSON = "application/ld+json"
_EXAMPLE = {"description": "A JSON document", "content": {}}


def _org_and_keys(db: DbDep, slug: str) -> tuple[docs.IssuerInfo, list[docs.PublishedKey]]:
    with db.sessions() as session:
        org = organisations.get_by_slug(session, slug)
        return organisations.issuer_info(org), keys.published_keys(session, org.id)


@router.get("/orgs/{slug}/did.json", summary="did:web DID document of an organisation",
            response_class=Response, responses={200: {"content": {"application/did+json": {}}}})
def did_document(slug: str, request: Request, db: DbDep, urls: UrlsDep) -> Response:
    issuer, published = _org_and_keys(db, slug)
    return cacheable_json(request, docs.did_document(issuer, published, urls), media_type="application/did+json")


@router.get("/orgs/{slug}/jwks.json", summary="JSON Web Key Set of an organisation (non-compromised keys)",
            response_class=Response, responses={200: {"content": {"application/jwk-set+json": {}}}})
def jwks(slug: str, request: Request, db: DbDep, urls: UrlsDep) -> Response:
    issuer, published = _org_and_keys(db, slug)
    return cacheable_json(request, docs.jwks(issuer, published, urls), media_type="application/jwk-set+json")


@router.get("/orgs/{slug}/keys/{key_id}", summary="One public key as a single JWK (the `kid` of VC-JWTs)",
            response_class=Response, responses={200: {"content": {"application/jwk+json": {}}}})
def single_jwk(slug: str, key_id: str, request: Request, db: DbDep, urls: UrlsDep) -> Response:
    issuer, published = _org_and_keys(db, slug)
    for key in published:
        if key.id == key_id:
            return cacheable_json(request, docs.jwk_for(key, urls, slug), media_type="application/jwk+json")
    raise NotFound("No such key.", "Clé introuvable.")


@router.get("/orgs/{slug}/profile", summary="OB 3.0 issuer Profile of an organisation",
            response_class=Response, responses={200: {"content": {LD_JSON: {}}}})
def ob3_profile(slug: str, request: Request, db: DbDep, urls: UrlsDep) -> Response:
    issuer, _ = _org_and_keys(db, slug)
    return cacheable_json(request, docs.ob3_profile(issuer, urls, with_context=True), media_type=LD_JSON)


@router.get("/ob2/issuers/{slug}", summary="OB 2.0 Issuer Profile, with its public keys",
            response_class=Response, responses={200: {"content": {LD_JSON: {}}}})
def ob2_issuer(slug: str, request: Request, db: DbDep, urls: UrlsDep) -> Response:
    issuer, published = _org_and_keys(db, slug)
    return cacheable_json(request, docs.ob2_issuer_profile(issuer, published, urls), media_type=LD_JSON)


@router.get("/ob2/keys/{key_id}", summary="OB 2.0 CryptographicKey (RSA public key in PEM)",
            response_class=Response, responses={200: {"content": {LD_JSON: {}}}})
def ob2_key(key_id: str, request: Request, db: DbDep, urls: UrlsDep) -> Response:
    with db.sessions() as session:
        row = keys.get_published_rsa_key(session, key_id)
        org = organisations.get_by_id(session, row.org_id)
        issuer = organisations.issuer_info(org)
    published = docs.PublishedKey(row.id, keys.KeyAlgorithm(row.algorithm),
                                  keys.keylib.load_public_key_pem(row.public_key_pem), row.status)
    document = docs.cryptographic_key(issuer, published, urls, row.public_key_pem)
    return cacheable_json(request, document, media_type=LD_JSON)
