"""Public, unauthenticated documents that let anyone verify an organisation's badges: each with an `ETag` known
before it is built (`If-None-Match` answers 304 at the cost of two small reads)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.deps import CtxDep
from app.http import NOT_MODIFIED, PROFILE, REVALIDATE, document_response, held_versions
from app.services import key_documents

router = APIRouter(tags=["publication"])

LD_JSON = "application/ld+json"


@router.get("/orgs/{slug}/did.json", summary="did:web DID document of an organisation",
            response_class=Response, responses={200: {"content": {"application/did+json": {}}}, **NOT_MODIFIED})
def did_document(slug: str, request: Request, ctx: CtxDep) -> Response:
    """The organisation's `did:web` document: every Ed25519, RSA and P-256 key that is not compromised (active and
    retired), as verification methods (Ed25519 as `Multikey`, RSA and P-256 as
    `JsonWebKey2020`). Verifiers resolve `did:web:{host}:orgs:{slug}` to
    this address.

    `curl http://127.0.0.1:8000/orgs/puchot/did.json`"""
    return document_response(key_documents.serve_did_document(ctx, slug, held_versions(request)),
                             media_type="application/did+json", cache_control=REVALIDATE)


@router.get("/orgs/{slug}/jwks.json", summary="JSON Web Key Set of an organisation (non-compromised keys)",
            response_class=Response, responses={200: {"content": {"application/jwk-set+json": {}}}, **NOT_MODIFIED})
def jwks(slug: str, request: Request, ctx: CtxDep) -> Response:
    """Every non-compromised public key of the organisation as a JSON Web Key Set (RFC 7517), for VC-JWT and OB 2.0
    verifiers."""
    return document_response(key_documents.serve_jwks(ctx, slug, held_versions(request)),
                             media_type="application/jwk-set+json", cache_control=REVALIDATE)


@router.get("/orgs/{slug}/keys/{key_id}", summary="One public key as a single JWK (the `kid` of VC-JWTs)",
            response_class=Response, responses={200: {"content": {"application/jwk+json": {}}}, **NOT_MODIFIED})
def single_jwk(slug: str, key_id: str, request: Request, ctx: CtxDep) -> Response:
    """One public key as a single JWK: the `kid` of VC-JWTs issued with `?kid=jwk` points here. A compromised key
    answers 404."""
    return document_response(key_documents.serve_single_jwk(ctx, slug, key_id, held_versions(request)),
                             media_type="application/jwk+json", cache_control=REVALIDATE)


@router.get("/orgs/{slug}/profile", summary="OB 3.0 issuer Profile of an organisation",
            response_class=Response, responses={200: {"content": {LD_JSON: {}}}, **NOT_MODIFIED})
def ob3_profile(slug: str, request: Request, ctx: CtxDep) -> Response:
    """The organisation as an Open Badges 3.0 issuer `Profile` (name, url, email, image), with its `did:web`
    identifier."""
    return document_response(key_documents.serve_ob3_profile(ctx, slug, held_versions(request)), media_type=LD_JSON,
                             cache_control=PROFILE)


@router.get("/ob2/issuers/{slug}", summary="OB 2.0 Issuer Profile, with its public keys",
            response_class=Response, responses={200: {"content": {LD_JSON: {}}}, **NOT_MODIFIED})
def ob2_issuer(slug: str, request: Request, ctx: CtxDep) -> Response:
    """The organisation as an Open Badges 2.0 `Issuer`, declaring its active RSA `publicKey` and its `revocationList`:
    what the 1EdTech validator reads for signed assertions."""
    return document_response(key_documents.serve_ob2_issuer(ctx, slug, held_versions(request)), media_type=LD_JSON,
                             cache_control=REVALIDATE)


@router.get("/ob2/keys/{key_id}", summary="OB 2.0 CryptographicKey (RSA public key in PEM)",
            response_class=Response, responses={200: {"content": {LD_JSON: {}}}, **NOT_MODIFIED})
def ob2_key(key_id: str, request: Request, ctx: CtxDep) -> Response:
    """An OB 2.0 `CryptographicKey` (RSA public key in PEM) with its `owner`, for signed OB 2.0 assertions."""
    return document_response(key_documents.serve_ob2_key(ctx, key_id, held_versions(request)), media_type=LD_JSON,
                             cache_control=REVALIDATE)
