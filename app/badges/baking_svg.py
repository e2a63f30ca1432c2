"""Bake a badge into an SVG, and read it back: one namespaced badge element, the first child of ``<svg>``.

``<openbadges:assertion verify="…">`` (2.0, ``xmlns:openbadges="http://openbadges.org"``) or
``<openbadges:credential>`` (3.0, ``https://purl.imsglobal.org/ob/v3p0``); a JWS goes in ``verify``, a JSON document
in a CDATA body. Exactly one such element. Matching is by namespace URI and local name, never by prefix. Parsing goes
through :func:`app.badges.svg.parse_svg`, the one hardened parser.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from lxml import etree

from app.badges.baking_errors import baking_failure, empty_badge, nothing_to_bake
from app.badges.baking_payload import Version, check_payload
from app.badges.svg import parse_svg, remove_element

__all__ = ["OB2_SVG_NS", "OB3_SVG_NS", "SvgBadge", "bake_svg", "read_svg_badge", "unbake_svg"]

OB2_SVG_NS = "http://openbadges.org"
OB3_SVG_NS = "https://purl.imsglobal.org/ob/v3p0"

_OB2_TAG = f"{{{OB2_SVG_NS}}}assertion"
_OB3_TAG = f"{{{OB3_SVG_NS}}}credential"
_SVG_VERSIONS: dict[str, Version] = {_OB2_TAG: "ob2", _OB3_TAG: "ob3"}
_XML_SPACE = " \t\r\n"


@dataclass(frozen=True, slots=True)
class SvgBadge:
    """The badge element of an SVG: its ``verify`` attribute and its body, whitespace-trimmed, ``None`` if empty."""

    version: Version
    verify: str | None
    body: str | None


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
        raise baking_failure("svg_prefix_taken", "The SVG already uses the 'openbadges' prefix for another namespace.",
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
            raise nothing_to_bake()
        if value is not None:
            check_payload(value, xml=True)
    root = parse_svg(svg).getroot()
    _remove_badges(root)
    placeholder = _badge_element(root, ob3, jws, body=credential_json is not None)
    baked: bytes = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    if credential_json is not None:
        if baked.count(placeholder) != 1:
            raise baking_failure("svg_placeholder", "The SVG could not be baked.", "Le SVG n'a pas pu être préparé.")
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
        raise baking_failure("no_badge", "This SVG image carries no Open Badge.",
                             "Cette image SVG ne contient aucun Open Badge.")
    if len(elements) > 1:
        raise baking_failure("several_badges", "This SVG image carries more than one Open Badge element.",
                             "Cette image SVG contient plusieurs éléments Open Badge.")
    element = elements[0]
    badge = SvgBadge(_SVG_VERSIONS[element.tag], _trimmed(element.get("verify")), _trimmed(element.text))
    if badge.verify is None and badge.body is None:
        raise empty_badge()
    for part in (badge.verify, badge.body):
        if part is not None:
            check_payload(part, xml=True)
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
        raise empty_badge()
    return badge.version, text
