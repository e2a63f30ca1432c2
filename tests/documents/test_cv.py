"""The list of a holder's badges: one block per badge, each with its own QR code, over as many pages as needed."""

from __future__ import annotations

import pytest

from app.documents import CertificateBadge, cv_pdf

from .conftest import BADGE, CREATED, Reader, badge, flat, words_on_codes

SEVEN = [badge(name=f"Badge numéro {n}", verify_url=f"https://badges.example.org/credentials/{n}-{'ab' * n}")
         for n in range(7)]


@pytest.fixture(scope="module")
def seven() -> bytes:
    return cv_pdf("Marie Dupont", SEVEN, "fr", created=CREATED)


@pytest.fixture(scope="module")
def one() -> bytes:
    return cv_pdf("Marie Dupont", [BADGE], "fr", created=CREATED)


def urls(badges: list[CertificateBadge]) -> list[str]:
    return sorted(b.verify_url for b in badges)


def test_seven_badges_span_more_than_one_page(reader: Reader, seven: bytes) -> None:
    assert int(reader.info(seven)["Pages"]) > 1


def test_every_code_reads_its_own_badge_url(reader: Reader, seven: bytes) -> None:
    assert sorted(code.text for page in reader.codes(seven) for code in page) == urls(SEVEN)


def test_every_block_prints_its_own_url(reader: Reader, seven: bytes) -> None:
    text = reader.text(seven)
    assert [url for url in urls(SEVEN) if url not in text] == []


def test_zero_badges_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one badge"):
        cv_pdf("Marie Dupont", [], "fr", created=CREATED)


def test_the_title_names_the_holder(reader: Reader, one: bytes) -> None:
    assert flat(reader.text(one)).startswith("Mes badges Marie Dupont Cuisine du monde")
    assert reader.info(one)["Title"] == "Mes badges – Marie Dupont"


def test_without_a_name_the_title_is_my_badges(reader: Reader) -> None:
    pdf = cv_pdf(None, [BADGE], "en", created=CREATED)
    assert flat(reader.text(pdf)).startswith("My badges Cuisine du monde")
    assert reader.info(pdf)["Title"] == "My badges"


def test_a_block_gives_name_level_issuer_date_and_description(reader: Reader, one: bytes) -> None:
    text = flat(reader.text(one))
    for words in ("Cuisine du monde", "Niveau : J'agis", "Délivré par Centre social Les Tilleuls, le 3 décembre 2026",
                  "Préparer un repas avec des voisins de plusieurs pays."):
        assert words in text


def test_a_revoked_badge_says_so_in_its_own_block(reader: Reader) -> None:
    pdf = cv_pdf(None, [BADGE, badge(name="Jardinage", status="revoked")], "en", created=CREATED)
    text = flat(reader.text(pdf))
    assert text.count("This badge has been revoked.") == 1
    assert text.index("Jardinage") < text.index("This badge has been revoked.")


LONG = "Des mots et des mots, encore des mots. " * 150
UNBROKEN = "x" * 3000


@pytest.fixture(scope="module")
def long() -> bytes:
    words = badge(name=LONG, description=LONG, level=LONG, issuer=LONG, status="expired")
    unbroken = badge(name=UNBROKEN, description=UNBROKEN, level=UNBROKEN, issuer=UNBROKEN)
    return cv_pdf(LONG, [words, unbroken, words], "fr", created=CREATED)


def test_long_texts_are_cut_short(reader: Reader, long: bytes) -> None:
    text = flat(reader.text(long))
    assert "…" in text and text.count("Des mots") < 100


def test_long_texts_stay_off_the_codes_and_their_quiet_zones(reader: Reader, long: bytes) -> None:
    assert words_on_codes(reader, long) == []
