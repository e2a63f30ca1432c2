"""QR codes to a badge's verification page: a PNG for web pages, filled squares for PDFs.

Error correction is level M, never raised behind the caller's back, so the PNG and the PDF show the same code.
"""

from __future__ import annotations

import io

import segno
from fpdf import FPDF

__all__ = ["QUIET_SHARE", "draw_qr", "qr_png"]

QUIET_ZONE = 4  # modules of white the standard asks around the code
QUIET_SHARE = QUIET_ZONE / 21  # the widest quiet zone, as a share of the code's side (21 modules: the smallest code)


def _code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False, boost_error=False)


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """A PNG of the QR code that encodes exactly ``url``, quiet zone included, ``scale`` pixels a module."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()


def draw_qr(pdf: FPDF, url: str, x: float, y: float, side: float) -> None:
    """Draws the code for ``url`` (without its quiet zone) in the ``side`` mm square at ``x``, ``y``, linked to
    ``url``; the caller keeps ``QUIET_SHARE * side`` mm of white around it."""
    rows = [list(row) for row in _code(url).matrix_iter(scale=1, border=0)]
    module = side / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):  # one rectangle a run of dark modules: fewer seams, a smaller file
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(x + start * module, y + r * module, (c - start) * module, module, style="F")
    pdf.link(x, y, side, side, url)
