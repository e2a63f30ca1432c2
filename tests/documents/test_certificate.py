"""The one-page badge certificate, read back as a person or a phone would: its text, its metadata, its QR code."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.documents import Lang, certificate_pdf

from .conftest import BADGE, CREATED, URL, Reader, badge, flat, words_on_codes

MM_PER_INCH = 25.4
LANGS: tuple[Lang, ...] = get_args(Lang)
BARE = badge(image_png=None, level=None, endorsed_by=(), valid_until=None, holder_name=None,
             issued_on=date(2026, 3, 1))
LONG = "Savoir-faire partagé entre voisines et voisins du quartier " * 90
UNBROKEN = "x" * 5000
ALL_LONG = badge(name=LONG + UNBROKEN, description=UNBROKEN + LONG, criteria=LONG, level=LONG, issuer=UNBROKEN,
                 holder_name=LONG, endorsed_by=tuple(f"Association {n} 🎉" for n in range(300)), status="suspended")


@pytest.fixture(scope="module")
def french() -> bytes:
    return certificate_pdf(BADGE, "fr", created=CREATED)


@pytest.fixture(scope="module")
def french_text(reader: Reader, french: bytes) -> str:
    return flat(reader.text(french))


@pytest.fixture(scope="module")
def english_text(reader: Reader) -> str:
    return flat(reader.text(certificate_pdf(BADGE, "en", created=CREATED)))


@pytest.fixture(scope="module")
def bare() -> dict[Lang, bytes]:
    """The badge without image, level, endorsers, end date or holder's name, issued on the first of a month."""
    return {lang: certificate_pdf(BARE, lang, created=CREATED) for lang in LANGS}


@pytest.fixture(scope="module")
def all_long() -> bytes:
    return certificate_pdf(ALL_LONG, "fr", created=CREATED)


def test_the_qr_code_decodes_to_the_verification_url(reader: Reader, french: bytes) -> None:
    assert [[code.text for code in page] for page in reader.codes(french)] == [[URL]]


def test_the_qr_code_uses_error_correction_m(reader: Reader, french: bytes) -> None:
    [[code]] = reader.codes(french)
    assert code.ec_level == "M"


def test_the_qr_code_is_at_least_35_mm_wide(reader: Reader, french: bytes) -> None:
    [[code]] = reader.codes(french, dpi=150)
    assert (code.position.top_right.x - code.position.top_left.x) / 150 * MM_PER_INCH >= 35


def test_french_words_and_dates(french_text: str) -> None:
    for words in ("Attestation de badge", "Cuisine du monde", "Décerné à : Marie Dupont",
                  "Délivré par : Centre social Les Tilleuls", "Date de délivrance : 3 décembre 2026",
                  "Valable jusqu'au : 1er juin 2028", "Description Préparer un repas avec des voisins",
                  "Ce qu'il a fallu faire pour l'obtenir Avoir cuisiné trois plats"):
        assert words in french_text


def test_english_words_and_dates(english_text: str) -> None:
    for words in ("Badge certificate", "Awarded to: Marie Dupont", "Issued by: Centre social Les Tilleuls",
                  "Date issued: 3 December 2026", "Valid until: 1 June 2028", "What it took to earn it",
                  "Scan this code to check this badge."):
        assert words in english_text


def test_the_level_and_the_endorsers_are_printed(french_text: str, english_text: str) -> None:
    assert "Niveau : J'agis" in french_text and "Level: J'agis" in english_text
    assert "Recommandé par : Mairie de Rouen, Fédération des centres sociaux" in french_text
    assert "Endorsed by: Mairie de Rouen, Fédération des centres sociaux" in english_text


def test_the_url_is_printed_in_full_under_the_sentence(french_text: str) -> None:
    assert f"Scannez ce code pour vérifier ce badge. {URL}" in french_text


def test_an_active_badge_carries_no_status_sentence(french_text: str) -> None:
    assert "retiré" not in french_text and "suspendu" not in french_text and "expiré" not in french_text


def test_the_metadata_names_the_badge_its_issuer_and_the_date(reader: Reader, french: bytes) -> None:
    info = reader.info(french)
    assert (info["Title"], info["Author"], info["CreationDate"], info["Pages"]) == (
        "Cuisine du monde", "Centre social Les Tilleuls", "2026-12-03T10:00:00Z", "1")


@pytest.mark.parametrize("lang", LANGS)
def test_the_metadata_gives_the_language(bare: dict[Lang, bytes], lang: Lang) -> None:
    assert f"/Lang ({lang})".encode() in bare[lang]


def test_a_naive_creation_date_is_taken_as_utc(reader: Reader) -> None:
    info = reader.info(certificate_pdf(BADGE, "en", created=datetime(2026, 12, 3, 10, 0)))
    assert info["CreationDate"] == "2026-12-03T10:00:00Z"


def test_equal_inputs_give_equal_bytes(french: bytes) -> None:
    assert certificate_pdf(BADGE, "fr", created=CREATED) == french


@pytest.mark.parametrize(("lang", "sentence"), [("fr", "Le titulaire a choisi de ne pas afficher son nom."),
                                                 ("en", "The holder chose not to show their name.")])
def test_a_hidden_holder_is_said_in_plain_words(reader: Reader, bare: dict[Lang, bytes], lang: Lang,
                                                sentence: str) -> None:
    text = flat(reader.text(bare[lang]))
    assert sentence in text and "Marie Dupont" not in text


def test_without_level_endorsers_or_end_date_their_lines_are_left_out(reader: Reader,
                                                                      bare: dict[Lang, bytes]) -> None:
    text = reader.text(bare["fr"])
    assert "Niveau" not in text and "Recommandé par" not in text and "Valable jusqu" not in text


def test_a_badge_without_image_keeps_its_code(reader: Reader, bare: dict[Lang, bytes]) -> None:
    assert [[code.text for code in page] for page in reader.codes(bare["fr"])] == [[URL]]


@pytest.mark.parametrize(("lang", "day"), [("fr", "1er mars 2026"), ("en", "1 March 2026")])
def test_the_first_of_the_month_is_1er_in_french_only(reader: Reader, bare: dict[Lang, bytes], lang: Lang,
                                                       day: str) -> None:
    assert day in flat(reader.text(bare[lang]))


@pytest.mark.parametrize(("status", "lang", "sentence"), [
    ("revoked", "fr", "Ce badge a été retiré."), ("suspended", "fr", "Ce badge est suspendu."),
    ("expired", "fr", "Ce badge a expiré."), ("revoked", "en", "This badge has been revoked."),
    ("suspended", "en", "This badge is suspended."), ("expired", "en", "This badge has expired.")])
def test_a_badge_no_longer_active_says_so_above_its_name(reader: Reader, status: str, lang: Lang,
                                                         sentence: str) -> None:
    text = flat(reader.text(certificate_pdf(badge(status=status), lang, created=CREATED)))
    assert sentence in text
    assert text.index(sentence) < text.index("Cuisine du monde")


def test_emoji_are_dropped_and_other_characters_kept(reader: Reader, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    pdf = certificate_pdf(badge(name="Cuisine 🍲 du monde — cœur", holder_name="Zoë L’Œillet 👩🏽‍🍳",
                                description="Bravo 🎉 ! Œufs 🥚, « crêpes » et ½ litre de lait\u200b."), "fr",
                          created=CREATED)
    text = flat(reader.text(pdf))
    assert "Cuisine du monde — cœur" in text and "Zoë L’Œillet" in text
    assert "Bravo ! Œufs, « crêpes » et ½ litre de lait." in text
    assert not any(ord(char) > 0xFFFF for char in text)
    assert [record.getMessage() for record in caplog.records if record.name.startswith("fpdf")] == []


def test_a_5000_character_criteria_is_cut_with_an_ellipsis(reader: Reader) -> None:
    criteria = ("Avoir cuisiné trois plats avec l’atelier 🍲, puis les avoir partagés. " * 80)[:5000]
    pdf = certificate_pdf(badge(criteria=criteria, name="Cuisine 🎉"), "fr", created=CREATED)
    text = flat(reader.text(pdf))
    assert reader.info(pdf)["Pages"] == "1"
    assert re.search(r"\w… Recommandé par : Mairie de Rouen", text)
    assert text.count("Avoir cuisiné") < 40


def test_long_texts_leave_the_code_readable(reader: Reader, all_long: bytes) -> None:
    assert [[code.text for code in page] for page in reader.codes(all_long)] == [[URL]]


def test_long_texts_stay_on_the_page(reader: Reader, all_long: bytes) -> None:
    (width, height), words = reader.words(all_long)
    assert all(min(x0, y0) >= 0 and x1 <= width and y1 <= height for x0, y0, x1, y1, _ in words)


def test_long_texts_stay_off_the_code_and_its_quiet_zone(reader: Reader, all_long: bytes) -> None:
    assert words_on_codes(reader, all_long) == []


def test_long_texts_are_cut_with_an_ellipsis(reader: Reader, all_long: bytes) -> None:
    text = flat(reader.text(all_long))
    assert text.count("…") >= 6 and "Ce badge est suspendu." in text and len(text) < 6000


@settings(max_examples=10, deadline=None)
@given(st.text(), st.text(), st.lists(st.text(max_size=30), max_size=4))
def test_any_unicode_renders(name: str, description: str, endorsers: list[str]) -> None:
    pdf = certificate_pdf(badge(name=name, description=description, holder_name=name, issuer=description,
                                endorsed_by=tuple(endorsers), criteria="\ud800 \x00 \t\r\n" + description),
                          "fr", created=CREATED)
    assert pdf.startswith(b"%PDF-")
