"""A badge's own address (``/achievements/{id}``) for a browser: the badge (name, image, description, criteria,
levels), its organisation, and who endorses each of them (name, words, day; oldest first); a revoked endorsement is
gone. Verifiers and ``*/*`` still get the OB 3.0 Achievement (JSON-LD)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.clock import FixedClock
from tests.endorsement_pages.conftest import (
    BROWSER,
    FATOU,
    FATOU_SAYS,
    MAIRIE_SAYS,
    ask_fatou,
    endorse,
    press,
    text_of,
    title,
)
from tests.endorsements.conftest import accept_as, ask
from tests.recognition_pages.conftest import read
from tests.signin.conftest import sign_in


def _fatou_endorses(client: TestClient, app: Any, key: dict[str, str], about: dict[str, Any],
                    words: str = FATOU_SAYS) -> str:
    """Fatou endorses ``about`` on her page: the page's path."""
    _, path = ask_fatou(client, key, about)
    sign_in(client, app, FATOU)
    assert endorse(client, path, words).status_code == 303
    return path


def _mairie_endorses(client: TestClient, key: dict[str, str], mairie: dict[str, str], about: dict[str, Any]) -> None:
    asked = ask(client, key, about, {"organisation": "mairie"})
    assert accept_as(client, mairie, asked["id"], MAIRIE_SAYS).status_code == 200


@pytest.mark.parametrize("accept", [None, "*/*", "application/ld+json", "application/json",
                                    "application/ld+json, text/html;q=0.5", "image/png"])
def test_json_ld_stays_the_default(client: TestClient, badge: str, accept: str | None) -> None:
    found = client.get(f"/achievements/{badge}", headers={"Accept": accept} if accept else {})
    assert found.status_code == 200 and found.headers["content-type"] == "application/ld+json"
    assert found.json()["type"] == ["Achievement"] and "Accept" in found.headers["Vary"]


def test_format_json_overrides_a_browser_s_accept(client: TestClient, badge: str) -> None:
    found = client.get(f"/achievements/{badge}", params={"format": "json"}, headers=BROWSER)
    assert found.headers["content-type"] == "application/ld+json" and found.json()["name"] == "Couture"


def test_a_browser_gets_the_badge_s_page(client: TestClient, badge: str) -> None:
    page = client.get(f"/achievements/{badge}", headers=BROWSER)
    said = text_of(page)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert title(page) == "Couture — savoirs" and "Accept" in page.headers["Vary"]
    for shown in ("Un badge de Centre social du Puchot.", "Décerné par", "Coudre ensemble, à l'atelier du jeudi.",
                  "Pour l'obtenir", "Avoir cousu au moins trois fois avec le groupe.", "Ses niveaux",
                  "Je soutiens — J'aide les autres à l'atelier.", "J'explore", "J'agis"):
        assert shown in said, shown
    image = read(page).by_id("badge-titre")  # the badge's card
    assert image is not None and f'src="/achievements/{badge}/image.svg"' in page.text
    assert 'alt="Image du badge « Couture »"' in page.text
    assert f'href="/achievements/{badge}?format=json"' in page.text


def test_without_endorsements_nothing_is_said_about_them(client: TestClient, badge: str) -> None:
    page = client.get(f"/achievements/{badge}", headers=BROWSER)
    assert "Recommandé par" not in text_of(page)


def test_each_endorsement_of_the_badge_is_listed_oldest_first(client: TestClient, app: Any, clock: FixedClock,
                                                              key: dict[str, str], mairie: dict[str, str],
                                                              badge: str) -> None:
    _mairie_endorses(client, key, mairie, {"kind": "achievement", "id": badge})
    clock.at += timedelta(days=2)
    _fatou_endorses(client, app, key, {"kind": "achievement", "id": badge})
    page = client.get(f"/achievements/{badge}", headers=BROWSER)
    [listed] = [a for t, a in read(page).elements if t == "ul" and a.get("id") == "recommandations"]
    said = text_of(page)
    assert "Recommandé par" in said and listed is not None
    mairie_at, fatou_at = said.index("Mairie de Rouen, le 3 décembre 2026"), said.index("Fatou Diallo, le 5 déc")
    assert mairie_at < said.index(MAIRIE_SAYS) < fatou_at < said.index(FATOU_SAYS)
    assert "recommandations-organisation" not in page.text


def test_the_organisation_s_endorsements_are_under_its_name(client: TestClient, key: dict[str, str],
                                                            mairie: dict[str, str], badge: str) -> None:
    _mairie_endorses(client, key, mairie, {"kind": "organisation"})
    page = client.get(f"/achievements/{badge}", headers=BROWSER)
    html = page.text
    assert 'id="recommandations"' not in html  # the badge itself is not endorsed
    organisation = html.index('<h2 id="organisation-titre">Centre social du Puchot</h2>')
    assert organisation < html.index('id="recommandations-organisation"') < html.index("Mairie de Rouen")
    assert MAIRIE_SAYS in text_of(page)


def test_a_revoked_endorsement_is_no_longer_listed(client: TestClient, app: Any, key: dict[str, str],
                                                   badge: str) -> None:
    path = _fatou_endorses(client, app, key, {"kind": "achievement", "id": badge})
    assert FATOU_SAYS in text_of(client.get(f"/achievements/{badge}", headers=BROWSER))
    assert press(client, f"{path}/retirer").status_code == 303
    page = client.get(f"/achievements/{badge}", headers=BROWSER)
    assert FATOU_SAYS not in text_of(page) and "Recommandé par" not in text_of(page)


def test_a_missing_or_draft_badge_is_a_404_page(client: TestClient, key: dict[str, str]) -> None:
    draft = client.post("/api/v1/achievements", headers=key, json={"name": "Brouillon", "description": "Pas prêt.",
                                                                   "criteria": {"narrative": "Rien encore."}})
    for achievement_id in ("inconnu", draft.json()["id"]):
        page = client.get(f"/achievements/{achievement_id}", headers=BROWSER)
        assert page.status_code == 404 and title(page) == "Page introuvable — savoirs"
        assert "Brouillon" not in page.text


def test_the_page_in_english_marks_the_french_texts(client: TestClient, key: dict[str, str],
                                                    mairie: dict[str, str], badge: str) -> None:
    _mairie_endorses(client, key, mairie, {"kind": "achievement", "id": badge})
    page = client.get(f"/achievements/{badge}", params={"lang": "en"}, headers=BROWSER)
    said = text_of(page)
    assert '<html lang="en">' in page.text and "A badge from Centre social du Puchot." in said
    assert "Endorsed by" in said and "Mairie de Rouen, on 3 December 2026" in said
    french = {t for t, a in read(page).elements if a.get("lang") == "fr"}
    assert {"h1", "dd", "ol", "blockquote"} <= french  # its name, description, levels, and the town hall's words
