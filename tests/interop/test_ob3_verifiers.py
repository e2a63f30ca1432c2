"""Independent OB 3.0 verifiers against the real service: Digital Bazaar ``@digitalbazaar/vc`` (dbvc), DCC
``@digitalcredentials/verifier-core`` (dcc) and ``jose`` (VC-JWT, with this suite's OB 3.0 §8.2 claim checks).

One ``savoirs serve`` subprocess per session (``server`` in ``conftest.py``: temporary SQLite,
``PUBLIC_BASE_URL=http://localhost:<port>``, so issuers are ``did:web:localhost%3A<port>:orgs:<slug>``).
``interop/verify-ob3.mjs`` runs offline: contexts come from npm packages only (never the service's own bundled
copies), and only loopback URLs reach the network (the verifiers' ``https://localhost`` is rewritten to
``http://``). Credentials are verified in batches: one Node process per phase (before revocation, after
revocation, after key rotation).

Baked badges (``links.baked_png`` / ``links.baked_svg``) are read by ``interop/lib/unbake.mjs``, an extractor of
its own in Node (PNG chunks with their CRCs, one uncompressed iTXt ``openbadgecredential``; the SVG
``{https://purl.imsglobal.org/ob/v3p0}credential`` element's CDATA), never by the service's Python unbaker; the
extracted credential then goes to the same verifiers.

Neither Digital Bazaar's nor DCC's verifier reads OB 3.0 VC-JWT (payload = the credential itself): VC-JWT is
verified with ``jose`` only. Without ``node`` or ``interop/node_modules`` the tests skip (fail with ``CI=true``);
install with ``bash interop/setup.sh``.
"""

from __future__ import annotations

import base64
import json
import struct
import subprocess
import zlib
from typing import Any

import httpx
import pytest

from tests.interop.conftest import ADMIN_TOKEN, INTEROP, ROOT
from tests.interop.conftest import ok as _ok

pytestmark = pytest.mark.interop

SCRIPT = INTEROP / "verify-ob3.mjs"
BADGE = {"name": "Cuisine du monde", "description": "Partager une recette avec le quartier.",
         "criteria": {"narrative": "A animé un atelier cuisine."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}
LD_VERIFIERS = ["dbvc", "dcc"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB3_KEYWORD = b"openbadgecredential"
JWT_ALGS = ["RS256", "ES256"]


class Org:
    """One organisation on the live server, with a published achievement (with levels)."""

    def __init__(self, http: httpx.Client, slug: str) -> None:
        self.http = http
        body = {"slug": slug, "name": "Centre social du Puchot", "url": "https://centre-social-puchot.example",
                "email": "contact@centre-social-puchot.example"}
        created = _ok(http.post("/api/v1/orgs", json=body, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}),
                      201)
        self.headers = {"Authorization": f"Bearer {created['api_key']['token']}"}
        draft = _ok(http.post("/api/v1/achievements", json=BADGE, headers=self.headers), 201)
        self.achievement = _ok(http.post(f"/api/v1/achievements/{draft['id']}/publish", headers=self.headers))

    def award(self, email: str, level: str = "J'agis", **extra: Any) -> dict[str, Any]:
        """An award issued public (its recipient agreed): the verifiers fetch what its address serves."""
        body = {"recipient": {"email": email, "public": True}, "level": level, **extra}
        return _ok(self.http.post(f"/api/v1/achievements/{self.achievement['id']}/awards", json=body,  # type: ignore
                                  headers=self.headers), 201)

    def json_ld(self, award: dict[str, Any]) -> dict[str, Any]:
        return _ok(self.http.get(award["links"]["credential"], headers={"Accept": "application/ld+json"}))  # type: ignore

    def baked(self, award: dict[str, Any], extension: str) -> bytes:
        response = self.http.get(award["links"][f"baked_{extension}"])
        media_type = {"png": "image/png", "svg": "image/svg+xml"}[extension]
        assert response.status_code == 200 and response.headers["content-type"].startswith(media_type)
        return response.content

    def jwt(self, award: dict[str, Any], alg: str) -> str:
        response = self.http.get(award["links"]["credential"], params={"alg": alg},
                                 headers={"Accept": "application/jwt"})
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/jwt")
        return response.text.strip()


def _b64json(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _tamper_json_ld(credential: dict[str, Any]) -> dict[str, Any]:
    """A copy with one character of ``credentialSubject.achievement.name`` changed."""
    copy = json.loads(json.dumps(credential))
    name = copy["credentialSubject"]["achievement"]["name"]
    copy["credentialSubject"]["achievement"]["name"] = name[:-1] + chr(ord(name[-1]) + 1)
    return copy


def _tamper_jwt(token: str) -> str:
    """The same JWS with one byte of the (decoded) payload changed, re-encoded; header and signature kept."""
    header, payload, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    at = raw.index(b"Cuisine du monde")
    raw[at] = ord("K")
    return ".".join([header, base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode(), signature])


def _png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """``(type, data)`` of every chunk (this test's own reader: lengths only, CRCs are the extractor's job)."""
    assert png.startswith(PNG_SIGNATURE)
    chunks: list[tuple[bytes, bytes]] = []
    at = len(PNG_SIGNATURE)
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        chunks.append((png[at + 4 : at + 8], png[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def _chunk(kind: bytes, data: bytes, crc: int | None = None) -> bytes:
    crc = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _png(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return PNG_SIGNATURE + b"".join(_chunk(kind, data) for kind, data in chunks)


def _badge_chunk(chunks: list[tuple[bytes, bytes]]) -> int:
    (index,) = [i for i, (kind, data) in enumerate(chunks)
                if kind == b"iTXt" and data.startswith(OB3_KEYWORD + b"\x00")]
    return index


def _tamper_baked_png(png: bytes, *, fix_crc: bool = True) -> bytes:
    """The baked PNG with one character of the embedded ``credentialSubject.achievement.name`` changed, the iTXt
    chunk's CRC recomputed (or, with ``fix_crc=False``, left as it was)."""
    chunks = _png_chunks(png)
    index = _badge_chunk(chunks)
    kind, data = chunks[index]
    header = data[: len(OB3_KEYWORD) + 5]  # keyword NUL, flag 0, method 0, empty language NUL, empty translation NUL
    assert header == OB3_KEYWORD + b"\x00\x00\x00\x00\x00", header
    text = data[len(header) :].decode("utf-8")
    credential = json.loads(text)
    name = credential["credentialSubject"]["achievement"]["name"]
    needle = json.dumps(name, ensure_ascii=False)
    at = text.index(needle, text.index('"achievement"')) + len(needle) - 2  # the name's last character
    tampered = text[:at] + chr(ord(text[at]) + 1) + text[at + 1 :]
    expected = _tamper_json_ld(credential)
    assert json.loads(tampered) == expected != credential  # exactly the achievement name, one character
    stale_crc = None if fix_crc else zlib.crc32(kind + data)
    return (PNG_SIGNATURE + b"".join(_chunk(*c) for c in chunks[:index])
            + _chunk(kind, header + tampered.encode("utf-8"), stale_crc)
            + b"".join(_chunk(*c) for c in chunks[index + 1 :]))


def _duplicate_badge_chunk(png: bytes) -> bytes:
    chunks = _png_chunks(png)
    index = _badge_chunk(chunks)
    return _png([*chunks[: index + 1], chunks[index], *chunks[index + 1 :]])


def _split_cdata(svg: bytes) -> bytes:
    """The baked SVG with its CDATA body cut in two sections in the middle (the same text for an XML parser)."""
    text = svg.decode("utf-8")
    start = text.index("<![CDATA[") + len("<![CDATA[")
    middle = (start + text.index("]]>", start)) // 2
    return (text[:middle] + "]]><![CDATA[" + text[middle:]).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _verify(node: str, jobs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Run one batch through ``interop/verify-ob3.mjs``; results by job id."""
    done = subprocess.run([node, str(SCRIPT), "--batch", "-"], input=json.dumps(jobs), capture_output=True,
                          text=True, timeout=180, cwd=ROOT, check=False)
    assert done.returncode == 0, f"verify-ob3.mjs crashed ({done.returncode}):\n{done.stderr[-3000:]}"
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [r["id"] for r in results] == [j["id"] for j in jobs], done.stdout
    return {r["id"]: r for r in results}


def _show(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=1, ensure_ascii=False)


@pytest.fixture(scope="session")
def org(http: httpx.Client) -> Org:
    return Org(http, "puchot")


@pytest.fixture(scope="session")
def credentials(org: Org) -> dict[str, Any]:
    """Issued credentials (before any revocation): JSON-LD, VC-JWT RS256 and ES256, for two awards; the first has
    a ``validUntil`` (so the JWT carries ``exp``) and its baked PNG and SVG, the second is revoked later."""
    kept = org.award("sylvie@example.fr", validUntil="2031-06-01T00:00:00Z")
    doomed = org.award("nathan@example.fr", level="J'explore")
    return {
        "ld": org.json_ld(kept), **{f"jwt-{alg}": org.jwt(kept, alg) for alg in JWT_ALGS},
        "baked-png": org.baked(kept, "png"), "baked-svg": org.baked(kept, "svg"),
        "doomed_award": doomed, "doomed_ld": org.json_ld(doomed), "doomed_jwt": org.jwt(doomed, "RS256"),
    }


@pytest.fixture(scope="session")
def baseline(node: str, credentials: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Verdicts before any state change: valid, tampered, VC-JWT, baked PNG/SVG (valid, tampered, malformed), and
    the credential about to be revoked."""
    jobs: list[dict[str, Any]] = []
    for verifier in LD_VERIFIERS:
        jobs.append({"id": f"ld/{verifier}", "verifier": verifier, "credential": credentials["ld"]})
        jobs.append({"id": f"ld-tampered/{verifier}", "verifier": verifier,
                     "credential": _tamper_json_ld(credentials["ld"])})
        jobs.append({"id": f"jwt/{verifier}", "verifier": verifier, "credential": credentials["jwt-RS256"]})
        jobs.append({"id": f"doomed/{verifier}", "verifier": verifier, "credential": credentials["doomed_ld"]})
        for extension in ("png", "svg"):
            jobs.append({"id": f"baked-{extension}/{verifier}", "verifier": verifier,
                         "baked": _b64(credentials[f"baked-{extension}"])})
        jobs.append({"id": f"baked-png-tampered/{verifier}", "verifier": verifier,
                     "baked": _b64(_tamper_baked_png(credentials["baked-png"]))})
    jobs.append({"id": "baked-svg-split-cdata/dbvc", "verifier": "dbvc",
                 "baked": _b64(_split_cdata(credentials["baked-svg"]))})
    # refused by the extractor itself: no verifier runs
    jobs.append({"id": "baked-png-stale-crc/dbvc", "verifier": "dbvc",
                 "baked": _b64(_tamper_baked_png(credentials["baked-png"], fix_crc=False))})
    jobs.append({"id": "baked-png-two-chunks/dbvc", "verifier": "dbvc",
                 "baked": _b64(_duplicate_badge_chunk(credentials["baked-png"]))})
    for alg in JWT_ALGS:
        jobs.append({"id": f"jwt-{alg}/jose", "verifier": "jose", "credential": credentials[f"jwt-{alg}"]})
        jobs.append({"id": f"jwt-{alg}-tampered/jose", "verifier": "jose",
                     "credential": _tamper_jwt(credentials[f"jwt-{alg}"])})
    jobs.append({"id": "doomed/jose", "verifier": "jose", "credential": credentials["doomed_jwt"]})
    return _verify(node, jobs)


@pytest.fixture(scope="session")
def after_revocation(node: str, org: Org, credentials: dict[str, Any],
                     baseline: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Revoke the second award (after the baseline ran), then verify it again with each verifier."""
    award = credentials["doomed_award"]
    revoked = _ok(org.http.post(f"/api/v1/awards/{award['id']}/revoke", json={"reason": "Erreur de saisie"},
                                headers=org.headers))
    assert revoked["status"] == "revoked"
    jobs = [{"id": v, "verifier": v, "credential": credentials["doomed_ld"]} for v in LD_VERIFIERS]
    jobs.append({"id": "jose", "verifier": "jose", "credential": credentials["doomed_jwt"]})
    jobs.append({"id": "kept/dbvc", "verifier": "dbvc", "credential": credentials["ld"]})  # same list, other bit
    return _verify(node, jobs)


@pytest.fixture(scope="session")
def after_rotation(node: str, http: httpx.Client) -> dict[str, Any]:
    """An organisation of its own: credentials issued, all keys rotated, then the old credentials verified."""
    rotating = Org(http, "rotation")
    award = rotating.award("camille@example.fr")
    issued = {"ld": rotating.json_ld(award), **{alg: rotating.jwt(award, alg) for alg in JWT_ALGS}}
    before = {k["id"] for k in _ok(http.get("/api/v1/keys", headers=rotating.headers)) if k["status"] == "active"}
    created = _ok(http.post("/api/v1/keys/rotate", headers=rotating.headers), 201)
    assert sorted(k["algorithm"] for k in created) == ["Ed25519", "P-256", "RSA-2048"]
    active = {k["id"] for k in _ok(http.get("/api/v1/keys", headers=rotating.headers)) if k["status"] == "active"}
    assert active.isdisjoint(before)
    jobs = [{"id": v, "verifier": v, "credential": issued["ld"]} for v in LD_VERIFIERS]
    jobs += [{"id": f"jose-{alg}", "verifier": "jose", "credential": issued[alg]} for alg in JWT_ALGS]
    return {"issued": issued, "retired": before, "results": _verify(node, jobs)}


def _assert_accepted(result: dict[str, Any]) -> None:
    assert result["verified"] is True and result["errors"] == [], _show(result)
    assert not [f for f in result["fetched"] if "refused (offline)" in f], _show(result)


# --- acceptance ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_verifier_accepts_the_data_integrity_credential(baseline: dict[str, dict[str, Any]], verifier: str) -> None:
    result = baseline[f"ld/{verifier}"]
    _assert_accepted(result)
    assert any("/orgs/puchot/did.json" in f for f in result["fetched"]), _show(result)  # resolved did:web live


@pytest.mark.parametrize("alg", JWT_ALGS)
def test_jose_accepts_the_vc_jwt(baseline: dict[str, dict[str, Any]], credentials: dict[str, Any], alg: str) -> None:
    result = baseline[f"jwt-{alg}/jose"]
    _assert_accepted(result)
    payload = _b64json(credentials[f"jwt-{alg}"].split(".")[1])
    assert payload["exp"] == 1938038400 and payload["validUntil"] == "2031-06-01T00:00:00Z"  # exp was checked
    assert f"signature:{alg}" in result["checks"] and "claims:iss,jti,sub,nbf,exp" in result["checks"]


@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_digital_bazaar_and_dcc_do_not_read_ob3_vc_jwt(baseline: dict[str, dict[str, Any]], verifier: str) -> None:
    """A limitation of these libraries, recorded so that a release adding VC-JWT support gets noticed."""
    result = baseline[f"jwt/{verifier}"]
    assert result["verified"] is False and result["supported"] is False, _show(result)


# --- tampering -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_verifier_rejects_a_tampered_json_ld_copy(baseline: dict[str, dict[str, Any]], verifier: str) -> None:
    result = baseline[f"ld-tampered/{verifier}"]
    assert result["verified"] is False, _show(result)
    assert any("signature" in e.lower() for e in result["errors"]), _show(result)


@pytest.mark.parametrize("alg", JWT_ALGS)
def test_jose_rejects_a_tampered_jwt_payload(baseline: dict[str, dict[str, Any]], alg: str) -> None:
    result = baseline[f"jwt-{alg}-tampered/jose"]
    assert result["verified"] is False, _show(result)
    assert any("ERR_JWS_SIGNATURE_VERIFICATION_FAILED" in e for e in result["errors"]), _show(result)


# --- baked badges ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("extension", ["png", "svg"])
@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_verifier_accepts_the_credential_baked_in_the_badge_image(
        baseline: dict[str, dict[str, Any]], credentials: dict[str, Any], verifier: str, extension: str) -> None:
    result = baseline[f"baked-{extension}/{verifier}"]
    _assert_accepted(result)
    assert result["extracted_from"] == extension and result["format"] == "ldp", _show(result)
    assert result["extracted_id"] == credentials["ld"]["id"], _show(result)  # the award's own credential


def test_baked_svg_body_split_over_several_cdata_sections_still_verifies(
        baseline: dict[str, dict[str, Any]], credentials: dict[str, Any]) -> None:
    result = baseline["baked-svg-split-cdata/dbvc"]
    _assert_accepted(result)
    assert result["extracted_from"] == "svg" and result["extracted_id"] == credentials["ld"]["id"], _show(result)


@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_verifier_rejects_a_baked_png_with_a_tampered_credential(baseline: dict[str, dict[str, Any]],
                                                                 verifier: str) -> None:
    """The iTXt text rewritten (one character of the achievement name) with a valid CRC: the PNG is well formed,
    so the extraction succeeds and the rejection is the verifier's (the proof)."""
    result = baseline[f"baked-png-tampered/{verifier}"]
    assert result["extracted_from"] == "png" and result["verified"] is False, _show(result)
    assert any("signature" in e.lower() for e in result["errors"]), _show(result)


@pytest.mark.parametrize(("job", "error"), [("baked-png-stale-crc", "CRC"),
                                            ("baked-png-two-chunks", '2 iTXt "openbadgecredential" chunks')])
def test_extractor_refuses_a_malformed_baked_png(baseline: dict[str, dict[str, Any]], job: str, error: str) -> None:
    result = baseline[f"{job}/dbvc"]
    assert result["verified"] is False and result["extracted_from"] is None, _show(result)
    assert len(result["errors"]) == 1 and result["errors"][0].startswith("unbake: "), _show(result)
    assert error in result["errors"][0] and not result["fetched"], _show(result)


# --- status ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("verifier", [*LD_VERIFIERS, "jose"])
def test_status_reads_not_revoked_before_revocation(baseline: dict[str, dict[str, Any]], verifier: str) -> None:
    result = baseline[f"doomed/{verifier}"]
    _assert_accepted(result)
    assert result["status"]["checked"] is True and result["revoked"] is False, _show(result)


@pytest.mark.parametrize("verifier", [*LD_VERIFIERS, "jose"])
def test_revoked_credential_reads_as_revoked(after_revocation: dict[str, dict[str, Any]], verifier: str) -> None:
    result = after_revocation[verifier]
    assert result["status"]["checked"] is True and result["revoked"] is True, _show(result)
    assert not result["errors"], _show(result)  # the list was fetched and its proof verified; the bit is set


def test_jose_status_check_verified_the_status_list_proof(after_revocation: dict[str, dict[str, Any]]) -> None:
    status = after_revocation["jose"]["status"]
    assert status["listProofVerified"] is True and status["listBits"] >= 131_072, _show(status)


def test_revocation_leaves_other_credentials_of_the_list_unrevoked(
        after_revocation: dict[str, dict[str, Any]]) -> None:
    result = after_revocation["kept/dbvc"]
    _assert_accepted(result)
    assert result["revoked"] is False, _show(result)


# --- key rotation ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_credential_issued_before_key_rotation_still_verifies(after_rotation: dict[str, Any], verifier: str) -> None:
    (proof,) = after_rotation["issued"]["ld"]["proof"]
    assert proof["verificationMethod"].split("#")[1] in after_rotation["retired"]  # signed by a now-retired key
    _assert_accepted(after_rotation["results"][verifier])


@pytest.mark.parametrize("alg", JWT_ALGS)
def test_vc_jwt_signed_before_key_rotation_still_verifies(after_rotation: dict[str, Any], alg: str) -> None:
    result = after_rotation["results"][f"jose-{alg}"]
    _assert_accepted(result)
    kid = _b64json(after_rotation["issued"][alg].split(".")[0])["kid"]
    assert kid.rsplit("/", 1)[1] in after_rotation["retired"]
