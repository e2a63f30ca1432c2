"""Open Badges 2.0 documents: Assertion, BadgeClass, RevocationList (hosted and signed verification).

The same award is published in 2.0 and 3.0; the 2.0 recipient ``IdentityObject`` reuses the award's salt and hash.
Timestamps always carry a time zone (the 1EdTech validator refuses them otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.badges.ob3 import iso

__all__ = ["OB2_CONTEXT", "AssertionDoc", "BadgeClassDoc", "assertion", "badge_class", "gone", "revocation_list"]

OB2_CONTEXT = "https://w3id.org/openbadges/v2"


@dataclass(frozen=True, slots=True)
class BadgeClassDoc:
    id: str
    name: str
    description: str
    image: str
    issuer: str
    criteria_narrative: str | None = None
    criteria_url: str | None = None
    tags: tuple[str, ...] = ()
    alignments: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class AssertionDoc:
    id: str
    badge: str
    recipient_type: str  # email | telephone | url | id
    identity_hash: str
    salt: str
    issued_on: datetime
    expires: datetime | None = None
    narrative: str | None = None
    evidence: tuple[dict[str, Any], ...] = ()
    image: str | None = None


def badge_class(doc: BadgeClassDoc) -> dict[str, Any]:
    criteria: dict[str, Any] = {}
    if doc.criteria_url:
        criteria["id"] = doc.criteria_url
    if doc.criteria_narrative:
        criteria["narrative"] = doc.criteria_narrative
    out: dict[str, Any] = {
        "@context": OB2_CONTEXT, "type": "BadgeClass", "id": doc.id, "name": doc.name,
        "description": doc.description, "image": doc.image, "criteria": criteria, "issuer": doc.issuer,
    }
    if doc.tags:
        out["tags"] = list(doc.tags)
    if doc.alignments:
        out["alignment"] = [{k: v for k, v in a.items() if k in {"targetName", "targetUrl", "targetDescription",
                                                                    "targetFramework", "targetCode"}}
                            for a in doc.alignments]
    return out


def assertion(doc: AssertionDoc, *, creator: str | None = None) -> dict[str, Any]:
    """A hosted assertion, or a signed one when ``creator`` (the CryptographicKey URL) is given."""
    out: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": doc.id,
        "recipient": {"type": doc.recipient_type, "hashed": True, "salt": doc.salt, "identity": doc.identity_hash},
        "badge": doc.badge,
        "verification": {"type": "SignedBadge", "creator": creator} if creator else {"type": "HostedBadge"},
        "issuedOn": iso(doc.issued_on),
    }
    if doc.expires is not None:
        out["expires"] = iso(doc.expires)
    if doc.narrative:
        out["narrative"] = doc.narrative
    if doc.evidence:
        out["evidence"] = [{k: v for k, v in e.items() if k in {"id", "narrative", "name", "description"}}
                           for e in doc.evidence]
    if doc.image:
        out["image"] = doc.image
    return out


def gone(assertion_id: str, reason: str | None) -> dict[str, Any]:
    """The body of a revoked hosted assertion (served with 410 Gone): an OB 2.0 document saying so."""
    body: dict[str, Any] = {"@context": OB2_CONTEXT, "id": assertion_id, "revoked": True}
    if reason:
        body["revocationReason"] = reason
    return body


def revocation_list(list_id: str, issuer_id: str, revoked: Iterable[tuple[str, str | None]]) -> dict[str, Any]:
    """Every revoked (or suspended) assertion of an issuer, always as an array of objects."""
    entries = []
    for assertion_id, reason in revoked:
        entry: dict[str, Any] = {"id": assertion_id}
        if reason:
            entry["revocationReason"] = reason
        entries.append(entry)
    return {"@context": OB2_CONTEXT, "type": "RevocationList", "id": list_id, "issuer": issuer_id,
            "revokedAssertions": entries}
