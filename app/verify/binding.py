"""Is the key that signed a credential the issuer's? (threat T3, issuer impersonation)

A key counts as the issuer's only when the issuer's **own** document lists it:

- a ``did:key`` issuer: the key is the DID itself;
- a ``did:web`` issuer: its DID document (whose ``id`` is the issuer) lists the verification method for
  ``assertionMethod``, by id or as a method carrying the same key;
- an https issuer: the document served at the issuer's id (whose ``id`` is the issuer's id: a controller document
  or a hosted Profile) lists the method or the key under ``assertionMethod`` or ``verificationMethod``.

A method's ``controller`` proves nothing on its own: a key document or a DID document anywhere can name any issuer
as controller. A key read at resolution from its controller's own document (:attr:`ResolvedKey.bound`: a did:key,
the issuer's DID document, the document at the issuer's id) needs no second look when that controller is the issuer;
nor does a JWT ``kid`` served from an https issuer's own origin. Any other key (a ``jwk`` header, the
``issuer#z6Mk…`` form, a ``kid`` elsewhere, a method claiming another controller) is looked up in the issuer's own
document before concluding. When it is not there, :class:`Binding` says why, in words: the signature may still
hold, but the badge's issuer is not confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.signing.errors import SigningError
from app.signing.keys import PublicKey
from app.signing.multikey import decode_any_public_key
from app.verify.documents import json_object
from app.verify.errors import StepFailed
from app.verify.fetch import FetchError, SafeFetcher, did_web_url
from app.verify.keys import DID_TYPES, KeyNotFound, ResolvedKey, absolute, key_of_method, methods_of, same_key
from app.verify.report import CheckId, Report, Trust

__all__ = ["Binding", "belongs_to_issuer", "issuer_binding", "issuer_lists_key", "record_binding"]

_MAX_ENTRIES = 200
_METHOD_IDS = ("did:", "https://", "http://")  # a method is referred to by its absolute id (not "jwk")
_SHOWN = 200


@dataclass(frozen=True, slots=True)
class Binding:
    """Whether the key is the issuer's; when it is not, why (one sentence each in English and French, lower case
    first, ending with a full stop)."""

    confirmed: bool
    why_en: str = ""
    why_fr: str = ""


_CONFIRMED = Binding(True)


def _issuer_document_url(issuer_id: str, fetcher: SafeFetcher) -> tuple[str, tuple[str, ...]] | None:
    """Where the issuer's own document is, and the lists in it that name its assertion keys; None when none."""
    if issuer_id.startswith("did:web:"):
        return did_web_url(issuer_id, allow_loopback=fetcher.policy.allow_loopback), ("assertionMethod",)
    if issuer_id.startswith(("https://", "http://")):
        return issuer_id, ("assertionMethod", "verificationMethod")
    return None


def _entries(document: dict[str, Any], purpose: str) -> list[Any]:
    values = document.get(purpose, [])
    return (values if isinstance(values, list) else [values])[:_MAX_ENTRIES]


def _lists(document: dict[str, Any], issuer_id: str, purposes: tuple[str, ...], key: PublicKey,
           method_id: str | None) -> bool:
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


def _did_key_binding(issuer_id: str, key: PublicKey) -> Binding:
    try:
        if same_key(decode_any_public_key(issuer_id.removeprefix("did:key:")), key):
            return _CONFIRMED
    except SigningError:
        pass
    return Binding(False, "the issuer is a did:key, and the signing key is another key.",
                   "l'émetteur est un did:key, et la clé de signature est une autre clé.")


def _listed(issuer_id: str, key: PublicKey, method_id: str | None, fetcher: SafeFetcher) -> Binding:
    """Does the issuer's own document list this method (by ``method_id``) or this ``key``? When not, why."""
    if issuer_id.startswith("did:key:"):
        return _did_key_binding(issuer_id, key)
    shown = issuer_id[:_SHOWN]
    try:
        found = _issuer_document_url(issuer_id, fetcher)
    except FetchError as exc:  # a malformed did:web
        return Binding(False, f"the issuer's identifier ({shown}) cannot be resolved: {exc.message_en}",
                       f"l'identifiant de l'émetteur ({shown}) ne peut pas être résolu : {exc.message_fr}")
    if found is None:
        return Binding(False, f"the issuer's identifier ({shown}) leads to no document that could publish its keys.",
                       f"l'identifiant de l'émetteur ({shown}) ne mène à aucun document qui pourrait publier ses "
                       "clés.")
    url, purposes = found
    where = url[:_SHOWN]
    try:
        fetched = fetcher.get(url, accept=", ".join(DID_TYPES), allowed_types=DID_TYPES)
        document = json_object(fetched.content, "issuer's document", "Le document de l'émetteur")
    except FetchError as exc:
        return Binding(False, f"the issuer's own document could not be obtained at {where}: {exc.message_en}",
                       f"le document de l'émetteur n'a pas pu être obtenu à {where} : {exc.message_fr}")
    except StepFailed as exc:
        return Binding(False, f"the issuer's own document at {where} cannot be read: {exc.en}",
                       f"le document de l'émetteur à {where} est illisible : {exc.fr}")
    if document.get("id") != issuer_id:  # a document describing someone else is not the issuer's own
        return Binding(False, f"the document at {where} describes someone else than the issuer.",
                       f"le document à {where} décrit quelqu'un d'autre que l'émetteur.")
    if _lists(document, issuer_id, purposes, key, method_id):
        return _CONFIRMED
    return Binding(False, f"the issuer's own document ({where}) does not list this key.",
                   f"le document de l'émetteur ({where}) ne mentionne pas cette clé.")


def issuer_lists_key(issuer_id: str, key: PublicKey, method_id: str | None, fetcher: SafeFetcher) -> bool:
    """Does the issuer's own document list this method (by ``method_id``) or this ``key``? Any failure: no."""
    return _listed(issuer_id, key, method_id, fetcher).confirmed


def issuer_binding(key: ResolvedKey, issuer_id: Any, fetcher: SafeFetcher) -> Binding:
    """Is ``key`` (which verified the proof) the key of the issuer named in the credential? The issuer's own
    document is looked at whenever resolving the key did not already read it from there."""
    if not isinstance(issuer_id, str):
        return Binding(False, "the badge names no issuer identifier.", "le badge ne donne pas d'identifiant "
                       "d'émetteur.")
    if key.bound and key.controller == issuer_id:
        return _CONFIRMED
    method_id = key.method_id if key.method_id.startswith(_METHOD_IDS) else None
    return _listed(issuer_id, key.public_key, method_id, fetcher)


def belongs_to_issuer(key: ResolvedKey, issuer_id: Any, fetcher: SafeFetcher) -> bool:
    """Is ``key`` (which verified the proof) the key of the issuer named in the credential?"""
    return issuer_binding(key, issuer_id, fetcher).confirmed


def record_binding(binding: Binding, report: Report) -> Trust:
    """Record the ``issuer`` check of a signature that holds: the key is the issuer's (confirmed), or it could not be
    tied to the issuer (unconfirmed: a failed check saying so, and why, never that the signature is wrong)."""
    if binding.confirmed:
        report.passed(CheckId.ISSUER, "The signing key belongs to the issuer.",
                      "La clé de signature appartient à l'émetteur.")
        return Trust.CONFIRMED
    report.unconfirmed(
        f"The signing key is not shown to belong to the issuer named in the badge: {binding.why_en} The signature "
        "itself holds, but the key could not be tied to the issuer.",
        f"Rien ne montre que la clé de signature appartient à l'émetteur nommé dans le badge : {binding.why_fr} La "
        "signature elle-même est valide, mais la clé n'a pas pu être rattachée à l'émetteur.")
    return Trust.UNCONFIRMED
