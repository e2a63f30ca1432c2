"""The QR code PNG that web pages show."""

from __future__ import annotations

import io

import pytest
import segno
import zxingcpp
from PIL import Image

from app.documents import qr_png

from .conftest import URL


def read(png: bytes) -> list[zxingcpp.Barcode]:
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        return zxingcpp.read_barcodes(image)


def test_the_png_decodes_to_the_url() -> None:
    assert [code.text for code in read(qr_png(URL))] == [URL]


def test_the_png_uses_error_correction_m() -> None:
    [code] = read(qr_png(URL))
    assert code.ec_level == "M"


def test_scale_is_pixels_a_module_quiet_zone_included() -> None:
    modules = segno.make(URL, error="m", boost_error=False).symbol_size(border=4)[0]
    with Image.open(io.BytesIO(qr_png(URL, scale=3))) as image:
        assert image.size == (modules * 3, modules * 3)


def test_a_scale_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="scale"):
        qr_png(URL, scale=0)
