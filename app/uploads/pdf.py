"""PDFs (a certificate, a letter, an attestation), kept exactly as sent: checked, never parsed nor rendered.

Reading a PDF means running a large parser over hostile input, and rewriting one means running it twice; nothing we
do with evidence needs its content. So a PDF is only recognised (``%PDF-1.x`` or ``%PDF-2.x`` at the very first byte,
``%%EOF`` in its last KiB, as PDF readers expect) and size-limited. It may still hold anything a PDF can: scripts,
forms, attachments, links, or an HTML page after its header.

Whoever serves it must therefore keep it from ever running in our origin: as a download, with
``Content-Type: application/pdf``, ``Content-Disposition: attachment; filename="<id>.pdf"`` (a name of ours, never the
sender's), ``X-Content-Type-Options: nosniff`` and ``Content-Security-Policy: sandbox``, so that even a browser that
opens it inline shows it in a sandbox without scripts, forms or our cookies.
"""

from __future__ import annotations

import re

from app.uploads.clean_file import CleanFile
from app.uploads.errors import reject, too_large

__all__ = ["EOF_WINDOW", "clean_pdf"]

#: how far from the end the ``%%EOF`` marker may be (PDF readers look that far; trailing bytes are common)
EOF_WINDOW = 1024

_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")


def clean_pdf(data: bytes, *, max_bytes: int) -> CleanFile:
    """``data`` as a stored PDF, unchanged, once its size, header and end marker are checked.

    :raises UploadRejected: ``too_large``, ``not_a_pdf`` or ``truncated``.
    """
    if len(data) > max_bytes:
        raise too_large("The PDF", "Le PDF", max_bytes)
    if not _HEADER.match(data):
        raise reject("not_a_pdf", "This file is not a PDF: it does not start with a PDF header (%PDF-1.x or 2.x).",
                     "Ce fichier n'est pas un PDF : il ne commence pas par un en-tête PDF (%PDF-1.x ou 2.x).")
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise reject("truncated", "The PDF is incomplete (its end marker %%EOF is missing): send it again.",
                     "Le PDF est incomplet (sa marque de fin %%EOF manque) : envoyez-le à nouveau.")
    return CleanFile(data=data, media_type="application/pdf", extension="pdf", kind="pdf")
