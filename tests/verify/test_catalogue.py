"""The threat catalogue (shared/docs/security-and-reliability.md §4) against the verifier: S1–S12 and S23.

Each hostile input is refused with a clear report (or a 422 problem for what is not a badge at all), never a 5xx;
a loopback canary that counts connections proves that refused fetches were never made.
"""

from __future__ import annotations

import base64
import datetime
import hmac
import json
import threading
import tracemalloc
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from app.badges.default_image import default_png
from app.verify.errors import UnusableInput
from app.verify.fetch import FetchPolicy
from app.verify.service import verify
from tests.verify.conftest import Canary

V = Path(__file__).resolve().parents[1] / "vectors"
NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
STRICT = FetchPolicy()
LOOPBACK = FetchPolicy(allow_loopback=True)


def _b64(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _jwt(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"sig") -> str:
    return f"{_b64(json.dumps(header))}.{_b64(json.dumps(payload))}.{_b64(signature)}"


def _simple() -> dict[str, Any]:
    return json.loads((V / "1edtech-validator-fixtures/simple.json").read_text("utf-8"))  # type: ignore[no-any-return]


def _claims() -> dict[str, Any]:
    credential = {k: v for k, v in _simple().items() if k != "proof"}
    return {**credential, "iss": credential["issuer"]["id"], "jti": credential["id"]}


def _report(policy: FetchPolicy = STRICT, **source: Any) -> dict[str, Any]:
    return verify(policy=policy, now=NOW, **source).as_dict()


def _outcome(report: dict[str, Any], check: str) -> str | None:
    return next((c["outcome"] for c in report["checks"] if c["id"] == check), None)


def _refused(report: dict[str, Any], check: str = "proof") -> None:
    assert report["verified"] is False and _outcome(report, check) == "failed", report["checks"]
    failed = next(c for c in report["checks"] if c["outcome"] == "failed")
    assert failed["message_en"] and failed["message_fr"]


# --- S1 – S4: tokens --------------------------------------------------------------------------------------------

def test_s1_alg_none_is_refused(canary: Canary) -> None:
    for signature in (b"", b"x"):
        token = _jwt({"alg": "none", "kid": canary.url()}, _claims(), signature)
        _refused(_report(LOOPBACK, text=token if signature else token + "x"))
    assert canary.connections == 0


@pytest.mark.parametrize("secret_form", ["pem", "der", "jwk"])
def test_s1_hs256_keyed_with_the_issuer_public_key_is_refused(canary: Canary, secret_form: str) -> None:
    public = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    secret = {"pem": public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
              "der": public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
              "jwk": json.dumps({"kty": "RSA", "n": _b64(public.public_numbers().n.to_bytes(256, "big")),
                                 "e": "AQAB"}).encode()}[secret_form]
    header, payload = _b64(json.dumps({"alg": "HS256", "kid": canary.url()})), _b64(json.dumps(_claims()))
    signature = hmac.new(secret, f"{header}.{payload}".encode(), "sha256").digest()
    _refused(_report(LOOPBACK, text=f"{header}.{payload}.{_b64(signature)}"))
    assert canary.connections == 0


def test_s2_jku_and_x5u_are_never_followed(canary: Canary) -> None:
    token = _jwt({"alg": "RS256", "jku": canary.url(), "x5u": canary.url()}, _claims())
    _refused(_report(LOOPBACK, text=token))
    assert canary.connections == 0


@pytest.mark.parametrize("header", [
    {"alg": "RS256", "kid": "k" * 10_000},
    {"alg": "RS256", "kid": "https://x.example/k", "crit": ["exp"], "exp": 1},
    {"alg": "RS256", "kid": "https://x.example/k", "b64": False, "crit": ["b64"]},
    {"alg": "RS256", "kid": "https://x.example/k", "zip": "DEF"},
], ids=["kid-10kb", "unknown-crit", "b64-false", "zip"])
def test_s3_hostile_headers_are_refused(header: dict[str, Any]) -> None:
    _refused(_report(text=_jwt(header, _claims())))


def test_s3_kid_with_path_or_sql_text_is_an_opaque_refused_url() -> None:
    for kid in ("../../etc/passwd", "' OR 1=1 --"):
        _refused(_report(text=_jwt({"alg": "RS256", "kid": kid}, _claims())))


def test_s3_oversized_token_is_refused() -> None:
    _refused(_report(text=_jwt({"alg": "RS256"}, {**_claims(), "pad": "x" * 70_000})))


def test_s3_jwe_is_not_a_badge(client: TestClient) -> None:
    response = client.post("/api/v1/verify", content="eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d",
                           headers={"Content-Type": "text/plain"})
    assert response.status_code == 422 and response.json()["message_fr"]


# --- S5, S6: JSON-LD --------------------------------------------------------------------------------------------

def _pointing_at(canary: Canary, document: dict[str, Any]) -> dict[str, Any]:
    """The document with its proof's key on the canary: any key fetch would reach it."""
    document["proof"][0]["verificationMethod"] = f"did:web:127.0.0.1%3A{canary.port}#key-1"
    return document


@pytest.mark.parametrize("change", ["undefined-term", "unlisted-context", "inline-context", "vocab-context"])
def test_s5_unsafe_json_ld_is_refused_before_any_fetch(canary: Canary, change: str) -> None:
    document = _pointing_at(canary, _simple())
    if change == "undefined-term":
        document["couleurPreferee"] = "bleu"
    elif change == "unlisted-context":
        document["@context"].append("https://attacker.example/context.json")
    elif change == "inline-context":
        document["@context"].append({"couleurPreferee": "https://attacker.example/c"})
    else:
        document["@context"].append("https://www.w3.org/ns/credentials/examples/v2")
    report = _report(LOOPBACK, credential=document)
    _refused(report)
    assert report["fetched"] == [] and canary.connections == 0


def test_s6_poisoned_blank_node_graph_is_refused(canary: Canary) -> None:
    document = _pointing_at(canary, _simple())
    nodes = [f"_:b{i}" for i in range(10)]
    document["credentialSubject"]["achievement"] = [
        {"id": node, "type": ["Achievement"], "related": [{"id": other} for other in nodes if other != node]}
        for node in nodes]
    report = _report(LOOPBACK, credential=document)  # bounded work (CanonLimits), not a stopwatch: see test_canon
    _refused(report)
    assert canary.connections == 0


# --- S7, S8: fetching -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("template", [
    "http://127.0.0.1:{port}/json", "http://[::1]:{port}/json", "http://169.254.169.254/latest/meta-data/",
    "http://0x7f000001:{port}/json", "http://2130706433:{port}/json", "http://[::ffff:127.0.0.1]:{port}/json",
    "http://10.0.0.1/x", "http://192.168.1.1/x", "http://100.64.0.1/x", "file:///etc/passwd",
    "gopher://127.0.0.1:{port}/_x", "http://localhost:{port}/json",
])
def test_s7_private_and_odd_addresses_are_refused(canary: Canary, template: str, client: TestClient) -> None:
    url = template.format(port=canary.port)
    report = _report(url=url)
    assert report["verified"] is False and _outcome(report, "format") == "failed"
    response = client.get("/api/v1/verify", params={"url": url})
    assert response.status_code == 200 and response.json()["verified"] is False
    assert canary.connections == 0


def test_s7_did_web_on_loopback_is_refused(canary: Canary) -> None:
    report = _report(credential=_pointing_at(canary, _simple()))
    _refused(report)
    assert canary.connections == 0


def test_s8_oversized_answer_is_cut_off(canary: Canary) -> None:
    report = _report(LOOPBACK, url=canary.url("/big"))
    assert _outcome(report, "format") == "failed" and "too large" in report["checks"][0]["message_en"]


def test_s8_slow_server_is_cut_off_by_the_deadline(canary: Canary) -> None:
    """The server would take two minutes to send its 240 bytes: the fetch gives up at its deadline and says so."""
    report = _report(FetchPolicy(allow_loopback=True, timeout=1.0), url=canary.url("/drip"))
    assert _outcome(report, "format") == "failed"
    assert "took too long" in report["checks"][0]["message_en"], report["checks"][0]


def test_s8_too_many_redirects(canary: Canary) -> None:
    report = _report(LOOPBACK, url=canary.url("/redirect/5"))
    assert _outcome(report, "format") == "failed" and len(canary.requests) == 4


# --- S9: nothing beyond the key before the signature holds ------------------------------------------------------

def test_s9_bad_signature_never_fetches_the_status_list(canary: Canary) -> None:
    document = json.loads((V / "1edtech-validator-fixtures/credential-status-revoked.json").read_text("utf-8"))
    document["credentialStatus"]["statusListCredential"] = canary.url()
    report = _report(LOOPBACK, credential=document)
    _refused(report)
    assert canary.connections == 0


# --- S10 – S12: images ------------------------------------------------------------------------------------------

SVG_XXE = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' \
          b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
SVG_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' +
              b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)) +
              b']><svg xmlns="http://www.w3.org/2000/svg"><text>&i;</text></svg>')


def _png_with_compressed_badge() -> bytes:
    png = default_png("x")
    compressor = zlib.compressobj(9)
    block = compressor.compress(b"\x00" * (1 << 24))
    body = b"openbadgecredential\x00\x01\x00\x00\x00" + block * 4 + compressor.flush()
    chunk = len(body).to_bytes(4, "big") + b"iTXt" + body + (zlib.crc32(b"iTXt" + body) & 0xFFFFFFFF).to_bytes(4, "big")
    return png[:33] + chunk + png[33:]


@pytest.mark.parametrize("name", ["svg-xxe", "svg-billion-laughs", "svg-external-dtd", "png-compressed-badge",
                                  "png-bad-crc", "png-huge-header"])
@pytest.mark.timeout(120)  # a runaway expansion would hang: fail it, without asserting how fast a machine is
def test_s10_s12_hostile_images_are_refused_without_expanding_them(client: TestClient, canary: Canary,
                                                                   name: str) -> None:
    png = default_png("x")
    content, media = {
        "svg-xxe": (SVG_XXE, "image/svg+xml"),
        "svg-billion-laughs": (SVG_LAUGHS, "image/svg+xml"),
        "svg-external-dtd": (f'<?xml version="1.0"?><!DOCTYPE svg SYSTEM "{canary.url("/dtd")}">'
                             '<svg xmlns="http://www.w3.org/2000/svg"/>'.encode(), "image/svg+xml"),
        "png-compressed-badge": (_png_with_compressed_badge(), "image/png"),
        "png-bad-crc": (png[:29] + bytes([png[29] ^ 0xFF]) + png[30:], "image/png"),
        "png-huge-header": (png[:16] + (50_000).to_bytes(4, "big") * 2 + png[24:], "image/png"),
    }[name]
    tracemalloc.start()
    try:
        response = client.post("/api/v1/verify", files={"file": ("badge", content, media)})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024, f"{peak:,} bytes at the peak: the image was expanded"
    assert response.status_code == 422, response.text
    assert response.json()["code"] in ("invalid_image", "invalid_baked_badge") and response.json()["message_fr"]
    assert b"root:" not in response.content and canary.connections == 0


# --- S23: OB 2.0 hosted outside the issuer's origin -------------------------------------------------------------

@pytest.fixture
def documents() -> Iterator[tuple[dict[str, bytes], str]]:
    """A tiny loopback site serving whatever JSON documents the test puts in the dict."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            body = pages.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield pages, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_s23_assertion_hosted_off_the_issuer_origin_is_not_valid(documents: tuple[dict[str, bytes], str]) -> None:
    pages, base = documents
    issuer = "http://localhost:1/issuer"  # the issuer claimed lives elsewhere than the assertion
    pages["/issuer"] = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": issuer,
                                   "name": "Mairie", "url": "https://mairie.example", "email": "a@b.fr"}).encode()
    pages["/badge"] = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass",
                                  "id": f"{base}/badge", "name": "Faux", "description": "d", "image": f"{base}/i",
                                  "criteria": {"narrative": "n"}, "issuer": {**json.loads(pages["/issuer"])}}).encode()
    pages["/a"] = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": f"{base}/a",
                              "recipient": {"type": "email", "hashed": False, "identity": "a@b.fr"},
                              "badge": f"{base}/badge", "verification": {"type": "HostedBadge"},
                              "issuedOn": "2026-01-01T00:00:00Z"}).encode()
    report = _report(LOOPBACK, url=f"{base}/a")
    _refused(report)
    assert "scope" in next(c["message_en"] for c in report["checks"] if c["id"] == "proof")


# --- wrong shapes from untrusted documents: a report, never an exception -----------------------------------------

def test_wrongly_shaped_levels_and_results_are_ignored() -> None:
    document = _simple()
    document["credentialSubject"]["achievement"]["resultDescription"] = [{"rubricCriterionLevel": 5},
                                                                         {"rubricCriterionLevel": [{"id": ["a"]}]}]
    document["credentialSubject"]["result"] = [{"achievedLevel": {"x": 1}}, 7]
    report = _report(credential=document)
    assert report["achievement"]["level"] is None and report["verified"] is False


def test_deeply_nested_json_at_a_badge_address_is_refused(documents: tuple[dict[str, bytes], str]) -> None:
    pages, base = documents
    pages["/deep"] = b"[" * 200_000 + b"]" * 200_000
    with pytest.raises(UnusableInput):
        _report(LOOPBACK, url=f"{base}/deep")


def test_issuer_id_with_an_impossible_port_is_out_of_scope(documents: tuple[dict[str, bytes], str]) -> None:
    pages, base = documents
    issuer = {"@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": "https://x.example:99999999/i",
              "name": {"not": "a string"}, "url": "https://x.example", "email": "a@b.fr"}
    pages["/badge"] = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass",
                                  "id": f"{base}/badge", "name": ["Faux"], "description": "d", "image": 5,
                                  "criteria": {"narrative": "n"}, "issuer": issuer}).encode()
    pages["/a"] = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": f"{base}/a",
                              "recipient": {"type": "email", "hashed": False, "identity": "a@b.fr"},
                              "badge": f"{base}/badge", "verification": {"type": "HostedBadge"},
                              "issuedOn": "2026-01-01T00:00:00Z"}).encode()
    report = _report(LOOPBACK, url=f"{base}/a")
    _refused(report)
    assert report["issuer"]["name"] is None and report["achievement"]["name"] is None
