"""Open Badges 3.0 ``EndorsementCredential`` documents and Open Badges 2.0 ``Endorsement`` objects, as plain JSON.

An endorsement is a credential of its own: its issuer is the endorser (an organisation or a person, as a
``Profile``), its subject the endorsed object (an issuer's Profile, an Achievement, or one awarded credential) by
id, with the endorser's words in ``endorsementComment``. The same rules as :mod:`app.badges.ob3` hold: ``type``
arrays, dates in UTC with a ``Z``, only terms the bundled contexts define, one ``credentialStatus`` object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.badges.ob3 import OB3_CONTEXT, iso

__all__ = ["EndorsementDoc", "endorsement_credential", "ob2_endorsement"]

OB2_CONTEXT = "https://w3id.org/openbadges/v2"


@dataclass(frozen=True, slots=True)
class EndorsementDoc:
    credential_id: str  # its public URL
    name: str  # e.g. "Recommandation de la Mairie de Rouen"
    issuer: dict[str, Any]  # the endorser's OB 3.0 Profile
    subject_id: str  # the id of the endorsed object, exactly as that object states it
    comment: str | None
    valid_from: datetime
    credential_status: dict[str, Any] | None = None
    description: str | None = None


def endorsement_credential(e: EndorsementDoc) -> dict[str, Any]:
    """An unsigned ``EndorsementCredential``."""
    credential: dict[str, Any] = {
        "@context": OB3_CONTEXT,
        "id": e.credential_id,
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": e.name,
    }
    if e.description:
        credential["description"] = e.description
    credential["issuer"] = e.issuer
    credential["validFrom"] = iso(e.valid_from)
    subject: dict[str, Any] = {"id": e.subject_id, "type": ["EndorsementSubject"]}
    if e.comment:
        subject["endorsementComment"] = e.comment
    credential["credentialSubject"] = subject
    if e.credential_status:
        credential["credentialStatus"] = e.credential_status
    return credential


def ob2_endorsement(*, endorsement_id: str, claim_id: str, issuer_id: str, comment: str | None,
                    issued_on: datetime) -> dict[str, Any]:
    """An OB 2.0 ``Endorsement`` with hosted verification (served at ``endorsement_id``; ``issuer_id`` is the
    endorser's OB 2.0 Issuer, on the same origin)."""
    claim: dict[str, Any] = {"id": claim_id}
    if comment:
        claim["endorsementComment"] = comment
    return {"@context": OB2_CONTEXT, "type": "Endorsement", "id": endorsement_id, "claim": claim,
            "issuer": issuer_id, "issuedOn": iso(issued_on), "verification": {"type": "hosted"}}
