"""Reading back the PDFs :mod:`app.documents` writes, with poppler-utils (text, pages as images) and zxing-cpp (the
QR codes on them). Without poppler the tests that need it are skipped, except with ``CI=true``: then they fail."""

from __future__ import annotations

import io
import itertools
import os
import re
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import segno
import zxingcpp
from PIL import Image

from app.documents import CertificateBadge

POPPLER = Path("/usr/bin")
CREATED = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
URL = "https://badges.example.org/credentials/5f0c2a9e-1d2b-4c3d-9e8f-0a1b2c3d4e5f"


def png(width: int = 120, height: int = 120) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (30, 120, 200, 255)).save(out, "PNG")
    return out.getvalue()


BADGE = CertificateBadge(
    name="Cuisine du monde", description="Préparer un repas avec des voisins de plusieurs pays.",
    criteria="Avoir cuisiné trois plats lors des ateliers du mercredi.", level="J'agis",
    issuer="Centre social Les Tilleuls", holder_name="Marie Dupont", issued_on=date(2026, 12, 3),
    valid_until=date(2028, 6, 1), endorsed_by=("Mairie de Rouen", "Fédération des centres sociaux"),
    image_png=png(), verify_url=URL)


def badge(**changes: Any) -> CertificateBadge:
    """The test badge with ``changes``."""
    return replace(BADGE, **changes)


def flat(text: str) -> str:
    """Text with every run of spaces and new lines made one space, as a reader sees it."""
    return " ".join(text.split())


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


class Reader:
    """Writes a PDF in a temporary folder and reads it back."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.numbers = itertools.count(1)

    def _file(self, pdf: bytes) -> Path:
        path = self.folder / f"doc{next(self.numbers)}.pdf"
        path.write_bytes(pdf)
        return path

    def text(self, pdf: bytes) -> str:
        """The text, laid out as on the page."""
        done = subprocess.run([POPPLER / "pdftotext", "-layout", self._file(pdf), "-"], check=True,
                              capture_output=True, timeout=30)
        return done.stdout.decode()

    def words(self, pdf: bytes) -> tuple[tuple[float, float], list[tuple[float, float, float, float, str]]]:
        """The first page's size and its words' boxes (left, top, right, bottom, in points from the top left)."""
        done = subprocess.run([POPPLER / "pdftotext", "-bbox", "-l", "1", self._file(pdf), "-"], check=True,
                              capture_output=True, timeout=30)
        html = done.stdout.decode()
        size = PAGE.search(html)
        assert size is not None
        boxes = [(float(a), float(b), float(c), float(d), word) for a, b, c, d, word in WORD.findall(html)]
        return (float(size[1]), float(size[2])), boxes

    def info(self, pdf: bytes) -> dict[str, str]:
        """What ``pdfinfo`` says of the document (dates in ISO 8601)."""
        done = subprocess.run([POPPLER / "pdfinfo", "-isodates", self._file(pdf)], check=True, capture_output=True,
                              timeout=30)
        pairs = (line.split(":", 1) for line in done.stdout.decode().splitlines() if ":" in line)
        return {key.strip(): value.strip() for key, value in pairs}

    def codes(self, pdf: bytes, dpi: int = 100) -> list[list[zxingcpp.Barcode]]:
        """The QR codes found on each page, rendered at ``dpi``."""
        path = self._file(pdf)
        subprocess.run([POPPLER / "pdftoppm", "-r", str(dpi), "-png", path, path.with_suffix("")], check=True,
                       timeout=60)
        pages = []
        for image_path in sorted(self.folder.glob(f"{path.stem}-*.png")):
            with Image.open(image_path) as image:
                image.load()
                pages.append(zxingcpp.read_barcodes(image))
        return pages


@pytest.fixture(scope="session")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    if not (POPPLER / "pdftoppm").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("poppler-utils (pdftoppm, pdftotext, pdfinfo) is needed to read the PDFs back")
        pytest.skip("poppler-utils is not installed")
    return Reader(tmp_path_factory.mktemp("pdfs"))


def words_on_codes(reader: Reader, pdf: bytes, dpi: int = 100) -> list[str]:
    """The first page's words that fall on one of its QR codes or their quiet zones (four modules wide)."""
    (_, _), words = reader.words(pdf)
    found = []
    codes = reader.codes(pdf, dpi=dpi)[0]
    assert codes, "no QR code on the first page"
    for code in codes:
        points = 72 / dpi
        left, top = code.position.top_left.x * points, code.position.top_left.y * points
        side = (code.position.top_right.x - code.position.top_left.x) * points
        quiet = 4 * side / segno.make(code.text, error="m", boost_error=False).symbol_size(border=0)[0]
        found += [word for x0, y0, x1, y1, word in words
                  if x1 > left - quiet and x0 < left + side + quiet and y1 > top - quiet and y0 < top + side + quiet]
    return found
