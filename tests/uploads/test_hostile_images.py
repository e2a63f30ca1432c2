"""Hostile or broken images are refused with their reason, before any costly work: bombs on their header, oversized
files on their length, other formats (GIF, TIFF, BMP, SVG, HTML…) on their content whatever their name says."""

from __future__ import annotations

import gc
import random
import resource
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from app.uploads import UploadLimits, UploadRejected, clean_upload

from .samples import encode, jpeg_declaring, picture, png_header_only


def refusal(data: bytes, *, filename: str | None = "photo.jpg", declared_type: str | None = "image/jpeg",
            limits: UploadLimits | None = None) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        if limits is None:
            clean_upload(data, filename=filename, declared_type=declared_type)
        else:
            clean_upload(data, filename=filename, declared_type=declared_type, limits=limits)
    return caught.value


def reason(data: bytes, **kwargs: Any) -> str:
    return str(refusal(data, **kwargs).extra["reason"])


@contextmanager
def bounded(megabytes: int = 50) -> Iterator[None]:
    """Fail unless the block grows neither the Python heap nor the peak RSS (which sees Pillow's C buffers) by
    ``megabytes``: decoding a bomb's pixels would show there."""
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    try:
        yield
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < megabytes << 20, f"Python heap peak {peak >> 20} MB"
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    assert growth < megabytes << 20, f"RSS grew by {growth >> 20} MB"


@pytest.mark.timeout(20)
def test_a_png_declaring_50000_by_50000_pixels_is_refused_from_its_header() -> None:
    with bounded():
        assert reason(png_header_only(50_000, 50_000)) == "too_many_pixels"  # decoding it would say "truncated"


@pytest.mark.timeout(20)
def test_a_jpeg_declaring_60000_by_60000_pixels_is_refused_from_its_header() -> None:
    with bounded():
        assert reason(jpeg_declaring(60_000, 60_000)) == "too_many_pixels"


def test_our_own_pixel_limit_refuses_what_pillow_would_still_decode() -> None:
    refused = refusal(png_header_only(8000, 8000))  # 64 MP: under Pillow's 89 MP warning, over our 52 MP
    assert refused.extra["reason"] == "too_many_pixels"
    assert "8000 × 8000" in refused.message_en and "8000 × 8000" in refused.message_fr


def test_the_pixel_limit_is_inclusive() -> None:
    sent = encode(picture(96, 64), "PNG")
    assert clean_upload(sent, filename=None, declared_type=None, limits=UploadLimits(max_pixels=96 * 64)).width == 96
    assert reason(sent, limits=UploadLimits(max_pixels=96 * 64 - 1)) == "too_many_pixels"


def test_the_header_of_a_50_megapixel_phone_photo_passes_the_pixel_limit() -> None:
    # 8160 x 6144 declared over a small picture's data: libjpeg fills what is missing (or the data is refused as
    # such), but the size itself is accepted
    try:
        stored = clean_upload(jpeg_declaring(8160, 6144), filename=None, declared_type=None)
    except UploadRejected as refused:
        assert refused.extra["reason"] != "too_many_pixels"
    else:
        assert (stored.width, stored.height) == (2048, 1542)


def test_an_oversized_file_is_refused_before_its_header_is_read() -> None:
    bomb = png_header_only(50_000, 50_000)
    assert reason(bomb, limits=UploadLimits(max_image_bytes=len(bomb) - 1)) == "too_large"


def test_an_image_over_the_default_20_mib_is_refused() -> None:
    refused = refusal(encode(picture(), "JPEG") + bytes(20 << 20))
    assert refused.extra["reason"] == "too_large" and "20 MiB" in refused.message_en and "20 Mio" in refused.message_fr


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "HEIF"])
def test_a_truncated_image_is_refused_as_truncated(fmt: str) -> None:
    sent = encode(picture(300, 200), fmt)
    assert reason(sent[: len(sent) * 3 // 4]) == "truncated"  # cut in the pixel data (a HEIF's comes last)


def test_random_bytes_are_refused_as_an_unsupported_type() -> None:
    noise = random.Random(14).randbytes(4096)
    assert reason(noise, filename=None, declared_type=None) == "unsupported_type"


def test_random_bytes_named_as_a_photo_are_refused_as_not_an_image() -> None:
    assert reason(random.Random(14).randbytes(4096)) == "not_an_image"


def test_random_bytes_after_a_jpeg_signature_are_refused() -> None:
    noise = b"\xff\xd8\xff\xe0" + random.Random(14).randbytes(4096)
    assert reason(noise) in {"not_an_image", "truncated", "damaged"}


@pytest.mark.parametrize("content", [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b"\xef\xbb\xbf  <!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
])
def test_an_svg_or_html_named_photo_png_is_refused(content: bytes) -> None:
    refused = refusal(content, filename="photo.png", declared_type="image/png")
    assert refused.extra["reason"] == "unsupported_type" and "SVG, HTML or XML" in refused.message_en


@pytest.mark.parametrize(("fmt", "name"), [("GIF", "GIF"), ("TIFF", "TIFF"), ("BMP", "BMP"), ("ICO", "ICO"),
                                            ("AVIF", "AVIF")])
def test_other_image_formats_are_refused_by_name(fmt: str, name: str) -> None:
    refused = refusal(encode(picture(), fmt), filename="photo.jpg", declared_type="image/jpeg")
    assert refused.extra["reason"] == "unsupported_type"
    assert refused.message_en.startswith(f"{name} files are not accepted")


def test_an_empty_file_is_refused() -> None:
    assert reason(b"") == "empty"
