"""Printable documents about awarded badges: a one-page PDF certificate, a PDF list of a holder's badges, the paper
that hands out a claim code, and the QR code to a badge's verification page.

Pure: no HTTP, no database. The caller gathers the facts in :class:`CertificateBadge` (and checks the badge may be
shown) before asking for a document.
"""

from __future__ import annotations

from app.documents.certificate import CertificateBadge, Lang, certificate_pdf, cv_pdf
from app.documents.claim_sheet import ClaimSheet, claim_sheets_pdf
from app.documents.qr import qr_png

__all__ = ["CertificateBadge", "ClaimSheet", "Lang", "certificate_pdf", "claim_sheets_pdf", "cv_pdf", "qr_png"]
