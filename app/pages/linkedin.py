"""LinkedIn's "add to profile" link (section « Licences et certifications »): the fields LinkedIn reads from the
query (name, organisation, issue and expiry month, the credential's URL). The credential ID stays empty: LinkedIn
shows it as a number to type, which a URL already answers."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urlencode

__all__ = ["add_to_profile_url", "share_url"]


def add_to_profile_url(*, name: str, organisation: str, issued: date | None, expires: date | None,
                       credential_url: str) -> str:
    fields = {"startTask": "CERTIFICATION_NAME", "name": name or "Open Badge", "organizationName": organisation,
              "certUrl": credential_url}
    if issued is not None:
        fields.update(issueYear=str(issued.year), issueMonth=str(issued.month))
    if expires is not None:
        fields.update(expirationYear=str(expires.year), expirationMonth=str(expires.month))
    return "https://www.linkedin.com/profile/add?" + urlencode(fields, quote_via=quote)


def share_url(credential_url: str) -> str:
    return "https://www.linkedin.com/sharing/share-offsite/?url=" + quote(credential_url, safe="")
