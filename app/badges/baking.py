"""Bake a badge into a PNG or SVG image, and read it back (the verifier uses :func:`unbake`).

PNG (OB 2.0 §baking, OB 3.0 §5.3): one uncompressed ``iTXt`` chunk right after ``IHDR``, keyword ``openbadges``
(2.0) or ``openbadgecredential`` (3.0), text = compact JWS or the JSON document. Extraction takes the first badge
chunk; a keyword seen twice or a compressed badge chunk is refused; the legacy ``tEXt:openbadges`` (hosted URL) is
read. Chunks are walked by :func:`app.badges.png.read_png_chunks`, with the same caps; nothing is decompressed.

SVG: the first child of ``<svg>`` is ``<openbadges:assertion verify="…">`` (2.0, ``xmlns:openbadges=
"http://openbadges.org"``) or ``<openbadges:credential>`` (3.0, ``https://purl.imsglobal.org/ob/v3p0``); a JWS goes
in ``verify``, a JSON document in a CDATA body. Exactly one such element. Matching is by namespace URI and local
name, never by prefix. Parsing goes through :func:`app.badges.svg.parse_svg`, the one hardened parser.

A payload is read as JSON by :func:`app.strict_json.loads` only (duplicate keys, ``NaN``… refused).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from lxml import etree

from app import strict_json
from app.badges.errors import BadgeInputError
from app.badges.images import MediaType, sniff
from app.badges.png import PNG_SIGNATURE, is_badge_chunk, parse_text_chunk, png_chunk, read_png_chunks
from app.badges.svg import parse_svg, remove_element

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

Version = Literal["ob2", "ob3"]

OB2_KEYWORD = "openbadges"
OB3_KEYWORD = "openbadgecredential"
OB2_SVG_NS = "http://openbadges.org"
OB3_SVG_NS = "https://purl.imsglobal.org/ob/v3p0"
MAX_PAYLOAD_BYTES = 1024 * 1024  # same as the verifier's fetch cap: a credential is never bigger than this

_PNG_VERSIONS: dict[str, Version] = {OB2_KEYWORD: "ob2", OB3_KEYWORD: "ob3"}
_OB2_TAG = f"{{{OB2_SVG_NS}}}assertion"
_OB3_TAG = f"{{{OB3_SVG_NS}}}credential"
_SVG_VERSIONS: dict[str, Version] = {_OB2_TAG: "ob2", _OB3_TAG: "ob3"}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_XML_SPACE = " \t\r\n"


class BakingError(BadgeInputError):
    """An image carries no badge, several, or a malformed one; or a payload cannot be baked. HTTP 422."""

    code = "invalid_baked_badge"
    message_en = "This image does not carry exactly one readable Open Badge."
    message_fr = "Cette image ne contient pas exactement un Open Badge lisible."


def _fail(reason: str, message_en: str, message_fr: str) -> BakingError:
    return BakingError(message_en, message_fr, extra={"reason": reason})


@dataclass(frozen=True, slots=True)
class UnbakedBadge:
    """What an image carries: the badge version, the image type, and the JWS, JSON or hosted URL as text."""

    version: Version
    media_type: MediaType
    payload: str


@dataclass(frozen=True, slots=True)
class SvgBadge:
    """The badge element of an SVG: its ``verify`` attribute and its body, whitespace-trimmed, ``None`` if empty."""

    version: Version
    verify: str | None
    body: str | None


def _empty(action: str) -> BakingError:
    if action == "bake":
        return _fail("empty_payload", "There is nothing to bake.", "Il n'y a rien à intégrer.")
    return _fail("empty_badge", "The Open Badge in this image is empty.", "L'Open Badge de cette image est vide.")


def _check_payload(text: str, *, xml: bool) -> bytes:
    """UTF-8 bytes of a payload: ≤ 1 MiB, no NUL (PNG) / only XML characters (SVG)."""
    unbakeable = _NOT_XML.search(text) is not None if xml else "\x00" in text
    if unbakeable:
        raise _fail("bad_payload", "The badge text contains characters that cannot be baked.",
                    "Le texte du badge contient des caractères impossibles à intégrer.")
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        raise _fail("bad_payload", "The badge text is not valid Unicode.",
                    "Le texte du badge n'est pas de l'Unicode valide.") from None
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise _fail("payload_too_large", "The badge text is larger than 1 MiB.", "Le texte du badge dépasse 1 Mio.")
    return raw


# --------------------------------------------------------------------------------------------------------------- PNG


def bake_png(png: bytes, keyword: str, text: str) -> bytes:
    """Return ``png`` with one uncompressed ``iTXt`` chunk ``keyword`` = ``text`` right after ``IHDR``.

    Every existing ``openbadge*`` text chunk (``iTXt``/``tEXt``) is removed first, so the badge appears once.
    ``keyword`` is ``openbadges`` (OB 2.0) or ``openbadgecredential`` (OB 3.0).

    :raises ValueError: another keyword.
    :raises ImageRejected: ``png`` (or the result) fails :func:`app.badges.png.read_png_chunks`.
    :raises BakingError: empty text, a NUL character, or more than 1 MiB.
    """
    if keyword not in _PNG_VERSIONS:
        raise ValueError(f"PNG badge keyword must be {OB2_KEYWORD!r} or {OB3_KEYWORD!r}, not {keyword!r}")
    if not text:
        raise _empty("bake")
    raw = _check_payload(text, xml=False)
    chunks = read_png_chunks(png)
    # keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, text
    badge = png_chunk(b"iTXt", keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + raw)
    kept = [png[c.start : c.end] for c in chunks[1:] if not is_badge_chunk(c)]
    baked = b"".join([PNG_SIGNATURE, png[chunks[0].start : chunks[0].end], badge, *kept])
    read_png_chunks(baked)
    return baked


def unbake_png(png: bytes) -> tuple[str, str]:
    """Return ``(keyword, text)`` of the first badge chunk of a PNG.

    Reads ``iTXt`` ``openbadges``/``openbadgecredential`` and the legacy ``tEXt`` ``openbadges`` (a hosted URL).

    :raises ImageRejected: a malformed PNG, or a compressed badge chunk (never decompressed).
    :raises BakingError: no badge chunk, the same keyword twice, ``tEXt`` for a 3.0 credential, empty or > 1 MiB.
    """
    found: list[tuple[str, str]] = []
    for chunk in read_png_chunks(png):
        if chunk.type not in (b"iTXt", b"tEXt") or not is_badge_chunk(chunk):
            continue  # other metadata is none of our business, even when malformed
        parsed = parse_text_chunk(chunk)
        if parsed.keyword not in _PNG_VERSIONS:
            continue
        if parsed.kind == b"tEXt" and parsed.keyword != OB2_KEYWORD:
            raise _fail("png_text_chunk", "An Open Badges 3.0 credential must be baked in an iTXt chunk.",
                        "Un Open Badge 3.0 doit être intégré dans un bloc iTXt.")
        found.append((parsed.keyword, parsed.text or ""))
    if not found:
        raise _fail("no_badge", "This PNG image carries no Open Badge.",
                    "Cette image PNG ne contient aucun Open Badge.")
    keywords = [keyword for keyword, _text in found]
    if len(set(keywords)) != len(keywords):
        raise _fail("several_badges", "This PNG image carries the same Open Badge chunk more than once.",
                    "Cette image PNG contient plusieurs fois le même bloc Open Badge.")
    keyword, text = found[0]
    if not text:
        raise _empty("unbake")
    _check_payload(text, xml=False)
    return keyword, text


# --------------------------------------------------------------------------------------------------------------- SVG


def _cdata(text: str) -> bytes:
    """CDATA that XML parsers read back as exactly ``text``.

    ``]]>`` would close the section, so it is split across two sections; a carriage return would be normalised to a
    line feed by every parser, so it goes outside as ``&#13;``.
    """
    sections = ("<![CDATA[" + part.replace("]]>", "]]]]><![CDATA[>") + "]]>" for part in text.split("\r"))
    return "&#13;".join(sections).encode("utf-8")


def _check_bake_arguments(ob3: bool, credential_json: str | None, jws: str | None) -> None:
    if ob3 and (credential_json is None) == (jws is None):
        raise ValueError("OB 3.0 SVG baking needs exactly one of credential_json (embedded proof) or jws (VC-JWT)")
    if not ob3 and jws is None:
        raise ValueError("OB 2.0 SVG baking needs jws: the signed JWS or the hosted assertion URL (verify attribute)")
    if not ob3 and credential_json is not None and not (jws or "").startswith(("https://", "http://")):
        raise ValueError("OB 2.0: a signed badge (JWS in verify) has no body; only a hosted URL may carry the JSON")


def _remove_badges(root: etree._Element) -> None:
    """Remove every badge element (either version, anywhere) and every attribute in a badge namespace."""
    for element in list(root.iter(_OB2_TAG, _OB3_TAG)):
        remove_element(element)
    badge_namespaces = (f"{{{OB2_SVG_NS}}}", f"{{{OB3_SVG_NS}}}")
    for element in root.iter(tag=etree.Element):
        for name in [n for n in element.attrib if n.startswith(badge_namespaces)]:
            del element.attrib[name]
    etree.cleanup_namespaces(root)


def _badge_element(root: etree._Element, ob3: bool, jws: str | None, body: bool) -> bytes:
    """Insert the badge element as the first child of ``root``; return the placeholder standing for its body."""
    namespace = OB3_SVG_NS if ob3 else OB2_SVG_NS
    if root.nsmap.get("openbadges", namespace) != namespace:
        raise _fail("svg_prefix_taken", "The SVG already uses the 'openbadges' prefix for another namespace.",
                    "Le SVG utilise déjà le préfixe « openbadges » pour un autre espace de noms.")
    element = etree.Element(_OB3_TAG if ob3 else _OB2_TAG, nsmap={"openbadges": namespace})
    if jws is not None:
        element.set("verify", jws)
    placeholder = f"savoirs-cdata-{secrets.token_hex(16)}"
    if body:
        element.text = placeholder
    element.tail, root.text = root.text, None
    root.insert(0, element)
    etree.cleanup_namespaces(root, top_nsmap={"openbadges": namespace})
    return placeholder.encode("ascii")


def bake_svg(svg: bytes, *, ob3: bool, credential_json: str | None = None, jws: str | None = None) -> bytes:
    """Return ``svg`` with exactly one badge element as the first child of ``<svg>``.

    OB 2.0 (``ob3=False``): ``<openbadges:assertion verify="{jws}">``, ``jws`` being the signed JWS (self-closing) or
    the hosted URL, which may carry the assertion JSON in a CDATA body (``credential_json``). OB 3.0:
    ``<openbadges:credential>`` with ``verify="{jws}"`` (VC-JWT, self-closing) or the credential JSON in a CDATA body
    (embedded proof, no ``verify``). Existing badge elements are removed. The result is checked by
    :func:`read_svg_badge`.

    :raises ValueError: a combination of arguments the specifications do not allow.
    :raises ImageRejected: ``svg`` fails :func:`app.badges.svg.parse_svg`.
    :raises BakingError: an empty, over-1-MiB or non-XML payload; the ``openbadges`` prefix bound elsewhere.
    """
    _check_bake_arguments(ob3, credential_json, jws)
    for value in (credential_json, jws):
        if value is not None and not _trimmed(value):
            raise _empty("bake")
        if value is not None:
            _check_payload(value, xml=True)
    root = parse_svg(svg).getroot()
    _remove_badges(root)
    placeholder = _badge_element(root, ob3, jws, body=credential_json is not None)
    baked: bytes = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    if credential_json is not None:
        if baked.count(placeholder) != 1:
            raise _fail("svg_placeholder", "The SVG could not be baked.", "Le SVG n'a pas pu être préparé.")
        baked = baked.replace(placeholder, _cdata(credential_json))
    read_svg_badge(baked)
    return baked


def _trimmed(value: str | None) -> str | None:
    return (value or "").strip(_XML_SPACE) or None


def read_svg_badge(svg: bytes) -> SvgBadge:
    """Find the one badge element of an SVG, by namespace URI and local name, and return its parts.

    :raises ImageRejected: ``svg`` fails :func:`app.badges.svg.parse_svg`.
    :raises BakingError: no badge element, several, one with neither ``verify`` nor body, or a part over 1 MiB.
    """
    root = parse_svg(svg).getroot()
    elements = list(root.iter(_OB2_TAG, _OB3_TAG))
    if not elements:
        raise _fail("no_badge", "This SVG image carries no Open Badge.",
                    "Cette image SVG ne contient aucun Open Badge.")
    if len(elements) > 1:
        raise _fail("several_badges", "This SVG image carries more than one Open Badge element.",
                    "Cette image SVG contient plusieurs éléments Open Badge.")
    element = elements[0]
    badge = SvgBadge(_SVG_VERSIONS[element.tag], _trimmed(element.get("verify")), _trimmed(element.text))
    if badge.verify is None and badge.body is None:
        raise _empty("unbake")
    for part in (badge.verify, badge.body):
        if part is not None:
            _check_payload(part, xml=True)
    return badge


def unbake_svg(svg: bytes) -> tuple[Version, str]:
    """Return ``("ob2" | "ob3", text)``: the ``verify`` attribute if present (JWS or hosted URL), else the body.

    ``verify`` wins over a body because it is what gets verified; a JSON body next to it is only a copy.

    :raises ImageRejected: see :func:`read_svg_badge`.
    :raises BakingError: see :func:`read_svg_badge`.
    """
    badge = read_svg_badge(svg)
    text = badge.verify if badge.verify is not None else badge.body
    if text is None:  # unreachable: read_svg_badge refuses an empty element
        raise _empty("unbake")
    return badge.version, text


# --------------------------------------------------------------------------------------------------------- any image


def unbake(data: bytes) -> UnbakedBadge:
    """Read the badge baked into a PNG or SVG, telling them apart by content.

    :raises ImageRejected: neither PNG nor SVG, or malformed.
    :raises BakingError: no badge, several, or a malformed one.
    """
    media_type = sniff(data)
    if media_type == "image/png":
        keyword, payload = unbake_png(data)
        return UnbakedBadge(_PNG_VERSIONS[keyword], media_type, payload)
    version, payload = unbake_svg(data)
    return UnbakedBadge(version, media_type, payload)


_OB2_CONTEXTS = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")


def _decoded_jws_payload(token: str) -> object:
    parts = token.split(".")
    if len(parts) != 3:
        raise _fail("not_a_badge", "The payload is neither JSON nor a compact JWS.",
                    "Le contenu n'est ni du JSON ni un JWS compact.")
    try:
        segment = parts[1] + "=" * (-len(parts[1]) % 4)
        return strict_json.loads(base64.urlsafe_b64decode(segment.encode("ascii")))
    except (binascii.Error, UnicodeError, strict_json.JSONRefused) as exc:
        raise _fail("not_a_badge", "The JWS payload is not JSON.", "Le contenu du JWS n'est pas du JSON.") from exc


def _payload_document(text: str) -> tuple[dict[str, Any], bool]:
    """The JSON object a stripped payload is or carries, and whether it is a compact JWS/JWT."""
    is_jws = not text.startswith("{")
    try:
        document = _decoded_jws_payload(text) if is_jws else strict_json.loads(text)
    except strict_json.JSONRefused as exc:
        raise _fail("not_a_badge", "The payload is not valid JSON.", "Le contenu n'est pas du JSON valide.") from exc
    if not isinstance(document, dict):
        raise _fail("not_a_badge", "The payload is not a JSON object.", "Le contenu n'est pas un objet JSON.")
    return document, is_jws


def payload_version(payload: str) -> tuple[Version, bool]:
    """Which Open Badges version a payload is, and whether it is a compact JWS/JWT (else a JSON document).

    OB 2.0 documents use the ``https://w3id.org/openbadges/v2`` context; anything else is taken as OB 3.0.

    :raises BakingError: neither a JSON object nor a compact JWS with a JSON payload.
    """
    document, is_jws = _payload_document(payload.strip())
    return _document_version(document), is_jws


def _document_version(document: dict[str, Any]) -> Version:
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    return "ob2" if any(c in _OB2_CONTEXTS for c in contexts) else "ob3"


def bake(image: bytes, payload: str) -> bytes:
    """Bake ``payload`` (OB 2.0 or 3.0; JSON or compact JWS/JWT) into a PNG or SVG image, as the specs say.

    An OB 2.0 JSON assertion in an SVG is referenced by its ``id`` (hosted URL) in ``verify``, with the JSON in
    the body.

    :raises ImageRejected: the image is neither a valid PNG nor SVG.
    :raises BakingError: the payload is not a badge, or cannot be baked.
    """
    text = payload.strip()
    document, is_jws = _payload_document(text)
    version = _document_version(document)
    if sniff(image) == "image/png":
        return bake_png(image, OB2_KEYWORD if version == "ob2" else OB3_KEYWORD, text)
    if is_jws:
        return bake_svg(image, ob3=version == "ob3", jws=text)
    if version == "ob3":
        return bake_svg(image, ob3=True, credential_json=text)
    assertion_id = document.get("id")
    if not isinstance(assertion_id, str) or not assertion_id.startswith(("https://", "http://")):
        raise _fail("ob2_not_hosted", "An OB 2.0 JSON assertion in an SVG needs its hosted URL as id.",
                    "Une assertion OB 2.0 en JSON dans un SVG doit avoir son URL hébergée comme id.")
    return bake_svg(image, ob3=False, jws=assertion_id, credential_json=text)
