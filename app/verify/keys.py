"""Finding the public key behind a verification method or a JWT ``kid``, and who controls it.

Supported: ``did:key`` (Ed25519, resolved locally), ``did:web`` (DID document over the safe fetcher; the method
must be listed for the proof purpose), https controller documents / key documents, and the 1EdTech form
``<issuer id>#z6Mk…``, whose key is read from the fragment but which counts as the issuer's key only if the
issuer's own document publishes it. JWT keys: a ``kid`` URL serving exactly one JWK, a DID URL whose method carries
``publicKeyJwk``; a ``jwk`` header only when that key is also published by the issuer (never trusted on its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag

from cryptography.hazmat.primitives.asymmetric import ed25519

from app.signing.errors import InvalidKeyError, SigningError
from app.signing.jose_verify import public_key_from_jwk
from app.signing.keys import PublicKey, fingerprint
from app.signing.multikey import decode_public_key
from app.verify.documents import json_object, origin
from app.verify.errors import StepFailed
from app.verify.fetch import FetchError, SafeFetcher, did_web_url

__all__ = ["KeyNotFound", "ResolvedKey", "as_ed25519", "issuer_publishes_key", "resolve_jwt_key",
           "resolve_verification_method"]

DID_TYPES = ("application/did+json", "application/did+ld+json", "application/json", "application/ld+json")
JWK_TYPES = ("application/jwk+json", "application/json", "application/jwk-set+json")
_MAX_METHODS = 200


class KeyNotFound(StepFailed):
    """The key cannot be found, used or trusted."""


@dataclass(frozen=True, slots=True)
class ResolvedKey:
    public_key: PublicKey
    controller: str  # who the key belongs to, according to the document that lists it
    method_id: str
    bound: bool = True  # False: the key came from the VM string itself and nothing confirmed its controller


def _fetch_json(fetcher: SafeFetcher, url: str, types: tuple[str, ...], what: str) -> dict[str, Any]:
    try:
        fetched = fetcher.get(url, accept=", ".join(types), allowed_types=types)
        return json_object(fetched.content, what, f"Le document ({what})")
    except FetchError as exc:
        raise KeyNotFound(f"The {what} could not be fetched: {exc.message_en}",
                          f"Le document ({what}) n'a pas pu être récupéré : {exc.message_fr}") from exc
    except StepFailed as exc:
        raise KeyNotFound(exc.en, exc.fr) from exc


def _key_of_method(method: dict[str, Any]) -> PublicKey:
    try:
        if isinstance(method.get("publicKeyMultibase"), str):
            return decode_public_key(method["publicKeyMultibase"])
        if isinstance(method.get("publicKeyJwk"), dict):
            return public_key_from_jwk(method["publicKeyJwk"])
    except SigningError as exc:
        raise KeyNotFound(f"The published key is not usable: {exc.message_en}",
                          f"La clé publiée est inutilisable : {exc.message_fr}") from exc
    raise KeyNotFound("The verification method carries no key we can read (publicKeyMultibase or publicKeyJwk).",
                      "La méthode de vérification ne contient pas de clé lisible (publicKeyMultibase ou publicKeyJwk).")


def _absolute(value: Any, base: str) -> str | None:
    if not isinstance(value, str):
        return None
    return base + value if value.startswith("#") else value


def _methods(document: dict[str, Any], base: str) -> dict[str, dict[str, Any]]:
    """Every verification method of a DID/controller document, by absolute id (embedded ones included)."""
    found: dict[str, dict[str, Any]] = {}
    for key in ("verificationMethod", "assertionMethod", "authentication", "publicKey"):
        values = document.get(key, [])
        for method in (values if isinstance(values, list) else [values])[:_MAX_METHODS]:
            if isinstance(method, dict):
                method_id = _absolute(method.get("id"), base)
                if method_id:
                    found.setdefault(method_id, method)
    return found


def _listed_for(document: dict[str, Any], purpose: str, method_id: str, base: str) -> bool:
    values = document.get(purpose, [])
    for entry in values if isinstance(values, list) else [values]:
        ref = entry.get("id") if isinstance(entry, dict) else entry
        if _absolute(ref, base) == method_id:
            return True
    return False


def _from_did_web(method_id: str, fetcher: SafeFetcher, purpose: str) -> ResolvedKey:
    did = method_id.split("#", 1)[0]
    try:
        url = did_web_url(did, allow_loopback=fetcher.policy.allow_loopback)
    except FetchError as exc:
        raise KeyNotFound(exc.message_en, exc.message_fr) from exc
    document = _fetch_json(fetcher, url, DID_TYPES, "DID document")
    if document.get("id") != did:
        raise KeyNotFound("The DID document describes another DID.", "Le document DID décrit un autre DID.")
    method = _methods(document, did).get(method_id)
    if method is None:
        raise KeyNotFound("The DID document does not contain this key.", "Le document DID ne contient pas cette clé.")
    if not _listed_for(document, purpose, method_id, did):
        raise KeyNotFound(f"The key is not listed for {purpose} in the DID document.",
                          f"La clé n'est pas déclarée pour {purpose} dans le document DID.")
    controller = _absolute(method.get("controller"), did) or did
    return ResolvedKey(_key_of_method(method), controller, method_id)


def _from_did_key(method_id: str) -> ResolvedKey:
    did = method_id.split("#", 1)[0]
    value = did.removeprefix("did:key:")
    fragment = method_id.split("#", 1)[1] if "#" in method_id else value
    if fragment != value:
        raise KeyNotFound("A did:key method must name its own key.", "Une méthode did:key doit nommer sa propre clé.")
    try:
        return ResolvedKey(decode_public_key(value), did, method_id)
    except SigningError as exc:
        raise KeyNotFound(f"Unsupported did:key: {exc.message_en}", f"did:key non pris en charge : {exc.message_fr}") \
            from exc


def _from_https(method_id: str, fetcher: SafeFetcher) -> ResolvedKey:
    base, fragment = urldefrag(method_id)
    if fragment.startswith("z6Mk"):  # 1EdTech form: <controller>#<publicKeyMultibase>
        try:
            key = decode_public_key(fragment)
        except SigningError as exc:
            raise KeyNotFound(exc.message_en, exc.message_fr) from exc
        return ResolvedKey(key, base, method_id, bound=False)
    document = _fetch_json(fetcher, method_id, DID_TYPES, "key document")
    if "#" in method_id or "verificationMethod" in document:
        method = _methods(document, base).get(method_id)
        if method is None:
            raise KeyNotFound("The controller document does not contain this key.",
                              "Le document du contrôleur ne contient pas cette clé.")
        controller = _absolute(method.get("controller"), base) or _absolute(document.get("id"), base) or base
        return ResolvedKey(_key_of_method(method), controller, method_id)
    owner = document.get("controller")
    if document.get("id") != method_id or not isinstance(owner, str):
        raise KeyNotFound("The key document names no controller.", "Le document de clé ne nomme pas de contrôleur.")
    return ResolvedKey(_key_of_method(document), owner, method_id)


def resolve_verification_method(method_id: str, fetcher: SafeFetcher, *,
                                purpose: str = "assertionMethod") -> ResolvedKey:
    """The key a Data Integrity proof names, and its controller.

    :raises KeyNotFound: unresolvable, not listed for ``purpose``, or not an accepted key type.
    """
    if not isinstance(method_id, str) or len(method_id) > 2048:
        raise KeyNotFound("The verification method is not a usable identifier.",
                          "La méthode de vérification n'est pas un identifiant utilisable.")
    if method_id.startswith("did:key:"):
        return _from_did_key(method_id)
    if method_id.startswith("did:web:"):
        return _from_did_web(method_id, fetcher, purpose)
    if method_id.startswith(("https://", "http://")):
        return _from_https(method_id, fetcher)
    raise KeyNotFound("This kind of verification method is not supported (did:key, did:web, https).",
                      "Ce type de méthode de vérification n'est pas pris en charge (did:key, did:web, https).")


def _same_origin(url: str, issuer_id: str) -> bool:
    """An https issuer's key served from the issuer's own origin (scheme, host and port) is the issuer's."""
    own = origin(issuer_id)
    return own is not None and own[0] in ("https", "http") and origin(url) == own


def _same_key(a: PublicKey, b: PublicKey) -> bool:
    return type(a) is type(b) and fingerprint(a) == fingerprint(b)


def issuer_publishes_key(issuer_id: str, key: PublicKey, fetcher: SafeFetcher) -> bool:
    """Does the issuer's own document (did:web document, or https controller document) list ``key``?"""
    try:
        if issuer_id.startswith("did:key:"):
            return _same_key(decode_public_key(issuer_id.removeprefix("did:key:")), key)
        if issuer_id.startswith("did:web:"):
            document = _fetch_json(fetcher, did_web_url(issuer_id, allow_loopback=fetcher.policy.allow_loopback),
                                   DID_TYPES, "DID document")
        elif issuer_id.startswith(("https://", "http://")):
            document = _fetch_json(fetcher, issuer_id, DID_TYPES, "issuer profile")
        else:
            return False
    except (KeyNotFound, FetchError, SigningError):
        return False
    for method in _methods(document, issuer_id).values():
        try:
            if _same_key(_key_of_method(method), key):
                return True
        except KeyNotFound:
            continue
    return False


def resolve_jwt_key(kid: str | None, jwk: dict[str, Any] | None, issuer_id: str, alg: str,
                    fetcher: SafeFetcher) -> ResolvedKey:
    """The key of a VC-JWT: ``kid`` (a URL serving one JWK, or a DID URL), else a ``jwk`` header bound to the
    issuer. ``jku``/``x5u``/``x5c`` are never used.

    :raises KeyNotFound:
    """
    if kid and kid.startswith(("did:web:", "did:key:")):
        return resolve_verification_method(kid, fetcher)
    if kid and kid.startswith(("https://", "http://")):
        document = _fetch_json(fetcher, kid, JWK_TYPES, "JWK")
        if "keys" in document or "d" in document:
            raise KeyNotFound("The kid must point at exactly one public JWK, not a key set.",
                              "Le kid doit désigner exactement une clé JWK publique, pas un jeu de clés.")
        try:
            key = public_key_from_jwk(document, alg=alg)
        except SigningError as exc:
            raise KeyNotFound(exc.message_en, exc.message_fr) from exc
        bound = _same_origin(kid, issuer_id) or issuer_publishes_key(issuer_id, key, fetcher)
        return ResolvedKey(key, issuer_id, kid, bound=bound)
    if jwk is not None:
        try:
            key = public_key_from_jwk(jwk, alg=alg)
        except SigningError as exc:
            raise KeyNotFound(exc.message_en, exc.message_fr) from exc
        return ResolvedKey(key, issuer_id, "jwk", bound=issuer_publishes_key(issuer_id, key, fetcher))
    raise KeyNotFound("The token names no key (kid or jwk).", "Le jeton ne désigne aucune clé (kid ou jwk).")


def as_ed25519(key: PublicKey) -> ed25519.Ed25519PublicKey:
    """The key as Ed25519 (Data Integrity proofs here are Ed25519).

    :raises InvalidKeyError:
    """
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise InvalidKeyError("This proof needs an Ed25519 key.", "Cette preuve exige une clé Ed25519.")
    return key
