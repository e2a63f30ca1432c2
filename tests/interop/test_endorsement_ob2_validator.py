"""Endorsements in Open Badges 2.0 through the 1EdTech validator (``openbadges`` 1.1.2, ``interop/.venv-ob2``), against
the real service, as in ``test_ob2_validator.py``.

A centre's badge is endorsed by the town hall (another organisation of the service), and so is the centre itself:
the hosted and the signed Assertion of a badge awarded afterwards are **valid**, the validator having fetched the
BadgeClass's ``endorsement`` (an OB 2.0 Endorsement, hosted) and, through it, the town hall's OB 2.0 Issuer and key.
An Endorsement URL is an input the validator takes on its own (it detects the ``Endorsement`` class and validates
it, its ``claim`` and its endorser's Issuer): valid too.

A person (a resident the service hosts) endorses another badge: her OB 2.0 Issuer names her only (no ``email``,
her OB 3.0 Profile as ``url``, no ``publicKey``), and the validator accepts it, alone and as the endorser of a badge
whose assertion it validates. (Its Issuer class declares ``email`` required, but 1.1.2 never runs that check: the
EMAIL value type is not among the ones it validates.) That part needs the emailed sign-in code, so it runs on an
in-process live service whose outbox the test reads.

An endorsement taken back answers 410 Gone with ``revoked: true`` (as a revoked hosted assertion does): the validator
reports it invalid, though not as revoked (the body has no ``type``, so it finds no class to validate it as).
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import ADMIN_TOKEN as LIVE_ADMIN_TOKEN
from tests.interop.conftest import ADMIN_TOKEN, ROOT, ok, unavailable
from tests.interop.test_ob2_validator import SCRIPT, STAMP, VENV_PYTHON
from tests.live_server import live_service

pytestmark = pytest.mark.interop

LD = {"Accept": "application/ld+json"}
BADGE = {"name": "Couture", "description": "Coudre ensemble, à l'atelier du jeudi.",
         "criteria": {"narrative": "Avoir cousu au moins trois fois avec le groupe."}}
SYLVIE = "sylvie.ob2e@exemple.fr"
FATOU = "fatou.ob2e@exemple.fr"
_CODE = re.compile(r"^ {4}(\d{3}) (\d{3})\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def validator() -> Path:
    if not VENV_PYTHON.is_file() or not STAMP.is_file():
        unavailable("the OB 2.0 validator venv interop/.venv-ob2 is missing or incomplete")
    return VENV_PYTHON


def _validate(validator: Path, origin: str, jobs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    done = subprocess.run([str(validator), str(SCRIPT), "--allow", origin, "--batch", "-"], input=json.dumps(jobs),
                          capture_output=True, text=True, timeout=240, cwd=ROOT, check=False)
    assert done.returncode == 0, f"validate.py failed ({done.returncode}):\n{done.stderr[-3000:]}"
    results = {r["id"]: r for r in (json.loads(line) for line in done.stdout.splitlines() if line.strip())}
    assert list(results) == [j["id"] for j in jobs], done.stdout[-3000:]
    return results


def _org(http: httpx.Client, slug: str, name: str, admin_token: str = ADMIN_TOKEN) -> dict[str, str]:
    created = ok(http.post("/api/v1/orgs", headers={"Authorization": f"Bearer {admin_token}"}, json={
        "slug": slug, "name": name, "url": f"https://{slug}.example", "email": f"contact@{slug}.example"}), 201)
    return {"Authorization": f"Bearer {created['api_key']['token']}"}


def _badge(http: httpx.Client, centre: dict[str, str], name: str = "Couture") -> str:
    draft = ok(http.post("/api/v1/achievements", json={**BADGE, "name": name}, headers=centre), 201)
    return str(ok(http.post(f"/api/v1/achievements/{draft['id']}/publish", headers=centre))["id"])


def _ask(http: httpx.Client, centre: dict[str, str], about: dict[str, Any], endorser: dict[str, Any]) -> Any:
    return ok(http.post("/api/v1/endorsements", headers=centre, json={"about": about, "endorser": endorser}), 201)


def _by_town_hall(http: httpx.Client, centre: dict[str, str], town_hall: dict[str, str],
                  about: dict[str, Any], comment: str) -> str:
    asked = _ask(http, centre, about, {"organisation": "ob2e-mairie"})
    ok(http.post(f"/api/v1/endorsements/incoming/{asked['id']}/accept", headers=town_hall, json={"comment": comment}))
    return str(asked["id"])


def _document(http: httpx.Client, url: str) -> dict[str, Any]:
    return dict(ok(http.get(urlsplit(url).path, headers=LD)))


def _show(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=1, ensure_ascii=False)


def _assert_valid(result: dict[str, Any]) -> None:
    assert result["valid"] is True and result["errors"] == [] and result["warnings"] == [], _show(result)
    assert result["openBadgesVersion"] == "2.0", _show(result)
    refused = [f for f in result["fetched"] if f["answer"] == "refused" or str(f["answer"]).startswith("error")]
    assert not refused, _show(result)


def _answers(result: dict[str, Any], url: str) -> list[object]:
    return [f["answer"] for f in result["fetched"] if f["url"] == url]


# --- an organisation endorses, on the served instance ------------------------------------------------------------

@pytest.fixture(scope="module")
def by_organisation(http: httpx.Client, server: str, validator: Path) -> dict[str, Any]:
    """The town hall endorses the centre's badge and the centre; a badge is awarded afterwards; another endorsement
    of the badge is given and taken back. Every input through the validator in one run."""
    centre, town_hall = _org(http, "ob2e-centre", "Centre social du Puchot"), _org(http, "ob2e-mairie",
                                                                                     "Mairie de Rouen")
    badge = _badge(http, centre)
    endorsement = _by_town_hall(http, centre, town_hall, {"kind": "achievement", "id": badge},
                                "La mairie soutient les ateliers couture du Puchot.")
    _by_town_hall(http, centre, town_hall, {"kind": "organisation"}, "Un partenaire fiable du quartier.")
    taken_back = _by_town_hall(http, centre, town_hall, {"kind": "achievement", "id": badge}, "Retirée ensuite.")
    ok(http.post(f"/api/v1/endorsements/incoming/{taken_back}/revoke", headers=town_hall))
    award = ok(http.post(f"/api/v1/achievements/{badge}/awards", headers=centre,
                         json={"recipient": {"email": SYLVIE, "public": True}}), 201)
    hosted = _document(http, award["links"]["ob2_assertion"])
    badge_class = _document(http, hosted["badge"])
    url = f"{server}/ob2/endorsements/{endorsement}"
    jobs = [{"id": "hosted", "url": award["links"]["ob2_assertion"], "recipient": SYLVIE},
            {"id": "signed", "text": http.get(award["links"]["ob2_signed"]).text.strip(), "recipient": SYLVIE},
            {"id": "endorsement", "url": url},
            {"id": "taken-back", "url": f"{server}/ob2/endorsements/{taken_back}"}]
    return {"results": _validate(validator, server, jobs), "badge_class": badge_class, "endorsement": url,
            "document": _document(http, url), "issuer": _document(http, badge_class["issuer"])}


@pytest.mark.parametrize("job", ["hosted", "signed"])
def test_the_assertion_of_an_endorsed_badge_is_valid(by_organisation: dict[str, Any], job: str) -> None:
    _assert_valid(by_organisation["results"][job])


@pytest.mark.parametrize("job", ["hosted", "signed"])
def test_the_validator_fetched_the_endorsement_the_endorser_and_its_key(by_organisation: dict[str, Any],
                                                                        job: str) -> None:
    result, endorsement = by_organisation["results"][job], by_organisation["document"]
    assert by_organisation["badge_class"]["endorsement"] == [by_organisation["endorsement"]]  # not the one taken back
    assert _answers(result, by_organisation["endorsement"]) == [200], _show(result)
    assert _answers(result, endorsement["issuer"]) == [200], _show(result)
    for named in by_organisation["issuer"].get("endorsement", []):  # the centre's own, once its Issuer names them
        assert _answers(result, named) == [200], _show(result)


def test_the_endorsement_alone_is_a_valid_input(by_organisation: dict[str, Any]) -> None:
    result = by_organisation["results"]["endorsement"]
    _assert_valid(result)
    assert _answers(result, by_organisation["document"]["issuer"]) == [200], _show(result)


def test_an_endorsement_taken_back_is_not_valid(by_organisation: dict[str, Any]) -> None:
    """The 410 body (``revoked: true``, no ``type``) is refused, by the validator's class detection: it has no
    notion of a revoked Endorsement."""
    result = by_organisation["results"]["taken-back"]
    assert [f["answer"] for f in result["fetched"] if "/ob2/endorsements/" in f["url"]] == [410], _show(result)
    assert result["valid"] is False, _show(result)
    assert {e["name"] for e in result["errors"]} == {"DETECT_AND_VALIDATE_NODE_CLASS"}, _show(result)


# --- a person endorses, on an in-process live service (her sign-in code read from its outbox) ---------------------

def _code_in(outbox: Path, address: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for path in sorted(outbox.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",))
            found = _CODE.search(str(body.get_content()) if body is not None else "")
            if address in str(message["To"]) and found:
                return found.group(1) + found.group(2)
        time.sleep(0.05)
    raise AssertionError(f"no sign-in code for {address}")


@pytest.fixture(scope="module")
def by_person(validator: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("ob2-person-endorser")
    with live_service(tmp) as live:
        http = live.http
        centre = _org(http, "ob2e-centre", "Centre social du Puchot", LIVE_ADMIN_TOKEN)
        badge = _badge(http, centre, "Cuisine du monde")
        asked = _ask(http, centre, {"kind": "achievement", "id": badge}, {"name": "Fatou Diallo", "email": FATOU})
        ok(http.post("/api/v1/signin/challenges", json={"email": FATOU}), 202)
        ok(http.post("/api/v1/signin/code", json={"email": FATOU, "code": _code_in(tmp / "var" / "outbox", FATOU)}))
        token = urlsplit(asked["link"]).path.rsplit("/", 1)[1]
        ok(http.post(f"/api/v1/endorsement-links/{token}/accept", json={"comment": "Le Puchot m'a appris à cuisiner."}))
        award = ok(http.post(f"/api/v1/achievements/{badge}/awards", headers=centre,
                             json={"recipient": {"email": SYLVIE, "public": True}}), 201)
        [url] = _document(http, f"/ob2/badges/{badge}")["endorsement"]
        issuer = http.get(urlsplit(_document(http, url)["issuer"]).path, headers=LD)
        jobs = [{"id": "hosted", "url": award["links"]["ob2_assertion"], "recipient": SYLVIE},
                {"id": "issuer", "url": issuer.json()["id"]}]
        yield {"results": _validate(validator, live.base, jobs), "issuer": issuer, "endorsement": url}


def test_a_person_s_issuer_names_her_only_and_is_valid(by_person: dict[str, Any]) -> None:
    issuer = by_person["issuer"]
    assert FATOU not in issuer.text and "email" not in issuer.json() and "publicKey" not in issuer.json()
    assert issuer.json()["url"].endswith("/profile")
    _assert_valid(by_person["results"]["issuer"])


def test_the_assertion_of_a_badge_a_person_endorsed_is_valid(by_person: dict[str, Any]) -> None:
    result = by_person["results"]["hosted"]
    _assert_valid(result)
    assert _answers(result, by_person["endorsement"]) == [200], _show(result)
    assert _answers(result, by_person["issuer"].json()["id"]) == [200], _show(result)
