"""The two ``kid`` forms of our VC-JWT (issue 11), as each VC-JWT verifier of this suite reads them.

``GET /credentials/{id}?alg=RS256|ES256&kid=jwk|did`` with ``Accept: application/jwt``:

- ``kid=jwk`` (the default): ``http(s)://…/orgs/{slug}/keys/{keyid}``, a URL serving that one public JWK;
- ``kid=did``: ``did:web:…:orgs:{slug}#{keyid}``, a verification method of the issuer's did:web document
  (``JsonWebKey2020`` with ``publicKeyJwk``, listed in ``assertionMethod``).

Verifiers (``interop/verify-ob3.mjs``, offline but for the live server, and ours):

- ``jose`` as shipped: dereferences an http(s) ``kid`` only. A DID URL ``kid`` is refused ("neither an http(s)
  kid nor a jwk header … a DID URL, which this verifier does not resolve"): ``jose`` itself resolves no ``kid``.
- ``jose-did``: the same, plus did:web resolution as a careful verifier does it (the DID must equal ``iss``; its
  did.json is fetched; the method is found by id, must be listed in ``assertionMethod``, be controlled by the DID,
  be ``JsonWebKey2020``/``JsonWebKey`` with a public ``publicKeyJwk``).
- ours: ``POST /api/v1/verify`` with ``{"jwt": …}``. The suite's server (``conftest.server``) does NOT set
  ``ALLOW_LOOPBACK_FETCH``: our verifier reads our own did.json, keys and status lists from the database
  (``app/services/local_documents.py``), so it never fetches from ``localhost``.

Digital Bazaar and DCC do not read OB 3.0 VC-JWT at all, whatever the ``kid`` (also in ``test_ob3_verifiers.py``).
Tokens signed before a key rotation are checked too: the retired key must stay resolvable in both forms.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from tests.interop.conftest import ok
from tests.interop.test_ob3_verifiers import Org, _show, _verify

pytestmark = pytest.mark.interop

ALGS = ["RS256", "ES256"]
KIDS = ["did", "jwk"]
JOSE = ["jose", "jose-did"]
SLUG = "kid-forms"
ROTATING = "kid-rotation"


def _header(token: str) -> dict[str, Any]:
    part = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # type: ignore[no-any-return]


def _with_kid(token: str, kid: str) -> str:
    """The same token with only the header's ``kid`` replaced (so its signature no longer holds either: the point is
    which check refuses it first)."""
    header, payload, signature = token.split(".")
    new = json.dumps({**_header(token), "kid": kid}, separators=(",", ":")).encode()
    return ".".join([base64.urlsafe_b64encode(new).rstrip(b"=").decode(), payload, signature])


def _token(org: Org, award: dict[str, Any], alg: str, kid: str | None) -> str:
    params = {"alg": alg, **({"kid": kid} if kid else {})}
    response = org.http.get(award["links"]["credential"], params=params, headers={"Accept": "application/jwt"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/jwt")
    return response.text.strip()


def _tokens(org: Org, award: dict[str, Any]) -> dict[str, str]:
    return {f"{alg}/{kid}": _token(org, award, alg, kid) for alg in ALGS for kid in KIDS}


def _run(node: str, http: httpx.Client, tokens: dict[str, str], verifiers: list[str]) -> dict[str, dict[str, Any]]:
    jobs = [{"id": f"{key}/{v}", "verifier": v, "credential": token} for key, token in tokens.items()
            for v in verifiers]
    results = _verify(node, jobs)
    for key, token in tokens.items():
        results[f"{key}/ours"] = ok(http.post("/api/v1/verify", json={"jwt": token}))
    return results


@pytest.fixture(scope="module")
def org(http: httpx.Client) -> Org:
    return Org(http, SLUG)


@pytest.fixture(scope="module")
def issued(org: Org) -> dict[str, Any]:
    award = org.award("kid@example.fr", validUntil="2031-06-01T00:00:00Z")
    return {"award": award, "tokens": _tokens(org, award),
            "default": {alg: _token(org, award, alg, None) for alg in ALGS},
            "did_document": ok(org.http.get(f"/orgs/{SLUG}/did.json")),
            "did": ok(org.http.get("/api/v1/org", headers=org.headers))["links"]["did"]}


@pytest.fixture(scope="module")
def results(node: str, http: httpx.Client, issued: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return _run(node, http, issued["tokens"], [*JOSE, "dbvc", "dcc"])


@pytest.fixture(scope="module")
def misdirected(node: str, issued: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """RS256 kid=did tokens whose ``kid`` was redirected (header rewritten), through ``jose-did``: the DID of another
    issuer, a fragment the document does not have, and the issuer's own Ed25519 ``Multikey`` method (listed in
    ``assertionMethod`` but not a JWK)."""
    token = issued["tokens"]["RS256/did"]
    did = issued["did"]
    (ed25519,) = [m["id"] for m in issued["did_document"]["verificationMethod"] if m["type"] == "Multikey"]
    kids = {"other-issuer": f"{did.replace(SLUG, ROTATING)}#{_header(token)['kid'].split('#')[1]}",
            "unknown-fragment": f"{did}#rsa-nowhere", "multikey": ed25519}
    jobs = [{"id": name, "verifier": "jose-did", "credential": _with_kid(token, kid)} for name, kid in kids.items()]
    return _verify(node, jobs)


@pytest.fixture(scope="module")
def after_rotation(node: str, http: httpx.Client) -> dict[str, Any]:
    """An organisation of its own: tokens of both forms signed, every key rotated, then the old tokens verified."""
    rotating = Org(http, ROTATING)
    award = rotating.award("rotation@example.fr")
    tokens = _tokens(rotating, award)
    before = {k["id"] for k in ok(http.get("/api/v1/keys", headers=rotating.headers)) if k["status"] == "active"}
    ok(http.post("/api/v1/keys/rotate", headers=rotating.headers), 201)
    return {"tokens": tokens, "retired": before, "results": _run(node, http, tokens, JOSE)}


# --- what the service signs ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("alg", ALGS)
def test_default_kid_is_the_url_of_the_single_jwk(issued: dict[str, Any], server: str, alg: str) -> None:
    kid = _header(issued["default"][alg])["kid"]
    assert kid.startswith(f"{server}/orgs/{SLUG}/keys/"), kid
    assert kid == _header(issued["tokens"][f"{alg}/jwk"])["kid"]


@pytest.mark.parametrize("alg", ALGS)
def test_did_kid_is_a_verification_method_of_the_did_web_document_listed_for_assertion(
        issued: dict[str, Any], alg: str) -> None:
    kid = _header(issued["tokens"][f"{alg}/did"])["kid"]
    did, _, fragment = kid.partition("#")
    assert did == issued["did"] and did.startswith("did:web:") and fragment, kid
    document = issued["did_document"]
    (method,) = [m for m in document["verificationMethod"] if m["id"] == kid]
    assert method["type"] == "JsonWebKey2020" and method["controller"] == did, method
    assert "d" not in method["publicKeyJwk"] and kid in document["assertionMethod"], document


@pytest.mark.parametrize("alg", ALGS)
def test_both_kid_forms_name_the_same_public_key(issued: dict[str, Any], org: Org, alg: str) -> None:
    did_kid = _header(issued["tokens"][f"{alg}/did"])["kid"]
    jwk_kid = _header(issued["tokens"][f"{alg}/jwk"])["kid"]
    assert did_kid.rsplit("#", 1)[1] == jwk_kid.rsplit("/", 1)[1]
    (method,) = [m for m in issued["did_document"]["verificationMethod"] if m["id"] == did_kid]
    served = ok(org.http.get(jwk_kid))
    assert {k: v for k, v in served.items() if k not in ("kid", "alg", "use")} == \
        {k: v for k, v in method["publicKeyJwk"].items() if k not in ("kid", "alg", "use")}


# --- jose, as shipped: http(s) kid only --------------------------------------------------------------------------
@pytest.mark.parametrize("alg", ALGS)
def test_jose_as_shipped_verifies_the_jwk_kid(results: dict[str, dict[str, Any]], alg: str) -> None:
    result = results[f"{alg}/jwk/jose"]
    assert result["verified"] is True and result["errors"] == [], _show(result)
    assert "kid->single JWK" in result["checks"] and f"signature:{alg}" in result["checks"], _show(result)


@pytest.mark.parametrize("alg", ALGS)
def test_jose_as_shipped_cannot_resolve_the_did_kid(results: dict[str, dict[str, Any]], alg: str) -> None:
    """A limitation of this verifier (and of any JWT verifier without a DID resolver), recorded as such."""
    result = results[f"{alg}/did/jose"]
    assert result["verified"] is False, _show(result)
    (error,) = result["errors"]
    assert error.startswith("key: neither an http(s) kid nor a jwk header") and "a DID URL" in error, _show(result)
    assert result["fetched"] == [], _show(result)  # it gave up before fetching anything


# --- jose with did:web resolution ------------------------------------------------------------------------------
@pytest.mark.parametrize("kid", KIDS)
@pytest.mark.parametrize("alg", ALGS)
def test_jose_with_did_resolution_verifies_both_kid_forms(results: dict[str, dict[str, Any]], alg: str,
                                                           kid: str) -> None:
    result = results[f"{alg}/{kid}/jose-did"]
    assert result["verified"] is True and result["errors"] == [], _show(result)
    assert f"signature:{alg}" in result["checks"] and "claims:iss,jti,sub,nbf,exp" in result["checks"], _show(result)
    assert result["revoked"] is False, _show(result)


@pytest.mark.parametrize("alg", ALGS)
def test_jose_with_did_resolution_took_the_key_from_the_did_web_document(results: dict[str, dict[str, Any]],
                                                                          alg: str) -> None:
    result = results[f"{alg}/did/jose-did"]
    assert "kid->did:web assertionMethod publicKeyJwk" in result["checks"], _show(result)
    assert f"/orgs/{SLUG}/did.json" in result["fetched"][0], _show(result)  # the first thing it fetched
    assert not [f for f in result["fetched"] if "/keys/" in f], _show(result)  # not the JWK URL


@pytest.mark.parametrize(("case", "error"), [
    ("other-issuer", "!= iss"), ("unknown-fragment", "0 verificationMethod(s) with id"),
    ("multikey", 'type "Multikey" is not JsonWebKey2020/JsonWebKey')])
def test_jose_did_resolution_refuses_a_kid_that_is_not_an_assertion_jwk_of_the_issuer(
        misdirected: dict[str, dict[str, Any]], case: str, error: str) -> None:
    """The resolution added to ``verify-ob3.mjs`` is careful, not merely permissive: it refuses before the
    signature check (so the refusal is the resolver's)."""
    result = misdirected[case]
    assert result["verified"] is False and len(result["errors"]) == 1, _show(result)
    assert result["errors"][0].startswith("key: ") and error in result["errors"][0], _show(result)
    assert not [c for c in result["checks"] if c.startswith("signature:")], _show(result)


# --- our verifier --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kid", KIDS)
@pytest.mark.parametrize("alg", ALGS)
def test_our_verifier_verifies_both_kid_forms(results: dict[str, dict[str, Any]], alg: str, kid: str) -> None:
    report = results[f"{alg}/{kid}/ours"]
    assert report["verified"] is True and report["format"] == "ob3-vc-jwt", _show(report)
    outcomes = {c["id"]: c["outcome"] for c in report["checks"]}
    assert outcomes["proof"] == outcomes["issuer"] == outcomes["claims"] == "passed", _show(report)


@pytest.mark.parametrize("alg", ALGS)
def test_our_verifier_resolves_the_did_kid_through_the_did_web_document(results: dict[str, dict[str, Any]],
                                                                         alg: str) -> None:
    report = results[f"{alg}/did/ours"]
    assert any(url.endswith(f"/orgs/{SLUG}/did.json") for url in report["fetched"]), _show(report)
    assert not [url for url in report["fetched"] if "/keys/" in url], _show(report)


# --- Digital Bazaar and DCC -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("verifier", ["dbvc", "dcc"])
@pytest.mark.parametrize("alg", ALGS)
def test_digital_bazaar_and_dcc_do_not_read_the_vc_jwt_whatever_the_kid(results: dict[str, dict[str, Any]],
                                                                        alg: str, verifier: str) -> None:
    for kid in KIDS:
        result = results[f"{alg}/{kid}/{verifier}"]
        assert result["verified"] is False and result["supported"] is False, _show(result)


# --- after a key rotation ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kid", KIDS)
@pytest.mark.parametrize("alg", ALGS)
def test_a_token_signed_before_rotation_still_verifies_with_jose_and_did_resolution(
        after_rotation: dict[str, Any], alg: str, kid: str) -> None:
    token_kid = _header(after_rotation["tokens"][f"{alg}/{kid}"])["kid"]
    assert token_kid.rsplit("#" if kid == "did" else "/", 1)[1] in after_rotation["retired"]
    result = after_rotation["results"][f"{alg}/{kid}/jose-did"]
    assert result["verified"] is True and result["errors"] == [], _show(result)


@pytest.mark.parametrize("kid", KIDS)
@pytest.mark.parametrize("alg", ALGS)
def test_a_token_signed_before_rotation_still_verifies_with_our_verifier(after_rotation: dict[str, Any], alg: str,
                                                                         kid: str) -> None:
    report = after_rotation["results"][f"{alg}/{kid}/ours"]
    assert report["verified"] is True, _show(report)
    assert {c["id"]: c["outcome"] for c in report["checks"]}["issuer"] == "passed", _show(report)
