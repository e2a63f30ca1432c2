"""Documents that publish an organisation and its public keys (pure data builders).

- did:web DID document (``/orgs/{slug}/did.json``): every non-compromised key is a verification method listed in
  ``assertionMethod``; Ed25519 as ``Multikey``, RSA and P-256 as ``JsonWebKey2020``. Ids are absolute.
- JWKS and single JWKs (``kid`` = the JWK's own URL, so it dereferences to exactly one key).
- OB 3.0 issuer ``Profile`` (embedded in credentials, also served alone).
- OB 2.0 ``Issuer`` Profile with ``publicKey`` → ``CryptographicKey`` documents (RSA keys, ``publicKeyPem``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwcrypto.jwk import JWK

from app.signing.keys import KeyAlgorithm, PublicKey
from app.urls import PublicUrls

__all__ = [
    "IssuerInfo",
    "PublishedKey",
    "cryptographic_key",
    "did_document",
    "jwk_for",
    "jwks",
    "ob2_issuer_profile",
    "ob3_profile",
    "public_key_multibase",
]

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
DID_CONTEXTS = [
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/suites/jws-2020/v1",
]
OB3_CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
_JWS_ALG = {KeyAlgorithm.rsa2048: "RS256", KeyAlgorithm.p256: "ES256", KeyAlgorithm.ed25519: "EdDSA"}


@dataclass(frozen=True, slots=True)
class IssuerInfo:
    slug: str
    name: str
    url: str
    email: str
    description: str | None = None
    image: str | None = None
    language: str = "fr"
    kind: str = "organisation"  # or "person": an individual endorser, published by name only


@dataclass(frozen=True, slots=True)
class PublishedKey:
    id: str
    algorithm: KeyAlgorithm
    public_key: PublicKey
    status: str  # active | retired (compromised keys are never published)


def public_key_multibase(key: ed25519.Ed25519PublicKey) -> str:
    """``z`` + base58btc(0xed01 ‖ raw 32-byte key): the Multikey encoding of an Ed25519 public key."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(b"\xed\x01" + raw).decode("ascii")


def jwk_for(key: PublishedKey, urls: PublicUrls, slug: str) -> dict[str, Any]:
    """The public JWK of a key, with ``kid`` (its own URL), ``alg`` and ``use``."""
    jwk: dict[str, Any] = JWK.from_pyca(key.public_key).export_public(as_dict=True)
    jwk.update({"kid": urls.jwk(slug, key.id), "alg": _JWS_ALG[key.algorithm], "use": "sig"})
    return jwk


def did_document(issuer: IssuerInfo, keys: list[PublishedKey], urls: PublicUrls) -> dict[str, Any]:
    did = urls.did(issuer.slug)
    methods: list[dict[str, Any]] = []
    for key in keys:
        vm: dict[str, Any] = {"id": urls.verification_method(issuer.slug, key.id), "controller": did}
        if isinstance(key.public_key, ed25519.Ed25519PublicKey):
            vm.update(type="Multikey", publicKeyMultibase=public_key_multibase(key.public_key))
        else:
            jwk = JWK.from_pyca(key.public_key).export_public(as_dict=True)
            vm.update(type="JsonWebKey2020", publicKeyJwk=jwk)
        methods.append(vm)
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [vm["id"] for vm in methods],
    }


def jwks(issuer: IssuerInfo, keys: list[PublishedKey], urls: PublicUrls) -> dict[str, Any]:
    return {"keys": [jwk_for(k, urls, issuer.slug) for k in keys]}


def ob3_profile(issuer: IssuerInfo, urls: PublicUrls, *, with_context: bool = False,
                endorsements: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The OB 3.0 issuer Profile (id = the organisation's did:web); a person's has their name only (the address
    they proved is never published). ``endorsements``: the signed EndorsementCredentials it carries."""
    profile: dict[str, Any] = {}
    if with_context:
        profile["@context"] = OB3_CONTEXTS
    profile.update(id=urls.did(issuer.slug), type=["Profile"], name=issuer.name)
    if issuer.kind != "person":
        profile.update(url=issuer.url, email=issuer.email)
    if issuer.description:
        profile["description"] = issuer.description
    if issuer.image:
        profile["image"] = {"id": issuer.image, "type": "Image"}
    if endorsements:
        profile["endorsement"] = endorsements
    return profile


def ob2_issuer_profile(issuer: IssuerInfo, keys: list[PublishedKey], urls: PublicUrls, *,
                       endorsements: Sequence[str] = ()) -> dict[str, Any]:
    """The OB 2.0 Issuer. ``publicKey`` names the ACTIVE RSA key only: the 1EdTech validator accepts one key per
    issuer, so after a rotation a signed assertion saved earlier (signed by a retired key) no longer counts as the
    issuer's, while its hosted form and a freshly downloaded signed copy (re-signed by the active key) do.

    A person (an individual endorser) is published by name only, as in OB 3.0: no ``email`` (the address they
    proved stays private), and as ``url`` their own Profile on this service (the organisation row's ``url`` is the
    service's home page, not theirs); with an Ed25519 key only, they have no ``publicKey``. ``endorsements``: the
    URLs of the OB 2.0 Endorsements of the issuer (fetched by OB 2.0 validators)."""
    person = issuer.kind == "person"
    profile: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": urls.ob2_issuer(issuer.slug),
        "name": issuer.name,
        "url": urls.profile(issuer.slug) if person else issuer.url,
    }
    if not person:
        profile["email"] = issuer.email
    if issuer.description:
        profile["description"] = issuer.description
    if issuer.image:
        profile["image"] = issuer.image
    public_keys = [urls.ob2_key(k.id) for k in keys
                   if isinstance(k.public_key, rsa.RSAPublicKey) and k.status == "active"]
    if public_keys or not person:
        profile["publicKey"] = public_keys
    profile["revocationList"] = urls.ob2_revocation_list(issuer.slug)
    if endorsements:
        profile["endorsement"] = list(endorsements)
    return profile


def cryptographic_key(issuer: IssuerInfo, key: PublishedKey, urls: PublicUrls, pem: str) -> dict[str, Any]:
    return {
        "@context": OB2_CONTEXT,
        "type": "CryptographicKey",
        "id": urls.ob2_key(key.id),
        "owner": urls.ob2_issuer(issuer.slug),
        "publicKeyPem": pem,
    }
