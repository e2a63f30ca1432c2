"""The 1EdTech Open Badges 3.0 service-provider checklist, line by line: discovery, dynamic registration, the
authorisation code grant (state and PKCE S256 required, codes single-use and short-lived), HTTP Basic client
authentication, refresh (narrowing only), revocation, scope enforcement per endpoint, paging, upsert, profile. The
backpack is requests-oauthlib over real HTTP."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient
from jsonschema import Draft201909Validator
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError

from app.clock import FixedClock
from app.oauth import scopes
from tests.conftest import ADMIN_TOKEN, ROOT
from tests.ob3_api.conftest import (
    ALL_SCOPES,
    API,
    HTTP_TIMEOUT,
    Backpack,
    connect,
    consent,
    metadata,
    query_of,
    register,
)

SCHEMAS = ROOT / "tests" / "vectors" / "ob3-json-schemas-2024-04-03"


def _schema(name: str) -> Draft201909Validator:
    return Draft201909Validator(json.loads((SCHEMAS / f"ob_v3p0_{name}_schema.jsonld-variant.json").read_text()))


def _imsx(answer: requests.Response) -> dict[str, Any]:
    body = answer.json()
    _schema("imsx_statusinfo").validate(body)
    assert body["imsx_codeMajor"] == "failure"
    return dict(body)


# ------------------------------------------------------------------------------------------------ discovery


def test_discovery_describes_the_oauth_endpoints_and_the_four_scopes(app: Any, base: str) -> None:
    answer = requests.get(f"{base}{API}/discovery", timeout=HTTP_TIMEOUT)
    assert answer.status_code == 200
    document = answer.json()
    info = document["info"]
    assert info["title"] and info["termsOfService"].startswith(base) and info["version"]
    assert info["x-imssf-privacyPolicyUrl"].startswith(base)
    assert requests.get(info["x-imssf-image"], timeout=HTTP_TIMEOUT).status_code == 200
    scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["type"] == "oauth2"
    assert scheme["x-imssf-registrationUrl"] == f"{base}{API}/register"
    flow = scheme["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == f"{base}{API}/authorize"
    assert flow["tokenUrl"] == flow["refreshUrl"] == f"{base}{API}/token"
    assert set(flow["scopes"]) == set(scopes.ALL)


# ------------------------------------------------------------------------------------------------ registration


def test_registration_answers_the_client_its_id_and_secret(app: Any, base: str) -> None:
    answer = register(base)
    assert answer.status_code == 201
    body = answer.json()
    for name, value in metadata().items():
        assert body[name] == value
    assert body["client_id"] and body["client_secret"]
    assert isinstance(body["client_id_issued_at"], int) and body["client_secret_expires_at"] == 0
    assert body["token_endpoint_auth_method"] == "client_secret_basic"


@pytest.mark.parametrize("missing", ["client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri", "software_id",
                                     "software_version", "redirect_uris", "scope"])
def test_registration_without_a_required_field_is_refused(app: Any, base: str, missing: str) -> None:
    answer = register(base, **{missing: None})
    assert answer.status_code == 400
    assert answer.json()["error"] in ("invalid_client_metadata", "invalid_redirect_uri")
    assert answer.json()["error_description"]


@pytest.mark.parametrize("changes", [
    {"redirect_uris": ["http://sac.example/retour"]},
    {"tos_uri": "http://sac.example/conditions"},
    {"policy_uri": "https://ailleurs.example/confidentialite"},
    {"redirect_uris": ["https://ailleurs.example/retour"]},
    {"token_endpoint_auth_method": "client_secret_post"},
    {"grant_types": ["client_credentials"]},
    {"scope": "https://purl.imsglobal.org/spec/ob/v3p0/scope/everything"},
    {"response_types": [1]},
], ids=["http-redirect", "http-tos", "other-host-policy", "other-host-redirect", "secret-post", "grant", "scope",
        "response-types-not-strings"])
def test_registration_outside_the_profile_is_refused(app: Any, base: str, changes: dict[str, Any]) -> None:
    answer = register(base, **changes)
    assert answer.status_code == 400, answer.text
    assert set(answer.json()) >= {"error", "error_description"}


def test_a_registration_that_is_not_json_is_refused(app: Any, base: str) -> None:
    answer = requests.post(f"{base}{API}/register", data="client_name=x", timeout=HTTP_TIMEOUT,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_client_metadata"


def test_a_registration_nested_too_deep_is_refused(app: Any, base: str) -> None:
    answer = requests.post(f"{base}{API}/register", data="[" * 10_000 + "]" * 10_000, timeout=HTTP_TIMEOUT,
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_client_metadata"


def test_registrations_are_rate_limited_per_address(app: Any, base: str) -> None:
    statuses = [register(base).status_code for _ in range(51)]
    assert statuses[:50] == [201] * 50 and statuses[50] == 429


# ------------------------------------------------------------------------------------------------ authorisation


def _authorize(browser: TestClient, backpack: Backpack, **params: str | None) -> Any:
    query = {"response_type": "code", "client_id": backpack.client_id, "redirect_uri": backpack.redirect_uri,
             "scope": ALL_SCOPES, "state": "etat-42", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
             "code_challenge_method": "S256", **params}
    return browser.get(f"{API}/authorize", params={k: v for k, v in query.items() if v is not None},
                       follow_redirects=False)


def test_the_consent_page_shows_who_asks_and_what_for(holder: TestClient, backpack: Backpack) -> None:
    page = _authorize(holder, backpack)
    assert page.status_code == 200
    text = page.text
    assert "Sac à dos du Puchot" in text and 'src="https://sac.example/logo.png"' in text
    assert 'href="https://sac.example/conditions"' in text and 'href="https://sac.example/confidentialite"' in text
    assert "Lire les badges de votre espace" in text and "Modifier votre profil" in text
    assert "sac.example" in text and '<html lang="fr"' in text


def test_a_visitor_not_signed_in_is_sent_to_sign_in_and_back(client: TestClient, backpack: Backpack) -> None:
    answer = _authorize(client, backpack)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/connexion?next=/ims/ob/v3p0/authorize")


def test_state_is_required(holder: TestClient, backpack: Backpack) -> None:
    answer = _authorize(holder, backpack, state=None)
    assert answer.status_code == 302
    back = query_of(answer.headers["location"])
    assert back["error"] == "invalid_request" and "code" not in back


@pytest.mark.parametrize("params", [{"code_challenge": None, "code_challenge_method": None},
                                    {"code_challenge_method": "plain"}, {"code_challenge_method": None}],
                         ids=["no-pkce", "plain", "no-method"])
def test_pkce_s256_is_required(holder: TestClient, backpack: Backpack, params: dict[str, Any]) -> None:
    answer = _authorize(holder, backpack, **params)
    assert answer.status_code == 302
    back = query_of(answer.headers["location"])
    assert back["error"] == "invalid_request" and back["state"] == "etat-42"


def test_an_unregistered_redirect_uri_is_refused_here_not_redirected(holder: TestClient, backpack: Backpack) -> None:
    answer = _authorize(holder, backpack, redirect_uri="https://sac.example/ailleurs")
    assert answer.status_code == 400 and "location" not in answer.headers
    assert "Demande impossible" in answer.text


def test_an_unknown_client_is_refused_here(holder: TestClient, backpack: Backpack) -> None:
    answer = _authorize(holder, backpack, client_id="inconnu")
    assert answer.status_code == 400 and "location" not in answer.headers


def test_the_holder_may_refuse(holder: TestClient, backpack: Backpack) -> None:
    oauth = backpack.session()
    url, state = oauth.authorization_url(f"{backpack.base}{API}/authorize")
    back = query_of(consent(holder, url, decision="deny"))
    assert back["error"] == "access_denied" and back["state"] == state and "code" not in back


# ------------------------------------------------------------------------------------------------ token


def test_the_code_gives_a_bearer_token_that_is_not_cached(holder: TestClient, backpack: Backpack) -> None:
    oauth = backpack.session()
    url, _ = oauth.authorization_url(f"{backpack.base}{API}/authorize")
    back = consent(holder, url)
    code = query_of(back)["code"]
    answer = requests.post(backpack.token_url, auth=(backpack.client_id, backpack.client_secret),
                           timeout=HTTP_TIMEOUT, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": backpack.redirect_uri,
        "code_verifier": oauth._code_verifier})
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    token = answer.json()
    assert token["token_type"].lower() == "bearer" and token["expires_in"] == 3600
    assert token["access_token"] and token["refresh_token"] and set(token["scope"].split()) == set(scopes.ALL)


def test_a_code_used_twice_fails_and_revokes_what_it_gave(holder: TestClient, backpack: Backpack) -> None:
    oauth = backpack.session()
    url, _ = oauth.authorization_url(f"{backpack.base}{API}/authorize")
    back = consent(holder, url)
    backpack.fetch_token(oauth, back)
    assert oauth.get(f"{backpack.base}{API}/credentials").status_code == 200
    again = backpack.session(state=query_of(back)["state"])
    again._code_verifier = oauth._code_verifier
    with pytest.raises(InvalidGrantError):
        backpack.fetch_token(again, back, code_verifier=oauth._code_verifier)
    assert oauth.get(f"{backpack.base}{API}/credentials").status_code == 401


def test_a_code_expires_after_ten_minutes(holder: TestClient, backpack: Backpack, clock: FixedClock) -> None:
    oauth = backpack.session()
    url, _ = oauth.authorization_url(f"{backpack.base}{API}/authorize")
    back = consent(holder, url)
    clock.at += timedelta(minutes=10, seconds=1)
    with pytest.raises(InvalidGrantError):
        backpack.fetch_token(oauth, back)


def test_a_wrong_code_verifier_fails(holder: TestClient, backpack: Backpack) -> None:
    oauth = backpack.session()
    url, _ = oauth.authorization_url(f"{backpack.base}{API}/authorize")
    back = consent(holder, url)
    answer = requests.post(backpack.token_url, auth=(backpack.client_id, backpack.client_secret),
                           timeout=HTTP_TIMEOUT, data={
        "grant_type": "authorization_code", "code": query_of(back)["code"], "redirect_uri": backpack.redirect_uri,
        "code_verifier": "x" * 50})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
    assert backpack.fetch_token(oauth, back)["access_token"]  # the right verifier still works: nothing was used


def test_the_token_endpoint_takes_http_basic_only(holder: TestClient, backpack: Backpack) -> None:
    oauth = backpack.session()
    url, _ = oauth.authorization_url(f"{backpack.base}{API}/authorize")
    back = consent(holder, url)
    data = {"grant_type": "authorization_code", "code": query_of(back)["code"], "redirect_uri": backpack.redirect_uri,
            "code_verifier": oauth._code_verifier}
    in_body = requests.post(backpack.token_url, timeout=HTTP_TIMEOUT, data={
        **data, "client_id": backpack.client_id, "client_secret": backpack.client_secret})
    assert in_body.status_code == 401 and in_body.json()["error"] == "invalid_client"
    wrong = requests.post(backpack.token_url, timeout=HTTP_TIMEOUT, data=data, auth=(backpack.client_id, "faux"))
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"].startswith("Basic")
    right = requests.post(backpack.token_url, timeout=HTTP_TIMEOUT, data=data,
                          auth=(backpack.client_id, backpack.client_secret))
    assert right.status_code == 200


def _refresh(backpack: Backpack, refresh_token: str, scope: str | None = None) -> requests.Response:
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token, **({"scope": scope} if scope else {})}
    return requests.post(backpack.token_url, data=data, auth=(backpack.client_id, backpack.client_secret),
                         timeout=HTTP_TIMEOUT)


def test_refreshing_may_narrow_the_scope_never_widen_it(holder: TestClient, backpack: Backpack) -> None:
    oauth, token = connect(backpack, holder, scope=f"{scopes.CREDENTIAL_READ} {scopes.PROFILE_READ}")
    wider = _refresh(backpack, token["refresh_token"], ALL_SCOPES)
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"
    narrowed = _refresh(backpack, token["refresh_token"], scopes.CREDENTIAL_READ)
    assert narrowed.status_code == 200, narrowed.text
    new = narrowed.json()
    assert new["scope"] == scopes.CREDENTIAL_READ and new["refresh_token"] != token["refresh_token"]
    headers = {"Authorization": f"Bearer {new['access_token']}"}
    assert requests.get(f"{backpack.base}{API}/credentials", headers=headers, timeout=HTTP_TIMEOUT).status_code == 200
    assert requests.get(f"{backpack.base}{API}/profile", headers=headers, timeout=HTTP_TIMEOUT).status_code == 403


def test_a_spent_refresh_token_presented_again_revokes_its_family(holder: TestClient, backpack: Backpack) -> None:
    oauth, token = connect(backpack, holder)
    first = _refresh(backpack, token["refresh_token"])
    assert first.status_code == 200
    headers = {"Authorization": f"Bearer {first.json()['access_token']}"}
    assert requests.get(f"{backpack.base}{API}/credentials", headers=headers, timeout=HTTP_TIMEOUT).status_code == 200
    again = _refresh(backpack, token["refresh_token"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert requests.get(f"{backpack.base}{API}/credentials", headers=headers, timeout=HTTP_TIMEOUT).status_code == 401


def test_a_revoked_access_token_stops_at_once(holder: TestClient, backpack: Backpack) -> None:
    oauth, token = connect(backpack, holder)
    auth = (backpack.client_id, backpack.client_secret)
    unknown = requests.post(f"{backpack.base}{API}/revoke", data={"token": "inconnu"}, auth=auth, timeout=HTTP_TIMEOUT)
    assert unknown.status_code == 200
    answer = requests.post(f"{backpack.base}{API}/revoke", data={"token": token["access_token"]}, auth=auth,
                           timeout=HTTP_TIMEOUT)
    assert answer.status_code == 200
    refused = oauth.get(f"{backpack.base}{API}/credentials")
    assert refused.status_code == 401 and _imsx(refused)


def test_an_access_token_lasts_an_hour(holder: TestClient, backpack: Backpack, clock: FixedClock) -> None:
    oauth, _ = connect(backpack, holder)
    clock.at += timedelta(hours=1, seconds=1)
    assert oauth.get(f"{backpack.base}{API}/credentials").status_code == 401


def test_the_administrator_lists_and_revokes_clients(holder: TestClient, backpack: Backpack,
                                                    client: TestClient) -> None:
    oauth, _ = connect(backpack, holder)
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    listed = client.get("/api/v1/oauth-clients", headers=admin).json()
    assert [(c["client_id"], c["client_name"], c["holders"]) for c in listed] == [
        (backpack.client_id, "Sac à dos du Puchot", 1)]
    assert client.post(f"/api/v1/oauth-clients/{backpack.client_id}/revoke", headers=admin).status_code == 200
    assert oauth.get(f"{backpack.base}{API}/credentials").status_code == 401
    assert client.get("/api/v1/oauth-clients").status_code == 401


# ------------------------------------------------------------------------------------------------ scopes


@pytest.mark.parametrize(("method", "path", "needed"), [
    ("GET", "/credentials", scopes.CREDENTIAL_READ), ("POST", "/credentials", scopes.CREDENTIAL_UPSERT),
    ("GET", "/profile", scopes.PROFILE_READ), ("PUT", "/profile", scopes.PROFILE_UPDATE)])
def test_each_endpoint_needs_its_scope(holder: TestClient, backpack: Backpack, method: str, path: str,
                                       needed: str) -> None:
    others = " ".join(s for s in scopes.ALL if s != needed)
    oauth, _ = connect(backpack, holder, scope=others)
    refused = oauth.request(method, f"{backpack.base}{API}{path}", json={})
    assert refused.status_code == 403
    assert _imsx(refused)["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "forbidden"
    missing = requests.request(method, f"{backpack.base}{API}{path}", json={}, timeout=HTTP_TIMEOUT)
    assert missing.status_code == 401 and _imsx(missing)
