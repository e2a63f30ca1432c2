"""What a baked payload is: the text that may go into an image, and which Open Badges version it is.

A payload is a compact JWS/JWT or a JSON document. Baked or unbaked, its text is at most 1 MiB of UTF-8, with no NUL
(PNG) or only XML characters (SVG). Its JSON, or its JWS payload segment, is read by :func:`app.strict_json.loads`
only (duplicate keys, ``NaN``… refused). OB 2.0 documents use the ``https://w3id.org/openbadges/v2`` context; anything
else is taken as OB 3.0.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Literal

from app import strict_json
from app.badges.baking_errors import baking_failure

__all__ = ["MAX_PAYLOAD_BYTES", "Version", "check_payload", "document_version", "payload_document", "payload_version"]

Version = Literal["ob2", "ob3"]

MAX_PAYLOAD_BYTES = 1024 * 1024  # same as the verifier's fetch cap: a credential is never bigger than this

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_OB2_CONTEXTS = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")


def check_payload(text: str, *, xml: bool) -> bytes:
    """UTF-8 bytes of a payload: ≤ 1 MiB, no NUL (PNG) / only XML characters (SVG).

    :raises BakingError: a character that cannot be baked, invalid Unicode, or more than 1 MiB.
    """
    unbakeable = _NOT_XML.search(text) is not None if xml else "\x00" in text
    if unbakeable:
        raise baking_failure("bad_payload", "The badge text contains characters that cannot be baked.",
                             "Le texte du badge contient des caractères impossibles à intégrer.")
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        raise baking_failure("bad_payload", "The badge text is not valid Unicode.",
                             "Le texte du badge n'est pas de l'Unicode valide.") from None
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise baking_failure("payload_too_large", "The badge text is larger than 1 MiB.",
                             "Le texte du badge dépasse 1 Mio.")
    return raw


def _decoded_jws_payload(token: str) -> object:
    parts = token.split(".")
    if len(parts) != 3:
        raise baking_failure("not_a_badge", "The payload is neither JSON nor a compact JWS.",
                             "Le contenu n'est ni du JSON ni un JWS compact.")
    try:
        segment = parts[1] + "=" * (-len(parts[1]) % 4)
        return strict_json.loads(base64.urlsafe_b64decode(segment.encode("ascii")))
    except (binascii.Error, UnicodeError, strict_json.JSONRefused) as exc:
        raise baking_failure("not_a_badge", "The JWS payload is not JSON.",
                             "Le contenu du JWS n'est pas du JSON.") from exc


def payload_document(text: str) -> tuple[dict[str, Any], bool]:
    """The JSON object a stripped payload is or carries, and whether it is a compact JWS/JWT.

    :raises BakingError: neither a JSON object nor a compact JWS with a JSON object payload.
    """
    is_jws = not text.startswith("{")
    try:
        document = _decoded_jws_payload(text) if is_jws else strict_json.loads(text)
    except strict_json.JSONRefused as exc:
        raise baking_failure("not_a_badge", "The payload is not valid JSON.",
                             "Le contenu n'est pas du JSON valide.") from exc
    if not isinstance(document, dict):
        raise baking_failure("not_a_badge", "The payload is not a JSON object.",
                             "Le contenu n'est pas un objet JSON.")
    return document, is_jws


def document_version(document: dict[str, Any]) -> Version:
    """``"ob2"`` if the document's ``@context`` names the OB 2.0 context, else ``"ob3"``."""
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    return "ob2" if any(c in _OB2_CONTEXTS for c in contexts) else "ob3"


def payload_version(payload: str) -> tuple[Version, bool]:
    """Which Open Badges version a payload is, and whether it is a compact JWS/JWT (else a JSON document).

    OB 2.0 documents use the ``https://w3id.org/openbadges/v2`` context; anything else is taken as OB 3.0.

    :raises BakingError: neither a JSON object nor a compact JWS with a JSON payload.
    """
    document, is_jws = payload_document(payload.strip())
    return document_version(document), is_jws
