"""Texts are taken when declared as text (``text/plain`` or ``.txt``), in UTF-8, without control characters other
than tab and line breaks, and stored in NFC with ``\\n`` line breaks."""

from __future__ import annotations

from typing import Any

import pytest

from app.uploads import UploadLimits, UploadRejected, clean_upload


def text(data: bytes, **kwargs: Any) -> bytes:
    stored = clean_upload(data, filename=kwargs.pop("filename", None),
                          declared_type=kwargs.pop("declared_type", "text/plain; charset=utf-8"), **kwargs)
    assert (stored.kind, stored.media_type, stored.extension) == ("text", "text/plain; charset=utf-8", "txt")
    return stored.data


def reason(data: bytes, **kwargs: Any) -> str:
    with pytest.raises(UploadRejected) as caught:
        text(data, **kwargs)
    return str(caught.value.extra["reason"])


def test_a_utf8_text_is_stored_with_unix_line_breaks() -> None:
    sent = "J’ai animé l’atelier « radio ».\r\nMerci à\ttous.\rFin".encode()
    assert text(sent) == "J’ai animé l’atelier « radio ».\nMerci à\ttous.\nFin".encode()


def test_a_text_is_stored_in_nfc() -> None:
    assert text("Ele\u0301onore".encode()) == "El\u00e9onore".encode()


def test_a_leading_byte_order_mark_is_dropped() -> None:
    assert text(b"\xef\xbb\xbfBonjour") == b"Bonjour"


def test_a_txt_name_is_enough_to_declare_a_text() -> None:
    assert text(b"Bonjour", filename="temoignage.TXT", declared_type="application/octet-stream") == b"Bonjour"


def test_a_text_declared_as_nothing_is_refused() -> None:
    assert reason(b"Bonjour", declared_type=None) == "unsupported_type"


def test_a_latin1_text_is_refused_as_not_utf8() -> None:
    assert reason("Café".encode("latin-1")) == "text_not_utf8"


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x0c", "\x7f", "\x85"])
def test_control_characters_are_refused(character: str) -> None:
    assert reason(f"ligne 1\nligne{character}2".encode()) == "text_control_character"


def test_the_refusal_names_the_character_and_its_line() -> None:
    with pytest.raises(UploadRejected) as caught:
        text(b"un\ndeux\ntrois\x00")
    assert "U+0000" in caught.value.message_en and "Line 3" in caught.value.message_en
    assert "La ligne 3" in caught.value.message_fr


@pytest.mark.parametrize("blank", [b" \n\t \r\n", "\u00a0\u3000".encode()])
def test_a_text_of_spaces_only_is_refused_as_empty(blank: bytes) -> None:
    assert reason(blank) == "empty"


@pytest.mark.parametrize("markup", [b"<html><script>alert(1)</script>", b"\n  <svg onload='alert(1)'/>",
                                    b"<?xml version='1.0'?><a/>", b"<!-- -->"])
def test_a_text_that_is_markup_is_refused(markup: bytes) -> None:
    assert reason(markup) == "unsupported_type"


def test_a_text_may_start_with_a_heart() -> None:
    assert text(b"<3 merci pour tout") == b"<3 merci pour tout"


def test_the_default_text_limit_is_20_kib_inclusive() -> None:
    assert text(b"a" * (20 << 10)) == b"a" * (20 << 10)
    assert reason(b"a" * ((20 << 10) + 1)) == "too_large"


def test_a_text_that_nfc_makes_longer_than_the_limit_is_refused() -> None:
    sent = "\u0958".encode()  # DEVANAGARI QA: 3 bytes, 6 once NFC decomposes it (it is a composition exclusion)
    assert reason(sent, limits=UploadLimits(max_text_bytes=len(sent))) == "too_large"
