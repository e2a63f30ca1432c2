"""The one way in for an evidence file: bytes and what the sender claims about them, out a file safe to store.

The content decides what a file is (:mod:`app.uploads.sniff`), then one module per kind cleans it: photos are
re-encoded from their pixels (:mod:`app.uploads.images`), PDFs checked and kept opaque (:mod:`app.uploads.pdf`),
texts checked and normalised (:mod:`app.uploads.text`). The sender's file name and declared type are never trusted:
they only say whether bytes without a signature are meant as a text, and pick the words of a refusal.
"""

from __future__ import annotations

from app.uploads.clean_file import CleanFile, Kind
from app.uploads.errors import UploadRejected, reject
from app.uploads.images import clean_image
from app.uploads.limits import DEFAULT_LIMITS, UploadLimits
from app.uploads.pdf import clean_pdf
from app.uploads.sniff import declared_kinds, image_format, is_pdf, refused_format
from app.uploads.text import clean_text

__all__ = ["clean_upload"]

_ACCEPTED_EN = "send a photo (JPEG, PNG, WebP or HEIC), a PDF or a plain text"
_ACCEPTED_FR = "envoyez une photo (JPEG, PNG, WebP ou HEIC), un PDF ou un texte brut"


def clean_upload(data: bytes, *, filename: str | None, declared_type: str | None,
                 limits: UploadLimits = DEFAULT_LIMITS) -> CleanFile:
    """Turn one uploaded file into what may be stored and served, or refuse it.

    :param data: the file's bytes, as received.
    :param filename: the name the sender gave, if any.
    :param declared_type: the sender's Content-Type, if any. Neither is trusted: bytes with no image or PDF signature
        are read as a text only when one of them says so (``text/plain``, ``.txt``), and they pick the words of a
        refusal; they decide nothing else.
    :param limits: sizes and pixel counts (:data:`DEFAULT_LIMITS`).
    :returns: a JPEG or PNG re-encoded without metadata, a PDF as sent, or a UTF-8 text in NFC.
    :raises UploadRejected: with ``extra["reason"]`` saying why (see :data:`app.uploads.errors.Reason`).
    """
    if not data:
        raise reject("empty", "The file is empty.", "Le fichier est vide.")
    fmt = image_format(data)
    if fmt is not None:
        return clean_image(data, fmt, max_bytes=limits.max_image_bytes, max_pixels=limits.max_pixels,
                           max_side=limits.max_side)
    if is_pdf(data):
        return clean_pdf(data, max_bytes=limits.max_pdf_bytes)
    claimed = declared_kinds(filename, declared_type)
    if "text" in claimed:
        return clean_text(data, max_bytes=limits.max_text_bytes)
    raise _unsupported(data, claimed)


def _unsupported(data: bytes, claimed: frozenset[Kind]) -> UploadRejected:
    """The refusal of bytes that are none of ours: named when we recognise them, else in the sender's terms."""
    name = refused_format(data)
    if name is not None:
        return reject("unsupported_type", f"{name} files are not accepted: {_ACCEPTED_EN}.",
                      f"Les fichiers {name} ne sont pas acceptés : {_ACCEPTED_FR}.")
    if "pdf" in claimed:
        return reject("not_a_pdf", "This file is not a PDF: it does not start with a PDF header.",
                      "Ce fichier n'est pas un PDF : il ne commence pas par un en-tête PDF.")
    if "image" in claimed:
        return reject("not_an_image", f"This file is not a photo we can read: {_ACCEPTED_EN}.",
                      f"Ce fichier n'est pas une photo lisible : {_ACCEPTED_FR}.")
    return reject("unsupported_type", f"This type of file is not accepted: {_ACCEPTED_EN}.",
                  f"Ce type de fichier n'est pas accepté : {_ACCEPTED_FR}.")
