"""PDFs are kept byte for byte once recognised: header at the first byte, end marker in the last KiB, size limited.
Anything else sent as a PDF is refused."""

from __future__ import annotations

import hashlib

import pytest

from app.uploads import UploadLimits, UploadRejected, clean_upload

from .samples import PDF


def reason(data: bytes, filename: str = "attestation.pdf", limits: UploadLimits | None = None) -> str:
    with pytest.raises(UploadRejected) as caught:
        clean_upload(data, filename=filename, declared_type="application/pdf", limits=limits or UploadLimits())
    return str(caught.value.extra["reason"])


def test_a_pdf_is_stored_as_sent_with_its_hash() -> None:
    stored = clean_upload(PDF, filename="attestation CAF.pdf", declared_type="application/pdf")
    assert stored.data == PDF and stored.sha256 == hashlib.sha256(PDF).hexdigest() and stored.size == len(PDF)
    assert (stored.kind, stored.media_type, stored.extension) == ("pdf", "application/pdf", "pdf")
    assert (stored.width, stored.height) == (None, None)


def test_a_pdf_is_recognised_whatever_its_name_and_declared_type() -> None:
    assert clean_upload(PDF, filename="photo.jpg", declared_type="image/jpeg").media_type == "application/pdf"


def test_a_pdf_2_0_with_bytes_after_its_end_marker_is_accepted() -> None:
    sent = PDF.replace(b"%PDF-1.7", b"%PDF-2.0") + b"\r\n" + b" " * 500
    assert clean_upload(sent, filename=None, declared_type=None).data == sent


def test_an_html_page_named_as_a_pdf_is_refused() -> None:
    assert reason(b"<!DOCTYPE html><html><script>alert(1)</script></html>") == "unsupported_type"


def test_other_bytes_named_as_a_pdf_are_refused_as_not_a_pdf() -> None:
    assert reason(b"Attestation de la CAF, version papier scannee") == "not_a_pdf"


def test_a_header_anywhere_but_at_the_first_byte_is_not_a_pdf() -> None:
    assert reason(b"\n" + PDF) == "not_a_pdf"


def test_a_pdf_header_without_a_version_is_not_a_pdf() -> None:
    assert reason(PDF.replace(b"%PDF-1.7", b"%PDF-<html>")) == "not_a_pdf"


def test_a_pdf_without_its_end_marker_is_refused_as_truncated() -> None:
    assert reason(PDF[: len(PDF) // 2]) == "truncated"


def test_an_end_marker_followed_by_more_than_a_kib_is_refused() -> None:
    assert reason(PDF + b"\x00" * 2048) == "truncated"


def test_a_pdf_over_the_default_10_mib_is_refused() -> None:
    big = PDF[:-7] + b"%" + b"x" * (10 << 20) + b"\n%%EOF\n"
    assert reason(big) == "too_large"


def test_the_pdf_size_limit_is_inclusive() -> None:
    assert clean_upload(PDF, filename=None, declared_type=None, limits=UploadLimits(max_pdf_bytes=len(PDF))).size \
        == len(PDF)
    assert reason(PDF, limits=UploadLimits(max_pdf_bytes=len(PDF) - 1)) == "too_large"
