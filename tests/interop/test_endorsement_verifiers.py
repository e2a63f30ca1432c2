"""Endorsements issued by savoirs (issue 15) in the independent verifiers, against a served instance whose sign-in
messages go through a real SMTP server.

A centre asks the town hall (another organisation of the service, which answers through its API key) to endorse
its badge, and a resident (a person, who signs in with the code she receives by email) to endorse the centre. Both
EndorsementCredentials verify on their own in Digital Bazaar ``vc`` and DCC ``verifier-core``; a badge awarded
afterwards carries the town hall's endorsement inside its achievement, an award endorsed by the town hall carries
it at its top, and both still verify in both. Revoked, the town hall's endorsement reads as revoked in both.
"""

from __future__ import annotations

import email
import email.policy
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.interop.test_ob3_verifiers import LD_VERIFIERS, _assert_accepted, _show, _verify
from tests.live_server import LiveService, live_service
from tests.mail.conftest import Recorder, SmtpServer, free_port

pytestmark = pytest.mark.interop

BADGE = {"name": "Couture", "description": "Coudre ensemble, à l'atelier du jeudi.",
         "criteria": {"narrative": "Avoir cousu au moins trois fois avec le groupe."}}
FATOU = "fatou.endorse@exemple.fr"
_CODE = re.compile(r"^ {4}(\d{3}) (\d{3})\s*$", re.MULTILINE)


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def _org(live: LiveService, slug: str, name: str) -> dict[str, str]:
    created = _ok(live.http.post("/api/v1/orgs", headers=live.admin(), json={
        "slug": slug, "name": name, "url": f"https://{slug}.example", "email": f"contact@{slug}.example"}), 201)
    return {"Authorization": f"Bearer {created['api_key']['token']}"}


def _code_for(recorder: Recorder, address: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for envelope in recorder.received:
            if address in envelope.rcpt_tos:
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[arg-type]
                body = message.get_body(preferencelist=("plain",))
                found = _CODE.search(str(body.get_content()) if body is not None else "")
                if found:
                    return found.group(1) + found.group(2)
        time.sleep(0.05)
    raise AssertionError(f"no sign-in code for {address}")


def _document(live: LiveService, url: str) -> dict[str, Any]:
    return dict(_ok(live.http.get(urlsplit(url).path, headers={"Accept": "application/ld+json"})))


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    smtp = SmtpServer("127.0.0.1", free_port(), Recorder())
    smtp.start()
    tmp: Path = tmp_path_factory.mktemp("endorsements")
    try:
        with live_service(tmp, smtp_url=smtp.url, mail_from="savoirs <ne-pas-repondre@savoirs.example>") as live:
            centre, mairie = _org(live, "centre", "Centre social du Puchot"), _org(live, "mairie", "Mairie de Rouen")
            draft = _ok(live.http.post("/api/v1/achievements", json=BADGE, headers=centre), 201)
            badge = _ok(live.http.post(f"/api/v1/achievements/{draft['id']}/publish", headers=centre))["id"]
            # the town hall endorses the badge, through its API key
            asked = _ok(live.http.post("/api/v1/endorsements", headers=centre, json={
                "about": {"kind": "achievement", "id": badge}, "endorser": {"organisation": "mairie"}}), 201)
            given = _ok(live.http.post(f"/api/v1/endorsements/incoming/{asked['id']}/accept", headers=mairie,
                                       json={"comment": "La mairie soutient les ateliers couture du Puchot."}))
            town_hall = _document(live, given["url"])
            # a badge awarded afterwards carries it in its achievement
            award = _ok(live.http.post(f"/api/v1/achievements/{badge}/awards", headers=centre,
                                       json={"recipient": {"email": "sylvie@exemple.fr", "public": True}}), 201)
            awarded_after = _document(live, award["links"]["credential"])
            # the holder agrees, and the town hall endorses that award itself
            about_award = _ok(live.http.post("/api/v1/endorsements", headers=centre, json={
                "about": {"kind": "award", "id": award["id"]}, "endorser": {"organisation": "mairie"}}), 201)
            consent = urlsplit(about_award["link"]).path.rsplit("/", 1)[1]
            _ok(live.http.post(f"/api/v1/endorsement-consents/{consent}", json={"consent": True}))
            _ok(live.http.post(f"/api/v1/endorsements/incoming/{about_award['id']}/accept", headers=mairie,
                               json={"comment": "Sylvie a animé l'atelier tout l'hiver."}))
            endorsed_award = _document(live, award["links"]["credential"])
            # a resident endorses the centre: her link, her address proven by the emailed code
            person = _ok(live.http.post("/api/v1/endorsements", headers=centre, json={
                "about": {"kind": "organisation"}, "endorser": {"name": "Fatou Diallo", "email": FATOU}}), 201)
            _ok(live.http.post("/api/v1/signin/challenges", json={"email": FATOU}), 202)
            _ok(live.http.post("/api/v1/signin/code", json={"email": FATOU, "code": _code_for(smtp.handler, FATOU)}))
            token = urlsplit(person["link"]).path.rsplit("/", 1)[1]
            by_fatou = _ok(live.http.post(f"/api/v1/endorsement-links/{token}/accept",
                                          json={"comment": "Le Puchot m'a appris à coudre, et à transmettre."}))
            resident = _document(live, by_fatou["url"])
            # revoked by the town hall: the same credential now reads as revoked
            revoked_asked = _ok(live.http.post("/api/v1/endorsements", headers=centre, json={
                "about": {"kind": "organisation"}, "endorser": {"organisation": "mairie"}}), 201)
            revoked_given = _ok(live.http.post(f"/api/v1/endorsements/incoming/{revoked_asked['id']}/accept",
                                               headers=mairie, json={"comment": "Retirée ensuite."}))
            _ok(live.http.post(f"/api/v1/endorsements/incoming/{revoked_asked['id']}/revoke", headers=mairie))
            revoked = _document(live, revoked_given["url"])
            yield {"town_hall": town_hall, "resident": resident, "awarded_after": awarded_after,
                   "endorsed_award": endorsed_award, "revoked": revoked}
    finally:
        smtp.stop()


def _jobs(issued: dict[str, Any], names: list[str]) -> list[dict[str, Any]]:
    return [{"id": f"{name}:{verifier}", "verifier": verifier, "credential": issued[name]}
            for name in names for verifier in LD_VERIFIERS]


def test_the_endorsements_are_signed_by_each_endorser(issued: dict[str, Any]) -> None:
    assert issued["town_hall"]["issuer"]["name"] == "Mairie de Rouen"
    assert issued["resident"]["issuer"] == {"id": issued["resident"]["issuer"]["id"], "type": ["Profile"],
                                            "name": "Fatou Diallo"}
    assert issued["awarded_after"]["credentialSubject"]["achievement"]["endorsement"] == [issued["town_hall"]]
    [on_award] = issued["endorsed_award"]["endorsement"]
    assert on_award["credentialSubject"]["id"] == issued["endorsed_award"]["id"]


@pytest.mark.parametrize("name", ["town_hall", "resident"])
def test_independent_verifiers_accept_each_endorsement_on_its_own(node: str, issued: dict[str, Any],
                                                                  name: str) -> None:
    results = _verify(node, _jobs(issued, [name]))
    for result in results.values():
        _assert_accepted(result)


@pytest.mark.parametrize("name", ["awarded_after", "endorsed_award"])
def test_badges_carrying_endorsements_still_verify(node: str, issued: dict[str, Any], name: str) -> None:
    results = _verify(node, _jobs(issued, [name]))
    for result in results.values():
        _assert_accepted(result)


def test_a_revoked_endorsement_reads_as_revoked(node: str, issued: dict[str, Any]) -> None:
    results = _verify(node, _jobs(issued, ["revoked"]))
    for job, result in results.items():
        assert result["status"]["checked"] is True and result["revoked"] is True, (job, _show(result))
