"""The public page says exactly what the badge publishes (issue 12): a name given at award time is shown as public,
the email never is; a collective badge names its group; evidence and the reason of a withdrawal are shown; sharing
is offered for valid badges only; OB 2.0 addresses opened in a browser show the page, JSON to software."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.live_server import LiveService
from tests.pages.test_pages import BROWSER_ACCEPT, Page, _page

HTML = {"Accept": BROWSER_ACCEPT}


def _opened(live: LiveService, url: str, **params: str) -> tuple[Page, str]:
    response = live.http.get(urlsplit(url).path, params=params, headers=HTML)
    return _page(response), html.unescape(response.text)


def _links(page: Page, text: str) -> list[str]:
    return [href for href, label in page.links if text in label]


def test_a_badge_without_a_name_says_the_person_is_protected(live: LiveService, award: dict[str, Any]) -> None:
    _, text = _opened(live, award["links"]["credential"])
    assert "Personne protégée : ni son nom ni son adresse ne sont publiés" in text
    assert "sylvie" not in text.lower()


def test_a_name_kept_for_the_organisation_is_not_in_the_badge_nor_on_its_page(
        live: LiveService, make_award: Callable[..., dict[str, Any]]) -> None:
    award = make_award(recipient={"email": "nathan@example.fr", "display_name": "Nathan Dupont"})
    assert award["display_name"] == "Nathan Dupont"  # the organisation's own record
    _, text = _opened(live, award["links"]["credential"])
    assert "Nathan" not in text and "Personne protégée : ni son nom ni son adresse" in text


def test_a_name_published_at_award_time_is_shown_as_public_and_the_email_as_hidden(
        live: LiveService, make_award: Callable[..., dict[str, Any]]) -> None:
    award = make_award(recipient={"email": "nathan@example.fr", "display_name": "Nathan Dupont",
                                  "publish_name": True})
    _, text = _opened(live, award["links"]["credential"])
    assert "Nom publié dans le badge (visible par tous) : Nathan Dupont." in text
    assert "Son adresse e-mail (ou son numéro) n'est pas publiée" in text
    assert "ni son nom ni son adresse" not in text and "nathan@example.fr" not in text


def test_evidence_is_shown_with_a_safe_link(live: LiveService, make_award: Callable[..., dict[str, Any]]) -> None:
    award = make_award(evidence=[{"name": "Photo de l'atelier", "url": "https://centre.example/photo.jpg",
                                  "narrative": "Sylvie a animé la séance."}])
    page, text = _opened(live, award["links"]["credential"])
    assert "<h2 id=\"evidence-title\">Preuves</h2>" in text
    assert "Photo de l'atelier" in text and "Sylvie a animé la séance." in text
    assert page.link("Voir la preuve") == "https://centre.example/photo.jpg"


def test_a_collective_badge_names_its_group_on_every_page(live: LiveService, auth: dict[str, str],
                                                          achievement: dict[str, Any]) -> None:
    group = live.http.post("/api/v1/groups", json={"name": "Atelier radio des Sapins", "members": [
        {"email": "a@example.fr", "display_name": "Awa", "public": True}]}, headers=auth)
    assert group.status_code == 201, group.text
    award = live.http.post(f"/api/v1/achievements/{achievement['id']}/awards",
                           json={"group_id": group.json()["id"]}, headers=auth).json()
    _, group_page = _opened(live, award["links"]["credential"])
    assert "Nom publié dans le badge (visible par tous) : Atelier radio des Sapins." in group_page
    (member,) = award["members"]
    _, member_page = _opened(live, member["links"]["credential"])
    assert "Badge collectif : Atelier radio des Sapins" in member_page


@pytest.mark.parametrize("action", ["revoke", "suspend"])
def test_a_badge_that_is_not_valid_is_not_offered_for_sharing(live: LiveService, auth: dict[str, str],
                                                              make_award: Callable[..., dict[str, Any]],
                                                              action: str) -> None:
    award = make_award()
    changed = live.http.post(f"/api/v1/awards/{award['id']}/{action}", json={"reason": "Attribué par erreur"},
                             headers=auth)
    assert changed.status_code == 200, changed.text
    page, text = _opened(live, award["links"]["credential"])
    assert _links(page, "LinkedIn") == [] and "il n'est pas proposé au partage" in text
    if action == "revoke":
        assert "Motif du retrait donné par l'organisme" in text and "Attribué par erreur" in text


def test_a_valid_badge_is_offered_for_sharing(live: LiveService, award: dict[str, Any]) -> None:
    page, text = _opened(live, award["links"]["credential"])
    assert (page.link("Partager sur LinkedIn") or "").startswith("https://www.linkedin.com/")
    assert "Motif du retrait" not in text


def test_an_ob2_assertion_opened_in_a_browser_is_the_badge_page(live: LiveService, award: dict[str, Any]) -> None:
    page, text = _opened(live, award["links"]["ob2_assertion"])
    assert page.headings[0] == (1, "Cuisine du monde") and "Ce badge est authentique et valide" in text
    software = live.http.get(urlsplit(award["links"]["ob2_assertion"]).path)
    assert software.headers["content-type"].startswith("application/ld+json")
    assert software.json()["type"] == "Assertion"


def test_an_ob2_badge_class_opened_in_a_browser_describes_the_badge(live: LiveService,
                                                                    award: dict[str, Any]) -> None:
    badge_url = live.http.get(urlsplit(award["links"]["ob2_assertion"]).path).json()["badge"]
    page, text = _opened(live, badge_url)
    assert page.headings[0] == (1, "Cuisine du monde") and "Décerné par" in text
    assert "Centre social du Puchot" in text
    assert page.link("Version pour les logiciels (JSON)") == f"{urlsplit(badge_url).path}?format=json"
    software = live.http.get(urlsplit(badge_url).path, params={"format": "json"}, headers=HTML)
    assert software.json()["type"] == "BadgeClass"
