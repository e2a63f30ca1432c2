"""Baked badges over HTTP, and uploaded badge images: bake then unbake gives back the identical credential."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.badges import baking
from app.badges.default_image import default_png
from app.badges.images import read_png_chunks
from app.signing.data_integrity import list_proofs, verify_proof
from app.signing.loader import make_loader
from app.signing.multikey import decode_public_key
from tests.conftest import bearer

BASE = "https://badges.example.org"
BADGE = {"name": "Jardin partagé", "description": "Cultiver ensemble le jardin du quartier.",
         "criteria": {"narrative": "A participé à une saison de jardinage."}}
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)">'
       b'<script>alert(2)</script><circle cx="5" cy="5" r="4" fill="#1d4e89"/></svg>')


def _achievement(client: TestClient, token: str, image: tuple[bytes, str] | None = None) -> dict[str, Any]:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    if image is not None:
        response = client.put(f"/api/v1/achievements/{created['id']}/image", content=image[0],
                              headers={**bearer(token), "Content-Type": image[1]})
        assert response.status_code == 200, response.text
    return client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token)).json()  # type: ignore


def _award(client: TestClient, token: str, achievement: dict[str, Any]) -> dict[str, Any]:
    """An award issued public (its recipient agreed): its baked images are served at its address."""
    response = client.post(f"/api/v1/achievements/{achievement['id']}/awards",
                           json={"recipient": {"email": "zoe@example.fr", "public": True}}, headers=bearer(token))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _get(client: TestClient, url: str) -> Any:
    response = client.get(url.removeprefix(BASE))
    assert response.status_code == 200, response.text
    return response


@pytest.fixture
def award(client: TestClient, token: str) -> dict[str, Any]:
    return _award(client, token, _achievement(client, token))


def _verify(client: TestClient, credential: dict[str, Any]) -> None:
    (ref,) = list_proofs(credential)
    slug = ref.verification_method.partition("#")[0].split(":")[-1]
    (vm,) = [m for m in client.get(f"/orgs/{slug}/did.json").json()["verificationMethod"]
             if m["id"] == ref.verification_method]
    verify_proof(credential, ref.proof, public_key=decode_public_key(vm["publicKeyMultibase"]), loader=make_loader())


@pytest.mark.parametrize("extension", ["png", "svg"])
def test_baked_ob3_badge_carries_the_identical_verifiable_credential(client: TestClient, award: dict[str, Any],
                                                                    extension: str) -> None:
    response = _get(client, award["links"][f"baked_{extension}"])
    assert response.headers["content-type"] == {"png": "image/png", "svg": "image/svg+xml"}[extension]
    unbaked = baking.unbake(response.content)
    assert unbaked.version == "ob3"
    credential = json.loads(unbaked.payload)
    assert credential == _get(client, award["links"]["credential"]).json()
    _verify(client, credential)


def test_baked_png_uses_the_openbadgecredential_itxt_chunk_once(client: TestClient, award: dict[str, Any]) -> None:
    chunks = read_png_chunks(_get(client, award["links"]["baked_png"]).content)
    itxt = [c for c in chunks if c.type == b"iTXt"]
    assert len(itxt) == 1 and itxt[0].data.startswith(b"openbadgecredential\x00\x00\x00")


@pytest.mark.parametrize("extension", ["png", "svg"])
def test_baked_ob2_hosted_badge_carries_the_hosted_assertion(client: TestClient, award: dict[str, Any],
                                                            extension: str) -> None:
    content = _get(client, award["links"][f"ob2_baked_{extension}"]).content
    unbaked = baking.unbake(content)
    hosted = _get(client, award["links"]["ob2_assertion"]).json()
    assert unbaked.version == "ob2"
    if extension == "svg":
        badge = baking.read_svg_badge(content)
        assert badge.verify == award["links"]["ob2_assertion"] and json.loads(badge.body or "") == hosted
    else:
        assert json.loads(unbaked.payload) == hosted


@pytest.mark.parametrize("extension", ["png", "svg"])
def test_baked_ob2_signed_badge_carries_the_jws(client: TestClient, award: dict[str, Any], extension: str) -> None:
    response = client.get(award["links"][f"ob2_baked_{extension}"].removeprefix(BASE), params={"signed": "true"})
    assert response.status_code == 200
    unbaked = baking.unbake(response.content)
    assert unbaked.version == "ob2"
    assert unbaked.payload == _get(client, award["links"]["ob2_signed"]).text  # RS256 is deterministic


def test_baked_images_are_served_with_a_strict_policy(client: TestClient, award: dict[str, Any]) -> None:
    response = _get(client, award["links"]["baked_svg"])
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_revoked_award_has_no_hosted_baked_assertion(client: TestClient, token: str, award: dict[str, Any]) -> None:
    client.post(f"/api/v1/awards/{award['id']}/revoke", json={}, headers=bearer(token)).raise_for_status()
    assert client.get(award["links"]["ob2_baked_png"].removeprefix(BASE)).status_code == 410


def test_unknown_award_baked_image_is_404(client: TestClient) -> None:
    assert client.get("/credentials/nope/badge.png").status_code == 404
    assert client.get("/credentials/nope/badge.gif").status_code == 422


def test_uploaded_png_is_the_base_of_the_baked_png(client: TestClient, token: str) -> None:
    png = default_png("another-colour-seed")
    award = _award(client, token, _achievement(client, token, (png, "image/png")))
    baked = read_png_chunks(_get(client, award["links"]["baked_png"]).content)
    original = read_png_chunks(png)
    assert [c.data for c in baked if c.type == b"IDAT"] == [c.data for c in original if c.type == b"IDAT"]


def test_uploaded_png_is_wrapped_for_the_baked_svg(client: TestClient, token: str) -> None:
    png = default_png("another-colour-seed")
    award = _award(client, token, _achievement(client, token, (png, "image/png")))
    content = _get(client, award["links"]["baked_svg"]).content
    assert base64.b64encode(png) in content and baking.unbake(content).version == "ob3"


def test_uploaded_svg_is_sanitised_and_served_with_csp(client: TestClient, token: str) -> None:
    achievement = _achievement(client, token, (SVG, "image/svg+xml"))
    response = _get(client, achievement["image"])
    assert b"<script" not in response.content and b"onload" not in response.content
    assert b"<circle" in response.content
    assert "script-src 'none'" in response.headers["content-security-policy"]
    baked = _get(client, _award(client, token, achievement)["links"]["baked_svg"]).content
    assert b"<circle" in baked and b"<script" not in baked


def test_multipart_upload_is_accepted(client: TestClient, token: str) -> None:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    response = client.put(f"/api/v1/achievements/{created['id']}/image", headers=bearer(token),
                          files={"file": ("badge.svg", SVG, "image/svg+xml")})
    assert response.status_code == 200, response.text
    assert response.json()["image"].startswith(f"{BASE}/images/")


@pytest.mark.parametrize(("content", "media_type", "reason"), [
    (default_png("x")[:-5] + b"\x00\x00\x00\x00\x00", "image/png", None),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>', "image/svg+xml", "svg_dtd"),
    (b"GIF89a....", "image/png", None),
])
def test_bad_image_is_422_and_changes_nothing(client: TestClient, token: str, content: bytes, media_type: str,
                                              reason: str | None) -> None:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    response = client.put(f"/api/v1/achievements/{created['id']}/image", content=content,
                          headers={**bearer(token), "Content-Type": media_type})
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid_image" and problem["message_fr"] and problem["message_en"]
    if reason:
        assert problem["reason"] == reason
    assert client.get(f"/api/v1/achievements/{created['id']}", headers=bearer(token)).json()["image"] is None


def test_declared_type_must_match_the_content(client: TestClient, token: str) -> None:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    response = client.put(f"/api/v1/achievements/{created['id']}/image", content=SVG,
                          headers={**bearer(token), "Content-Type": "image/png"})
    assert response.status_code == 422


def test_image_upload_on_a_published_badge_makes_a_new_draft_version(client: TestClient, token: str) -> None:
    published = _achievement(client, token)
    response = client.put(f"/api/v1/achievements/{published['id']}/image", content=SVG,
                          headers={**bearer(token), "Content-Type": "image/svg+xml"})
    assert response.status_code == 201
    assert response.json()["version"] == 2 and response.json()["state"] == "draft"
    assert client.get(f"/api/v1/achievements/{published['id']}", headers=bearer(token)).json()["image"] is None


def test_image_upload_needs_the_issue_scope_and_ownership(client: TestClient, token: str, make_org: Any) -> None:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    other = make_org("autre")["api_key"]["token"]
    response = client.put(f"/api/v1/achievements/{created['id']}/image", content=SVG,
                          headers={**bearer(other), "Content-Type": "image/svg+xml"})
    assert response.status_code == 404
    assert client.put(f"/api/v1/achievements/{created['id']}/image", content=SVG,
                      headers={"Content-Type": "image/svg+xml"}).status_code == 401
