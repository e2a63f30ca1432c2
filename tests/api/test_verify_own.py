"""Our own badges verify without the network (issue 11): with the default settings (``ALLOW_LOOPBACK_FETCH`` off)
the verifier reads our did.json, keys, status lists and OB 2.0 documents from the database, through the API, the
``/verify`` page, the credential page and ``savoirs verify``, under load too. No connection is ever made: every
``socket.create_connection`` is refused and recorded, every name lookup recorded."""

from __future__ import annotations

import html
import json
import re
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.services.local_documents import LocalDocuments
from tests.conftest import TEST_KEK, bearer

BADGE = {"name": "Cuisine du monde", "description": "Partager une recette avec le quartier.",
         "criteria": {"narrative": "A animé un atelier cuisine."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
VERDICT = re.compile(r'<span class="verdict-text">(.*?)</span>', re.S)


@dataclass
class Offline:
    """Every outbound connection attempt (refused) and every name looked up while a test ran."""

    connections: list[Any] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> Offline:
    seen = Offline()
    real_getaddrinfo = socket.getaddrinfo

    def refuse(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        seen.connections.append(address)
        raise OSError("no network in this test")

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        seen.lookups.append(str(host))
        return real_getaddrinfo(host, *args, **kwargs)  # the database driver may resolve its own host

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return seen


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    """The defaults of the test settings (loopback fetches refused), without the per-client verification limit, and
    room for a hundred verifications at once (what is tested here is that they agree, not the bound:
    tests/api/test_overload.py)."""
    settings = settings_factory(verify_rate_limit=100_000, verify_concurrency=100)
    assert settings.allow_loopback_fetch is False
    return settings


@pytest.fixture
def auth(make_org: Callable[..., dict[str, Any]]) -> dict[str, str]:
    return bearer(make_org("puchot")["api_key"]["token"])


@pytest.fixture
def achievement(client: TestClient, auth: dict[str, str]) -> dict[str, Any]:
    created = client.post("/api/v1/achievements", json=BADGE, headers=auth).json()
    return client.post(f"/api/v1/achievements/{created['id']}/publish", headers=auth).json()  # type: ignore


@pytest.fixture
def make_award(client: TestClient, auth: dict[str, str], achievement: dict[str, Any]
               ) -> Callable[..., dict[str, Any]]:
    def make(**body: Any) -> dict[str, Any]:
        body.setdefault("recipient", {"email": "sylvie@example.fr", "public": True})  # its address serves it
        response = client.post(f"/api/v1/achievements/{achievement['id']}/awards", json=body, headers=auth)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    return make


@pytest.fixture
def award(make_award: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return make_award(level="J'agis")


def _get(client: TestClient, url: str, **params: str) -> Any:
    response = client.get(urlsplit(url).path, params=params)
    assert response.status_code == 200, response.text
    return response


def _verify(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/verify", json=body)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _assert_valid(report: dict[str, Any]) -> None:
    assert report["verified"] is True, json.dumps(report["checks"], ensure_ascii=False, indent=1)
    assert report["status"] == "active"


def _verdict(response: Any) -> str:
    assert response.status_code == 200, response.text[:2000]
    match = VERDICT.search(response.text)
    assert match, response.text[:2000]
    return html.unescape(match.group(1)).strip()


def test_our_credential_verifies_through_the_api_reading_our_documents(client: TestClient,
                                                                        award: dict[str, Any]) -> None:
    report = _verify(client, credential=_get(client, award["links"]["credential"]).json())
    _assert_valid(report)
    assert report["format"] == "ob3-data-integrity"
    assert "https://badges.example.org/orgs/puchot/did.json" in report["fetched"]  # still listed, read locally
    assert any(u.startswith("https://badges.example.org/status/") for u in report["fetched"])


def test_no_connection_is_made_and_our_host_is_never_looked_up(client: TestClient, award: dict[str, Any],
                                                               offline: Offline) -> None:
    _assert_valid(_verify(client, url=award["links"]["credential"]))
    assert offline.connections == []
    assert "badges.example.org" not in offline.lookups


def test_our_credential_verifies_on_the_verify_page(client: TestClient, award: dict[str, Any]) -> None:
    response = client.post("/verify", data={"url": award["links"]["credential"]},
                           files={"file": ("", b"", "application/octet-stream")}, headers={"Accept": BROWSER_ACCEPT})
    assert _verdict(response).startswith("Ce badge est authentique et valide")


def test_our_credential_page_says_valid(client: TestClient, award: dict[str, Any]) -> None:
    response = client.get(urlsplit(award["links"]["credential"]).path, headers={"Accept": BROWSER_ACCEPT})
    assert _verdict(response).startswith("Ce badge est authentique et valide")


def test_a_revoked_credential_reads_revoked(client: TestClient, auth: dict[str, str],
                                            make_award: Callable[..., dict[str, Any]]) -> None:
    award = make_award()
    client.post(f"/api/v1/awards/{award['id']}/revoke", json={"reason": "Attribué par erreur"},
                headers=auth).raise_for_status()
    report = _verify(client, credential=_get(client, award["links"]["credential"]).json())
    assert report["verified"] is False and report["status"] == "revoked"


def test_a_suspended_credential_page_says_suspended(client: TestClient, auth: dict[str, str],
                                                    make_award: Callable[..., dict[str, Any]]) -> None:
    award = make_award()
    client.post(f"/api/v1/awards/{award['id']}/suspend", json={}, headers=auth).raise_for_status()
    response = client.get(urlsplit(award["links"]["credential"]).path, headers={"Accept": BROWSER_ACCEPT})
    assert "suspendu" in _verdict(response).lower()


def test_our_ob2_hosted_assertion_url_verifies(client: TestClient, award: dict[str, Any]) -> None:
    report = _verify(client, url=award["links"]["ob2_assertion"])
    _assert_valid(report)
    assert report["format"] == "ob2-hosted" and report["achievement"]["name"] == "Cuisine du monde"


def test_our_revoked_ob2_hosted_assertion_reads_revoked_from_its_410(client: TestClient, auth: dict[str, str],
                                                                     make_award: Callable[..., dict[str, Any]]
                                                                     ) -> None:
    award = make_award()
    client.post(f"/api/v1/awards/{award['id']}/revoke", json={"reason": "Attribué par erreur"},
                headers=auth).raise_for_status()
    report = _verify(client, url=award["links"]["ob2_assertion"])
    assert report["verified"] is False and report["status"] == "revoked"


def test_our_signed_ob2_assertion_verifies(client: TestClient, award: dict[str, Any]) -> None:
    report = _verify(client, jwt=_get(client, award["links"]["ob2_signed"]).text)
    _assert_valid(report)
    assert report["format"] == "ob2-signed"


@pytest.mark.parametrize(("alg", "kid", "key_document"), [("RS256", "jwk", "/orgs/puchot/keys/"),
                                                           ("ES256", "jwk", "/orgs/puchot/keys/"),
                                                           ("RS256", "did", "/orgs/puchot/did.json")])
def test_our_vc_jwt_verifies_with_the_key_its_kid_names(client: TestClient, award: dict[str, Any], alg: str,
                                                        kid: str, key_document: str) -> None:
    report = _verify(client, jwt=_get(client, award["links"]["credential"], format="jwt", alg=alg, kid=kid).text)
    _assert_valid(report)
    assert any(key_document in u for u in report["fetched"])


def test_our_baked_badge_url_verifies(client: TestClient, award: dict[str, Any]) -> None:
    report = _verify(client, url=award["links"]["baked_png"])
    _assert_valid(report)
    assert report["format"] == "ob3-data-integrity+baked-png"


def test_a_hundred_simultaneous_verifications_of_our_badges_are_all_valid(client: TestClient,
                                                                           award: dict[str, Any]) -> None:
    credential = _get(client, award["links"]["credential"]).json()
    with ThreadPoolExecutor(max_workers=100) as pool:
        reports = list(pool.map(lambda _: _verify(client, credential=credential), range(100)))
    assert [(r["verified"], r["status"]) for r in reports] == [(True, "active")] * 100


def test_a_url_under_our_origin_that_we_do_not_serve_reads_not_found(client: TestClient, offline: Offline) -> None:
    report = _verify(client, url="https://badges.example.org/ob2/nothing/here")
    assert report["verified"] is False
    (check,) = [c for c in report["checks"] if c["id"] == "format"]
    assert check["outcome"] == "failed" and "HTTP 404" in check["message_en"]
    assert report["fetched"] == ["https://badges.example.org/ob2/nothing/here"]
    assert offline.connections == []


def test_a_fresh_local_service_verifies_its_own_did_web_over_http(settings_factory: Callable[..., Settings]
                                                                  ) -> None:
    """``make run``: PUBLIC_BASE_URL http://localhost:8000; our did:web resolves to https://localhost:8000/…"""
    app = create_app(settings_factory(public_base_url="http://localhost:8000"))
    try:
        with TestClient(app, base_url="http://localhost:8000") as local:
            token = local.post("/api/v1/orgs", headers={"Authorization": "Bearer test-admin-token-0123456789"},
                               json={"slug": "puchot", "name": "Centre social du Puchot",
                                     "url": "https://puchot.example", "email": "contact@puchot.example"}
                               ).json()["api_key"]["token"]
            created = local.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
            local.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token)).raise_for_status()
            award = local.post(f"/api/v1/achievements/{created['id']}/awards", headers=bearer(token),
                               json={"recipient": {"email": "sylvie@example.fr", "public": True}}).json()
            report = _verify(local, url=award["links"]["credential"])
    finally:
        app.state.db.dispose()
    _assert_valid(report)
    assert "https://localhost:8000/orgs/puchot/did.json" in report["fetched"]


def test_local_answers_are_the_bytes_the_routes_serve(app: Any, client: TestClient, settings: Settings,
                                                      award: dict[str, Any], auth: dict[str, str],
                                                      make_award: Callable[..., dict[str, Any]]) -> None:
    revoked = make_award()
    client.post(f"/api/v1/awards/{revoked['id']}/revoke", json={"reason": "Erreur"}, headers=auth).raise_for_status()
    keys = client.get("/api/v1/keys", headers=auth).json()
    rsa = next(k["id"] for k in keys if k["algorithm"] == "RSA-2048")
    credential = _get(client, award["links"]["credential"]).json()
    achievement_id = credential["credentialSubject"]["achievement"]["id"].rsplit("/", 1)[1]
    paths = ["/orgs/puchot/did.json", "/orgs/puchot/jwks.json", f"/orgs/puchot/keys/{keys[0]['id']}",
             "/orgs/puchot/profile", "/ob2/issuers/puchot", "/ob2/issuers/puchot/revocations", f"/ob2/keys/{rsa}",
             credential["credentialStatus"]["statusListCredential"].removeprefix("https://badges.example.org"),
             f"/achievements/{achievement_id}", f"/achievements/{achievement_id}/image.svg",
             f"/ob2/badges/{achievement_id}", f"/credentials/{award['id']}", f"/credentials/{award['id']}/badge.svg",
             f"/ob2/assertions/{award['id']}", f"/ob2/assertions/{revoked['id']}",
             f"/ob2/assertions/{award['id']}/badge.png", f"/ob2/assertions/{revoked['id']}/badge.svg",
             f"/ob2/assertions/{award['id']}.jws",
             "/orgs/nobody/did.json", "/status/none", "/credentials/none", "/nothing", "/orgs/puchot/did.json/x"]
    local = LocalDocuments(app.state.ctx, allow_loopback=settings.allow_loopback_fetch)
    for path in paths:
        for accept in ("application/ld+json, application/json", "application/json", "application/jwk+json"):
            served = client.get(path, headers={"Accept": accept})
            answer = local(f"https://badges.example.org{path}", accept)
            assert answer is not None, path
            media_type = served.headers.get("content-type", "").split(";")[0]
            assert (answer.status, answer.media_type) == (served.status_code, media_type), (path, accept)
            if served.status_code < 400 or served.status_code == 410:
                assert answer.content == served.content, path
    assert local("https://other.example.org/orgs/puchot/did.json", "application/json") is None
    assert local("http://badges.example.org/orgs/puchot/did.json", "application/json") is None


def test_the_cli_verifies_our_credential_from_our_database(client: TestClient, award: dict[str, Any],
                                                           settings: Settings, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from app.cli import main

    for name, value in {"ENVIRONMENT": "test", "DATABASE_URL": settings.resolved_database_url, "KEK": TEST_KEK,
                        "PUBLIC_BASE_URL": "https://badges.example.org", "VAR_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ALLOW_LOOPBACK_FETCH", raising=False)
    badge = tmp_path / "badge.json"
    badge.write_bytes(_get(client, award["links"]["credential"]).content)
    result = CliRunner().invoke(main, ["verify", str(badge), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["verified"] is True

