"""The resources of the Open Badges 3.0 API, as a backpack reads and writes them: the holder's credentials (paged,
each verifying), a credential pushed (verified first; created, replaced by a newer one, unchanged by an older one),
as JSON or compact JWS, and the holder's profile."""

from __future__ import annotations

import copy
import json
from typing import Any

import requests
from fastapi.testclient import TestClient
from jsonschema import Draft201909Validator

from app.services.verification import verify_badge
from tests.conftest import ROOT
from tests.ob3_api.conftest import API, Backpack, connect, give
from tests.signin.conftest import csrf_of, words

SCHEMAS = ROOT / "tests" / "vectors" / "ob3-json-schemas-2024-04-03"
OTHER = "karim@exemple.fr"


def _validator(name: str) -> Draft201909Validator:
    return Draft201909Validator(json.loads((SCHEMAS / f"ob_v3p0_{name}_schema.jsonld-variant.json").read_text()))


def _links(answer: requests.Response) -> dict[str, str]:
    return {rel: url for url, rel in
            ((part.split(";")[0].strip(" <>"), part.split('rel="')[1].rstrip('"')) for part in
             answer.headers["link"].split(", "))}


def test_credentials_come_in_pages_with_their_count_and_links(holder: TestClient, backpack: Backpack,
                                                               client: TestClient, key: dict[str, str], badge: str,
                                                               app: Any) -> None:
    for _ in range(3):
        give(client, key, badge)
    oauth, _ = connect(backpack, holder)
    first = oauth.get(f"{backpack.base}{API}/credentials", params={"limit": 2})
    assert first.status_code == 200
    _validator("getopenbadgecredentialsresponse").validate(first.json())
    assert first.headers["x-total-count"] == "3" and len(first.json()["credential"]) == 2
    links = _links(first)
    assert set(links) == {"next", "last", "first"}
    second = oauth.get(links["next"])
    assert len(second.json()["credential"]) == 1 and set(_links(second)) == {"last", "first", "prev"}
    every = first.json()["credential"] + second.json()["credential"]
    assert len({c["id"] for c in every}) == 3
    for credential in every:
        assert verify_badge(app.state.ctx, app.state.settings, credential=credential).verified


def test_a_bad_paging_parameter_is_a_400(holder: TestClient, backpack: Backpack) -> None:
    oauth, _ = connect(backpack, holder)
    for params in ({"limit": 0}, {"offset": -1}, {"since": "hier"}):
        answer = oauth.get(f"{backpack.base}{API}/credentials", params=params)
        assert answer.status_code == 400, params
        assert answer.json()["imsx_codeMajor"] == "failure"


def _someone_elses(client: TestClient, key: dict[str, str], badge: str) -> dict[str, Any]:
    """A credential issued to another person (public), as any verifier reads it."""
    award = give(client, key, badge, OTHER, public=True)
    return dict(client.get(f"/credentials/{award['id']}", headers={"Accept": "application/ld+json"}).json())


def test_a_pushed_credential_is_created_then_replaced_by_a_newer_one(holder: TestClient, backpack: Backpack,
                                                                      client: TestClient, key: dict[str, str],
                                                                      badge: str) -> None:
    credential = _someone_elses(client, key, badge)
    oauth, _ = connect(backpack, holder)
    url = f"{backpack.base}{API}/credentials"
    created = oauth.post(url, json=credential)
    assert created.status_code == 201, created.text
    assert created.json() == credential
    assert oauth.post(url, json=credential, headers={"Content-Type": "application/vc+ld+json"}).status_code == 200
    listed = oauth.get(url).json()["credential"]
    assert credential in listed


def test_a_credential_whose_proof_fails_is_refused_and_not_stored(holder: TestClient, backpack: Backpack,
                                                                   client: TestClient, key: dict[str, str],
                                                                   badge: str) -> None:
    tampered = copy.deepcopy(_someone_elses(client, key, badge))
    tampered["credentialSubject"]["achievement"]["name"] = "Diplôme d'ingénieur"
    oauth, _ = connect(backpack, holder)
    refused = oauth.post(f"{backpack.base}{API}/credentials", json=tampered)
    assert refused.status_code == 400 and "credential_not_verified" in refused.json()["imsx_description"]
    assert oauth.get(f"{backpack.base}{API}/credentials").json() == {"credential": [], "compactJwsString": []}


def test_a_compact_jws_is_pushed_as_text(holder: TestClient, backpack: Backpack, client: TestClient,
                                         key: dict[str, str], badge: str) -> None:
    award = give(client, key, badge, OTHER, public=True)
    jws = client.get(f"/credentials/{award['id']}", headers={"Accept": "application/jwt"}).text
    assert jws.count(".") == 2
    oauth, _ = connect(backpack, holder)
    url = f"{backpack.base}{API}/credentials"
    created = oauth.post(url, data=jws, headers={"Content-Type": "text/plain"})
    assert created.status_code == 201, created.text
    assert oauth.get(url).json()["compactJwsString"] == [jws]


def test_the_profile_is_read_back_as_put(holder: TestClient, backpack: Backpack) -> None:
    oauth, _ = connect(backpack, holder)
    url = f"{backpack.base}{API}/profile"
    assert oauth.get(url).status_code == 404
    profile = {"id": "https://sac.example/profils/sylvie", "type": ["Profile"], "name": "Sylvie"}
    put = oauth.put(url, json=profile)
    assert put.status_code == 200 and put.json() == profile
    assert oauth.get(url).json() == profile
    refused = oauth.put(url, json={"name": "sans id ni type"})
    assert refused.status_code == 400 and refused.json()["imsx_codeMajor"] == "failure"
    assert oauth.get(url).json() == profile


def test_a_received_credential_shows_in_the_space_with_the_verdict_it_had(holder: TestClient, backpack: Backpack,
                                                                          client: TestClient, key: dict[str, str],
                                                                          badge: str) -> None:
    good = _someone_elses(client, key, badge)
    withdrawn = give(client, key, badge, "leila@exemple.fr", public=True)
    assert client.post(f"/api/v1/awards/{withdrawn['id']}/revoke", headers=key).status_code == 200
    revoked = dict(client.get(f"/credentials/{withdrawn['id']}", headers={"Accept": "application/ld+json"}).json())
    oauth, _ = connect(backpack, holder)
    for credential in (good, revoked):
        assert oauth.post(f"{backpack.base}{API}/credentials", json=credential).status_code == 201
    page = words(holder.get("/mon-espace"))
    section = page[page.index('id="recus"'):]
    assert section.count('class="item received"') == 2
    assert "Cuisine du monde" in section and "Donné par" in section
    assert "Vérifié : authentique" in section and "Retiré par l'organisme qui l'a donné" in section
    assert "Withdrawn by the organisation" in words(holder.get("/mon-espace?lang=en"))


def test_a_space_without_received_credentials_has_no_such_section(holder: TestClient) -> None:
    assert 'id="recus"' not in holder.get("/mon-espace").text


def test_erasing_ones_data_erases_what_the_space_received_and_ends_every_applications_access(
        holder: TestClient, backpack: Backpack, client: TestClient, key: dict[str, str], badge: str) -> None:
    oauth, _ = connect(backpack, holder)
    url = f"{backpack.base}{API}/credentials"
    assert oauth.post(url, json=_someone_elses(client, key, badge)).status_code == 201
    page = holder.get("/mon-espace/effacer")
    asked = holder.post("/mon-espace/effacer", data={"csrf": csrf_of(page), "lang": "fr", "credentials": "keep"},
                        follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"] == "/mon-espace/effacer?asked=0"
    assert "Les badges reçus d'ailleurs et les liens avec vos sacs à badges sont effacés." in words(holder.get(
        asked.headers["location"]))
    assert 'id="recus"' not in holder.get("/mon-espace").text
    assert oauth.get(url).status_code == 401
