"""The module's contract: one refusal type (422, stable code and reasons, both languages), a stored file whose hash
and size cannot disagree with its bytes, limits that must make sense; and for any bytes at all, either a clean file
Pillow reads back or a refusal, never another exception (Hypothesis)."""

from __future__ import annotations

import hashlib
import io
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from app.errors import InvalidInput
from app.uploads import CleanFile, Reason, UploadLimits, UploadRejected, clean_upload

from .samples import PDF, encode, exif_with_gps, picture

NAMES = st.sampled_from([None, "", "photo.jpg", "IMG_0042.HEIC", "scan.png", "notes.txt", "attestation.pdf", "x"])
TYPES = st.sampled_from([None, "", "image/jpeg", "image/heic", "text/plain", "text/plain; charset=utf-8",
                         "application/pdf", "application/octet-stream", "image/svg+xml"])
SEEDS = [encode(picture(48, 32), "JPEG", exif=exif_with_gps(6).tobytes()), encode(picture(48, 32, "RGBA"), "PNG"),
         encode(picture(48, 32), "WEBP"), encode(picture(48, 32), "HEIF"), PDF, "Bonjour à tous\n".encode()]
#: the test catalogue's F2 asks for at least 2,000 examples; the damaged files are the ones that reach the decoders
FUZZ = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_DECODERS = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_a_refusal_is_a_422_invalid_input_in_both_languages() -> None:
    refusal = UploadRejected()
    assert isinstance(refusal, InvalidInput) and not refusal.is_ours
    assert (refusal.status, refusal.code) == (422, "invalid_upload")
    assert refusal.message_en and refusal.message_fr and refusal.message_en != refusal.message_fr


def test_a_refusal_from_clean_upload_has_two_messages_and_a_reason() -> None:
    with pytest.raises(UploadRejected) as caught:
        clean_upload(b"GIF89a\x01\x00\x01\x00", filename="photo.gif", declared_type="image/gif")
    refusal = caught.value
    assert refusal.extra == {"reason": "unsupported_type"}
    assert "GIF" in refusal.message_en and "GIF" in refusal.message_fr and refusal.message_en != refusal.message_fr


def test_a_clean_file_computes_its_hash_and_size_from_its_bytes() -> None:
    stored = CleanFile(data=b"abc", media_type="text/plain; charset=utf-8", extension="txt", kind="text")
    assert (stored.sha256, stored.size) == (hashlib.sha256(b"abc").hexdigest(), 3)
    with pytest.raises(TypeError):
        CleanFile(data=b"abc", media_type="application/pdf", extension="pdf", kind="pdf",
                  sha256="0" * 64)


def test_a_clean_file_does_not_print_its_bytes() -> None:
    stored = CleanFile(data=b"Sylvie Martin", media_type="text/plain; charset=utf-8", extension="txt", kind="text")
    assert "Sylvie" not in repr(stored)


@pytest.mark.parametrize("field", ["max_image_bytes", "max_pdf_bytes", "max_text_bytes", "max_pixels", "max_side"])
def test_limits_must_be_positive(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        UploadLimits(**{field: 0})


def check(data: bytes, filename: str | None, declared_type: str | None) -> None:
    """Either a clean file (an image Pillow decodes again, of the stated size and type) or a known refusal."""
    try:
        stored = clean_upload(data, filename=filename, declared_type=declared_type)
    except UploadRejected as refusal:
        assert refusal.extra["reason"] in get_args(Reason)
        return
    assert stored.sha256 == hashlib.sha256(stored.data).hexdigest()
    if stored.kind == "image":
        with Image.open(io.BytesIO(stored.data)) as image:
            image.load()
            assert image.format == {"image/jpeg": "JPEG", "image/png": "PNG"}[stored.media_type]
            assert image.size == (stored.width, stored.height)
            assert "exif" not in image.info


@FUZZ
@given(data=st.binary(max_size=4096), filename=NAMES, declared_type=TYPES)
def test_any_bytes_give_a_clean_file_or_a_refusal(data: bytes, filename: str | None,
                                                   declared_type: str | None) -> None:
    check(data, filename, declared_type)


@st.composite
def damaged(draw: Any) -> bytes:
    """One of our valid files with a few bytes changed, some bytes inserted and perhaps its end cut off."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for position, value in draw(st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=6)):
        data[position % len(data)] = value
    inserted = draw(st.binary(max_size=16))
    at = draw(st.integers(0, len(data)))
    data[at:at] = inserted
    cut = draw(st.one_of(st.none(), st.integers(0, len(data))))
    return bytes(data if cut is None else data[:cut])


@FUZZ_DECODERS
@given(data=damaged(), filename=NAMES, declared_type=TYPES)
def test_damaged_photos_pdfs_and_texts_give_a_clean_file_or_a_refusal(data: bytes, filename: str | None,
                                                                       declared_type: str | None) -> None:
    check(data, filename, declared_type)
