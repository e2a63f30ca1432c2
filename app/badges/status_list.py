"""The ``BitstringStatusListCredential`` document (W3C Bitstring Status List v1.0), unsigned."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.badges.ob3 import iso

__all__ = ["status_list_credential"]


def status_list_credential(*, list_url: str, issuer_id: str, purpose: str, encoded_list: str,
                           valid_from: datetime) -> dict[str, Any]:
    """The list credential; ``issuer`` is the same did:web as the credentials' issuer (verifiers compare them)."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": iso(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list,
        },
    }
