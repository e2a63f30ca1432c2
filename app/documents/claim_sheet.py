"""The paper a centre hands to a resident without an email address: their badge, the code that claims it, and a QR
code to the page where it is typed (filled in). One A4 page per award, in plain words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fpdf.enums import Align

from app.documents.certificate import FAMILY, MARGIN, PAGE_W, TOP, WIDTH, Lang, PageWriter
from app.documents.qr import QUIET_SHARE, draw_qr

__all__ = ["ClaimSheet", "claim_sheets_pdf"]

WORDS: dict[Lang, dict[str, str]] = {
    "fr": {"title": "Votre badge", "for": "Pour : {name}", "from": "Donné par {issuer}", "level": "Niveau : {level}",
           "step1": "1. Scannez ce code avec votre téléphone,", "or": "ou allez sur : {url}",
           "step2": "2. Tapez ce code :", "keep": "Gardez ce papier : avec ce code, vous pourrez revenir voir votre "
           "badge, l'imprimer ou l'envoyer.",
           "private": "Votre badge est privé : personne d'autre ne le voit, sauf si vous le rendez public.",
           "doc": "Code pour récupérer un badge"},
    "en": {"title": "Your badge", "for": "For: {name}", "from": "Given by {issuer}", "level": "Level: {level}",
           "step1": "1. Scan this code with your phone,", "or": "or go to: {url}", "step2": "2. Type this code:",
           "keep": "Keep this paper: with this code you can come back to see your badge, print it or send it.",
           "private": "Your badge is private: nobody else sees it, unless you make it public.",
           "doc": "Code to collect a badge"},
}


@dataclass(frozen=True, slots=True)
class ClaimSheet:
    badge: str
    issuer: str
    level: str | None
    #: the name the organisation recorded, so that the right paper reaches the right person (None: none)
    name: str | None
    code: str
    #: the claim page, filled in with the code: what the QR code encodes
    claim_url: str
    #: the claim page without the code, to type by hand
    typed_url: str
    image_png: bytes | None


def claim_sheets_pdf(sheets: Sequence[ClaimSheet], lang: Lang, *, created: datetime) -> bytes:
    """One page per sheet; at least one sheet."""
    if not sheets:
        raise ValueError("no claim sheet to print")
    words = WORDS[lang]
    doc = PageWriter(title=words["doc"], author=sheets[0].issuer, lang=lang, created=created)
    for sheet in sheets:
        doc.pdf.add_page()
        y = doc.text(words["title"], MARGIN, TOP, WIDTH, size=22, bold=True, line_h=11, max_lines=1, align=Align.C)
        if sheet.image_png:
            doc.image(sheet.image_png, (PAGE_W - 30) / 2, y + 4, 30)
            y += 36
        y = doc.text(sheet.badge, MARGIN, y + 2, WIDTH, size=17, bold=True, line_h=8, max_lines=2, align=Align.C)
        if sheet.level:
            y = doc.text(words["level"].format(level=sheet.level), MARGIN, y, WIDTH, size=12, line_h=6,
                         max_lines=1, align=Align.C)
        y = doc.text(words["from"].format(issuer=sheet.issuer), MARGIN, y + 2, WIDTH, size=12, line_h=6,
                     max_lines=2, align=Align.C)
        if sheet.name:
            y = doc.text(words["for"].format(name=sheet.name), MARGIN, y + 2, WIDTH, size=12, line_h=6,
                         max_lines=1, align=Align.C)
        y = doc.text(words["step1"], MARGIN, y + 8, WIDTH, size=13, bold=True, line_h=7, max_lines=1)
        side = 45.0
        quiet = QUIET_SHARE * side
        draw_qr(doc.pdf, sheet.claim_url, (PAGE_W - side) / 2, y + quiet, side)
        y += side + 2 * quiet
        y = doc.text(words["or"].format(url=sheet.typed_url), MARGIN, y, WIDTH, size=12, line_h=6, max_lines=2,
                     align=Align.C)
        y = doc.text(words["step2"], MARGIN, y + 6, WIDTH, size=13, bold=True, line_h=7, max_lines=1)
        doc.pdf.set_font(FAMILY, "B", 26)
        doc.pdf.set_text_color(0, 0, 0)
        doc.pdf.set_xy(MARGIN, y + 2)
        doc.pdf.cell(WIDTH, 14, sheet.code, align=Align.C, border=1)
        y += 20
        y = doc.text(words["keep"], MARGIN, y + 4, WIDTH, size=12, line_h=6, max_lines=3)
        doc.text(words["private"], MARGIN, y + 3, WIDTH, size=12, line_h=6, max_lines=3)
    return doc.output()
