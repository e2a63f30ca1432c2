"""How much of an untrusted evidence file we are willing to read, decode and keep.

Every limit is checked before the work it bounds: the byte limits before anything is parsed, the pixel limit on the
header before a pixel is decoded. The defaults take what phones give (a 48 or 50 megapixel photo, a HEIC of a few
MiB) and keep what a person reading the evidence needs (2048 pixels on the longer side).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "UploadLimits"]

_MIB = 1 << 20


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """Limits for one file. Decoding a photo at ``max_pixels`` takes about 3 bytes a pixel (4 with transparency),
    plus a copy: roughly 300 MB at the default, so callers should decode few files at once."""

    #: a photo as sent (JPEG, PNG, WebP, HEIC): a 50 MP JPEG straight from a phone is 15 to 20 MiB
    max_image_bytes: int = 20 * _MIB
    #: a PDF, stored as sent
    max_pdf_bytes: int = 10 * _MIB
    #: a plain text, as sent and as stored (UTF-8): about 20,000 letters, a few pages
    max_text_bytes: int = 20 * 1024
    #: width × height declared by the image's header: 52 MP lets the 48 and 50 MP modes of current phones through
    #: (8064 × 6048, 8160 × 6144), refuses larger ones and every decompression bomb
    max_pixels: int = 52_000_000
    #: the stored image's longer side; larger photos are scaled down to fit
    max_side: int = 2048

    def __post_init__(self) -> None:
        for name in ("max_image_bytes", "max_pdf_bytes", "max_text_bytes", "max_pixels", "max_side"):
            if getattr(self, name) < 1:
                raise ValueError(f"UploadLimits.{name} must be positive")


DEFAULT_LIMITS = UploadLimits()
