"""Finding the public key behind a verification method or a JWT ``kid``, and who claims to control it.

Supported: ``did:key`` (Ed25519, resolved locally), ``did:web`` (DID document over the safe fetcher; the method
must be listed for the proof purpose), https controller documents / key documents, and the 1EdTech form
``<issuer id>#z6Mk…`` (key read from the fragment). JWT keys: a ``kid`` URL serving exactly one JWK, a DID URL whose
method carries ``publicKeyJwk``, or a ``jwk`` header.

A document's ``controller`` is only a claim: a key is marked ``bound`` only when it was read from its controller's
own document (a did:key; the DID document of the DID that lists it; an https document served at its own id that
names itself as controller). Whether a key is the issuer's is decided in :mod:`app.verify.binding` (threat T3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag

from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from app.signing.errors import InvalidKeyError, SigningError
from app.signing.jose_verify import public_key_from_jwk
from app.signing.keys import PublicKey, fingerprint
from app.signing.multikey import decode_any_public_key
from app.signing.p256 import is_p256_public_key
from app.verify.documents import json_object, origin
from app.verify.errors import StepFailed
from app.verify.fetch import FetchError, SafeFetcher, did_web_url

__all__ = ["DID_TYPES", "KeyNotFound", "ResolvedKey", "absolute", "as_ed25519", "as_p256", "fetch_json",
           "key_of_method", "key_failure", "key_unavailable", "methods_of", "resolve_jwt_key",
           "resolve_verification_method", "same_key"]

DID_TYPES = ("application/did+json", "application/did+ld+json", "application/json", "application/ld+json")
JWK_TYPES = ("application/jwk+json", "application/json", "application/jwk-set+json")
_MAX_METHODS = 200


_URL_SHOWN = 200
#: what could not be fetched, in French (a whole clause: the gender of the past participle follows the noun)
_NOT_FETCHED_FR = {"DID document": "Le document DID n'a pas pu être récupéré",
                   "key document": "Le document de clé n'a pas pu être récupéré",
                   "JWK": "La clé JWK n'a pas pu être récupérée",
                   "issuer profile": "Le profil de l'émetteur n'a pas pu être récupéré",
                   "signing key": "La clé de signature n'a pas pu être récupérée"}


class KeyNotFound(StepFailed):
    """The key cannot be found, used or trusted. ``unavailable``: it could not be fetched (see
    :func:`key_unavailable`), which says nothing about the signature."""

    unavailable: bool = False


def key_unavailable(url: str, exc: FetchError, what: str) -> KeyNotFound:
    """The key (or the ``what`` document holding it) at ``url`` could not be fetched: a fetch failure, worded as
    one, never as a bad signature."""
    shown = url[:_URL_SHOWN]
    not_fetched_fr = _NOT_FETCHED_FR.get(what, f"Le document ({what}) n'a pas pu être récupéré")
    error = KeyNotFound(
        f"Could not obtain the issuer's key at {shown}: {exc.message_en} The {what} could not be fetched, so the "
        "signature could not be checked.",
        f"Impossible d'obtenir la clé de l'émetteur à {shown} : {exc.message_fr} {not_fetched_fr}, la signature "
        "n'a donc pas pu être vérifiée.")
    error.unavailable = True
    return error


def key_failure(exc: StepFailed) -> tuple[str, str]:
    """Why a key could not serve, for a failed ``proof`` check: unobtainable (a fetch failure, worded as one) or
    unusable; never a bad signature."""
    if isinstance(exc, KeyNotFound) and exc.unavailable:
        return exc.en, exc.fr
    return f"The signing key cannot be used: {exc.en}", f"La clé de signature est inutilisable : {exc.fr}"


@dataclass(frozen=True, slots=True)
class ResolvedKey:
    public_key: PublicKey
    controller: str  # who the key belongs to, as the document that lists it claims (a claim, not a proof)
    method_id: str
    bound: bool = True  # read from the controller's own document; False: the controller's document must confirm it


def fetch_json(fetcher: SafeFetcher, url: str, types: tuple[str, ...], what: str) -> dict[str, Any]:
    try:
        fetched = fetcher.get(url, accept=", ".join(types), allowed_types=types)
        return json_object(fetched.content, what, f"Le document ({what})")
    except FetchError as exc:
        raise key_unavailable(url, exc, what) from exc
    except StepFailed as exc:
        raise KeyNotFound(exc.en, exc.fr) from exc


def key_of_method(method: dict[str, Any]) -> PublicKey:
    try:
        if isinstance(method.get("publicKeyMultibase"), str):
            return decode_any_public_key(method["publicKeyMultibase"])
        if isinstance(method.get("publicKeyJwk"), dict):
            return public_key_from_jwk(method["publicKeyJwk"])
    except SigningError as exc:
        raise KeyNotFound(f"The published key is not usable: {exc.message_en}",
                          f"La clé publiée est inutilisable : {exc.message_fr}") from exc
    raise KeyNotFound("The verification method carries no key we can read (publicKeyMultibase or publicKeyJwk).",
                      "La méthode de vérification ne contient pas de clé lisible (publicKeyMultibase ou publicKeyJwk).")


def absolute(value: Any, base: str) -> str | None:
    if not isinstance(value, str):
        return None
    return base + value if value.startswith("#") else value


def methods_of(document: dict[str, Any], base: str) -> dict[str, dict[str, Any]]:
    """Every verification method of a DID/controller document, by absolute id (embedded ones included)."""
    found: dict[str, dict[str, Any]] = {}
    for key in ("verificationMethod", "assertionMethod", "authentication", "publicKey"):
        values = document.get(key, [])
        for method in (values if isinstance(values, list) else [values])[:_MAX_METHODS]:
            if isinstance(method, dict):
                method_id = absolute(method.get("id"), base)
                if method_id:
                    found.setdefault(method_id, method)
    return found


def _listed_for(document: dict[str, Any], purpose: str, method_id: str, base: str) -> bool:
    values = document.get(purpose, [])
    for entry in values if isinstance(values, list) else [values]:
        ref = entry.get("id") if isinstance(entry, dict) else entry
        if absolute(ref, base) == method_id:
            return True
    return False


def _from_did_web(method_id: str, fetcher: SafeFetcher, purpose: str) -> ResolvedKey:
    did = method_id.split("#", 1)[0]
    try:
        url = did_web_url(did, allow_loopback=fetcher.policy.allow_loopback)
    except FetchError as exc:
        raise KeyNotFound(exc.message_en, exc.message_fr) from exc
    document = fetch_json(fetcher, url, DID_TYPES, "DID document")
    if document.get("id") != did:
        raise KeyNotFound("The DID document describes another DID.", "Le document DID décrit un autre DID.")
    method = methods_of(document, did).get(method_id)
    if method is None:
        raise KeyNotFound("The DID document does not contain this key.", "Le document DID ne contient pas cette clé.")
    if not _listed_for(document, purpose, method_id, did):
        raise KeyNotFound(f"The key is not listed for {purpose} in the DID document.",
                          f"La clé n'est pas déclarée pour {purpose} dans le document DID.")
    controller = absolute(method.get("controller"), did) or did
    # The DID document vouches for its own DID only: a method it lists "controlled by" another DID is that other
    # DID's key only if that DID's own document lists it too (checked in app.verify.binding).
    return ResolvedKey(key_of_method(method), controller, method_id, bound=controller == did)


def _from_did_key(method_id: str) -> ResolvedKey:
    did = method_id.split("#", 1)[0]
    value = did.removeprefix("did:key:")
    fragment = method_id.split("#", 1)[1] if "#" in method_id else value
    if fragment != value:
        raise KeyNotFound("A did:key method must name its own key.", "Une méthode did:key doit nommer sa propre clé.")
    try:
        return ResolvedKey(decode_any_public_key(value), did, method_id)
    except SigningError as exc:
        raise KeyNotFound(f"Unsupported did:key: {exc.message_en}", f"did:key non pris en charge : {exc.message_fr}") \
            from exc


def _from_https(method_id: str, fetcher: SafeFetcher) -> ResolvedKey:
    try:
        base, fragment = urldefrag(method_id)
    except ValueError:  # "https://[…" (found by fuzzing: an undeclared ValueError, a 500)
        raise KeyNotFound("The verification method is not a well-formed address.",
                          "La méthode de vérification n'est pas une adresse bien formée.") from None
    if fragment.startswith(("z6Mk", "zDn")):  # 1EdTech form: <controller>#<publicKeyMultibase>
        try:
            key = decode_any_public_key(fragment)
        except SigningError as exc:
            raise KeyNotFound(exc.message_en, exc.message_fr) from exc
        return ResolvedKey(key, base, method_id, bound=False)
    document = fetch_json(fetcher, method_id, DID_TYPES, "key document")
    if "#" in method_id or "verificationMethod" in document:
        method = methods_of(document, base).get(method_id)
        if method is None:
            raise KeyNotFound("The controller document does not contain this key.",
                              "Le document du contrôleur ne contient pas cette clé.")
        controller = absolute(method.get("controller"), base) or absolute(document.get("id"), base) or base
        # Bound only when this is the controller's own document: served at its id, naming itself as controller and
        # listing the method as one of its own (not merely for authentication).
        own = controller == base and absolute(document.get("id"), base) == base and any(
            _listed_for(document, purpose, method_id, base) for purpose in ("assertionMethod", "verificationMethod"))
        return ResolvedKey(key_of_method(method), controller, method_id, bound=own)
    owner = document.get("controller")
    if document.get("id") != method_id or not isinstance(owner, str):
        raise KeyNotFound("The key document names no controller.", "Le document de clé ne nomme pas de contrôleur.")
    # A key document elsewhere only claims its controller: the controller's own document must list the key.
    return ResolvedKey(key_of_method(document), owner, method_id, bound=False)


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
    """A JWT ``kid`` served from an https issuer's own origin (scheme, host and port) is the issuer's."""
    own = origin(issuer_id)
    return own is not None and own[0] in ("https", "http") and origin(url) == own


def same_key(a: PublicKey, b: PublicKey) -> bool:
    return type(a) is type(b) and fingerprint(a) == fingerprint(b)


def resolve_jwt_key(kid: str | None, jwk: dict[str, Any] | None, issuer_id: str, alg: str,
                    fetcher: SafeFetcher) -> ResolvedKey:
    """The key of a VC-JWT: ``kid`` (a URL serving one JWK, or a DID URL), else a ``jwk`` header, which is never
    bound on its own (the issuer's document must list it). ``jku``/``x5u``/``x5c`` are never used.

    :raises KeyNotFound:
    """
    if kid and kid.startswith(("did:web:", "did:key:")):
        return resolve_verification_method(kid, fetcher)
    if kid and kid.startswith(("https://", "http://")):
        document = fetch_json(fetcher, kid, JWK_TYPES, "JWK")
        if "keys" in document or "d" in document:
            raise KeyNotFound("The kid must point at exactly one public JWK, not a key set.",
                              "Le kid doit désigner exactement une clé JWK publique, pas un jeu de clés.")
        try:
            key = public_key_from_jwk(document, alg=alg)
        except SigningError as exc:
            raise KeyNotFound(exc.message_en, exc.message_fr) from exc
        return ResolvedKey(key, issuer_id, kid, bound=_same_origin(kid, issuer_id))
    if jwk is not None:
        try:
            key = public_key_from_jwk(jwk, alg=alg)
        except SigningError as exc:
            raise KeyNotFound(exc.message_en, exc.message_fr) from exc
        return ResolvedKey(key, issuer_id, "jwk", bound=False)
    raise KeyNotFound("The token names no key (kid or jwk).", "Le jeton ne désigne aucune clé (kid ou jwk).")


def as_p256(key: PublicKey) -> ec.EllipticCurvePublicKey:
    """The key as P-256 (``ecdsa-sd-2023`` proofs).

    :raises InvalidKeyError:
    """
    if not is_p256_public_key(key):
        raise InvalidKeyError("This proof needs a P-256 key.", "Cette preuve exige une clé P-256.")
    return key


def as_ed25519(key: PublicKey) -> ed25519.Ed25519PublicKey:
    """The key as Ed25519 (Data Integrity proofs here are Ed25519).

    :raises InvalidKeyError:
    """
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise InvalidKeyError("This proof needs an Ed25519 key.", "Cette preuve exige une clé Ed25519.")
    return key
