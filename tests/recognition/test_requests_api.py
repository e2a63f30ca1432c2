"""The recognition process through the API (issue 14): a resident asks for a badge with evidence, follows it on a
private link, adds or withdraws evidence; the committee reviews, votes and decides; acceptance issues a badge that
verifies, with the evidence the resident agreed to publish."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select

from app.models import BadgeRequest, OutgoingEmail, RequestEvidence
from tests.conftest import BASE_URL, bearer

BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}
GPS_IFD = 0x8825


def _photo_with_gps() -> bytes:
    """A phone-like JPEG whose EXIF holds a GPS position."""
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (49.0, 26.0, 30.0), 3: "E", 4: (1.0, 5.0, 20.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def org(make_org: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return make_org("puchot")


@pytest.fixture
def key(org: dict[str, Any]) -> dict[str, str]:
    return bearer(org["api_key"]["token"])


@pytest.fixture
def badge(client: TestClient, key: dict[str, str]) -> str:
    created = client.post("/api/v1/achievements", json=BADGE, headers=key).json()
    assert client.post(f"/api/v1/achievements/{created['id']}/publish", headers=key).status_code == 200
    return str(created["id"])


@pytest.fixture
def members(client: TestClient, key: dict[str, str]) -> list[str]:
    ids = []
    for name, email in (("Fatou", "fatou@exemple.fr"), ("Karim", "karim@exemple.fr"), ("Lise", "lise@exemple.fr")):
        response = client.post("/api/v1/committee/members", json={"name": name, "email": email}, headers=key)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def _ask(client: TestClient, badge: str, *, files: tuple[tuple[str, bytes, str], ...] = (), **fields: Any) -> Any:
    body = {"achievement_id": badge, "name": "Sylvie", "email": "sylvie@exemple.fr", "level": "J'explore",
            "narrative": "J'ai animé l'atelier couture tout l'hiver.", **fields}
    parts = [("evidence", (name, data, media)) for name, data, media in files]
    return client.post("/api/v1/orgs/puchot/requests", data={"request": json.dumps(body)}, files=parts or None)


def _token(received: Any) -> str:
    assert received.status_code == 201, received.text
    return str(received.json()["follow_token"])


def _vote(client: TestClient, key: dict[str, str], request_id: str, member: str, choice: str,
          comment: str | None = None) -> Any:
    return client.post(f"/api/v1/requests/{request_id}/votes", headers=key,
                       json={"choice": choice, "member_id": member, **({"comment": comment} if comment else {})})


def test_a_request_is_received_and_followed_on_its_private_link(client: TestClient, badge: str) -> None:
    received = _ask(client, badge, files=(("photo.jpg", _photo_with_gps(), "image/jpeg"),))
    token = _token(received)
    assert received.json()["follow_url"] == f"{BASE_URL}/suivi/{token}"
    seen = client.get(f"/api/v1/request-links/{token}").json()
    assert (seen["state"], seen["level"], seen["achievement_name"]) == ("received", "J'explore", "Couture")
    assert [e["kind"] for e in seen["evidence"]] == ["image"]


def test_a_phone_photo_reaches_the_committee_without_its_gps_position(client: TestClient, badge: str,
                                                                       key: dict[str, str]) -> None:
    assert Image.open(io.BytesIO(_photo_with_gps())).getexif().get_ifd(GPS_IFD)  # the photo sent has a position
    request_id = _ask(client, badge, files=(("photo.jpg", _photo_with_gps(), "image/jpeg"),)).json()["id"]
    evidence = client.get(f"/api/v1/requests/{request_id}", headers=key).json()["evidence"][0]
    stored = client.get(f"/api/v1/requests/{request_id}/evidence/{evidence['id']}", headers=key)
    assert stored.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in stored.headers["content-security-policy"]
    image = Image.open(io.BytesIO(stored.content))
    assert not image.getexif() and "exif" not in image.info and not image.getexif().get_ifd(GPS_IFD)


def test_the_resident_is_sent_their_private_link(client: TestClient, app: Any, badge: str) -> None:
    _token(_ask(client, badge))
    with app.state.db.sessions() as session:
        sent = session.scalars(select(OutgoingEmail)).all()
    assert [(e.to_address, e.purpose) for e in sent] == [("sylvie@exemple.fr", "request.received")]
    assert "/suivi/" in sent[0].text_body


def test_a_hostile_file_refuses_the_request_and_nothing_is_kept(client: TestClient, app: Any, badge: str) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    refused = _ask(client, badge, files=(("photo.png", svg, "image/png"),))
    assert refused.status_code == 422 and refused.json()["message_fr"]
    with app.state.db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(BadgeRequest)) == 0
        assert session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0


@pytest.mark.parametrize("level", [None, "J'inventerais"])
def test_a_levelled_badge_needs_one_of_its_levels(client: TestClient, badge: str, level: str | None) -> None:
    refused = _ask(client, badge, level=level)
    assert refused.status_code == 422 and refused.json()["code"] == "level_required"
    assert "J'agis" in refused.json()["message_fr"]


def test_a_closed_form_takes_no_request(client: TestClient, badge: str, key: dict[str, str]) -> None:
    assert client.patch("/api/v1/committee/settings", json={"requests_open": False}, headers=key).status_code == 200
    closed = _ask(client, badge)
    assert closed.status_code == 409 and closed.json()["code"] == "requests_closed"


def test_only_a_published_badge_of_that_organisation_can_be_asked_for(client: TestClient, key: dict[str, str],
                                                                      make_org: Callable[..., dict[str, Any]]) -> None:
    draft = client.post("/api/v1/achievements", json=BADGE, headers=key).json()["id"]
    assert _ask(client, draft).status_code == 404
    other = bearer(make_org("autre")["api_key"]["token"])
    foreign = client.post("/api/v1/achievements", json=BADGE, headers=other).json()["id"]
    client.post(f"/api/v1/achievements/{foreign}/publish", headers=other)
    assert _ask(client, foreign).status_code == 404


def test_withdrawing_deletes_the_evidence(client: TestClient, app: Any, badge: str) -> None:
    token = _token(_ask(client, badge, files=(("photo.jpg", _photo_with_gps(), "image/jpeg"),)))
    withdrawn = client.post(f"/api/v1/request-links/{token}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    with app.state.db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(RequestEvidence)) == 0
        assert session.scalar(select(BadgeRequest.contact)) is None
    again = client.post(f"/api/v1/request-links/{token}/withdraw")
    assert again.status_code == 409 and again.json()["code"] == "request_closed"


def test_two_acceptances_issue_a_badge_that_verifies_with_the_consented_evidence(
        client: TestClient, badge: str, key: dict[str, str], members: list[str]) -> None:
    received = _ask(client, badge, publish_evidence=True, text_evidence="Merci pour les ourlets !", publish_name=True,
                    files=(("photo.jpg", _photo_with_gps(), "image/jpeg"),))  # her name published: a public badge
    token, request_id = _token(received), received.json()["id"]
    first = _vote(client, key, request_id, members[0], "accept")
    assert first.status_code == 200 and first.json()["state"] == "received" and first.json()["needed"] == 2
    second = _vote(client, key, request_id, members[1], "accept").json()
    assert second["state"] == "accepted" and second["award_id"]
    followed = client.get(f"/api/v1/request-links/{token}").json()
    credential = client.get(urlsplit(followed["credential_url"]).path).json()
    assert credential["credentialSubject"]["achievement"]["name"] == "Couture"
    evidence = credential["evidence"]
    assert [e["name"] for e in evidence] == ["Ce que j'ai fait", "Photo 1", "Témoignage 2"]
    photo = client.get(urlsplit(evidence[1]["id"]).path)
    assert photo.status_code == 200 and photo.headers["content-disposition"].startswith("attachment")
    report = client.post("/api/v1/verify", json={"credential": credential}).json()
    assert report["verified"] is True, report["checks"]


def test_without_consent_the_badge_carries_no_evidence_and_none_is_published(
        client: TestClient, badge: str, key: dict[str, str], members: list[str]) -> None:
    received = _ask(client, badge, publish_name=True,  # her name published (a public badge), not her evidence
                    files=(("photo.jpg", _photo_with_gps(), "image/jpeg"),))
    request_id = received.json()["id"]
    _vote(client, key, request_id, members[0], "accept")
    award_id = _vote(client, key, request_id, members[1], "accept").json()["award_id"]
    served = client.get(f"/credentials/{award_id}")
    assert served.status_code == 200, served.text
    assert "evidence" not in served.json()
    evidence_id = client.get(f"/api/v1/requests/{request_id}", headers=key).json()["evidence"][0]["id"]
    assert client.get(f"/preuves/{evidence_id}").status_code == 404


def test_a_member_cannot_vote_on_their_own_request(client: TestClient, badge: str, key: dict[str, str],
                                                    members: list[str]) -> None:
    request_id = _ask(client, badge, email="Fatou@Exemple.fr").json()["id"]
    refused = _vote(client, key, request_id, members[0], "accept")
    assert refused.status_code == 403 and refused.json()["code"] == "own_request"


def test_a_member_votes_once_per_round(client: TestClient, badge: str, key: dict[str, str],
                                       members: list[str]) -> None:
    request_id = _ask(client, badge).json()["id"]
    assert _vote(client, key, request_id, members[0], "accept").status_code == 200
    again = _vote(client, key, request_id, members[0], "decline", "Finalement non.")
    assert again.status_code == 409 and again.json()["code"] == "already_voted"


def test_a_decline_gives_the_committee_s_reason(client: TestClient, badge: str, key: dict[str, str],
                                                 members: list[str]) -> None:
    received = _ask(client, badge)
    request_id, token = received.json()["id"], _token(received)
    _vote(client, key, request_id, members[0], "decline", "Ce badge demande trois ateliers.")
    _vote(client, key, request_id, members[1], "decline", "Revenez au printemps !")
    seen = client.get(f"/api/v1/request-links/{token}").json()
    assert (seen["state"], seen["credential_url"]) == ("declined", None)
    assert sorted(seen["reason"].split("\n")) == ["Ce badge demande trois ateliers.", "Revenez au printemps !"]


@pytest.mark.parametrize("choice", ["decline", "more"])
def test_a_decline_or_a_question_needs_words_for_the_resident(client: TestClient, badge: str, key: dict[str, str],
                                                             members: list[str], choice: str) -> None:
    request_id = _ask(client, badge).json()["id"]
    refused = _vote(client, key, request_id, members[0], choice, "   ")
    assert refused.status_code == 422 and refused.json()["code"] == "comment_required"
    assert client.get(f"/api/v1/requests/{request_id}", headers=key).json()["votes"] == []


def test_asking_for_more_opens_a_second_round_when_the_resident_answers(
        client: TestClient, badge: str, key: dict[str, str], members: list[str]) -> None:
    received = _ask(client, badge, email=None)
    request_id, token = received.json()["id"], _token(received)
    _vote(client, key, request_id, members[0], "more", "Une photo de l'atelier ?")
    asked = _vote(client, key, request_id, members[1], "more", "Et la date ?").json()
    assert asked["state"] == "more_info"
    assert sorted(asked["question"].split("\n")) == ["Et la date ?", "Une photo de l'atelier ?"]
    assert _vote(client, key, request_id, members[2], "accept").json()["code"] == "not_open_for_votes"
    answered = client.post(f"/api/v1/request-links/{token}/evidence", data={"text": "Voici la photo."},
                           files=[("evidence", ("atelier.png", _png(), "image/png"))]).json()
    assert (answered["state"], answered["round"], len(answered["evidence"])) == ("received", 2, 2)
    _vote(client, key, request_id, members[0], "accept")
    accepted = _vote(client, key, request_id, members[1], "accept").json()
    assert accepted["state"] == "accepted"
    followed = client.get(f"/api/v1/request-links/{token}").json()
    assert followed["claim_code"]  # no contact was given: the code is on the private link


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def test_a_collective_request_issues_the_group_s_badge_and_one_per_member(
        client: TestClient, badge: str, key: dict[str, str], members: list[str]) -> None:
    received = _ask(client, badge, group_name="Les couturières du jeudi",
                    members=[{"name": "Awa", "email": "awa@exemple.fr"}, {"name": "Inès"}])
    request_id, token = received.json()["id"], _token(received)
    _vote(client, key, request_id, members[0], "accept")
    award_id = _vote(client, key, request_id, members[1], "accept").json()["award_id"]
    group_id = client.get(f"/api/v1/awards/{award_id}", headers=key).json()["group_id"]
    group = client.get(f"/api/v1/groups/{group_id}", headers=key).json()
    assert sorted((m["display_name"], m["recipient_kind"], len(m["award_ids"])) for m in group["members"]) == [
        ("Awa", "email", 1), ("Inès", "none", 1)]
    credential = client.get(f"/credentials/{award_id}").json()
    assert "Les couturières du jeudi" in json.dumps(credential, ensure_ascii=False)
    followed = client.get(f"/api/v1/request-links/{token}").json()
    assert followed["kind"] == "collective" and followed["claim_code"]  # Inès gave no address


def test_a_majority_of_the_members_decides_under_the_majority_rule(
        client: TestClient, badge: str, key: dict[str, str], members: list[str]) -> None:
    client.patch("/api/v1/committee/settings", json={"rule": "majority"}, headers=key)
    request_id = _ask(client, badge).json()["id"]
    assert _vote(client, key, request_id, members[0], "accept").json()["needed"] == 2  # 3 members: 2 decide
    client.post("/api/v1/committee/members", json={"name": "Noé", "email": "noe@exemple.fr"}, headers=key)
    still = _vote(client, key, request_id, members[1], "accept").json()
    assert (still["state"], still["needed"]) == ("received", 3)  # 4 members now: 3 decide
    assert _vote(client, key, request_id, members[2], "accept").json()["state"] == "accepted"


def test_the_committee_api_needs_the_review_scope(client: TestClient, key: dict[str, str]) -> None:
    created = client.post("/api/v1/api-keys", json={"scopes": ["issue", "read"]}, headers=key).json()
    other = bearer(created["token"])
    refused = client.get("/api/v1/requests", headers=other)
    assert refused.status_code == 403 and refused.json()["code"] == "missing_scope"


def _sent(app: Any, purpose: str) -> list[OutgoingEmail]:
    with app.state.db.sessions() as session:
        return list(session.scalars(select(OutgoingEmail).where(OutgoingEmail.purpose == purpose)))


def test_the_resident_is_told_the_decision_with_the_badge_s_link(client: TestClient, app: Any, badge: str,
                                                                  key: dict[str, str], members: list[str]) -> None:
    request_id = _ask(client, badge).json()["id"]
    _vote(client, key, request_id, members[0], "accept")
    award_id = _vote(client, key, request_id, members[1], "accept").json()["award_id"]
    [told] = _sent(app, "request.accepted")
    assert told.to_address == "sylvie@exemple.fr" and "Couture" in told.subject
    assert f"{BASE_URL}/mon-espace/badges/{award_id}" in told.text_body  # her space: signing in claims it


def test_a_question_reaches_the_resident_with_their_private_link(client: TestClient, app: Any, badge: str,
                                                                  key: dict[str, str], members: list[str]) -> None:
    received = _ask(client, badge)
    _vote(client, key, received.json()["id"], members[0], "more", "Combien d'ateliers ?")
    _vote(client, key, received.json()["id"], members[1], "more", "Et quand ?")
    [told] = _sent(app, "request.more_info")
    assert "Combien d'ateliers ?" in told.text_body and received.json()["follow_url"] in told.text_body


def test_a_resident_without_an_address_is_sent_nothing(client: TestClient, app: Any, badge: str,
                                                       key: dict[str, str], members: list[str]) -> None:
    request_id = _ask(client, badge, email=None, phone="06 12 34 56 78").json()["id"]
    _vote(client, key, request_id, members[0], "decline", "Pas encore.")
    _vote(client, key, request_id, members[1], "decline", "Bientôt !")
    assert _sent(app, "request.declined") == [] and _sent(app, "request.received") == []


def test_a_hostile_file_added_later_is_refused_and_nothing_changes(client: TestClient, app: Any, badge: str) -> None:
    token = _token(_ask(client, badge))
    fake_pdf = b"<html><script>alert(1)</script></html>"
    refused = client.post(f"/api/v1/request-links/{token}/evidence",
                          files=[("evidence", ("attestation.pdf", fake_pdf, "application/pdf"))])
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_upload"
    with app.state.db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(RequestEvidence)) == 0
    assert client.get(f"/api/v1/request-links/{token}").json()["evidence"] == []


def test_a_phone_number_that_cannot_be_read_is_refused_in_words(client: TestClient, badge: str) -> None:
    refused = _ask(client, badge, email=None, phone="+0123456")
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_phone"
