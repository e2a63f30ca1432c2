"""Public documents served from their version (issue 13): each carries a strong ETag known before it is built, a
client holding it gets a 304 before anything is loaded, signed or serialised, an unchanged document is served again
from the in-process cache, and a change (a revocation, a re-signing, a rotation, an edit) shows on the next read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from app.badges.bitstring import Bitstring
from app.config import Settings
from app.main import create_app
from tests.conftest import bearer

BASE = "https://badges.example.org"
BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu."}}
REVALIDATE = "public, no-cache"
JWT = {"Accept": "application/jwt"}


@dataclass(frozen=True)
class Published:
    award: str
    achievement: str
    status_list: str
    rsa_key: str
    ed25519_key: str


@pytest.fixture
def published(client: TestClient, token: str) -> Published:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    award = client.post(f"/api/v1/achievements/{created['id']}/awards",
                        json={"recipient": {"email": "a@b.fr", "public": True}}, headers=bearer(token)).json()
    keys = {k["algorithm"]: k["id"] for k in client.get("/api/v1/keys", headers=bearer(token)).json()}
    return Published(award["id"], created["id"], award["links"]["status_list"].removeprefix(BASE),
                     keys["RSA-2048"], keys["Ed25519"])


@dataclass(frozen=True)
class Document:
    path: Callable[[Published], str]
    cache_control: str
    vary: bool = False
    headers: dict[str, str] | None = None
    #: what builds the body and must not be read by a 304 (or by a 200 served from the cache); None: the version
    #: read is the body's own data (the issuer profile: the organisation's fields)
    body_column: str | None = None


DOCUMENTS = {
    "did.json": Document(lambda p: "/orgs/puchot/did.json", REVALIDATE, body_column="public_key_pem"),
    "jwks": Document(lambda p: "/orgs/puchot/jwks.json", REVALIDATE, body_column="public_key_pem"),
    "jwk": Document(lambda p: f"/orgs/puchot/keys/{p.rsa_key}", REVALIDATE, body_column="public_key_pem"),
    "ob3 profile": Document(lambda p: "/orgs/puchot/profile", "public, max-age=300"),
    "ob2 issuer": Document(lambda p: "/ob2/issuers/puchot", REVALIDATE, body_column="public_key_pem"),
    "ob2 key": Document(lambda p: f"/ob2/keys/{p.rsa_key}", REVALIDATE, body_column="public_key_pem"),
    "achievement": Document(lambda p: f"/achievements/{p.achievement}", "public, max-age=300", vary=True,
                            body_column="achievements.description"),
    "badge class": Document(lambda p: f"/ob2/badges/{p.achievement}", "public, max-age=300", vary=True,
                            body_column="achievements.description"),
    "credential": Document(lambda p: f"/credentials/{p.award}", REVALIDATE, vary=True,
                           body_column="awards.credential"),
    "vc-jwt": Document(lambda p: f"/credentials/{p.award}", REVALIDATE, vary=True, headers=JWT,
                       body_column="awards.credential"),
    "hosted assertion": Document(lambda p: f"/ob2/assertions/{p.award}", REVALIDATE, vary=True,
                                 body_column="awards.credential"),
    "signed assertion": Document(lambda p: f"/ob2/assertions/{p.award}.jws", REVALIDATE,
                                 body_column="awards.credential"),
    "status list": Document(lambda p: p.status_list, "no-cache", body_column="status_lists.encoded_list"),
    "ob2 revocations": Document(lambda p: "/ob2/issuers/puchot/revocations", REVALIDATE, vary=True,
                                body_column="awards.revocation_reason"),
}
WITH_BODY_COLUMN = [name for name, document in DOCUMENTS.items() if document.body_column]


def _get(client: TestClient, published: Published, name: str, etag: str | None = None) -> Any:
    document = DOCUMENTS[name]
    headers = dict(document.headers or {})
    if etag is not None:
        headers["If-None-Match"] = etag
    return client.get(document.path(published), headers=headers)


def _vary(response: Any) -> set[str]:
    return {part.strip() for part in response.headers.get("vary", "").split(",")}


@pytest.fixture
def statements(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every SQL statement the application sends from now on: through SQLAlchemy (both engines), and straight to
    the PostgreSQL driver (the reads :meth:`Database.read_row` and the fast lane's prepare)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    execute, execute_async = psycopg.Cursor.execute, psycopg.AsyncCursor.execute

    def driver_execute(cursor: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(query))
        return execute(cursor, query, *args, **kwargs)

    async def driver_execute_async(cursor: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(query))
        return await execute_async(cursor, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", driver_execute)
    monkeypatch.setattr(psycopg.AsyncCursor, "execute", driver_execute_async)
    engines = {app.state.db.engine, app.state.db.read_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    yield seen
    for engine in engines:
        event.remove(engine, "before_cursor_execute", record)


def _refuse(*_: Any, **__: Any) -> Any:
    raise AssertionError("signed although this version was already signed")


@pytest.fixture
def no_signing(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it, and from then on any signature (a status list's Data Integrity proof, a VC-JWT, an OB 2.0 JWS)
    fails the test: the signers, patched where the services call them."""
    def forbid() -> None:
        for where in ("app.services.status_documents.create_proof", "app.services.publication.encode_vc_jwt",
                      "app.services.ob2.sign_assertion"):
            monkeypatch.setattr(where, _refuse)

    return forbid


@pytest.fixture
def other_server(settings: Settings) -> Iterator[TestClient]:
    """Another server process on the same database: nothing in its cache."""
    application = create_app(settings, jobs_in_process=False)
    with TestClient(application, base_url=BASE) as other:
        yield other
    application.state.db.dispose()


# --- every document ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_document_is_served_with_a_strong_etag_and_its_cache_control(client: TestClient, published: Published,
                                                                       name: str) -> None:
    response = _get(client, published, name)
    assert response.status_code == 200, response.text
    assert response.headers["etag"].startswith('"') and response.headers["etag"].endswith('"')
    assert response.headers["cache-control"] == DOCUMENTS[name].cache_control
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert ("Accept" in _vary(response)) is DOCUMENTS[name].vary


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_client_holding_the_etag_gets_a_304_with_the_same_headers(client: TestClient, published: Published,
                                                                    name: str) -> None:
    first = _get(client, published, name)
    again = _get(client, published, name, first.headers["etag"])
    assert again.status_code == 304 and again.content == b""
    for header in ("etag", "cache-control", "vary", "access-control-allow-origin", "x-content-type-options"):
        assert again.headers.get(header) == first.headers.get(header), header


@pytest.mark.parametrize("name", WITH_BODY_COLUMN)
def test_a_304_reads_nothing_the_body_is_built_from(client: TestClient, published: Published, name: str,
                                                    statements: list[str]) -> None:
    etag = _get(client, published, name).headers["etag"]
    statements.clear()
    assert _get(client, published, name, etag).status_code == 304
    column = DOCUMENTS[name].body_column
    assert statements and not [s for s in statements if column and column in s]


@pytest.mark.parametrize("name", WITH_BODY_COLUMN)
def test_an_unchanged_document_is_served_again_from_the_cache(client: TestClient, published: Published, name: str,
                                                              statements: list[str]) -> None:
    first = _get(client, published, name)
    statements.clear()
    again = _get(client, published, name)
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    column = DOCUMENTS[name].body_column
    assert not [s for s in statements if column and column in s]


SIGNED = ["status list", "vc-jwt", "signed assertion"]


@pytest.mark.parametrize("name", SIGNED)
def test_a_304_signs_nothing_even_on_a_server_that_kept_nothing(client: TestClient, other_server: TestClient,
                                                                published: Published, name: str,
                                                                no_signing: Callable[[], None]) -> None:
    etag = _get(client, published, name).headers["etag"]
    no_signing()
    assert _get(other_server, published, name, etag).status_code == 304


@pytest.mark.parametrize("name", SIGNED)
def test_an_unchanged_signed_document_is_not_signed_again(client: TestClient, published: Published, name: str,
                                                          no_signing: Callable[[], None]) -> None:
    first = _get(client, published, name)
    no_signing()
    again = _get(client, published, name)
    assert again.status_code == 200 and again.content == first.content


@pytest.mark.parametrize("name", [*SIGNED, "did.json", "credential", "ob2 revocations"])
def test_another_server_gives_a_document_the_same_etag(client: TestClient, other_server: TestClient,
                                                       published: Published, name: str) -> None:
    assert _get(other_server, published, name).headers["etag"] == _get(client, published, name).headers["etag"]


# --- If-None-Match ----------------------------------------------------------------------------------------------------

def test_a_weak_tag_matches_for_if_none_match(client: TestClient, published: Published) -> None:
    etag = _get(client, published, "credential").headers["etag"]
    assert _get(client, published, "credential", f"W/{etag}").status_code == 304


def test_a_list_of_tags_matches_when_one_of_them_does(client: TestClient, published: Published) -> None:
    etag = _get(client, published, "did.json").headers["etag"]
    assert _get(client, published, "did.json", f'"older", W/"other, with a comma", {etag}').status_code == 304


def test_a_star_matches_whatever_the_current_version(client: TestClient, published: Published) -> None:
    assert _get(client, published, "status list", "*").status_code == 304


def test_a_tag_of_another_version_gets_the_document(client: TestClient, published: Published) -> None:
    response = _get(client, published, "credential", '"credential.0123456789abcdef"')
    assert response.status_code == 200 and response.json()["id"].endswith(published.award)


def test_a_missing_document_is_a_404_even_to_a_star(client: TestClient, published: Published) -> None:
    assert client.get("/credentials/nothing-here", headers={"If-None-Match": "*"}).status_code == 404


# --- representations --------------------------------------------------------------------------------------------------

def test_each_representation_of_a_credential_has_its_own_etag(client: TestClient, published: Published) -> None:
    path = f"/credentials/{published.award}"
    tags = {client.get(path, headers={"Accept": accept}).headers["etag"]
            for accept in ("application/ld+json", "application/json", "application/jwt")}
    tags.add(client.get(path, params={"format": "jwt", "alg": "ES256"}).headers["etag"])
    tags.add(client.get(path, params={"format": "jwt", "kid": "did"}).headers["etag"])
    assert len(tags) == 5


def test_the_etag_of_one_representation_does_not_answer_for_another(client: TestClient,
                                                                    published: Published) -> None:
    path = f"/ob2/assertions/{published.award}"
    etag = client.get(path, headers={"Accept": "application/ld+json"}).headers["etag"]
    other = client.get(path, headers={"Accept": "application/json", "If-None-Match": etag})
    assert other.status_code == 200 and other.headers["content-type"] == "application/json"


def test_the_credential_page_is_not_stored_and_has_no_etag(client: TestClient, published: Published) -> None:
    page = client.get(f"/credentials/{published.award}", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "etag" not in page.headers and "Accept" in _vary(page)


# --- changes show at once -----------------------------------------------------------------------------------------

def _revoke(client: TestClient, token: str, published: Published) -> None:
    response = client.post(f"/api/v1/awards/{published.award}/revoke", json={"reason": "x"}, headers=bearer(token))
    assert response.status_code == 200, response.text


def _revoked_bit(client: TestClient, published: Published, status_list: dict[str, Any]) -> bool:
    entry = client.get(f"/credentials/{published.award}").json()["credentialStatus"]
    entry = entry[0] if isinstance(entry, list) else entry
    return Bitstring.decode(status_list["credentialSubject"]["encodedList"]).get(int(entry["statusListIndex"]))


def test_the_first_status_list_read_after_a_revocation_has_it(client: TestClient, token: str,
                                                               published: Published) -> None:
    before = _get(client, published, "status list")  # signed, serialised and kept
    assert not _revoked_bit(client, published, before.json())
    _revoke(client, token, published)
    after = _get(client, published, "status list")
    assert after.headers["etag"] != before.headers["etag"] and _revoked_bit(client, published, after.json())


def test_a_revocation_changes_the_ob2_revocation_list(client: TestClient, token: str, published: Published) -> None:
    before = _get(client, published, "ob2 revocations")
    _revoke(client, token, published)
    after = _get(client, published, "ob2 revocations", before.headers["etag"])
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert f"{BASE}/ob2/assertions/{published.award}" in after.json()["revokedAssertions"][1]["id"]


def test_a_revoked_hosted_assertion_is_gone_to_a_client_holding_it(client: TestClient, token: str,
                                                                    published: Published) -> None:
    etag = _get(client, published, "hosted assertion").headers["etag"]
    _revoke(client, token, published)
    gone = _get(client, published, "hosted assertion", etag)
    assert gone.status_code == 410 and gone.json()["revoked"] is True
    assert "etag" not in gone.headers and gone.headers["cache-control"] == "no-cache"


def test_a_re_signed_credential_has_a_new_etag(client: TestClient, token: str, published: Published) -> None:
    before = _get(client, published, "credential")
    compromised = client.post(f"/api/v1/keys/{published.ed25519_key}/compromise", headers=bearer(token))
    assert compromised.status_code == 200, compromised.text
    after = _get(client, published, "credential", before.headers["etag"])
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert published.ed25519_key in before.text and published.ed25519_key not in after.text


def test_a_compromised_key_leaves_did_json_for_a_client_holding_it(client: TestClient, token: str,
                                                                    published: Published) -> None:
    before = _get(client, published, "did.json")
    client.post(f"/api/v1/keys/{published.ed25519_key}/compromise", headers=bearer(token))
    after = _get(client, published, "did.json", before.headers["etag"])
    assert after.status_code == 200 and published.ed25519_key not in after.text


def test_a_rotation_changes_the_etag_of_the_vc_jwt(client: TestClient, token: str, published: Published) -> None:
    before = _get(client, published, "vc-jwt")
    client.post("/api/v1/keys/rotate", json={"algorithms": ["RSA-2048"]}, headers=bearer(token))
    after = _get(client, published, "vc-jwt", before.headers["etag"])
    assert after.status_code == 200 and after.text != before.text


def test_an_edited_organisation_has_a_new_profile(client: TestClient, token: str, published: Published) -> None:
    before = _get(client, published, "ob3 profile")
    client.patch("/api/v1/org", json={"name": "Centre social du Puchot (Rouen)"}, headers=bearer(token))
    after = _get(client, published, "ob3 profile", before.headers["etag"])
    assert after.status_code == 200 and after.json()["name"] == "Centre social du Puchot (Rouen)"


def test_an_es256_token_has_a_weak_etag_that_a_client_holding_it_revalidates(client: TestClient,
                                                                             published: Published) -> None:
    """ECDSA signatures are randomised: two servers sign equivalent tokens with different bytes, so the tag does
    not promise byte equality (RFC 9110 §8.8.1); If-None-Match compares weakly and still answers 304."""
    path, params = f"/credentials/{published.award}", {"format": "jwt", "alg": "ES256"}
    etag = client.get(path, params=params).headers["etag"]
    assert etag.startswith('W/"')
    assert client.get(path, params=params, headers={"If-None-Match": etag}).status_code == 304
