"""The list of a holder's badges: one block per badge, each with its own QR code, over as many pages as needed."""

from __future__ import annotations

import pytest

from app.documents import cv_pdf

from .conftest import BADGE, CREATED, Reader, badge, flat


def seven() -> list[object]:
    return [badge(name=f"Badge numéro {n}", verify_url=f"https://badges.example.org/credentials/{n}-{'ab' * n}")
            for n in range(7)]


def test_seven_badges_span_more_than_one_page_and_every_code_reads_its_own_url(reader: Reader) -> None:
    badges = seven()
    pages = reader.codes(cv_pdf("Marie Dupont", badges, "fr", created=CREATED))  # type: ignore[arg-type]
    assert len(pages) > 1
    assert sorted(code.text for page in pages for code in page) == sorted(b.verify_url for b in badges)  # type: ignore[attr-defined]


def test_each_block_prints_its_own_url(reader: Reader) -> None:
    badges = seven()
    text = reader.text(cv_pdf("Marie Dupont", badges, "en", created=CREATED))  # type: ignore[arg-type]
    assert all(b.verify_url in text for b in badges)  # type: ignore[attr-defined]


def test_zero_badges_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one badge"):
        cv_pdf("Marie Dupont", [], "fr", created=CREATED)


def test_the_title_names_the_holder(reader: Reader) -> None:
    pdf = cv_pdf("Marie Dupont", [BADGE], "fr", created=CREATED)
    assert flat(reader.text(pdf)).startswith("Mes badges Marie Dupont")
    assert reader.info(pdf)["Title"] == "Mes badges – Marie Dupont"


def test_without_a_name_the_title_is_my_badges(reader: Reader) -> None:
    pdf = cv_pdf(None, [BADGE], "en", created=CREATED)
    assert flat(reader.text(pdf)).startswith("My badges Cuisine du monde")
    assert reader.info(pdf)["Title"] == "My badges"


def test_a_block_gives_name_level_issuer_date_and_description(reader: Reader) -> None:
    text = flat(reader.text(cv_pdf("Marie Dupont", [BADGE], "fr", created=CREATED)))
    for words in ("Cuisine du monde", "Niveau : J'agis", "Délivré par Centre social Les Tilleuls, le 3 décembre 2026",
                  "Préparer un repas avec des voisins"):
        assert words in text


def test_a_revoked_badge_says_so_in_its_block(reader: Reader) -> None:
    text = flat(reader.text(cv_pdf(None, [BADGE, badge(status="revoked")], "en", created=CREATED)))
    assert text.count("This badge has been revoked.") == 1


def test_a_long_description_is_cut_short(reader: Reader) -> None:
    text = flat(reader.text(cv_pdf(None, [badge(description="Des mots et des mots. " * 300)], "fr",
                                   created=CREATED)))
    assert "…" in text and text.count("Des mots") < 30
