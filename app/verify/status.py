"""Status of an OB 3.0 credential: W3C Bitstring Status List (revocation, suspension) and 1EdTech Revocation List.

Fetched only after the credential's own proof verified. A list that cannot be fetched, verified or read, or that
is stale, leaves the status unknown, which fails verification (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.badges.bitstring import Bitstring, BitstringError
from app.verify.dates import parse_datetime
from app.verify.documents import json_object, objects, types_of
from app.verify.errors import StepFailed
from app.verify.fetch import FetchError, SafeFetcher
from app.verify.report import CheckId, Report, Status

__all__ = ["check_status"]

LIST_TYPES = ("application/vc+ld+json", "application/ld+json", "application/json", "application/vc")
#: verifies a status list credential's proof and returns its issuer id, or raises StepFailed
ListVerifier = Callable[[dict[str, Any]], str]


def _issuer_id(credential: dict[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else None


def _fetch_json(fetcher: SafeFetcher, url: Any, types: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(url, str):
        raise StepFailed("The status entry names no list URL.", "L'entrée de statut ne donne pas l'URL de la liste.")
    try:
        fetched = fetcher.get(url, accept=", ".join(types), allowed_types=types)
    except FetchError as exc:
        raise StepFailed(f"The status list could not be fetched: {exc.message_en}",
                         f"La liste de statuts n'a pas pu être récupérée : {exc.message_fr}") from exc
    return json_object(fetched.content, "status list", "La liste de statuts")


def _bitstring_bit(entry: dict[str, Any], issuer_id: str | None, fetcher: SafeFetcher, verify_list: ListVerifier,
                   now: datetime) -> bool:
    document = _fetch_json(fetcher, entry.get("statusListCredential"), LIST_TYPES)
    if "BitstringStatusListCredential" not in types_of(document):
        raise StepFailed("The status list is not a BitstringStatusListCredential.",
                         "La liste de statuts n'est pas une BitstringStatusListCredential.")
    try:
        list_issuer = verify_list(document)
    except StepFailed as exc:
        raise StepFailed(f"The status list could not be verified: {exc.en}",
                         f"La liste de statuts n'a pas pu être vérifiée : {exc.fr}") from exc
    if list_issuer != issuer_id:
        raise StepFailed("The status list was not issued by the credential's issuer.",
                       "La liste de statuts n'a pas été émise par l'émetteur du badge.")
    valid_until = parse_datetime(document.get("validUntil") or document.get("expirationDate"))
    if valid_until is not None and valid_until < now:
        raise StepFailed("The status list has expired: the status is unknown.",
                       "La liste de statuts a expiré : le statut est inconnu.")
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("statusPurpose") != entry.get("statusPurpose"):
        raise StepFailed("The status list's purpose does not match the entry.",
                       "L'usage de la liste de statuts ne correspond pas à l'entrée.")
    try:
        index = int(str(entry.get("statusListIndex")))
        return Bitstring.decode(str(subject.get("encodedList", ""))).get(index)
    except (ValueError, BitstringError) as exc:
        raise StepFailed(f"The status list cannot be read ({exc}).", "La liste de statuts est illisible.") from exc


def _revocation_list_says_revoked(entry: dict[str, Any], credential_id: Any, fetcher: SafeFetcher) -> bool:
    document = _fetch_json(fetcher, entry.get("id"), ("application/json", "application/ld+json"))
    return any(item.get("id") == credential_id and item.get("revoked", True) is not False
               for item in objects(document.get("revokedCredential")))


def check_status(credential: dict[str, Any], report: Report, fetcher: SafeFetcher, verify_list: ListVerifier,
                 now: datetime) -> None:
    """Read every status entry of ``credential`` and record one ``status`` check."""
    entries = objects(credential.get("credentialStatus"))
    if not entries:
        report.status = Status.ACTIVE
        report.skipped(CheckId.STATUS, "The badge has no status information: it cannot be revoked.",
                       "Le badge n'a pas d'information de statut : il ne peut pas être révoqué.")
        return
    revoked = suspended = False
    try:
        for entry in entries:
            kind, purpose = entry.get("type"), entry.get("statusPurpose")
            if kind == "BitstringStatusListEntry" and purpose in ("revocation", "suspension"):
                bit = _bitstring_bit(entry, _issuer_id(credential), fetcher, verify_list, now)
                report.suspension_checked |= purpose == "suspension"
                revoked |= bit and purpose == "revocation"
                suspended |= bit and purpose == "suspension"
            elif kind == "1EdTechRevocationList":
                revoked = revoked or _revocation_list_says_revoked(entry, credential.get("id"), fetcher)
            else:
                raise StepFailed(f"Unsupported status method {str(kind)[:60]!r}.",
                               f"Méthode de statut non prise en charge {str(kind)[:60]!r}.")
    except StepFailed as exc:
        report.status = Status.UNKNOWN
        report.failed(CheckId.STATUS, exc.en, exc.fr)
        return
    if revoked:
        report.status = Status.REVOKED
        report.failed(CheckId.STATUS, "The issuer has revoked this badge.", "L'émetteur a révoqué ce badge.")
    elif suspended:
        report.status = Status.SUSPENDED
        report.failed(CheckId.STATUS, "The issuer has suspended this badge for now.",
                      "L'émetteur a suspendu ce badge pour le moment.")
    elif report.suspension_checked:
        report.status = Status.ACTIVE
        report.passed(CheckId.STATUS, "The badge has not been revoked or suspended.",
                      "Le badge n'a été ni révoqué ni suspendu.")
    else:
        report.status = Status.ACTIVE
        report.passed(CheckId.STATUS, "The badge has not been revoked (its issuer publishes no suspension status).",
                      "Le badge n'a pas été révoqué (l'émetteur ne publie pas de statut de suspension).")
