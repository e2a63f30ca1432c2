"""Every signed vector of ../shared/vectors (copied in tests/vectors) through the verifier.

The vectors name issuers on example domains (``https://example.edu/issuers/565049``) and a status list on
raw.githubusercontent.com. Those sites are served here by a local TLS server (a certificate for those names, trusted
by the test only; the fetcher's address checks still run, a public address is rerouted to the local server).
Without the issuers' sites, a signature made with a key named only in the verification method's fragment (or in a
VC-JWT ``jwk`` header) is valid but is not the issuer's: the report is ``unconfirmed`` (amber) instead of trusting
the issuer named in the badge, and a tampered copy is ``invalid`` (red).
"""

from __future__ import annotations

import base64
import datetime
import json
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from app.verify.fetch import FetchPolicy, SafeFetcher
from app.verify.service import verify
from app.verify.verdict import Verdict, verdict
from tests.verify.conftest import PUBLIC_IP, Net

V = Path(__file__).resolve().parents[1] / "vectors"
FIXTURES = V / "1edtech-validator-fixtures"
RENDERED = V / "ob3-spec-rendered-2024-04-03"
STATUS_URL = ("https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/"
              "inspector-vc/src/test/resources/ob30/bit-string-list/testlist")
IMPL_GUIDE = V / "ob3-impl-guide" / "signed-credential.json"  # 1EdTech implementation guide: issuer#z6Mk… key
DI_VECTORS = sorted(RENDERED.glob("*.signed-eddsa-rdfc-2022.json")) + sorted(
    p for p in FIXTURES.glob("*.json") if p.name != "credential-status-revoked.json") + [IMPL_GUIDE]
JWT_VECTORS = sorted(RENDERED.glob("*.vc-jwt.txt"))
NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
HOSTS = ["example.com", "example.edu", "1edtech.edu", "state.gov", "raw.githubusercontent.com"]


def _json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def _issuer_id(document: dict[str, Any]) -> str:
    issuer = document["issuer"]
    return str(issuer["id"] if isinstance(issuer, dict) else issuer)


def _issuer_sites() -> dict[tuple[str, str], bytes]:
    """Controller documents at each vector issuer's id, listing the keys the vectors use."""
    methods: dict[str, list[dict[str, Any]]] = {}
    for path in [*DI_VECTORS, FIXTURES / "credential-status-revoked.json"]:
        document = _json(path)
        proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
        for proof in proofs:
            base, _, fragment = proof["verificationMethod"].partition("#")
            if fragment.startswith("z6Mk") and base == _issuer_id(document):
                methods.setdefault(base, []).append({"id": proof["verificationMethod"], "type": "Multikey",
                                                     "controller": base, "publicKeyMultibase": fragment})
    for path in sorted(RENDERED.glob("*.vc-jwt.decoded.json")):
        decoded = _json(path)
        issuer = decoded["payload"]["iss"]
        methods.setdefault(issuer, []).append({"id": f"{issuer}#{path.name.split('.')[0]}-jwk", "type": "JsonWebKey",
                                               "controller": issuer, "publicKeyJwk": decoded["header"]["jwk"]})
    routes = {}
    for issuer, vms in methods.items():
        host_path = issuer.removeprefix("https://").split("/", 1)
        unique = list({vm["id"]: vm for vm in vms}.values())
        routes[(host_path[0], "/" + host_path[1])] = json.dumps(
            {"@context": ["https://www.w3.org/ns/did/v1"], "id": issuer, "verificationMethod": unique,
             "assertionMethod": [vm["id"] for vm in unique]}).encode()
    for path in DI_VECTORS:  # the spec examples' 1EdTech revocation lists: served, revoking nothing
        document = _json(path)
        status = document.get("credentialStatus")
        if isinstance(status, dict) and status.get("type") == "1EdTechRevocationList":
            host, rest = status["id"].removeprefix("https://").split("/", 1)
            routes[(host, "/" + rest)] = json.dumps({"id": status["id"], "issuer": _issuer_id(document),
                                                     "revokedCredential": []}).encode()
    routes[("raw.githubusercontent.com", STATUS_URL.split(".com", 1)[1])] = (
        FIXTURES / "bitstring-status-list-credential.json").read_bytes()
    return routes


@dataclass
class Sites:
    port: int
    context: ssl.SSLContext
    hits: list[str]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "vector issuers")])
    now = datetime.datetime.now(datetime.UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in HOSTS]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(ski, critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
            .sign(key, hashes.SHA256()))
    directory = tmp_path_factory.mktemp("vector-sites")
    pem = cert.public_bytes(serialization.Encoding.PEM)
    (directory / "cert.pem").write_bytes(pem)
    (directory / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    routes, hits = _issuer_sites(), []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            host = (self.headers.get("Host") or "").split(":")[0]
            hits.append(f"{host}{self.path}")
            body = routes.get((host, self.path))
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(str(directory / "cert.pem"), str(directory / "key.pem"))
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Sites(server.server_address[1], ssl.create_default_context(cadata=pem.decode()), hits)
    server.shutdown()
    server.server_close()


@pytest.fixture
def online(sites: Sites, net: Net) -> SafeFetcher:
    """A fetcher that reaches the vector hosts (served locally, trusted through its ``ssl_context``); everything
    else is refused as usual."""
    net.routes[(PUBLIC_IP, 443)] = ("127.0.0.1", sites.port)

    def resolver(host: str, port: int) -> list[str]:
        if host in HOSTS:
            return [PUBLIC_IP]
        raise OSError("unknown host")

    return SafeFetcher(FetchPolicy(), resolver=resolver, ssl_context=sites.context)


@pytest.fixture
def offline() -> SafeFetcher:
    def resolver(host: str, port: int) -> list[str]:
        raise OSError("no network in this test")

    return SafeFetcher(FetchPolicy(), resolver=resolver)


def _report(fetcher: SafeFetcher, **source: Any) -> dict[str, Any]:
    return verify(policy=fetcher.policy, now=NOW, fetcher=fetcher, **source).as_dict()


def _outcome(report: dict[str, Any], check: str) -> str | None:
    return next((c["outcome"] for c in report["checks"] if c["id"] == check), None)


def _flip(document: dict[str, Any]) -> dict[str, Any]:
    tampered = json.loads(json.dumps(document))
    if "name" in tampered:
        tampered["name"] = tampered["name"][:-1] + ("X" if tampered["name"][-1] != "X" else "Y")
    else:
        tampered["credentialSubject"]["id"] += "X"
    return tampered


@pytest.mark.parametrize("path", DI_VECTORS, ids=lambda p: p.name)
def test_signed_vector_verifies_when_its_issuer_publishes_the_key(online: SafeFetcher, path: Path) -> None:
    report = _report(online, credential=_json(path))
    if path.name == "simple-did-key-method.json":  # issuer urn:uuid:…, key did:key:…: not the issuer's key
        assert _outcome(report, "proof") == "passed" and _outcome(report, "issuer") == "failed"
        assert report["trust"] == "unconfirmed"
        return
    assert report["verified"] is True, json.dumps(report["checks"], indent=1)
    assert report["trust"] == "confirmed"


@pytest.mark.parametrize("path", DI_VECTORS, ids=lambda p: p.name)
def test_a_valid_signature_alone_does_not_make_the_issuer(offline: SafeFetcher, path: Path) -> None:
    report = _report(offline, credential=_json(path))
    assert _outcome(report, "proof") == "passed"
    assert _outcome(report, "issuer") == "failed" and report["verified"] is False
    assert report["trust"] == "unconfirmed", json.dumps(report["checks"], indent=1)


@pytest.mark.parametrize("path", DI_VECTORS, ids=lambda p: p.name)
def test_one_changed_character_fails_the_proof(online: SafeFetcher, path: Path) -> None:
    report = _report(online, credential=_flip(_json(path)))
    assert _outcome(report, "proof") == "failed" and report["verified"] is False
    assert report["trust"] == "invalid"


@pytest.mark.parametrize("path", JWT_VECTORS, ids=lambda p: p.name)
def test_spec_vc_jwt_verifies_when_its_issuer_publishes_the_jwk(online: SafeFetcher, path: Path) -> None:
    report = _report(online, text=path.read_text("utf-8"))
    assert _outcome(report, "proof") == "passed", json.dumps(report["checks"], indent=1)
    assert report["verified"] is True, json.dumps(report["checks"], indent=1)


@pytest.mark.parametrize("path", JWT_VECTORS, ids=lambda p: p.name)
def test_spec_vc_jwt_with_an_unpublished_jwk_header_is_not_the_issuer(offline: SafeFetcher, path: Path) -> None:
    report = _report(offline, text=path.read_text("utf-8"))
    assert _outcome(report, "proof") == "passed" and _outcome(report, "issuer") == "failed"
    assert report["trust"] == "unconfirmed" and report["verified"] is False


@pytest.mark.parametrize("path", JWT_VECTORS, ids=lambda p: p.name)
def test_spec_vc_jwt_with_one_changed_character_fails(online: SafeFetcher, path: Path) -> None:
    header, payload, signature = path.read_text("utf-8").strip().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    changed = base64.urlsafe_b64encode(json.dumps(_flip(claims)).encode()).rstrip(b"=").decode()
    report = _report(online, text=f"{header}.{changed}.{signature}")
    assert report["verified"] is False and _outcome(report, "proof") == "failed"
    assert report["trust"] == "invalid"


@pytest.mark.parametrize("path", [IMPL_GUIDE, FIXTURES / "simple.json"], ids=lambda p: p.parent.name)
def test_genuine_third_party_badge_whose_key_no_issuer_document_lists_reads_unconfirmed(offline: SafeFetcher,
                                                                                        path: Path) -> None:
    report = verify(policy=offline.policy, now=NOW, fetcher=offline, credential=_json(path))
    out = report.as_dict()
    assert (out["trust"], out["verified"], verdict(report)) == ("unconfirmed", False, Verdict.UNCONFIRMED)
    proof, issuer = (next(c for c in out["checks"] if c["id"] == i) for i in ("proof", "issuer"))
    assert proof["outcome"] == "passed" and "(eddsa-rdfc-2022) est valide" in proof["message_fr"]
    assert issuer["outcome"] == "failed", out["checks"]
    assert "could not be tied to the issuer" in issuer["message_en"]
    assert "n'a pas pu être rattachée à l'émetteur" in issuer["message_fr"]
    assert "does not hold" not in issuer["message_en"] and "n'est pas valide" not in issuer["message_fr"]
    assert [c["outcome"] for c in out["checks"] if c["id"] == "status"] == ["skipped"]  # not looked up
    assert out["status"] == "not_checked" and [c["outcome"] for c in out["checks"] if c["id"] == "validity"] == [
        "passed"]


@pytest.mark.parametrize("path", [IMPL_GUIDE, FIXTURES / "simple.json"], ids=lambda p: p.parent.name)
def test_tampered_copy_of_a_genuine_third_party_badge_reads_not_valid(offline: SafeFetcher, path: Path) -> None:
    report = verify(policy=offline.policy, now=NOW, fetcher=offline, credential=_flip(_json(path)))
    out = report.as_dict()
    assert (out["trust"], out["verified"], verdict(report)) == ("invalid", False, Verdict.INVALID)
    proof = next(c for c in out["checks"] if c["id"] == "proof")
    assert proof["outcome"] == "failed" and proof["message_en"].startswith("The signature does not hold")
    assert proof["message_fr"].startswith("La signature n'est pas valide")
    assert "issuer" not in {c["id"] for c in out["checks"]}


def test_revoked_fixture_reads_bit_23_of_the_served_list(online: SafeFetcher, sites: Sites) -> None:
    report = _report(online, credential=_json(FIXTURES / "credential-status-revoked.json"))
    assert _outcome(report, "proof") == "passed" and _outcome(report, "issuer") == "passed"
    assert report["status"] == "revoked" and report["verified"] is False
    assert STATUS_URL in report["fetched"]


def test_status_list_that_cannot_be_fetched_leaves_the_status_unknown(sites: Sites,
                                                                      online: SafeFetcher) -> None:
    document = _json(FIXTURES / "credential-status-revoked.json")

    def no_status_host(host: str, port: int) -> list[str]:
        if host == "1edtech.edu":
            return [PUBLIC_IP]
        raise OSError("unreachable")

    fetcher = SafeFetcher(FetchPolicy(), resolver=no_status_host, ssl_context=sites.context)
    report = _report(fetcher, credential=document)
    assert report["status"] == "unknown" and _outcome(report, "status") == "failed"


def test_w3c_vector_with_the_vocab_examples_context_is_refused_without_fetching(offline: SafeFetcher) -> None:
    report = _report(offline, credential=_json(V / "w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json"))
    assert _outcome(report, "proof") == "failed" and report["fetched"] == []
