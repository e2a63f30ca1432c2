"""Bake a badge into a PNG or SVG image, and read it back (the verifier uses :func:`unbake`).

This module tells the image types apart by content and exports the whole baking API; each part has its own module:

- :mod:`app.badges.baking_png`: PNG, one uncompressed ``iTXt`` chunk ``openbadges`` (2.0) or
  ``openbadgecredential`` (3.0) right after ``IHDR``;
- :mod:`app.badges.baking_svg`: SVG, one ``<openbadges:assertion>`` (2.0) or ``<openbadges:credential>`` (3.0)
  element, the first child of ``<svg>``, matched by namespace URI and local name;
- :mod:`app.badges.baking_payload`: the payload, a compact JWS or a JSON document read by
  :func:`app.strict_json.loads` only; its size and character limits and its Open Badges version;
- :mod:`app.badges.baking_errors`: :class:`BakingError` (HTTP 422) and its reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.badges.baking_errors import BakingError, baking_failure
from app.badges.baking_payload import MAX_PAYLOAD_BYTES, Version, document_version, payload_document, payload_version
from app.badges.baking_png import OB2_KEYWORD, OB3_KEYWORD, PNG_KEYWORD_VERSIONS, bake_png, unbake_png
from app.badges.baking_svg import OB2_SVG_NS, OB3_SVG_NS, SvgBadge, bake_svg, read_svg_badge, unbake_svg
from app.badges.images import MediaType, sniff

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "OB2_KEYWORD",
    "OB2_SVG_NS",
    "OB3_KEYWORD",
    "OB3_SVG_NS",
    "BakingError",
    "SvgBadge",
    "UnbakedBadge",
    "Version",
    "bake",
    "bake_png",
    "bake_svg",
    "payload_version",
    "read_svg_badge",
    "unbake",
    "unbake_png",
    "unbake_svg",
]


@dataclass(frozen=True, slots=True)
class UnbakedBadge:
    """What an image carries: the badge version, the image type, and the JWS, JSON or hosted URL as text."""

    version: Version
    media_type: MediaType
    payload: str


def unbake(data: bytes) -> UnbakedBadge:
    """Read the badge baked into a PNG or SVG, telling them apart by content.

    :raises ImageRejected: neither PNG nor SVG, or malformed.
    :raises BakingError: no badge, several, or a malformed one.
    """
    media_type = sniff(data)
    if media_type == "image/png":
        keyword, payload = unbake_png(data)
        return UnbakedBadge(PNG_KEYWORD_VERSIONS[keyword], media_type, payload)
    version, payload = unbake_svg(data)
    return UnbakedBadge(version, media_type, payload)


def bake(image: bytes, payload: str) -> bytes:
    """Bake ``payload`` (OB 2.0 or 3.0; JSON or compact JWS/JWT) into a PNG or SVG image, as the specs say.

    An OB 2.0 JSON assertion in an SVG is referenced by its ``id`` (hosted URL) in ``verify``, with the JSON in
    the body.

    :raises ImageRejected: the image is neither a valid PNG nor SVG.
    :raises BakingError: the payload is not a badge, or cannot be baked.
    """
    text = payload.strip()
    document, is_jws = payload_document(text)
    version = document_version(document)
    if sniff(image) == "image/png":
        return bake_png(image, OB2_KEYWORD if version == "ob2" else OB3_KEYWORD, text)
    if is_jws:
        return bake_svg(image, ob3=version == "ob3", jws=text)
    if version == "ob3":
        return bake_svg(image, ob3=True, credential_json=text)
    assertion_id = document.get("id")
    if not isinstance(assertion_id, str) or not assertion_id.startswith(("https://", "http://")):
        raise baking_failure("ob2_not_hosted", "An OB 2.0 JSON assertion in an SVG needs its hosted URL as id.",
                             "Une assertion OB 2.0 en JSON dans un SVG doit avoir son URL hébergée comme id.")
    return bake_svg(image, ob3=False, jws=assertion_id, credential_json=text)
