"""Is the key that signed a credential the issuer's? (threat T3, issuer impersonation)

A key counts as the issuer's only when the issuer's **own** document lists it:

- a ``did:key`` issuer: the key is the DID itself;
- a ``did:web`` issuer: its DID document (whose ``id`` is the issuer) lists the verification method for
  ``assertionMethod``, by id or as a method carrying the same key;
- an https issuer: the document served at the issuer's id (whose ``id`` is the issuer's id) lists the method or the
  key under ``assertionMethod`` or ``verificationMethod``.

The method's ``controller`` must also be the issuer. That claim alone proves nothing: a key document or a DID
document anywhere can name any issuer as controller. A key read at resolution from its controller's own document
(:attr:`ResolvedKey.bound`: a did:key, the issuer's DID document, the document at the issuer's id) needs no second
look; nor does a JWT ``kid`` served from an https issuer's own origin.
"""

from __future__ import annotations

from typing import Any

from app.signing.errors import SigningError
from app.signing.keys import PublicKey
from app.signing.multikey import decode_public_key
from app.verify.fetch import FetchError, SafeFetcher, did_web_url
from app.verify.keys import (
    DID_TYPES,
    KeyNotFound,
    ResolvedKey,
    absolute,
    fetch_json,
    key_of_method,
    methods_of,
    same_key,
)

__all__ = ["belongs_to_issuer", "issuer_lists_key"]

_MAX_ENTRIES = 200
_METHOD_IDS = ("did:", "https://", "http://")  # a method is referred to by its absolute id (not "jwk")


def _issuer_document(issuer_id: str, fetcher: SafeFetcher) -> tuple[dict[str, Any], tuple[str, ...]] | None:
    """The issuer's own document and the lists in it that name its assertion keys; None when there is none."""
    if issuer_id.startswith("did:web:"):
        url = did_web_url(issuer_id, allow_loopback=fetcher.policy.allow_loopback)
        return fetch_json(fetcher, url, DID_TYPES, "DID document"), ("assertionMethod",)
    if issuer_id.startswith(("https://", "http://")):
        return fetch_json(fetcher, issuer_id, DID_TYPES, "issuer profile"), ("assertionMethod", "verificationMethod")
    return None


def _entries(document: dict[str, Any], purpose: str) -> list[Any]:
    values = document.get(purpose, [])
    return (values if isinstance(values, list) else [values])[:_MAX_ENTRIES]


def issuer_lists_key(issuer_id: str, key: PublicKey, method_id: str | None, fetcher: SafeFetcher) -> bool:
    """Does the issuer's own document list this method (by ``method_id``) or this ``key``? Any failure: no."""
    try:
        if issuer_id.startswith("did:key:"):
            return same_key(decode_public_key(issuer_id.removeprefix("did:key:")), key)
        found = _issuer_document(issuer_id, fetcher)
    except (KeyNotFound, FetchError, SigningError):
        return False
    if found is None:
        return False
    document, purposes = found
    if document.get("id") != issuer_id:  # a document describing someone else is not the issuer's own
        return False
    defined = methods_of(document, issuer_id)
    for purpose in purposes:
        for entry in _entries(document, purpose):
            ref = absolute(entry.get("id") if isinstance(entry, dict) else entry, issuer_id)
            method = entry if isinstance(entry, dict) else defined.get(ref or "")
            if method is None:  # named by id only, its key published elsewhere
                if ref is not None and ref == method_id:
                    return True
                continue
            try:
                if same_key(key_of_method(method), key):
                    return True
            except KeyNotFound:
                continue
    return False


def belongs_to_issuer(key: ResolvedKey, issuer_id: Any, fetcher: SafeFetcher) -> bool:
    """Is ``key`` (which verified the proof) the key of the issuer named in the credential?"""
    if not isinstance(issuer_id, str) or key.controller != issuer_id:
        return False
    if key.bound:
        return True
    method_id = key.method_id if key.method_id.startswith(_METHOD_IDS) else None
    return issuer_lists_key(issuer_id, key.public_key, method_id, fetcher)
