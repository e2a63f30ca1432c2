"""Printable PDFs of awarded badges: one badge's certificate (one A4 page) and a holder's list of badges.

Texts are printed as given but cut with "…" where they would not fit, and characters the bundled DejaVu fonts lack
(emoji, for one) are dropped rather than printed as empty boxes. Each badge carries a QR code to its verification
page. Equal inputs give byte-equal PDFs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Literal, cast

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, ResourceAccessPolicy, WrapMode
from fpdf.fonts import TTFFont

from app.documents.qr import QUIET_SHARE, draw_qr

__all__ = ["CertificateBadge", "Lang", "certificate_pdf", "cv_pdf"]

Lang = Literal["fr", "en"]
Status = Literal["active", "revoked", "suspended", "expired"]


@dataclass(frozen=True, slots=True)
class CertificateBadge:
    name: str  # the badge's name, e.g. "Cuisine du monde"
    description: str | None
    criteria: str | None  # plain text, may be long
    level: str | None  # e.g. "J'agis"
    issuer: str  # the issuing organisation's name
    holder_name: str | None  # None: the holder chose not to show a name
    issued_on: date
    valid_until: date | None
    endorsed_by: tuple[str, ...]  # names of endorsers (organisations or persons)
    image_png: bytes | None  # a safe PNG, re-encoded by us
    verify_url: str  # the verification page: the QR code encodes exactly this
    status: Status = "active"


WORDS: dict[Lang, dict[str, str]] = {
    "fr": {"title": "Attestation de badge", "cv": "Mes badges", "level": "Niveau :", "holder": "Décerné à :",
           "hidden": "Le titulaire a choisi de ne pas afficher son nom.", "issuer": "Délivré par :",
           "issued": "Date de délivrance :", "until": "Valable jusqu'au :", "description": "Description",
           "criteria": "Ce qu'il a fallu faire pour l'obtenir", "endorsed": "Recommandé par :",
           "scan": "Scannez ce code pour vérifier ce badge.", "check": "Vérifier ce badge :",
           "issued_by": "Délivré par {issuer}, le {day}", "revoked": "Ce badge a été retiré.",
           "suspended": "Ce badge est suspendu.", "expired": "Ce badge a expiré."},
    "en": {"title": "Badge certificate", "cv": "My badges", "level": "Level:", "holder": "Awarded to:",
           "hidden": "The holder chose not to show their name.", "issuer": "Issued by:", "issued": "Date issued:",
           "until": "Valid until:", "description": "Description", "criteria": "What it took to earn it",
           "endorsed": "Endorsed by:", "scan": "Scan this code to check this badge.", "check": "Check this badge:",
           "issued_by": "Issued by {issuer} on {day}", "revoked": "This badge has been revoked.",
           "suspended": "This badge is suspended.", "expired": "This badge has expired."},
}
MONTHS: dict[Lang, tuple[str, ...]] = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}

FONTS = Path(__file__).resolve().parent.parent / "fonts"
FAMILY = "dejavu"
PAGE_W, PAGE_H = 210.0, 297.0  # A4 portrait, in mm
MARGIN, TOP, BOTTOM = 20.0, 18.0, 15.0
WIDTH = PAGE_W - 2 * MARGIN
RED = (165, 20, 20)
GREY = (90, 90, 90)
NARROWEST = 0.25  # the width of the narrowest usual character, in ems: what a line holds at most, near enough
DROPPED = "\x00"  # stands for a character the fonts lack while a text is cleaned


def _day(day: date, lang: Lang) -> str:
    """« 3 décembre 2026 » (« 1er » on the first) or "3 December 2026"."""
    first = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return f"{first} {MONTHS[lang][day.month - 1]} {day.year}"


def _share(needs: list[int], total: int) -> list[int]:
    """``total`` lines shared between texts needing ``needs`` lines: short ones in full, the rest evenly."""
    given = [0] * len(needs)
    left = max(total, 0)
    order = sorted(range(len(needs)), key=lambda i: needs[i])
    for rank, i in enumerate(order):
        given[i] = min(needs[i], left // (len(needs) - rank))
        left -= given[i]
    return given


class PageWriter:
    """One PDF being written: the fonts, the glyphs they have, and text cut to fit."""

    def __init__(self, *, title: str, author: str | None, lang: Lang, created: datetime) -> None:
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.resource_access_policy = ResourceAccessPolicy.NONE  # nothing is read from disk or network
        pdf.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
        pdf.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN, TOP, MARGIN)
        pdf.c_margin = 0
        glyphs = [set(font.cmap) for font in pdf.fonts.values() if isinstance(font, TTFFont)]
        self.glyphs = frozenset(set.intersection(*glyphs))
        self.pdf = pdf
        pdf.set_title(self.clean(title))
        pdf.set_lang(lang)
        if author:
            pdf.set_author(self.clean(author))
        pdf.set_creator("savoirs")
        pdf.set_creation_date(created if created.tzinfo else created.replace(tzinfo=UTC))

    def clean(self, text: str, *, paragraphs: bool = False) -> str:
        """``text`` in NFC with what the fonts cannot print dropped and spaces collapsed (new lines kept only
        between ``paragraphs``, one blank line at most)."""
        kept: list[str] = []
        for char in unicodedata.normalize("NFC", text):
            if char == "\n":
                kept.append("\n" if paragraphs else " ")
            elif char.isspace():
                kept.append(" ")
            elif ord(char) in self.glyphs and unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co"):
                kept.append(char)
            else:
                kept.append(DROPPED)
        # "l'atelier 🍲, puis" reads "l'atelier, puis": a dropped character takes the space before it along
        joined = re.sub(f" *{DROPPED}+(?=[,.)\\]…])", "", "".join(kept)).replace(DROPPED, "")
        lines = [re.sub(" {2,}", " ", line).strip() for line in joined.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    def font(self, size: float, *, bold: bool = False, color: tuple[int, int, int] = (0, 0, 0)) -> None:
        self.pdf.set_font(FAMILY, "B" if bold else "", size)
        self.pdf.set_text_color(*color)

    def fit(self, text: str, w: float, max_lines: int, *, wrap: WrapMode = WrapMode.WORD) -> list[str]:
        """``text`` (already clean) wrapped to ``w`` mm in the current font, at most ``max_lines`` lines, the last
        ending in "…" when cut."""
        if max_lines < 1 or not text:
            return []
        bound = max_lines * int(w / (self.pdf.font_size * NARROWEST))  # what is beyond is not measured
        lines = cast(list[str], self.pdf.multi_cell(w, text=text[:bound], dry_run=True, wrapmode=wrap,
                                                    output=MethodReturnValue.LINES))
        if len(text) <= bound and len(lines) <= max_lines:
            return lines
        lines = lines[:max_lines]
        while len(lines) > 1 and not lines[-1].strip():  # the "…" goes after words, not on a blank line
            lines.pop()
        last = lines[-1].rstrip()
        while last and self.pdf.get_string_width(last + "…") > w:
            last = last[:-1]
        space = last.rfind(" ")
        if wrap == WrapMode.WORD and space > len(last) // 2:  # cut between words when that costs little
            last = last[:space]
        lines[-1] = last.rstrip(" ,;:.-–—") + "…"
        return lines

    def write(self, lines: list[str], x: float, y: float, w: float, line_h: float, *, align: Align = Align.L,
              link: str = "") -> float:
        """Prints ``lines`` from ``y`` down, returns the ``y`` below them."""
        for line in lines:
            self.pdf.set_xy(x, y)
            self.pdf.cell(w, line_h, line, align=align, link=link)
            y += line_h
        return y

    def text(self, text: str, x: float, y: float, w: float, *, size: float, line_h: float, max_lines: int,
             bold: bool = False, align: Align = Align.L, color: tuple[int, int, int] = (0, 0, 0)) -> float:
        """Cleans, fits and prints ``text``; returns the ``y`` below it."""
        self.font(size, bold=bold, color=color)
        return self.write(self.fit(self.clean(text), w, max_lines), x, y, w, line_h, align=align)

    def url(self, url: str, x: float, y: float, w: float, *, size: float, max_lines: int,
            align: Align = Align.L) -> float:
        """Prints ``url`` in full, broken anywhere, as a link; returns the ``y`` below it."""
        self.font(size, color=GREY)
        lines = self.fit(self.clean(url), w, max_lines, wrap=WrapMode.CHAR)
        return self.write(lines, x, y, w, size * 0.5, align=align, link=url)

    def image(self, png: bytes | None, x: float, y: float, side: float) -> None:
        if png:
            self.pdf.image(BytesIO(png), x=x, y=y, w=side, h=side, keep_aspect_ratio=True)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _label_width(doc: PageWriter, words: dict[str, str]) -> float:
    doc.font(10.5, bold=True)
    return max(doc.pdf.get_string_width(words[key]) for key in ("holder", "issuer", "issued", "until", "endorsed")) + 3


def _rows(doc: PageWriter, rows: list[tuple[str, str, int]], y: float, label_w: float) -> float:
    """Label and value rows (a value takes up to its number of lines); returns the ``y`` below them."""
    line_h = 6
    for label, value, max_lines in rows:
        doc.font(10.5)
        lines = doc.fit(doc.clean(value), WIDTH - label_w, max_lines) or [""]
        doc.font(10.5, bold=True)
        doc.write([label], MARGIN, y, label_w, line_h)
        doc.font(10.5)
        y = doc.write(lines, MARGIN + label_w, y, WIDTH - label_w, line_h)
    return y


def certificate_pdf(badge: CertificateBadge, lang: Lang, *, created: datetime) -> bytes:
    """One A4 page attesting ``badge``, in ``lang``, with a QR code to its verification page (``created``: the
    document's creation date, naive means UTC)."""
    words = WORDS[lang]
    doc = PageWriter(title=badge.name, author=badge.issuer, lang=lang, created=created)
    pdf = doc.pdf
    pdf.add_page()
    y = doc.text(words["title"], MARGIN, TOP, WIDTH, size=20, bold=True, line_h=10, max_lines=1, align=Align.C)
    if badge.status != "active":
        y += 3
        pdf.set_draw_color(*RED)
        pdf.set_fill_color(252, 235, 235)
        pdf.rect(MARGIN, y, WIDTH, 10, style="DF")
        doc.text(words[badge.status], MARGIN, y + 2, WIDTH, size=12, bold=True, line_h=6, max_lines=1,
                 align=Align.C, color=RED)
        y += 10
    y += 5
    if badge.image_png:
        doc.image(badge.image_png, (PAGE_W - 34) / 2, y, 34)
        y += 34 + 4
    y = doc.text(badge.name, MARGIN, y, WIDTH, size=17, bold=True, line_h=8, max_lines=2, align=Align.C)
    if badge.level:
        y = doc.text(f"{words['level']} {badge.level}", MARGIN, y + 1, WIDTH, size=12, line_h=6, max_lines=1,
                     align=Align.C)
    rows = [(words["holder"], words["hidden"] if badge.holder_name is None else badge.holder_name, 2),
            (words["issuer"], badge.issuer, 2), (words["issued"], _day(badge.issued_on, lang), 1)]
    if badge.valid_until:
        rows.append((words["until"], _day(badge.valid_until, lang), 1))
    label_w = _label_width(doc, words)
    y = _rows(doc, rows, y + 6, label_w)

    side = 40.0  # the code itself, quiet zone aside: scans from paper at arm's length
    quiet = QUIET_SHARE * side
    doc.font(8)
    url_lines = doc.fit(doc.clean(badge.verify_url), WIDTH, 3, wrap=WrapMode.CHAR)
    qr_y = PAGE_H - BOTTOM - (side + quiet + 5 + 4 * len(url_lines))
    endorsed = ", ".join(name for name in map(doc.clean, badge.endorsed_by) if name)
    doc.font(10.5)
    endorsed_h = 6 * len(doc.fit(endorsed, WIDTH - label_w, 3)) + 3 if endorsed else 0
    texts = [(words["description"], doc.clean(badge.description or "", paragraphs=True)),
             (words["criteria"], doc.clean(badge.criteria or "", paragraphs=True))]
    texts = [(heading, text) for heading, text in texts if text]
    room = qr_y - quiet - 2 - endorsed_h - y - 11 * len(texts)  # 11: a heading and the space above it
    doc.font(10)
    fitted = [doc.fit(text, WIDTH, int(room // 5)) for _, text in texts]
    for (heading, text), lines, given in zip(texts, fitted, _share([len(f) for f in fitted], int(room // 5)),
                                             strict=True):
        if given:
            y = doc.text(heading, MARGIN, y + 4, WIDTH, size=11, bold=True, line_h=7, max_lines=1)
            doc.font(10)
            y = doc.write(lines if given == len(lines) else doc.fit(text, WIDTH, given), MARGIN, y, WIDTH, 5)
    if endorsed:
        _rows(doc, [(words["endorsed"], endorsed, 3)], y + 3, label_w)

    draw_qr(pdf, badge.verify_url, (PAGE_W - side) / 2, qr_y, side)
    y = doc.text(words["scan"], MARGIN, qr_y + side + quiet, WIDTH, size=10, line_h=5, max_lines=1, align=Align.C)
    doc.url(badge.verify_url, MARGIN, y, WIDTH, size=8, max_lines=3, align=Align.C)
    return doc.output()


def cv_pdf(holder_name: str | None, badges: Sequence[CertificateBadge], lang: Lang, *, created: datetime) -> bytes:
    """The holder's badges, one block each (image, name, level, issuer, date, description, a small QR code to its
    verification page), over as many A4 pages as they take; at least one badge."""
    if not badges:
        raise ValueError("a list of badges needs at least one badge")
    words = WORDS[lang]
    title = f"{words['cv']} – {holder_name}" if holder_name else words["cv"]
    doc = PageWriter(title=title, author=holder_name, lang=lang, created=created)
    doc.pdf.add_page()
    y = doc.text(words["cv"], MARGIN, TOP, WIDTH, size=20, bold=True, line_h=10, max_lines=1)
    if holder_name:
        y = doc.text(holder_name, MARGIN, y + 1, WIDTH, size=14, line_h=7, max_lines=2)
    y += 6
    for n, badge in enumerate(badges):
        height = _cv_block(doc, badge, lang, y, draw=False)
        if y + height > PAGE_H - BOTTOM:
            doc.pdf.add_page()
            y = TOP
        elif n:
            doc.pdf.set_draw_color(200, 200, 200)
            doc.pdf.line(MARGIN, y - 3, PAGE_W - MARGIN, y - 3)
        y += _cv_block(doc, badge, lang, y, draw=True) + 6
    return doc.output()


def _cv_block(doc: PageWriter, badge: CertificateBadge, lang: Lang, y: float, *, draw: bool) -> float:
    """One badge of the list at ``y`` (printed only when ``draw``); returns its height."""
    words = WORDS[lang]
    image, side = 22.0, 24.0
    quiet = QUIET_SHARE * side
    x = MARGIN + image + 5
    w = WIDTH - image - 5 - side - 2 * quiet
    black = (0, 0, 0)
    parts: list[tuple[str, float, bool, tuple[int, int, int], int]] = [(badge.name, 12, True, black, 2)]
    if badge.status != "active":
        parts.append((words[badge.status], 9.5, True, RED, 1))
    if badge.level:
        parts.append((f"{words['level']} {badge.level}", 9.5, False, black, 1))
    issued = words["issued_by"].format(issuer=badge.issuer, day=_day(badge.issued_on, lang))
    parts += [(issued, 9.5, False, black, 2), (badge.description or "", 9, False, GREY, 3),
              (words["check"], 8, False, GREY, 1), (badge.verify_url, 7, False, GREY, 2)]
    bottom = y
    for n, (text, size, bold, color, max_lines) in enumerate(parts, 1):
        is_url = n == len(parts)  # printed in full, broken anywhere, and a link
        doc.font(size, bold=bold, color=color)
        lines = doc.fit(doc.clean(text), w, max_lines, wrap=WrapMode.CHAR if is_url else WrapMode.WORD)
        if draw:
            doc.write(lines, x, bottom, w, size * 0.5, link=text if is_url else "")
        bottom += size * 0.5 * len(lines)
    if draw:
        doc.image(badge.image_png, MARGIN, y, image)
        draw_qr(doc.pdf, badge.verify_url, PAGE_W - MARGIN - side, y + quiet, side)
    return max(bottom - y, image, side + 2 * quiet)
