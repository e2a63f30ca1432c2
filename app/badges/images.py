"""Untrusted images (issuer logos, badge images, badges sent to the verifier): check PNG, sanitise SVG.

Nothing here decodes pixels, decompresses a chunk, renders an SVG, resolves an entity or touches the network:

* PNG is walked chunk by chunk (:func:`read_png_chunks`): signature, lengths, CRCs, ``IHDR`` first with capped
  dimensions, ``IEND`` last, caps on size and chunk count. A compressed ``openbadge*`` text chunk is refused, as the
  baking specifications forbid compression (threat T8).
* SVG goes through one hardened parser (:func:`parse_svg`): UTF-8 only, no DTD at all (so no entity, no external
  subset), no network, no XInclude, caps on size, depth and element count (threat T7). :func:`sanitise_svg` then keeps
  an allowlist of presentation elements and attributes (threat T17).

:func:`app.badges.baking` reuses both walkers, so baking and the verifier see the same limits.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from app.badges.errors import BadgeInputError

__all__ = [
    "MAX_CHUNK_BYTES",
    "MAX_IMAGE_BYTES",
    "MAX_PIXELS",
    "MAX_PNG_CHUNKS",
    "MAX_PNG_SIDE",
    "MAX_SVG_BYTES",
    "MAX_SVG_DEPTH",
    "MAX_SVG_ELEMENTS",
    "PNG_SIGNATURE",
    "SVG_NS",
    "ImageRejected",
    "MediaType",
    "PngChunk",
    "TextChunk",
    "check_image",
    "check_png",
    "is_badge_chunk",
    "is_badge_keyword",
    "parse_svg",
    "parse_text_chunk",
    "png_chunk",
    "read_png_chunks",
    "remove_element",
    "sanitise_svg",
    "sniff",
]

MediaType = Literal["image/png", "image/svg+xml"]

MAX_IMAGE_BYTES = 5 * 1024 * 1024  # T8: file ≤ 5 MiB
MAX_PNG_CHUNKS = 4096  # 5 MiB of 8 KiB IDAT chunks is 640; 4096 leaves room for odd encoders
MAX_CHUNK_BYTES = MAX_IMAGE_BYTES  # one chunk may not exceed the file cap (PNG itself allows 2^31-1)
MAX_PNG_SIDE = 16384
MAX_PIXELS = 1 << 26  # 67 Mpx: 8192 x 8192; a 50000 x 50000 header (2.5 Gpx) is refused
MAX_SVG_BYTES = 2 * 1024 * 1024
MAX_SVG_DEPTH = 64
MAX_SVG_ELEMENTS = 20_000

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_TEXT_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt"})
_CRITICAL = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND"})
_COLOUR_DEPTHS: dict[int, frozenset[int]] = {
    0: frozenset({1, 2, 4, 8, 16}),  # grey
    2: frozenset({8, 16}),  # RGB
    3: frozenset({1, 2, 4, 8}),  # palette
    4: frozenset({8, 16}),  # grey + alpha
    6: frozenset({8, 16}),  # RGBA
}
_PARSE_STEP = 64 * 1024


class ImageRejected(BadgeInputError):
    """An uploaded or submitted image is malformed, too large, or hostile. HTTP 422, code ``invalid_image``.

    ``extra["reason"]`` is a stable sub-code (``png_bad_crc``, ``svg_dtd``…) for clients and tests.
    """

    code = "invalid_image"
    message_en = "This image is not a valid PNG or SVG file, or it is too large."
    message_fr = "Cette image n'est pas un fichier PNG ou SVG valide, ou elle est trop volumineuse."


def _reject(reason: str, message_en: str, message_fr: str) -> ImageRejected:
    return ImageRejected(message_en, message_fr, extra={"reason": reason})


# --------------------------------------------------------------------------------------------------------------- PNG


@dataclass(frozen=True, slots=True)
class PngChunk:
    """One chunk: its 4-byte type, its data, and where its whole record (length…CRC) sits in the file."""

    type: bytes
    data: bytes
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TextChunk:
    """A parsed ``tEXt``/``zTXt``/``iTXt`` header. ``text`` is ``None`` when compressed (never decompressed)."""

    kind: bytes
    keyword: str
    compressed: bool
    text: str | None


def _iter_raw_chunks(data: bytes, *, max_chunks: int, max_chunk_bytes: int) -> Iterator[PngChunk]:
    """Yield chunks after checking each length, type and CRC; stop after ``IEND``."""
    pos = len(PNG_SIGNATURE)
    count = 0
    while True:
        if pos + 8 > len(data):
            raise _reject("png_truncated", "The PNG file is truncated.", "Le fichier PNG est tronqué.")
        length, ctype = struct.unpack_from(">I4s", data, pos)
        if length > 0x7FFFFFFF or length > max_chunk_bytes:
            raise _reject("png_chunk_too_large", "A PNG chunk is too large.", "Un bloc du fichier PNG est trop grand.")
        end = pos + 12 + length
        if end > len(data):
            raise _reject("png_truncated", "The PNG file is truncated.", "Le fichier PNG est tronqué.")
        if not ctype.isalpha():
            raise _reject("png_bad_chunk", "A PNG chunk has an invalid type.",
                          "Un bloc du fichier PNG a un type invalide.")
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack_from(">I", data, pos + 8 + length)
        if zlib.crc32(body, zlib.crc32(ctype)) != crc:
            raise _reject("png_bad_crc", "The PNG file is corrupt (checksum mismatch).",
                          "Le fichier PNG est corrompu (somme de contrôle incorrecte).")
        count += 1
        if count > max_chunks:
            raise _reject("png_too_many_chunks", "The PNG file has too many chunks.",
                          "Le fichier PNG contient trop de blocs.")
        yield PngChunk(ctype, body, pos, end)
        if ctype == b"IEND":
            return
        pos = end


def _check_ihdr(chunk: PngChunk) -> None:
    """IHDR must be 13 bytes, with capped dimensions and a valid colour type / bit depth combination."""
    if chunk.type != b"IHDR" or len(chunk.data) != 13:
        raise _reject("png_no_ihdr", "The PNG file does not start with a valid header.",
                      "Le fichier PNG ne commence pas par un en-tête valide.")
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunk.data)
    if not (0 < width <= MAX_PNG_SIDE and 0 < height <= MAX_PNG_SIDE) or width * height > MAX_PIXELS:
        raise _reject("png_too_many_pixels",
                      f"The PNG image is too large: {width}x{height} (at most {MAX_PNG_SIDE} per side).",
                      f"L'image PNG est trop grande : {width}x{height} (au plus {MAX_PNG_SIDE} par côté).")
    if depth not in _COLOUR_DEPTHS.get(colour, frozenset()) or compression or filtering or interlace > 1:
        raise _reject("png_bad_header", "The PNG header is invalid.", "L'en-tête du fichier PNG est invalide.")


def _split_keyword(body: bytes) -> tuple[str, bytes]:
    """Split ``keyword NUL rest``; keywords are 1–79 Latin-1 bytes."""
    keyword, sep, rest = body.partition(b"\x00")
    if not sep or not 0 < len(keyword) < 80:
        raise _reject("png_bad_text_chunk", "A PNG text chunk is malformed.", "Un bloc de texte du PNG est mal formé.")
    return keyword.decode("latin-1"), rest


def _parse_itxt(keyword: str, rest: bytes) -> TextChunk:
    if len(rest) < 2 or rest[0] > 1:
        raise _reject("png_bad_text_chunk", "A PNG text chunk is malformed.", "Un bloc de texte du PNG est mal formé.")
    compressed = rest[0] == 1
    language, sep1, rest = rest[2:].partition(b"\x00")
    _translated, sep2, text = rest.partition(b"\x00")
    if not (sep1 and sep2):
        raise _reject("png_bad_text_chunk", "A PNG text chunk is malformed.", "Un bloc de texte du PNG est mal formé.")
    if compressed:
        return TextChunk(b"iTXt", keyword, True, None)
    try:
        return TextChunk(b"iTXt", keyword, False, text.decode("utf-8"))
    except UnicodeDecodeError:
        raise _reject("png_bad_text_chunk", "A PNG iTXt chunk is not valid UTF-8.",
                      "Un bloc iTXt du PNG n'est pas en UTF-8 valide.") from None


def parse_text_chunk(chunk: PngChunk) -> TextChunk:
    """Parse a ``tEXt``, ``zTXt`` or ``iTXt`` chunk's header (and text when uncompressed) without decompressing.

    :raises ImageRejected: not a text chunk, or malformed.
    """
    if chunk.type not in _TEXT_CHUNKS:
        raise _reject("png_bad_text_chunk", "Not a PNG text chunk.", "Ce n'est pas un bloc de texte PNG.")
    keyword, rest = _split_keyword(chunk.data)
    if chunk.type == b"tEXt":
        return TextChunk(b"tEXt", keyword, False, rest.decode("latin-1"))
    if chunk.type == b"zTXt":
        return TextChunk(b"zTXt", keyword, True, None)
    return _parse_itxt(keyword, rest)


def is_badge_keyword(keyword: str) -> bool:
    """``openbadges``, ``openbadgecredential`` and anything else starting with ``openbadge`` (any case)."""
    return keyword.lower().startswith("openbadge")


def is_badge_chunk(chunk: PngChunk) -> bool:
    """A text chunk (of any kind) whose keyword starts with ``openbadge``."""
    return chunk.type in _TEXT_CHUNKS and is_badge_keyword(chunk.data.partition(b"\x00")[0].decode("latin-1"))


def _check_ancillary(chunk: PngChunk) -> None:
    if chunk.type in (b"IHDR", b"IEND"):
        raise _reject("png_bad_order", "The PNG file has a misplaced header or end chunk.",
                      "Le fichier PNG a un en-tête ou une fin mal placés.")
    if chunk.type not in _CRITICAL and chunk.type[:1].isupper():
        raise _reject("png_unknown_critical", "The PNG file uses an unsupported critical chunk.",
                      "Le fichier PNG utilise un bloc critique non pris en charge.")
    if is_badge_chunk(chunk) and parse_text_chunk(chunk).compressed:
        raise _reject("png_compressed_badge", "The badge data in this PNG is compressed, which is forbidden.",
                      "Les données du badge dans ce PNG sont compressées, ce qui est interdit.")


def read_png_chunks(
    data: bytes,
    *,
    max_bytes: int = MAX_IMAGE_BYTES,
    max_chunks: int = MAX_PNG_CHUNKS,
    max_chunk_bytes: int = MAX_CHUNK_BYTES,
) -> list[PngChunk]:
    """Walk a PNG's chunks and check its structure; decode no pixel, decompress nothing.

    Checks: size cap, signature, each chunk's length (≤ ``max_chunk_bytes`` and ≤ 2^31-1), type and CRC, chunk-count
    cap, ``IHDR`` first (≤ 16384 per side, ≤ 2^26 pixels), at least one ``IDAT``, no unknown critical chunk, ``IEND``
    last with nothing after it, and no compressed ``openbadge*`` text chunk.

    :raises ImageRejected: on the first problem, with ``extra["reason"]``.
    """
    if len(data) > max_bytes:
        raise _reject("too_large", f"The image is larger than {max_bytes // 1024} KiB.",
                      f"L'image dépasse {max_bytes // 1024} Kio.")
    if not data.startswith(PNG_SIGNATURE):
        raise _reject("png_signature", "This is not a PNG file.", "Ce n'est pas un fichier PNG.")
    chunks = list(_iter_raw_chunks(data, max_chunks=max_chunks, max_chunk_bytes=max_chunk_bytes))
    if chunks[-1].type != b"IEND" or chunks[-1].data or chunks[-1].end != len(data):
        raise _reject("png_trailing_data", "The PNG file has data after its end.",
                      "Le fichier PNG contient des données après sa fin.")
    _check_ihdr(chunks[0])
    for chunk in chunks[1:-1]:
        _check_ancillary(chunk)
    if not any(c.type == b"IDAT" for c in chunks):
        raise _reject("png_no_data", "The PNG file has no image data.", "Le fichier PNG ne contient pas d'image.")
    return chunks


def check_png(
    data: bytes,
    *,
    max_bytes: int = MAX_IMAGE_BYTES,
    max_chunks: int = MAX_PNG_CHUNKS,
    max_chunk_bytes: int = MAX_CHUNK_BYTES,
) -> None:
    """Accept or refuse a PNG, see :func:`read_png_chunks`.

    :raises ImageRejected: with ``extra["reason"]``.
    """
    read_png_chunks(data, max_bytes=max_bytes, max_chunks=max_chunks, max_chunk_bytes=max_chunk_bytes)


def png_chunk(ctype: bytes, body: bytes) -> bytes:
    """Serialise one chunk record: length, type, data, CRC."""
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(body, zlib.crc32(ctype)))


# --------------------------------------------------------------------------------------------------------------- SVG

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
        raise _reject("too_large", f"The image is larger than {max_bytes // 1024} KiB.",
                      f"L'image dépasse {max_bytes // 1024} Kio.")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise _reject("svg_encoding", "The SVG file must be encoded in UTF-8.",
                      "Le fichier SVG doit être encodé en UTF-8.") from None
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _dtd_rejected()


def _dtd_rejected() -> ImageRejected:
    return _reject("svg_dtd", "SVG files with a <!DOCTYPE> or entities are refused: remove the DOCTYPE line.",
                   "Les fichiers SVG avec un <!DOCTYPE> ou des entités sont refusés : supprimez la ligne DOCTYPE.")


def _too_complex() -> ImageRejected:
    return _reject("svg_too_complex", "The SVG file is too deeply nested or has too many elements.",
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


def _parse_xml(data: bytes, max_depth: int, max_elements: int) -> etree._ElementTree:
    """Parse with the hardened options; refuse any DTD left in the document info or any entity node."""
    parser = etree.XMLPullParser(events=("start", "end"), **_PARSER_OPTIONS)
    try:
        _feed(parser, data, max_depth, max_elements)
        root = parser.close()
    except (etree.XMLSyntaxError, etree.ParserError, ValueError) as exc:
        if "excessive depth" in str(exc).lower():  # libxml2's own cap (256) can trip before ours is seen
            raise _too_complex() from exc
        raise _reject("svg_unparseable", "The SVG file is not well-formed XML.",
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
    tree = _parse_xml(data, max_depth, max_elements)
    if tree.getroot().tag != f"{{{SVG_NS}}}svg":
        raise _reject("svg_root", "This is not an SVG file (the root element must be <svg>).",
                      "Ce n'est pas un fichier SVG (l'élément racine doit être <svg>).")
    return tree


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


def _clean_attributes(element: etree._Element, name: str) -> None:
    for attribute, value in list(element.attrib.items()):
        if not _keep_attribute(name, attribute, value):
            del element.attrib[attribute]


def _clean_style(element: etree._Element) -> bool:
    """A ``<style>`` survives only as plain CSS text that passes :func:`_safe_css`."""
    if len(element) or element.get("type", "text/css").strip().lower() != "text/css":
        return False
    return _safe_css(element.text or "")


def _unwrap(element: etree._Element) -> None:
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


def _clean_children(parent: etree._Element) -> list[etree._Element]:
    """Clean the direct children of ``parent``; return the kept ones, to be visited next."""
    kept: list[etree._Element] = []
    index = 0
    while index < len(parent):
        child = parent[index]
        name = _local_name(child)
        if name == "a":
            _unwrap(child)  # its children now start at ``index``: look at them next
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
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


# --------------------------------------------------------------------------------------------------------- any image

_SVG_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?svg[\s>/]")


def sniff(data: bytes) -> MediaType:
    """Tell PNG from SVG by content (never by the declared type).

    :raises ImageRejected: neither.
    """
    if data.startswith(PNG_SIGNATURE):
        return "image/png"
    head = data[:8192].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<") and _SVG_START.search(head):
        return "image/svg+xml"
    raise _reject("unsupported_type", "Only PNG and SVG images are accepted.",
                  "Seules les images PNG et SVG sont acceptées.")


def check_image(data: bytes, media_type: str) -> bytes:
    """Check an uploaded image and return the bytes to store: a PNG unchanged, an SVG sanitised.

    ``media_type`` is the declared type (parameters ignored); it must match the sniffed content.

    :raises ImageRejected: unsupported or mismatched type, or the checks of :func:`check_png`/:func:`sanitise_svg`.
    """
    declared = media_type.split(";", 1)[0].strip().lower()
    actual = sniff(data)
    if declared != actual:
        raise _reject("type_mismatch", f"The file content is {actual}, not {declared or 'the declared type'}.",
                      f"Le contenu du fichier est {actual}, pas {declared or 'le type déclaré'}.")
    if actual == "image/png":
        check_png(data)
        return data
    return sanitise_svg(data)
