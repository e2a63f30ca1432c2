"""PNG without decoding: walk an untrusted PNG chunk by chunk, check its structure, read and write text chunks.

Nothing here decodes a pixel or decompresses a chunk (threat T8). :func:`read_png_chunks` checks the signature, each
chunk's length, type and CRC, ``IHDR`` first with capped dimensions, ``IEND`` last, and caps on size and chunk count;
a compressed ``openbadge*`` text chunk is refused, as the baking specifications forbid compression.
:mod:`app.badges.baking` walks PNGs with the same function, so baking and the verifier see the same limits.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from app.badges.image_rejected import reject, too_large

__all__ = [
    "MAX_CHUNK_BYTES",
    "MAX_IMAGE_BYTES",
    "MAX_PIXELS",
    "MAX_PNG_CHUNKS",
    "MAX_PNG_SIDE",
    "PNG_SIGNATURE",
    "PngChunk",
    "TextChunk",
    "check_png",
    "is_badge_chunk",
    "is_badge_keyword",
    "parse_text_chunk",
    "png_chunk",
    "read_png_chunks",
]

MAX_IMAGE_BYTES = 5 * 1024 * 1024  # T8: file ≤ 5 MiB
MAX_PNG_CHUNKS = 4096  # 5 MiB of 8 KiB IDAT chunks is 640; 4096 leaves room for odd encoders
MAX_CHUNK_BYTES = MAX_IMAGE_BYTES  # one chunk may not exceed the file cap (PNG itself allows 2^31-1)
MAX_PNG_SIDE = 16384
MAX_PIXELS = 1 << 26  # 67 Mpx: 8192 x 8192; a 50000 x 50000 header (2.5 Gpx) is refused

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_TEXT_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt"})
_CRITICAL = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND"})
_COLOUR_DEPTHS: dict[int, frozenset[int]] = {
    0: frozenset({1, 2, 4, 8, 16}),  # grey
    2: frozenset({8, 16}),  # RGB
    3: frozenset({1, 2, 4, 8}),  # palette
    4: frozenset({8, 16}),  # grey + alpha
    6: frozenset({8, 16}),  # RGBA
}


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
            raise reject("png_truncated", "The PNG file is truncated.", "Le fichier PNG est tronqué.")
        length, ctype = struct.unpack_from(">I4s", data, pos)
        if length > 0x7FFFFFFF or length > max_chunk_bytes:
            raise reject("png_chunk_too_large", "A PNG chunk is too large.", "Un bloc du fichier PNG est trop grand.")
        end = pos + 12 + length
        if end > len(data):
            raise reject("png_truncated", "The PNG file is truncated.", "Le fichier PNG est tronqué.")
        if not ctype.isalpha():
            raise reject("png_bad_chunk", "A PNG chunk has an invalid type.",
                         "Un bloc du fichier PNG a un type invalide.")
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack_from(">I", data, pos + 8 + length)
        if zlib.crc32(body, zlib.crc32(ctype)) != crc:
            raise reject("png_bad_crc", "The PNG file is corrupt (checksum mismatch).",
                         "Le fichier PNG est corrompu (somme de contrôle incorrecte).")
        count += 1
        if count > max_chunks:
            raise reject("png_too_many_chunks", "The PNG file has too many chunks.",
                         "Le fichier PNG contient trop de blocs.")
        yield PngChunk(ctype, body, pos, end)
        if ctype == b"IEND":
            return
        pos = end


def _check_ihdr(chunk: PngChunk) -> None:
    """IHDR must be 13 bytes, with capped dimensions and a valid colour type / bit depth combination."""
    if chunk.type != b"IHDR" or len(chunk.data) != 13:
        raise reject("png_no_ihdr", "The PNG file does not start with a valid header.",
                     "Le fichier PNG ne commence pas par un en-tête valide.")
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunk.data)
    if not (0 < width <= MAX_PNG_SIDE and 0 < height <= MAX_PNG_SIDE) or width * height > MAX_PIXELS:
        raise reject("png_too_many_pixels",
                     f"The PNG image is too large: {width}x{height} (at most {MAX_PNG_SIDE} per side).",
                     f"L'image PNG est trop grande : {width}x{height} (au plus {MAX_PNG_SIDE} par côté).")
    if depth not in _COLOUR_DEPTHS.get(colour, frozenset()) or compression or filtering or interlace > 1:
        raise reject("png_bad_header", "The PNG header is invalid.", "L'en-tête du fichier PNG est invalide.")


def _split_keyword(body: bytes) -> tuple[str, bytes]:
    """Split ``keyword NUL rest``; keywords are 1–79 Latin-1 bytes."""
    keyword, sep, rest = body.partition(b"\x00")
    if not sep or not 0 < len(keyword) < 80:
        raise reject("png_bad_text_chunk", "A PNG text chunk is malformed.", "Un bloc de texte du PNG est mal formé.")
    return keyword.decode("latin-1"), rest


def _parse_itxt(keyword: str, rest: bytes) -> TextChunk:
    if len(rest) < 2 or rest[0] > 1:
        raise reject("png_bad_text_chunk", "A PNG text chunk is malformed.", "Un bloc de texte du PNG est mal formé.")
    compressed = rest[0] == 1
    language, sep1, rest = rest[2:].partition(b"\x00")
    _translated, sep2, text = rest.partition(b"\x00")
    if not (sep1 and sep2):
        raise reject("png_bad_text_chunk", "A PNG text chunk is malformed.", "Un bloc de texte du PNG est mal formé.")
    if compressed:
        return TextChunk(b"iTXt", keyword, True, None)
    try:
        return TextChunk(b"iTXt", keyword, False, text.decode("utf-8"))
    except UnicodeDecodeError:
        raise reject("png_bad_text_chunk", "A PNG iTXt chunk is not valid UTF-8.",
                     "Un bloc iTXt du PNG n'est pas en UTF-8 valide.") from None


def parse_text_chunk(chunk: PngChunk) -> TextChunk:
    """Parse a ``tEXt``, ``zTXt`` or ``iTXt`` chunk's header (and text when uncompressed) without decompressing.

    :raises ImageRejected: not a text chunk, or malformed.
    """
    if chunk.type not in _TEXT_CHUNKS:
        raise reject("png_bad_text_chunk", "Not a PNG text chunk.", "Ce n'est pas un bloc de texte PNG.")
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
        raise reject("png_bad_order", "The PNG file has a misplaced header or end chunk.",
                     "Le fichier PNG a un en-tête ou une fin mal placés.")
    if chunk.type not in _CRITICAL and chunk.type[:1].isupper():
        raise reject("png_unknown_critical", "The PNG file uses an unsupported critical chunk.",
                     "Le fichier PNG utilise un bloc critique non pris en charge.")
    if is_badge_chunk(chunk) and parse_text_chunk(chunk).compressed:
        raise reject("png_compressed_badge", "The badge data in this PNG is compressed, which is forbidden.",
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
        raise too_large(max_bytes)
    if not data.startswith(PNG_SIGNATURE):
        raise reject("png_signature", "This is not a PNG file.", "Ce n'est pas un fichier PNG.")
    chunks = list(_iter_raw_chunks(data, max_chunks=max_chunks, max_chunk_bytes=max_chunk_bytes))
    if chunks[-1].type != b"IEND" or chunks[-1].data or chunks[-1].end != len(data):
        raise reject("png_trailing_data", "The PNG file has data after its end.",
                     "Le fichier PNG contient des données après sa fin.")
    _check_ihdr(chunks[0])
    for chunk in chunks[1:-1]:
        _check_ancillary(chunk)
    if not any(c.type == b"IDAT" for c in chunks):
        raise reject("png_no_data", "The PNG file has no image data.", "Le fichier PNG ne contient pas d'image.")
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

