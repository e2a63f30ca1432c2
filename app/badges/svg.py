"""The one hardened SVG parser, and the tree edits that keep the text around what they remove.

Every untrusted SVG (an issuer logo, a badge image, a badge sent to the verifier) is read by :func:`parse_svg`:
UTF-8 only, no DTD at all (so no entity, no external subset), no network, no XInclude, caps on size, depth and
element count (threat T7). Nothing is rendered and nothing is fetched. :mod:`app.badges.svg_sanitise` and
:mod:`app.badges.baking` both parse through it, so they see the same limits.
"""

from __future__ import annotations

from lxml import etree

from app.badges.image_rejected import ImageRejected, reject, too_large

__all__ = [
    "MAX_SVG_BYTES",
    "MAX_SVG_DEPTH",
    "MAX_SVG_ELEMENTS",
    "SVG_NS",
    "XLINK_NS",
    "XML_NS",
    "parse_svg",
    "parse_svg_xml",
    "remove_element",
    "unwrap_element",
]

MAX_SVG_BYTES = 2 * 1024 * 1024
MAX_SVG_DEPTH = 64
MAX_SVG_ELEMENTS = 20_000

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_PARSE_STEP = 64 * 1024

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "encoding": "utf-8",  # overrides any declared encoding: what we scanned is what libxml2 reads
}


def _svg_prescan(data: bytes, max_bytes: int) -> None:
    """Refuse before parsing: too big, not UTF-8, or any DOCTYPE / ENTITY declaration."""
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise reject("svg_encoding", "The SVG file must be encoded in UTF-8.",
                     "Le fichier SVG doit être encodé en UTF-8.") from None
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _dtd_rejected()


def _dtd_rejected() -> ImageRejected:
    return reject("svg_dtd", "SVG files with a <!DOCTYPE> or entities are refused: remove the DOCTYPE line.",
                  "Les fichiers SVG avec un <!DOCTYPE> ou des entités sont refusés : supprimez la ligne DOCTYPE.")


def _too_complex() -> ImageRejected:
    return reject("svg_too_complex", "The SVG file is too deeply nested or has too many elements.",
                  "Le fichier SVG est trop imbriqué ou contient trop d'éléments.")


def _feed(parser: etree.XMLPullParser, data: bytes, max_depth: int, max_elements: int) -> None:
    """Feed the pull parser step by step, stopping as soon as depth or element count exceeds its cap."""
    depth = count = 0
    for offset in range(0, len(data), _PARSE_STEP):
        parser.feed(data[offset : offset + _PARSE_STEP])
        for event, _element in parser.read_events():
            if event == "end":
                depth -= 1
                continue
            depth += 1
            count += 1
            if depth > max_depth or count > max_elements:
                raise _too_complex()


def parse_svg_xml(
    data: bytes,
    *,
    max_depth: int = MAX_SVG_DEPTH,
    max_elements: int = MAX_SVG_ELEMENTS,
) -> etree._ElementTree:
    """Parse XML with the hardened options alone: the second line of defence under :func:`parse_svg`.

    No byte prescan (size, encoding, ``<!DOCTYPE``) and no root check, so this shows what the parser itself refuses:
    depth or element count over its cap, anything not well-formed, any DTD left in the document info, any entity
    node. Untrusted input goes through :func:`parse_svg`, never through this alone.

    :raises ImageRejected: with ``extra["reason"]`` (``svg_too_complex``, ``svg_unparseable``, ``svg_dtd``).
    """
    parser = etree.XMLPullParser(events=("start", "end"), **_PARSER_OPTIONS)
    try:
        _feed(parser, data, max_depth, max_elements)
        root = parser.close()
    except (etree.XMLSyntaxError, etree.ParserError, ValueError) as exc:
        if "excessive depth" in str(exc).lower():  # libxml2's own cap (256) can trip before ours is seen
            raise _too_complex() from exc
        raise reject("svg_unparseable", "The SVG file is not well-formed XML.",
                     "Le fichier SVG n'est pas un XML bien formé.") from exc
    tree = root.getroottree()
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise _dtd_rejected()
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise _dtd_rejected()
    return tree


def parse_svg(
    data: bytes,
    *,
    max_bytes: int = MAX_SVG_BYTES,
    max_depth: int = MAX_SVG_DEPTH,
    max_elements: int = MAX_SVG_ELEMENTS,
) -> etree._ElementTree:
    """Parse an untrusted SVG with the one hardened parser; the root must be ``{http://www.w3.org/2000/svg}svg``.

    UTF-8 only; no DTD (internal or external), so no entity; no network; XInclude is never processed; comments and
    processing instructions are dropped.

    :raises ImageRejected: with ``extra["reason"]``.
    """
    _svg_prescan(data, max_bytes)
    tree = parse_svg_xml(data, max_depth=max_depth, max_elements=max_elements)
    if tree.getroot().tag != f"{{{SVG_NS}}}svg":
        raise reject("svg_root", "This is not an SVG file (the root element must be <svg>).",
                     "Ce n'est pas un fichier SVG (l'élément racine doit être <svg>).")
    return tree


# ------------------------------------------------------------------------------------------------------ tree edits


def _append_text(parent: etree._Element, index: int, text: str | None) -> None:
    """Append text where child ``index`` of ``parent`` starts: the previous sibling's tail, or the parent's text."""
    if not text:
        return
    if index > 0:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def remove_element(element: etree._Element) -> None:
    """Remove an element and its subtree, keeping the text that followed it."""
    parent = element.getparent()
    if parent is None:
        return
    _append_text(parent, parent.index(element), element.tail)
    element.tail = None
    parent.remove(element)


def unwrap_element(element: etree._Element) -> None:
    """Replace an element by its children and text (used for ``<a>``: the link goes, the drawing stays)."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    _append_text(parent, index, element.text)
    children = list(element)
    if children:
        children[-1].tail = (children[-1].tail or "") + (element.tail or "")
    else:
        _append_text(parent, index, element.tail)
    element.text = element.tail = None
    parent.remove(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)

