"""What a file is, from its first bytes; and what its sender says it is, which matters only for text and for the words
of a refusal.

The content decides: a JPEG named ``notes.pdf`` is a JPEG, an SVG named ``photo.png`` is an SVG (refused). The one
exception is text, which has no signature: bytes are read as a text only when the sender declared one
(``text/plain`` or a ``.txt`` name), so an HTML page or an SVG is never stored as evidence because it happens to be
valid UTF-8.
"""

from __future__ import annotations

import re
from typing import Literal

from app.uploads.clean_file import Kind

__all__ = ["ImageFormat", "declared_kinds", "image_format", "is_pdf", "looks_like_markup", "refused_format"]

#: Pillow's name for each image format we take
ImageFormat = Literal["JPEG", "PNG", "WEBP", "HEIF"]

#: ISO base media (``ftyp``) brands of HEIF stills and sequences, as pillow-heif opens them
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})

#: formats we recognise in order to name them when we refuse them
_REFUSED: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"II+\x00", "TIFF"),
    (b"MM\x00+", "TIFF"),
    (b"BM", "BMP"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"\x00\x00\x02\x00", "ICO"),
    (b"8BPS", "PSD"),
    (b"\xff\x0a", "JPEG XL"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "JPEG XL"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
    (b"PK\x03\x04", "ZIP"),
)
_MARKUP = re.compile(rb"\s*<[!?/A-Za-z]")

_IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "jfif", "png", "webp", "heic", "heif", "hif", "gif", "tif", "tiff",
                               "bmp", "svg", "avif", "ico"})


def image_format(data: bytes) -> ImageFormat | None:
    """The format of an image we take (JPEG, PNG, WebP, HEIC/HEIF) whose signature ``data`` starts with."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIF"
    return None


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF (its header, at the very first byte)."""
    return data.startswith(b"%PDF-")


def refused_format(data: bytes) -> str | None:
    """The name of a format we recognise and refuse (``GIF``, ``SVG or HTML``…), to say so in the refusal."""
    for signature, name in _REFUSED:
        if data.startswith(signature):
            return name
    if data[4:8] == b"ftyp":
        return "AVIF" if data[8:12] in _AVIF_BRANDS else "video"
    if looks_like_markup(data):
        return "SVG, HTML or XML"
    return None


def looks_like_markup(data: bytes) -> bool:
    """Whether ``data`` starts (after a byte order mark and spaces) like an SVG, HTML or XML document, which a
    browser could run if it ever guessed the type."""
    return _MARKUP.match(data.removeprefix(b"\xef\xbb\xbf")[:1024]) is not None


def declared_kinds(filename: str | None, declared_type: str | None) -> frozenset[Kind]:
    """What the sender says the file is (``image``, ``pdf``, ``text``), by its declared type or its name's
    extension: either may say it, neither is trusted."""
    kinds: set[Kind] = set()
    media_type = (declared_type or "").split(";", 1)[0].strip().lower()
    if media_type == "text/plain":
        kinds.add("text")
    elif media_type == "application/pdf":
        kinds.add("pdf")
    elif media_type.startswith("image/"):
        kinds.add("image")
    extension = (filename or "").rpartition(".")[2].strip().lower() if "." in (filename or "") else ""
    if extension == "txt":
        kinds.add("text")
    elif extension == "pdf":
        kinds.add("pdf")
    elif extension in _IMAGE_EXTENSIONS:
        kinds.add("image")
    return frozenset(kinds)
