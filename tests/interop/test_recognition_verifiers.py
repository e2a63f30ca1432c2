"""A badge the committee accepted (issue 14), carrying the evidence its resident agreed to publish (their words, a
photo at its public URL, a short text), verifies in Digital Bazaar ``@digitalbazaar/vc`` and DCC
``@digitalcredentials/verifier-core`` against the live service, as any award does."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.interop.test_ob3_verifiers import LD_VERIFIERS, Org, _assert_accepted, _show, _verify

pytestmark = pytest.mark.interop


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 160)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def accepted(http: httpx.Client) -> dict[str, Any]:
    org = Org(http, "comite")
    members = [http.post("/api/v1/committee/members", headers=org.headers, json={
        "name": name, "email": f"{name.lower()}@example.org"}).json()["id"] for name in ("Fatou", "Karim")]
    body = {"achievement_id": org.achievement["id"], "name": "Sylvie", "email": "sylvie@example.org",
            "level": "J'explore", "narrative": "J'ai animé l'atelier cuisine tout l'hiver.", "publish_evidence": True,
            "text_evidence": "Merci pour la soupe de potimarron !", "publish_name": True}  # her name: a public badge
    received = http.post("/api/v1/orgs/comite/requests", data={"request": json.dumps(body)},
                         files=[("evidence", ("atelier.jpg", _photo(), "image/jpeg"))])
    assert received.status_code == 201, received.text
    for member in members:
        voted = http.post(f"/api/v1/requests/{received.json()['id']}/votes", headers=org.headers,
                          json={"choice": "accept", "member_id": member})
        assert voted.status_code == 200, voted.text
    award_id = voted.json()["award_id"]
    credential: dict[str, Any] = http.get(f"/credentials/{award_id}",
                                          headers={"Accept": "application/ld+json"}).json()
    return credential


def test_the_accepted_badge_carries_the_consented_evidence(accepted: dict[str, Any]) -> None:
    kinds = [e.get("genre", "narrative") for e in accepted["evidence"]]
    assert kinds == ["narrative", "Photo", "narrative"], accepted["evidence"]


@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_independent_verifiers_accept_the_committee_s_badge(node: str, accepted: dict[str, Any],
                                                            verifier: str) -> None:
    result = _verify(node, [{"id": verifier, "verifier": verifier, "credential": accepted}])[verifier]
    _assert_accepted(result)
    assert result["verified"] is True, _show(result)
