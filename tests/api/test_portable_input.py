"""Input every verifier would read as we do, or a 422 that says why (issue 11, the property test's three bugs):
URLs that browsers and JavaScript verifiers parse (WHATWG URL, no Unicode space), dates with a four-digit year once
in UTC, and no two texts that RDF canonicalisers sort differently (code point against UTF-16). Nothing is stored
when a request is refused."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.badges.ob3 import iso
from app.models import Achievement, Award, Organisation
from tests.conftest import BASE_URL, admin_headers, bearer

BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu un sac."}}
#: found by the property test: a host mixing left-to-right and right-to-left letters, a port beyond 65535, Unicode
#: spaces anywhere (Digital Bazaar and DCC refuse them: WHATWG URL parsing, jsonld.js safe mode)
REFUSED_URLS = ["HTTPS://6.\u01df\ufdbb.\u01a3\u508d.\u0440\u0444:7/%66/t", "https://x.example:99999/photo",
                "https://x.example/mon\u00a0atelier", "https://x.example/a\u3000b", "https://x.example/a\u2028b",
                "https://x.example/\ufeffa", "https://x.example/a b", "https://x.example/a<b>",
                "https://sylvie:secret@x.example/", "ftp://x.example/", "https:///photo"]
ACCEPTED_URLS = ["https://x.example:65535/photo", "https://рф.香港/é?q=ü#ö", "http://[2001:db8::1]/a",
                 "HTTPS://Centre-Social.example/%C3%A9t%C3%A9", "http://192.0.2.7/atelier"]


def _count(app: Any, model: type) -> int:
    with app.state.db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))  # type: ignore[no-any-return]


def _field_refused(response: Any, field: str, en: str, fr: str) -> None:
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert any(e["field"].endswith(field) and en in e["message_en"] and fr in e["message_fr"] for e in errors), errors


@pytest.fixture
def published(client: TestClient, token: str) -> dict[str, Any]:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    return client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token)).json()  # type: ignore


def _award(client: TestClient, token: str, achievement: dict[str, Any], *, public: bool = False,
           **fields: Any) -> Any:
    """The answer to an award of ``fields`` (``public``: its recipient agreed that its address serve it)."""
    recipient = {"email": "sylvie@example.fr", **({"public": True} if public else {})}
    return client.post(f"/api/v1/achievements/{achievement['id']}/awards",
                       json={"recipient": recipient, **fields}, headers=bearer(token))


def _credential(client: TestClient, response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return client.get(response.json()["links"]["credential"].removeprefix(BASE_URL)).json()  # type: ignore


# --- URLs ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", REFUSED_URLS)
def test_an_evidence_url_browsers_refuse_is_a_422_in_both_languages(
        client: TestClient, token: str, published: dict[str, Any], app: Any, url: str) -> None:
    response = _award(client, token, published, evidence=[{"url": url}])
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["field"].endswith("url") and error["message_fr"] != "Valeur invalide."
    assert _count(app, Award) == 0


def test_a_unicode_space_in_a_url_is_named_in_the_message(client: TestClient, token: str,
                                                          published: dict[str, Any]) -> None:
    _field_refused(_award(client, token, published, evidence=[{"url": "https://x.example/mon\u00a0atelier"}]),
                   "url", "U+00A0", "une espace s'écrit %20")


@pytest.mark.parametrize("url", ACCEPTED_URLS)
def test_a_url_browsers_accept_is_issued_as_given(client: TestClient, token: str, published: dict[str, Any],
                                                  url: str) -> None:
    credential = _credential(client, _award(client, token, published, public=True, evidence=[{"url": url}]))
    assert [e["id"] for e in credential["evidence"]] == [url]


def test_an_organisation_url_with_a_port_beyond_65535_is_refused(client: TestClient, app: Any) -> None:
    body = {"slug": "puchot", "name": "Puchot", "url": "https://puchot.example:70000", "email": "a@p.example"}
    _field_refused(client.post("/api/v1/orgs", json=body, headers=admin_headers()), "url",
                   "not a URL browsers accept", "navigateurs")
    assert _count(app, Organisation) == 0


def test_a_criteria_url_with_a_space_is_refused(client: TestClient, token: str, app: Any) -> None:
    body = {**BADGE, "criteria": {"narrative": "x", "url": "https://x.example/critères du badge"}}
    _field_refused(client.post("/api/v1/achievements", json=body, headers=bearer(token)), "url", "U+0020", "%20")
    assert _count(app, Achievement) == 0


# --- dates ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("field", "moment"), [
    ("validFrom", "0999-01-01T00:00:00+05:00"),   # 0998-12-31T19:00:00Z
    ("validFrom", "0001-01-01T00:00:00+00:30"),   # before year 1 once in UTC
    ("validUntil", "9999-12-31T23:00:00-05:00"),  # beyond 9999 once in UTC (it was a 500)
])
def test_a_date_outside_years_1000_to_9999_in_utc_is_a_422(client: TestClient, token: str,
                                                           published: dict[str, Any], app: Any, field: str,
                                                           moment: str) -> None:
    _field_refused(_award(client, token, published, **{field: moment}), field, "years 1000 and 9999",
                   "années 1000 et 9999")
    assert _count(app, Award) == 0


def test_the_first_and_last_instants_allowed_are_issued_with_four_digit_years(
        client: TestClient, token: str, published: dict[str, Any]) -> None:
    credential = _credential(client, _award(client, token, published, public=True,
                                            validFrom="1000-01-01T05:00:00+05:00",
                                            validUntil="9999-12-31T18:59:59-05:00"))
    assert (credential["validFrom"], credential["validUntil"]) == ("1000-01-01T00:00:00Z", "9999-12-31T23:59:59Z")


def test_a_date_before_year_1000_would_be_written_with_four_digits() -> None:
    from datetime import UTC, datetime

    assert iso(datetime(999, 12, 31, 19, 0, tzinfo=UTC)) == "0999-12-31T19:00:00Z"


def test_a_batch_row_with_a_date_beyond_9999_is_refused_alone(client: TestClient, token: str,
                                                              published: dict[str, Any], app: Any) -> None:
    rows = [{"recipient": {"email": "a@b.fr"}}, {"recipient": {"email": "c@d.fr"},
                                                 "validUntil": "9999-12-31T23:00:00-05:00"}]
    response = client.post(f"/api/v1/achievements/{published['id']}/awards:batch", json={"rows": rows},
                           headers=bearer(token))
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["issued", "error"]
    assert _count(app, Award) == 1


# --- texts some verifiers sort otherwise ---------------------------------------------------------------------------
def test_tags_that_utf16_sorts_otherwise_are_refused_when_the_achievement_is_created(
        client: TestClient, token: str, app: Any) -> None:
    response = client.post("/api/v1/achievements", json={**BADGE, "tags": ["couture", "ﬁlm", "🎬 cinéma"]},
                           headers=bearer(token))
    _field_refused(response, "tags", "'ﬁlm' and '🎬 cinéma'", "modifiez l'un des deux")
    assert _count(app, Achievement) == 0


def test_tags_that_utf16_sorts_otherwise_are_refused_when_an_achievement_changes(
        client: TestClient, token: str, published: dict[str, Any]) -> None:
    response = client.patch(f"/api/v1/achievements/{published['id']}", json={"tags": ["Ａtelier", "😀 atelier"]},
                            headers=bearer(token))
    _field_refused(response, "tags", "different order", "autre ordre")
    assert client.get(f"/api/v1/achievements/{published['id']}", headers=bearer(token)).json()["tags"] == []


def test_the_same_characters_where_both_orders_agree_are_issued(client: TestClient, token: str) -> None:
    tags = ["atelier ﬁlm", "cinéma 🎬", "film"]
    created = client.post("/api/v1/achievements", json={**BADGE, "tags": tags}, headers=bearer(token)).json()
    published = client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token)).json()
    credential = _credential(client, _award(client, token, published, public=True))
    assert credential["credentialSubject"]["achievement"]["tag"] == tags


def test_evidence_urls_that_utf16_sorts_otherwise_are_refused_with_both_named(
        client: TestClient, token: str, published: dict[str, Any], app: Any) -> None:
    response = _award(client, token, published, evidence=[{"url": "https://x.example/ﬁ"},
                                                          {"url": "https://x.example/🎬"}])
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "unportable_text"
    assert body["texts"] == ["https://x.example/ﬁ", "https://x.example/🎬"]
    assert "Digital Bazaar" in body["message_en"] and "Modifiez l'un des deux" in body["message_fr"]
    assert _count(app, Award) == 0


def test_a_batch_row_with_such_evidence_is_refused_alone(client: TestClient, token: str,
                                                         published: dict[str, Any], app: Any) -> None:
    rows = [{"recipient": {"email": "a@b.fr"}, "evidence": [{"url": "https://x.example/ﬁ"},
                                                            {"url": "https://x.example/🎬"}]},
            {"recipient": {"email": "c@d.fr"}, "evidence": [{"url": "https://x.example/🎬"}]}]
    response = client.post(f"/api/v1/achievements/{published['id']}/awards:batch", json={"rows": rows},
                           headers=bearer(token))
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [(r["status"], r["code"]) for r in results] == [("error", "unportable_text"), ("issued", None)]
    assert _count(app, Award) == 1
