"""The one error for an evidence file we refuse, with a stable sub-code in ``extra["reason"]``.

A refusal is the sender's to fix (send another file), so it is a 422 like every other invalid input, also for a file
too large or of a type we do not take: 413 and 415 describe a whole request body, and the form that carries the file
(several files and fields) is itself acceptable. Clients and tests read ``extra["reason"]``, one of :data:`Reason`.
"""

from __future__ import annotations

from typing import Literal

from app.errors import InvalidInput

__all__ = ["Reason", "UploadRejected", "reject", "too_large"]

#: every sub-code a refusal can carry (stable: clients show their own words for them)
Reason = Literal[
    "empty",  # no bytes, or a text of spaces only
    "too_large",  # over the byte limit for its kind, checked before anything is decoded
    "unsupported_type",  # not a photo, PDF or plain text: GIF, TIFF, SVG, HTML, ZIP, a document declared as text…
    "not_an_image",  # the signature of a photo, but no image can be read from it
    "too_many_pixels",  # its header declares more pixels than the limit (a decompression bomb), checked before decoding
    "truncated",  # the image or PDF stops before its end (an interrupted transfer)
    "damaged",  # the image's data cannot be decoded
    "not_a_pdf",  # declared as a PDF, or starting like one, without a PDF header
    "text_not_utf8",  # a text that is not UTF-8
    "text_control_character",  # a text holding a control character other than tab and line breaks
]

_MIB = 1 << 20
_KIB = 1 << 10


class UploadRejected(InvalidInput):
    """An uploaded file we will not store: its type, size or content. HTTP 422, code ``invalid_upload``.

    ``extra["reason"]`` is one of :data:`Reason`.
    """

    code = "invalid_upload"
    message_en = "This file cannot be accepted: send a photo (JPEG, PNG, WebP or HEIC), a PDF or a plain text."
    message_fr = ("Ce fichier ne peut pas être accepté : envoyez une photo (JPEG, PNG, WebP ou HEIC), un PDF ou un "
                  "texte brut.")


def reject(reason: Reason, message_en: str, message_fr: str) -> UploadRejected:
    """An :class:`UploadRejected` with its sub-code ``reason`` and both messages (to be raised by the caller)."""
    return UploadRejected(message_en, message_fr, extra={"reason": reason})


def too_large(what_en: str, what_fr: str, max_bytes: int) -> UploadRejected:
    """The refusal of a file over ``max_bytes`` (``too_large``); ``what_en``/``what_fr`` name it ("The photo")."""
    en, fr = _amount(max_bytes)
    return reject("too_large", f"{what_en} is larger than {en}.", f"{what_fr} dépasse {fr}.")


def _amount(size: int) -> tuple[str, str]:
    """``size`` bytes in words, English and French (20 MiB, 20 Mio)."""
    if size >= _MIB:
        number, en, fr = size / _MIB, "MiB", "Mio"
    elif size >= _KIB:
        number, en, fr = size / _KIB, "KiB", "Kio"
    else:
        return f"{size} bytes", f"{size} octets"
    text = f"{number:.3g}"
    return f"{text} {en}", f"{text.replace('.', ',')} {fr}"
