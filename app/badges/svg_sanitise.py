"""The SVG allowlist: keep presentation elements and attributes, drop everything that can act (threat T17).

:func:`sanitise_svg` parses with the one hardened parser (:func:`app.badges.svg.parse_svg`), then keeps an allowlist
of SVG presentation elements and attributes: no script, no event handler, no link but to ``#fragment`` (or a checked
embedded PNG/JPEG), no CSS that reaches outside the document, no nested ``<use>``. It renders nothing.
"""

from __future__ import annotations

import base64
import binascii
import re

from lxml import etree

from app.badges.image_rejected import ImageRejected
from app.badges.png import check_png
from app.badges.svg import (
    MAX_SVG_BYTES,
    MAX_SVG_DEPTH,
    MAX_SVG_ELEMENTS,
    SVG_NS,
    XLINK_NS,
    XML_NS,
    parse_svg,
    remove_element,
    unwrap_element,
)

__all__ = ["sanitise_svg"]

_ELEMENTS = frozenset({
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath",
    "defs", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "use", "title", "desc", "symbol",
    "pattern", "image", "marker", "style", "filter", "feGaussianBlur", "feOffset", "feBlend", "feColorMatrix",
    "feComposite", "feFlood", "feMerge", "feMergeNode", "feDropShadow",
})

_ATTRIBUTES = frozenset({
    # structure and geometry
    "id", "class", "style", "transform", "viewBox", "preserveAspectRatio", "width", "height", "x", "y", "x1", "y1",
    "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "d", "points", "pathLength", "version", "baseProfile",
    "href", "lang", "overflow", "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method",
    "spacing", "offset", "type", "media",
    # paint
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity", "color", "display",
    "visibility", "clip-path", "clip-rule", "mask", "filter", "stop-color", "stop-opacity", "paint-order",
    "vector-effect", "shape-rendering", "text-rendering", "image-rendering", "color-interpolation",
    "color-interpolation-filters", "mix-blend-mode", "isolation",
    # text
    "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-stretch", "text-anchor",
    "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing", "word-spacing", "text-decoration",
    "writing-mode", "direction", "unicode-bidi",
    # paint servers, clipping, markers, filters
    "gradientUnits", "gradientTransform", "spreadMethod", "patternUnits", "patternContentUnits", "patternTransform",
    "clipPathUnits", "maskUnits", "maskContentUnits", "markerWidth", "markerHeight", "markerUnits", "refX", "refY",
    "orient", "marker-start", "marker-mid", "marker-end", "filterUnits", "primitiveUnits", "in", "in2", "result",
    "stdDeviation", "mode", "values", "operator", "k1", "k2", "k3", "k4", "flood-color", "flood-opacity",
})
_NS_ATTRIBUTES = frozenset({f"{{{XLINK_NS}}}href", f"{{{XML_NS}}}space", f"{{{XML_NS}}}lang"})
_HREF_ATTRIBUTES = frozenset({"href", f"{{{XLINK_NS}}}href"})
_URL = re.compile(r"url\(\s*([\"']?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_FORBIDDEN = ("expression", "@import", "javascript:", "vbscript:", "behavior", "-moz-binding", "image-set", "\\",
                  "<")
_IGNORED_IN_SCHEMES = re.compile(r"[\x00-\x20]+")
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg);base64,([A-Za-z0-9+/=\s]+)", re.IGNORECASE)


def _squash(value: str) -> str:
    """Lower-case with whitespace and control characters removed, as browsers do before reading a URL scheme."""
    return _IGNORED_IN_SCHEMES.sub("", value).lower()


def _safe_css(value: str) -> bool:
    """CSS is kept only without escapes, imports, expressions, script schemes, or url() to anything but ``#id``."""
    squashed = _squash(value)
    if any(token in squashed for token in _CSS_FORBIDDEN):
        return False
    if squashed.count("url(") != len(_URL.findall(value)):
        return False
    return all(target.strip().startswith("#") for _quote, target in _URL.findall(value))


def _safe_embedded_image(value: str) -> bool:
    """``data:image/png;base64`` (which must pass :func:`check_png`) or ``data:image/jpeg;base64`` (JPEG magic)."""
    match = _DATA_IMAGE.fullmatch(value.strip())
    if match is None:
        return False
    try:
        raw = base64.b64decode(re.sub(r"\s+", "", match.group(2)), validate=True)
    except (binascii.Error, ValueError):
        return False
    if match.group(1).lower() == "jpeg":
        return raw.startswith(b"\xff\xd8\xff")
    try:
        check_png(raw)
    except ImageRejected:
        return False
    return True


def _safe_href(element_name: str, value: str) -> bool:
    if value.strip().startswith("#"):
        return True
    return element_name == "image" and _safe_embedded_image(value)


def _keep_attribute(element_name: str, name: str, value: str) -> bool:
    """Allowlisted name, no ``on*``, no script scheme, href local (or an embedded raster for ``<image>``), safe CSS."""
    if name not in _ATTRIBUTES and name not in _NS_ATTRIBUTES:
        return False
    squashed = _squash(value)
    if "javascript:" in squashed or "vbscript:" in squashed:
        return False
    if name in _HREF_ATTRIBUTES:
        return _safe_href(element_name, value)
    if "url(" in squashed or name == "style":
        return _safe_css(value)
    return True


def _local_name(element: etree._Element) -> str | None:
    """The SVG local name of an element, or ``None`` for anything outside the SVG namespace (or not an element)."""
    if not isinstance(element.tag, str):
        return None
    qname = etree.QName(element)
    return qname.localname if qname.namespace == SVG_NS else None


def _clean_attributes(element: etree._Element, name: str) -> None:
    for attribute, value in list(element.attrib.items()):
        if not _keep_attribute(name, attribute, value):
            del element.attrib[attribute]


def _clean_style(element: etree._Element) -> bool:
    """A ``<style>`` survives only as plain CSS text that passes :func:`_safe_css`."""
    if len(element) or element.get("type", "text/css").strip().lower() != "text/css":
        return False
    return _safe_css(element.text or "")


def _clean_children(parent: etree._Element) -> list[etree._Element]:
    """Clean the direct children of ``parent``; return the kept ones, to be visited next."""
    kept: list[etree._Element] = []
    index = 0
    while index < len(parent):
        child = parent[index]
        name = _local_name(child)
        if name == "a":
            unwrap_element(child)  # its children now start at ``index``: look at them next
        elif name not in _ELEMENTS or (name == "style" and not _clean_style(child)):
            remove_element(child)
        else:
            _clean_attributes(child, name)
            kept.append(child)
            index += 1
    return kept


def _clean_tree(root: etree._Element) -> None:
    """Depth-first: clean kept elements' attributes, unwrap ``<a>``, drop every other element with its subtree."""
    _clean_attributes(root, "svg")
    stack = [root]
    while stack:
        stack.extend(_clean_children(stack.pop()))


def _contains_use(element: etree._Element) -> bool:
    return any(_local_name(node) == "use" for node in element.iter())


def _drop_nested_use(root: etree._Element) -> None:
    """Drop every ``<use>`` whose target is missing or itself contains a ``<use>``: no exponential fan-out, no cycle.

    (Nested ``<use>`` is the SVG "billion laughs" that hangs renderers.)
    """
    ids = {node.get("id"): node for node in root.iter() if isinstance(node.tag, str) and node.get("id")}
    for use in [node for node in root.iter() if _local_name(node) == "use"]:
        href = use.get("href") or use.get(f"{{{XLINK_NS}}}href") or ""
        target = ids.get(href.strip()[1:])
        if target is None or _contains_use(target):
            remove_element(use)


def sanitise_svg(
    data: bytes,
    *,
    max_bytes: int = MAX_SVG_BYTES,
    max_depth: int = MAX_SVG_DEPTH,
    max_elements: int = MAX_SVG_ELEMENTS,
) -> bytes:
    """Return a sanitised copy of an untrusted SVG, as UTF-8 bytes with an XML declaration.

    Keeps an allowlist of SVG presentation elements and attributes. Drops: ``<script>``, ``<foreignObject>``, ``<a>``,
    anything outside the SVG namespace (so ``xi:include``, editor metadata and any embedded Open Badges
    ``assertion``/``credential`` go, with their namespace declarations), ``on*`` attributes, any value with a
    ``javascript:`` scheme, hrefs other than ``#fragment`` (``<image>`` may also hold a checked
    ``data:image/png|jpeg;base64``), CSS with ``url()`` to anything but ``#id``, ``@import``, ``expression`` or escapes,
    and nested ``<use>``.

    :raises ImageRejected: unparseable, DTD or entities, too large, too deep, too many elements, root not ``<svg>``.
    """
    tree = parse_svg(data, max_bytes=max_bytes, max_depth=max_depth, max_elements=max_elements)
    root = tree.getroot()
    _clean_tree(root)
    _drop_nested_use(root)
    etree.cleanup_namespaces(root)
    sanitised: bytes = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return sanitised

