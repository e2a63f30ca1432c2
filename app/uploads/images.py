"""Photos as phones send them (JPEG, PNG, WebP, HEIC/HEIF), decoded and re-encoded from their pixels alone.

What is stored is a new file written by Pillow from the decoded pixels: nothing of the sent file survives but the
picture. No EXIF (the GPS position, the phone's serial number), no XMP, IPTC, comments, PNG text chunks, thumbnails,
colour profile, or bytes appended after the image (a ZIP, a script: the polyglot trick). Only the first frame is kept
(the primary image of a HEIF, the first frame of an animated PNG or WebP, the main image of a multi-picture JPEG):
evidence is a still picture, and phones write extra frames we have no use for.

* The sniffed format alone is tried (``Image.open(formats=[…])``), so no other Pillow decoder ever sees the bytes.
* ``width × height`` from the header is checked against the limit before a pixel is decoded (decompression bombs).
  Pillow's own check (``MAX_IMAGE_PIXELS``, global, left alone) stops the very largest inside ``Image.open``
  already; both are ``too_many_pixels``.
* A JPEG is decoded at the smallest scale its decoder offers that still covers the stored size (``draft``).
* The EXIF orientation is applied, so the photo stays upright once its EXIF is gone.
* Colour profiles are dropped, not applied: the evidence must be legible, not colour-exact, and converting would hand
  the sender's profile to one more parser (LittleCMS). A Display P3 photo looks slightly less saturated.
* Stored as JPEG (quality 85), or as PNG when transparency is actually used; at most ``max_side`` pixels a side.

Any failure while reading the sent bytes is a refusal (:class:`UploadRejected`), never a 500: the decoders are the
parsers of untrusted data here, and whatever they raise (``OSError``, ``SyntaxError``, ``struct.error``, a warning
turned into an error…) means this file cannot be used.
"""

from __future__ import annotations

import functools
import io
import logging

import pillow_heif
from PIL import ExifTags, Image, UnidentifiedImageError

from app.uploads.clean_file import CleanFile, MediaType
from app.uploads.errors import UploadRejected, reject, too_large
from app.uploads.sniff import ImageFormat

__all__ = ["JPEG_QUALITY", "clean_image"]

log = logging.getLogger("savoirs.uploads")

JPEG_QUALITY = 85

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})


def clean_image(data: bytes, image_format: ImageFormat, *, max_bytes: int, max_pixels: int,
                max_side: int) -> CleanFile:
    """Decode ``data`` as ``image_format`` and re-encode its first frame, upright, without any metadata.

    :raises UploadRejected: ``too_large``, ``not_an_image``, ``too_many_pixels``, ``truncated`` or ``damaged``.
    """
    if len(data) > max_bytes:
        raise too_large("The image", "L'image", max_bytes)
    _register_heif_opener()
    try:
        image = Image.open(io.BytesIO(data), formats=[image_format])
        _check_pixels(image.size, max_pixels)
        if image.format in ("JPEG", "MPO"):
            image.draft(None, _fitted(image.size, max_side))
        image.load()
        transpose = _orientation(image)
        pixels = _rgb(image)
    except UploadRejected:
        raise
    except Exception as exc:  # the decoder's failure is the file's (see the module docstring)
        raise _refusal(exc) from None
    fitted = _fitted(pixels.size, max_side)
    if fitted != pixels.size:
        pixels = pixels.resize(fitted, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if transpose is not None:
        pixels = pixels.transpose(transpose)
    return _encoded(pixels)


@functools.cache
def _register_heif_opener() -> None:
    """Teach Pillow to open HEIF (once, on first use: nothing happens at import)."""
    pillow_heif.register_heif_opener()


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise reject("damaged", "The image has no pixels.", "L'image n'a aucun pixel.")
    if width * height > max_pixels:
        millions = f"{max_pixels / 1_000_000:g}"
        raise reject("too_many_pixels",
                     f"The image is {width} × {height} pixels: at most {millions} million pixels are accepted.",
                     f"L'image mesure {width} × {height} pixels : au plus {millions.replace('.', ',')} millions de "
                     "pixels sont acceptés.")


def _fitted(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """``size`` scaled down, if needed, so that its longer side is ``max_side`` (its shorter side at least 1)."""
    width, height = size
    if max(width, height) <= max_side:
        return size
    if width >= height:
        return max_side, max(1, round(height * max_side / width))
    return max(1, round(width * max_side / height)), max_side


def _orientation(image: Image.Image) -> Image.Transpose | None:
    """The transposition that makes the photo upright, from its EXIF (or XMP) orientation; ``None`` when there is
    none or it cannot be read (the pixels are then kept as stored: the orientation is presentation, not content).
    pillow-heif has already applied a HEIF's own rotation and reset its EXIF orientation to 1."""
    try:
        value = image.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:  # an unreadable EXIF is dropped with the rest
        return None
    return _TRANSPOSE.get(value) if isinstance(value, int) else None


def _rgb(image: Image.Image) -> Image.Image:
    """The decoded pixels as RGB (``image`` itself when it is RGB already: no copy of a large photo), or RGBA when
    some pixel is not opaque. 16-bit grey is scaled to 8 bits, which ``convert`` would clip instead (everything
    above 255 turning white)."""
    if image.mode.startswith("I") or image.mode == "F":
        return image.point(lambda value: value / 257).convert("L").convert("RGB")
    if image.mode not in _ALPHA_MODES and "transparency" not in image.info:
        return image if image.mode == "RGB" else image.convert("RGB")
    rgba = image.convert("RGBA")
    lowest_alpha, _ = rgba.getchannel("A").getextrema()
    return rgba.convert("RGB") if lowest_alpha == 255 else rgba


def _encoded(pixels: Image.Image) -> CleanFile:
    """A new file from ``pixels`` alone: copied into a fresh image, so no ``info`` (EXIF, ICC profile, comment,
    XMP…) that Pillow would otherwise write back can come along."""
    fresh = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    media_type: MediaType
    if fresh.mode == "RGBA":
        fresh.save(out, format="PNG")
        media_type, extension = "image/png", "png"
    else:
        fresh.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        media_type, extension = "image/jpeg", "jpg"
    return CleanFile(data=out.getvalue(), media_type=media_type, extension=extension, kind="image",
                     width=fresh.width, height=fresh.height)


def _refusal(exc: Exception) -> UploadRejected:
    """The refusal for what a decoder raised on the sent bytes."""
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        return reject("too_many_pixels", "The image declares too many pixels to be decoded safely.",
                      "L'image annonce trop de pixels pour être décodée sans risque.")
    if isinstance(exc, UnidentifiedImageError):
        return reject("not_an_image", "No image can be read from this file, although it starts like one.",
                      "Aucune image ne peut être lue dans ce fichier, bien qu'il commence comme une image.")
    text = str(exc).lower()
    if isinstance(exc, EOFError) or "truncated" in text or "end of file" in text:
        return reject("truncated", "The image is incomplete (its end is missing): send it again.",
                      "L'image est incomplète (sa fin manque) : envoyez-la à nouveau.")
    log.info("image refused: %s", type(exc).__name__)
    return reject("damaged", "The image is damaged: it cannot be decoded.",
                  "L'image est abîmée : elle ne peut pas être décodée.")
