"""Strict compact-JWS parsing and verification: threat T4 and scenarios S1–S4 of the security notes."""

from __future__ import annotations

import ast
import base64
import contextlib
import json
import tracemalloc
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jwcrypto import jwe, jwk, jws

from app.signing import base64url, jose_verify, jwa
from app.signing import jwk as jwk_module
from app.signing.errors import (
    BadSignatureError,
    InvalidKeyError,
    MalformedTokenError,
    SigningError,
    UnsupportedAlgorithmError,
)
from app.signing.jose_verify import (
    ALLOWED_ALGORITHMS,
    CompactJws,
    parse_compact,
    public_key_from_jwk,
    verify_signature,
)
from app.signing.multikey import encode_public_key
from app.signing.ob2_jws import sign_assertion
from app.signing.vc_jwt import encode_vc_jwt

CREDENTIAL: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "urn:uuid:2f0c1e8a-4b0e-4a55-9a5e-0e8d6a2b8c11",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://badges.example.org/orgs/acme", "type": ["Profile"]},
    "validFrom": "2025-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"]},
}
ASSERTION: dict[str, Any] = {
    "@context": "https://w3id.org/openbadges/v2",
    "id": "urn:uuid:7d1c0c55-0d6e-4d0f-8f57-5c2a7e1f1a00",
    "type": "Assertion",
    "verification": {"type": "SignedBadge", "creator": "https://badges.example.org/keys/rsa-1"},
}
ALG_KEY = {"RS256": "rsa", "RS384": "rsa", "RS512": "rsa", "PS256": "rsa", "ES256": "p256", "ES384": "p384",
           "EdDSA": "ed25519"}


@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    return {
        "rsa": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "rsa_other": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "p256": ec.generate_private_key(ec.SECP256R1()),
        "p256_other": ec.generate_private_key(ec.SECP256R1()),
        "p384": ec.generate_private_key(ec.SECP384R1()),
        "ed25519": ed25519.Ed25519PrivateKey.generate(),
    }


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def craft(header: dict[str, Any] | str, payload: bytes = b'{"a":1}', signature: bytes = b"\x01" * 64) -> str:
    """An unsigned token with exactly the header given (the signature is filler)."""
    raw = header if isinstance(header, str) else json.dumps(header)
    return f"{b64(raw.encode())}.{b64(payload)}.{b64(signature)}"


def jwcrypto_sign(private_key: Any, alg: str, payload: bytes = b'{"a":1}', **extra: Any) -> str:
    token = jws.JWS(payload)
    token.add_signature(jwk.JWK.from_pyca(private_key), alg=alg, protected=json.dumps({"alg": alg, **extra}))
    return str(token.serialize(compact=True))


def hmac_token(secret: bytes, alg: str = "HS256") -> str:
    token = jws.JWS(b'{"iss":"https://badges.example.org/orgs/acme"}')
    token.add_signature(jwk.JWK(kty="oct", k=b64(secret)), alg=alg, protected=json.dumps({"alg": alg}))
    return str(token.serialize(compact=True))


def replace_segment(token: str, index: int, data: bytes) -> str:
    parts = token.split(".")
    parts[index] = b64(data)
    return ".".join(parts)


# ------------------------------------------------------------------------------------------- our own tokens


@pytest.mark.parametrize(("algorithm", "key_name"), [("RS256", "rsa"), ("ES256", "p256"), ("EdDSA", "ed25519")])
def test_vc_jwt_from_our_signer_verifies(keys: dict[str, Any], algorithm: Any, key_name: str) -> None:
    token = encode_vc_jwt(CREDENTIAL, private_key=keys[key_name], kid="https://badges.example.org/keys/1",
                          algorithm=algorithm)
    parsed = parse_compact(token)
    verify_signature(parsed, keys[key_name].public_key())
    assert (parsed.alg, parsed.kid, parsed.header["typ"]) == (algorithm, "https://badges.example.org/keys/1", "JWT")
    assert parsed.payload_json()["jti"] == CREDENTIAL["id"]


def test_ob2_signed_assertion_from_our_signer_verifies(keys: dict[str, Any]) -> None:
    parsed = parse_compact(sign_assertion(ASSERTION, private_key=keys["rsa"]))
    verify_signature(parsed, keys["rsa"].public_key())
    assert parsed.header == {"alg": "RS256"}
    assert parsed.payload_json() == ASSERTION


@pytest.mark.parametrize("alg", sorted(ALLOWED_ALGORITHMS))
def test_every_allowed_algorithm_verifies_with_a_matching_key(keys: dict[str, Any], alg: str) -> None:
    key = keys[ALG_KEY[alg]]
    verify_signature(parse_compact(jwcrypto_sign(key, alg)), key.public_key())


@pytest.mark.parametrize("alg", sorted(ALLOWED_ALGORITHMS))
def test_every_allowed_algorithm_verifies_with_a_key_built_from_its_jwk(keys: dict[str, Any], alg: str) -> None:
    key = keys[ALG_KEY[alg]]
    public_jwk = json.loads(jwk.JWK.from_pyca(key.public_key()).export_public())
    verify_signature(parse_compact(jwcrypto_sign(key, alg)), public_key_from_jwk(public_jwk, alg=alg))


def test_surrounding_whitespace_is_stripped(keys: dict[str, Any]) -> None:
    token = jwcrypto_sign(keys["ed25519"], "EdDSA")
    verify_signature(parse_compact(f"\n  {token}\r\n".encode()), keys["ed25519"].public_key())


def test_signing_input_is_the_ascii_header_and_payload(keys: dict[str, Any]) -> None:
    token = jwcrypto_sign(keys["ed25519"], "EdDSA")
    assert parse_compact(token).signing_input == token.rsplit(".", 1)[0].encode("ascii")


# ------------------------------------------------------------------------------------------- S1: none / HMAC


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
@pytest.mark.parametrize("signature", [b"", b"\x00" * 32])
def test_alg_none_is_refused_with_or_without_signature(alg: str, signature: bytes) -> None:
    with pytest.raises(UnsupportedAlgorithmError):
        parse_compact(craft({"alg": alg}, signature=signature))


def _rsa_public_pem(keys: dict[str, Any]) -> bytes:
    return keys["rsa"].public_key().public_bytes(serialization.Encoding.PEM,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_keyed_with_the_issuer_rsa_pem_is_refused(keys: dict[str, Any], alg: str) -> None:
    with pytest.raises(UnsupportedAlgorithmError):
        parse_compact(hmac_token(_rsa_public_pem(keys), alg))


def test_hmac_keyed_with_the_issuer_rsa_jwk_json_is_refused(keys: dict[str, Any]) -> None:
    secret = jwk.JWK.from_pyca(keys["rsa"].public_key()).export_public().encode()
    with pytest.raises(UnsupportedAlgorithmError):
        parse_compact(hmac_token(secret))


def test_hmac_keyed_with_the_issuer_rsa_der_is_refused(keys: dict[str, Any]) -> None:
    secret = keys["rsa"].public_key().public_bytes(serialization.Encoding.DER,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(UnsupportedAlgorithmError):
        parse_compact(hmac_token(secret))


def test_hmac_keyed_with_raw_ed25519_public_bytes_is_refused(keys: dict[str, Any]) -> None:
    secret = keys["ed25519"].public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    with pytest.raises(UnsupportedAlgorithmError):
        parse_compact(hmac_token(secret))


def test_hmac_keyed_with_ed25519_multibase_is_refused(keys: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedAlgorithmError):
        parse_compact(hmac_token(encode_public_key(keys["ed25519"].public_key()).encode()))


def test_verify_refuses_hmac_even_when_parsing_is_bypassed(keys: dict[str, Any]) -> None:
    forged = CompactJws(header={"alg": "HS256"}, payload=b"{}", signing_input=b"x.y", signature=b"\x00" * 32)
    with pytest.raises(UnsupportedAlgorithmError):
        verify_signature(forged, keys["rsa"].public_key())


def test_verify_refuses_key_material_that_is_not_a_public_key_object(keys: dict[str, Any]) -> None:
    parsed = parse_compact(jwcrypto_sign(keys["rsa"], "RS256"))
    with pytest.raises(InvalidKeyError):
        verify_signature(parsed, _rsa_public_pem(keys))  # type: ignore[arg-type]


@pytest.mark.parametrize("alg", ["RS1", "ES512", "ES256K", "PS384", "Ed25519", "RSA-OAEP", "dir", "", "rs256"])
def test_algorithms_outside_the_allowlist_are_refused(alg: str) -> None:
    with pytest.raises(UnsupportedAlgorithmError):
        parse_compact(craft({"alg": alg}))


@pytest.mark.parametrize("alg", [None, 256, ["RS256"], {"alg": "RS256"}])
def test_non_string_alg_is_refused(alg: Any) -> None:
    with pytest.raises(UnsupportedAlgorithmError):
        parse_compact(craft({"alg": alg}))


def test_missing_alg_is_refused() -> None:
    with pytest.raises(MalformedTokenError):
        parse_compact(craft({"kid": "k"}))


# ------------------------------------------------------------------------------------------- S2: key sources


@pytest.mark.parametrize("name", ["jku", "x5u"])
def test_key_url_headers_are_kept_but_never_change_the_key(keys: dict[str, Any], name: str) -> None:
    attacker = keys["rsa_other"]
    token = jwcrypto_sign(attacker, "RS256", **{name: "http://127.0.0.1:9/canary"})
    parsed = parse_compact(token)
    assert parsed.header[name] == "http://127.0.0.1:9/canary"
    with pytest.raises(BadSignatureError):
        verify_signature(parsed, keys["rsa"].public_key())


def test_attacker_jwk_header_does_not_make_the_token_verify_under_the_issuer_key(keys: dict[str, Any]) -> None:
    attacker = keys["rsa_other"]
    token = jwcrypto_sign(attacker, "RS256", jwk=json.loads(jwk.JWK.from_pyca(attacker.public_key()).export_public()))
    parsed = parse_compact(token)
    assert parsed.jwk is not None and parsed.jwk["kty"] == "RSA"
    with pytest.raises(BadSignatureError):
        verify_signature(parsed, keys["rsa"].public_key())


@pytest.mark.parametrize("module", [jose_verify, jwk_module, jwa, base64url], ids=lambda m: m.__name__)
def test_module_has_no_network_or_file_imports(module: ModuleType) -> None:
    tree = ast.parse(Path(str(module.__file__)).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    forbidden = ("urllib", "http", "socket", "httpx", "requests", "ssl", "app.fetch", "pathlib", "os")
    assert {name for name in imported if name.startswith(forbidden)} == set()


# ------------------------------------------------------------------------------------------- S3: header abuse


@pytest.mark.parametrize("kid", ["../../etc/passwd", "' OR 1=1 --", "https://evil.example/k#1", "k" * 2048])
def test_odd_kid_is_an_opaque_string(kid: str) -> None:
    assert parse_compact(craft({"alg": "RS256", "kid": kid})).kid == kid


def test_kid_of_ten_kilobytes_is_refused() -> None:
    with pytest.raises(MalformedTokenError):
        parse_compact(craft({"alg": "RS256", "kid": "k" * 10_240}))


def test_kid_just_over_the_limit_is_refused() -> None:
    with pytest.raises(MalformedTokenError):
        parse_compact(craft({"alg": "RS256", "kid": "k" * 2049}))


@pytest.mark.parametrize("kid", [1, None, ["a"], {"a": 1}, True])
def test_non_string_kid_is_refused(kid: Any) -> None:
    with pytest.raises(MalformedTokenError):
        parse_compact(craft({"alg": "RS256", "kid": kid}))


@pytest.mark.parametrize("name", ["typ", "cty"])
def test_non_string_typ_or_cty_is_refused(name: str) -> None:
    with pytest.raises(MalformedTokenError):
        parse_compact(craft({"alg": "RS256", name: 1}))


def test_string_typ_and_cty_are_accepted() -> None:
    header = parse_compact(craft({"alg": "ES256", "typ": "JWT", "cty": "vc"})).header
    assert (header["typ"], header["cty"]) == ("JWT", "vc")


@pytest.mark.parametrize("crit", [["exp"], ["b64"], ["urn:example:unknown"]])
def test_unknown_crit_is_refused(crit: list[str]) -> None:
    with pytest.raises(MalformedTokenError, match="critical"):
        parse_compact(craft({"alg": "RS256", "crit": crit, **dict.fromkeys(crit, True)}))


@pytest.mark.parametrize("crit", [[], "exp", [1], ["exp", "exp"], None, {}])
def test_malformed_crit_is_refused(crit: Any) -> None:
    with pytest.raises(MalformedTokenError, match="malformed"):
        parse_compact(craft({"alg": "RS256", "crit": crit}))


@pytest.mark.parametrize("header", [{"alg": "RS256", "b64": False}, {"alg": "RS256", "b64": False, "crit": ["b64"]},
                                    {"alg": "RS256", "b64": "false"}])
def test_unencoded_payload_b64_false_is_refused(header: dict[str, Any]) -> None:
    with pytest.raises(MalformedTokenError, match="b64"):
        parse_compact(craft(header))


def test_b64_true_is_the_default_and_accepted() -> None:
    assert parse_compact(craft({"alg": "RS256", "b64": True})).header["b64"] is True


def test_zip_is_refused() -> None:
    with pytest.raises(MalformedTokenError, match="zip"):
        parse_compact(craft({"alg": "RS256", "zip": "DEF"}))


def test_enc_header_is_refused_as_jwe() -> None:
    with pytest.raises(MalformedTokenError, match="JWE"):
        parse_compact(craft({"alg": "RS256", "enc": "A256GCM"}))


def test_real_jwe_with_five_parts_is_refused(keys: dict[str, Any]) -> None:
    token = jwe.JWE(b'{"a":1}', protected=json.dumps({"alg": "RSA-OAEP-256", "enc": "A256GCM"}))
    token.add_recipient(jwk.JWK.from_pyca(keys["rsa"].public_key()))
    compact = token.serialize(compact=True)
    assert compact.count(".") == 4
    with pytest.raises(MalformedTokenError, match="(?i)encrypted tokens \\(JWE\\) are not accepted"):
        parse_compact(compact)


@pytest.mark.parametrize("size", [65 * 1024, 50 * 1024 * 1024])
def test_oversized_token_is_refused_before_it_is_decoded(size: int) -> None:
    token = "eyJhbGciOiJSUzI1NiJ9." + "A" * size + ".AAAA"
    tracemalloc.start()
    try:
        with pytest.raises(MalformedTokenError, match="larger than"):
            parse_compact(token)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024, f"{peak:,} bytes: the token was decoded"


def test_size_limit_is_configurable() -> None:
    token = craft({"alg": "RS256"})
    parse_compact(token, max_bytes=len(token))
    with pytest.raises(MalformedTokenError, match="larger than"):
        parse_compact(token, max_bytes=len(token) - 1)


@pytest.mark.parametrize("segment", [0, 1, 2])
@pytest.mark.parametrize("bad", ["+", "/", "=", " ", "%", "é"])
def test_non_base64url_segment_is_refused(segment: int, bad: str) -> None:
    parts = craft({"alg": "RS256"}).split(".")
    parts[segment] = parts[segment][:4] + bad + parts[segment][4:]
    with pytest.raises(MalformedTokenError):
        parse_compact(".".join(parts))


def test_padded_segment_is_refused() -> None:
    parts = craft({"alg": "RS256"}, signature=b"\x01\x02").split(".")
    parts[2] += "=" * (-len(parts[2]) % 4)
    with pytest.raises(MalformedTokenError, match="base64url"):
        parse_compact(".".join(parts))


def test_non_canonical_base64url_is_refused(keys: dict[str, Any]) -> None:
    token = jwcrypto_sign(keys["rsa"], "RS256")  # 256-byte signature: the last character carries 4 spare bits
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    tweaked = token[:-1] + alphabet[alphabet.index(token[-1]) | 1]
    assert base64.urlsafe_b64decode(tweaked.split(".")[2] + "==") == base64.urlsafe_b64decode(
        token.split(".")[2] + "==")
    with pytest.raises(MalformedTokenError, match="canonical"):
        parse_compact(tweaked)


@pytest.mark.parametrize("token", ["", "a", "a.b", "a.b.c.d", "a.b.c.d.e.f", "...", "{\"payload\":\"x\"}"])
def test_wrong_number_of_segments_is_refused(token: str) -> None:
    with pytest.raises(MalformedTokenError):
        parse_compact(token)


def test_duplicate_header_keys_are_refused() -> None:
    with pytest.raises(MalformedTokenError, match="duplicate"):
        parse_compact(craft('{"alg":"RS256","alg":"none"}'))


@pytest.mark.parametrize("header", ["[]", '"RS256"', "null", "1", "not json", '{"alg":"RS256"', "{\"alg\":NaN}"])
def test_header_that_is_not_a_json_object_is_refused(header: str) -> None:
    with pytest.raises(MalformedTokenError):
        parse_compact(craft(header))


def test_header_that_is_not_utf8_is_refused() -> None:
    header = b'{"alg":"RS256","x":"\xff"}'
    token = f"{b64(header)}.{b64(b'{}')}.{b64(b'sig')}"
    with pytest.raises(MalformedTokenError, match="UTF-8"):
        parse_compact(token)


def test_deeply_nested_header_is_refused_without_recursion_error() -> None:
    with pytest.raises(MalformedTokenError):
        parse_compact(craft('{"alg":"RS256","x":' + "[" * 5_000 + "]" * 5_000 + "}"))


def test_empty_signature_is_refused() -> None:
    with pytest.raises(MalformedTokenError, match="no signature"):
        parse_compact(craft({"alg": "RS256"}, signature=b""))


def test_empty_payload_is_refused() -> None:
    parts = craft({"alg": "RS256"}).split(".")
    with pytest.raises(MalformedTokenError, match="payload"):
        parse_compact(f"{parts[0]}..{parts[2]}")


@pytest.mark.parametrize("member", ["d", "p", "k"])
def test_jwk_header_with_private_material_is_refused(keys: dict[str, Any], member: str) -> None:
    public_jwk = json.loads(jwk.JWK.from_pyca(keys["rsa"].public_key()).export_public())
    with pytest.raises(MalformedTokenError, match="private"):
        parse_compact(craft({"alg": "RS256", "jwk": {**public_jwk, member: "AQAB"}}))


def test_jwk_property_refuses_private_material_on_a_hand_built_token() -> None:
    forged = CompactJws(header={"alg": "EdDSA", "jwk": {"kty": "OKP", "d": "AA"}}, payload=b"{}",
                        signing_input=b"x.y", signature=b"\x00")
    with pytest.raises(MalformedTokenError):
        _ = forged.jwk


def test_jwk_header_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(MalformedTokenError):
        parse_compact(craft({"alg": "RS256", "jwk": "eyJrdHkiOiJSU0EifQ"}))


def test_non_text_token_is_refused() -> None:
    with pytest.raises(MalformedTokenError):
        parse_compact(12345)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------- payload_json


def test_payload_json_refuses_duplicate_keys() -> None:
    parsed = parse_compact(craft({"alg": "RS256"}, payload=b'{"iss":"https://a.example","iss":"https://b.example"}'))
    with pytest.raises(MalformedTokenError, match="duplicate"):
        parsed.payload_json()


def test_payload_json_refuses_duplicate_keys_in_nested_objects() -> None:
    parsed = parse_compact(craft({"alg": "RS256"}, payload=b'{"issuer":{"id":"a","id":"b"}}'))
    with pytest.raises(MalformedTokenError):
        parsed.payload_json()


@pytest.mark.parametrize("payload", [b"[1]", b'"x"', b"null", b"\xff\xfe", b'{"a":NaN}', b'{"a":1e999}',
                                     b'{"a":"\\ud800"}', b"{"])
def test_payload_json_refuses_non_objects_and_non_json(payload: bytes) -> None:
    with pytest.raises(MalformedTokenError):
        parse_compact(craft({"alg": "RS256"}, payload=payload)).payload_json()


# ------------------------------------------------------------------------------------------- S4: tampering


def test_one_byte_changed_in_the_payload_is_a_bad_signature(keys: dict[str, Any]) -> None:
    token = encode_vc_jwt(CREDENTIAL, private_key=keys["rsa"], kid="k", algorithm="RS256")
    payload = bytearray(parse_compact(token).payload)
    payload[payload.index(b"learner")] ^= 0x01
    with pytest.raises(BadSignatureError):
        verify_signature(parse_compact(replace_segment(token, 1, bytes(payload))), keys["rsa"].public_key())


@pytest.mark.parametrize("alg", sorted(ALLOWED_ALGORITHMS))
def test_one_byte_changed_in_the_signature_is_a_bad_signature(keys: dict[str, Any], alg: str) -> None:
    key = keys[ALG_KEY[alg]]
    token = jwcrypto_sign(key, alg)
    signature = bytearray(parse_compact(token).signature)
    signature[len(signature) // 3] ^= 0x80
    with pytest.raises(BadSignatureError):
        verify_signature(parse_compact(replace_segment(token, 2, bytes(signature))), key.public_key())


def test_header_swapped_after_signing_is_a_bad_signature(keys: dict[str, Any]) -> None:
    token = jwcrypto_sign(keys["rsa"], "RS256", kid="a")
    swapped = replace_segment(token, 0, b'{"alg":"RS256","kid":"b"}')
    with pytest.raises(BadSignatureError):
        verify_signature(parse_compact(swapped), keys["rsa"].public_key())


@pytest.mark.parametrize(("alg", "signer", "verifier"),
                         [("RS256", "rsa_other", "rsa"), ("ES256", "p256_other", "p256")])
def test_signature_of_another_key_is_a_bad_signature(keys: dict[str, Any], alg: str, signer: str,
                                                     verifier: str) -> None:
    with pytest.raises(BadSignatureError):
        verify_signature(parse_compact(jwcrypto_sign(keys[signer], alg)), keys[verifier].public_key())


@pytest.mark.parametrize(("alg", "wrong_key"), [("RS256", "p256"), ("PS256", "ed25519"), ("ES256", "rsa"),
                                                ("ES256", "p384"), ("ES384", "p256"), ("EdDSA", "rsa"),
                                                ("EdDSA", "p256")])
def test_key_of_another_family_is_refused(keys: dict[str, Any], alg: str, wrong_key: str) -> None:
    token = jwcrypto_sign(keys[ALG_KEY[alg]], alg)
    with pytest.raises(UnsupportedAlgorithmError):
        verify_signature(parse_compact(token), keys[wrong_key].public_key())


def test_rs256_signature_does_not_verify_as_ps256(keys: dict[str, Any]) -> None:
    token = jwcrypto_sign(keys["rsa"], "RS256")
    parsed = parse_compact(token)
    relabelled = CompactJws(header={"alg": "PS256"}, payload=parsed.payload, signing_input=parsed.signing_input,
                            signature=parsed.signature)
    with pytest.raises(BadSignatureError):
        verify_signature(relabelled, keys["rsa"].public_key())


def test_ps256_with_a_salt_other_than_the_digest_length_is_refused(keys: dict[str, Any]) -> None:
    header = b64(b'{"alg":"PS256"}') + "." + b64(b"{}")
    signature = keys["rsa"].sign(header.encode(), padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                                                              salt_length=padding.PSS.MAX_LENGTH), hashes.SHA256())
    with pytest.raises(BadSignatureError):
        verify_signature(parse_compact(f"{header}.{b64(signature)}"), keys["rsa"].public_key())


@pytest.mark.parametrize("cut", [1, 32])
def test_es256_signature_of_wrong_length_is_refused(keys: dict[str, Any], cut: int) -> None:
    token = jwcrypto_sign(keys["p256"], "ES256")
    short = replace_segment(token, 2, parse_compact(token).signature[:-cut])
    with pytest.raises(BadSignatureError, match="64 bytes"):
        verify_signature(parse_compact(short), keys["p256"].public_key())


def test_es256_der_encoded_signature_is_refused(keys: dict[str, Any]) -> None:
    header = b64(b'{"alg":"ES256"}') + "." + b64(b"{}")
    der = keys["p256"].sign(header.encode(), ec.ECDSA(hashes.SHA256()))
    decode_dss_signature(der)  # it is a valid DER signature of this input
    with pytest.raises(BadSignatureError):
        verify_signature(parse_compact(f"{header}.{b64(der)}"), keys["p256"].public_key())


def test_eddsa_signature_of_wrong_length_is_refused(keys: dict[str, Any]) -> None:
    token = jwcrypto_sign(keys["ed25519"], "EdDSA")
    with pytest.raises(BadSignatureError, match="64 bytes"):
        verify_signature(parse_compact(replace_segment(token, 2, parse_compact(token).signature + b"\x00")),
                         keys["ed25519"].public_key())


def test_rsa_1024_bit_key_is_refused() -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - the weak key under test
    header = b64(b'{"alg":"RS256"}') + "." + b64(b"{}")
    signature = weak.sign(header.encode(), padding.PKCS1v15(), hashes.SHA256())
    with pytest.raises(InvalidKeyError, match="2048"):
        verify_signature(parse_compact(f"{header}.{b64(signature)}"), weak.public_key())


def test_rsa_1024_bit_jwk_is_refused() -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - the weak key under test
    with pytest.raises(InvalidKeyError, match="2048"):
        public_key_from_jwk(json.loads(jwk.JWK.from_pyca(weak.public_key()).export_public()))


# ------------------------------------------------------------------------------------------- public_key_from_jwk


def _public_jwk(key: Any) -> dict[str, Any]:
    return dict(json.loads(jwk.JWK.from_pyca(key.public_key()).export_public()))


@pytest.mark.parametrize("name", ["rsa", "p256", "p384", "ed25519"])
def test_jwk_round_trips_to_the_same_public_key(keys: dict[str, Any], name: str) -> None:
    der = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    assert public_key_from_jwk(_public_jwk(keys[name])).public_bytes(*der) == keys[name].public_key().public_bytes(*der)


@pytest.mark.parametrize("name", ["rsa", "p256", "ed25519"])
def test_jwk_with_private_d_is_refused(keys: dict[str, Any], name: str) -> None:
    private = json.loads(jwk.JWK.from_pyca(keys[name]).export_private())
    with pytest.raises(InvalidKeyError, match="private"):
        public_key_from_jwk(private)


def test_symmetric_oct_jwk_is_refused() -> None:
    with pytest.raises(InvalidKeyError):
        public_key_from_jwk({"kty": "oct", "k": b64(b"secret")})


@pytest.mark.parametrize(("kty", "crv"), [("EC", "P-521"), ("EC", "secp256k1"), ("OKP", "X25519"), ("OKP", "Ed448"),
                                          ("EC", "Ed25519"), ("OKP", "P-256"), ("EC", None), ("EC", ["P-256"])])
def test_unsupported_curves_are_refused(keys: dict[str, Any], kty: str, crv: Any) -> None:
    base = _public_jwk(keys["p256"] if kty == "EC" else keys["ed25519"])
    with pytest.raises(InvalidKeyError):
        public_key_from_jwk({**base, "kty": kty, "crv": crv})


@pytest.mark.parametrize("kty", ["rsa", "", None, ["RSA"], "EC2"])
def test_unknown_kty_is_refused(kty: Any) -> None:
    with pytest.raises(InvalidKeyError):
        public_key_from_jwk({"kty": kty, "n": "AQAB", "e": "AQAB"})


def test_ec_point_not_on_the_curve_is_refused(keys: dict[str, Any]) -> None:
    public = _public_jwk(keys["p256"])
    y = bytearray(base64.urlsafe_b64decode(public["y"] + "=="))
    y[-1] ^= 0x01
    with pytest.raises(InvalidKeyError):
        public_key_from_jwk({**public, "y": b64(bytes(y))})


def test_ec_coordinate_not_full_length_is_refused(keys: dict[str, Any]) -> None:
    public = _public_jwk(keys["p256"])
    with pytest.raises(InvalidKeyError, match="32 bytes"):
        public_key_from_jwk({**public, "x": b64(base64.urlsafe_b64decode(public["x"] + "==")[1:])})


def test_rsa_modulus_with_leading_zero_is_refused(keys: dict[str, Any]) -> None:
    public = _public_jwk(keys["rsa"])
    with pytest.raises(InvalidKeyError):
        public_key_from_jwk({**public, "n": b64(b"\x00" + base64.urlsafe_b64decode(public["n"] + "=="))})


def test_jwk_alg_member_must_fit_the_key(keys: dict[str, Any]) -> None:
    with pytest.raises(InvalidKeyError, match="alg"):
        public_key_from_jwk({**_public_jwk(keys["rsa"]), "alg": "HS256"})


def test_jwk_requested_alg_must_fit_the_key(keys: dict[str, Any]) -> None:
    with pytest.raises(InvalidKeyError):
        public_key_from_jwk(_public_jwk(keys["p256"]), alg="ES384")


def test_jwk_requested_alg_must_equal_the_jwk_alg_member(keys: dict[str, Any]) -> None:
    with pytest.raises(InvalidKeyError):
        public_key_from_jwk({**_public_jwk(keys["rsa"]), "alg": "RS256"}, alg="PS256")


def test_jwk_for_encryption_is_refused(keys: dict[str, Any]) -> None:
    with pytest.raises(InvalidKeyError, match="sig"):
        public_key_from_jwk({**_public_jwk(keys["rsa"]), "use": "enc"})


@pytest.mark.parametrize("value", [1, None, "", "AQAB=", "AQ+B"])
def test_jwk_member_badly_encoded_is_refused(keys: dict[str, Any], value: Any) -> None:
    with pytest.raises(InvalidKeyError):
        public_key_from_jwk({**_public_jwk(keys["ed25519"]), "x": value})


# ------------------------------------------------------------------------------------------- properties

JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                        max_size=3), max_leaves=8)
HEADER_NAMES = st.sampled_from(["alg", "kid", "typ", "cty", "crit", "b64", "zip", "enc", "jwk", "jku", "x5c"])
HEADERS = st.dictionaries(HEADER_NAMES | st.text(max_size=4), JSON_VALUES, max_size=5).map(
    lambda h: h if "alg" in h else {**h, "alg": "RS256"})
ALGS = st.sampled_from([*sorted(ALLOWED_ALGORITHMS), "none", "HS256"])


def _exercise(token: str | bytes, public_keys: list[Any]) -> None:
    try:
        parsed = parse_compact(token)
        _ = parsed.kid, parsed.jwk
        parsed.payload_json()
    except SigningError:
        return
    for key in public_keys:
        with contextlib.suppress(SigningError):
            verify_signature(parsed, key)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.text(max_size=300) | st.binary(max_size=300))
def test_random_garbage_raises_only_signing_errors(keys: dict[str, Any], garbage: str | bytes) -> None:
    _exercise(garbage, [keys["p256"].public_key()])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=HEADERS, alg=ALGS, payload=st.binary(max_size=64), signature=st.binary(max_size=600),
       dots=st.sampled_from([".", ".."]))
def test_random_well_encoded_tokens_raise_only_signing_errors(keys: dict[str, Any], header: dict[str, Any], alg: str,
                                                               payload: bytes, signature: bytes, dots: str) -> None:
    token = b64(json.dumps({**header, "alg": alg}).encode()) + "." + b64(payload) + dots + b64(signature)
    _exercise(token, [keys[name].public_key() for name in ("rsa", "p256", "p384", "ed25519")])


@pytest.fixture(scope="module")
def signed(keys: dict[str, Any]) -> dict[str, str]:
    return {alg: jwcrypto_sign(keys[ALG_KEY[alg]], alg) for alg in ALLOWED_ALGORITHMS}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), alg=st.sampled_from(sorted(ALLOWED_ALGORITHMS)))
def test_any_single_character_change_never_verifies(keys: dict[str, Any], signed: dict[str, str],
                                                    data: st.DataObject, alg: str) -> None:
    key, token = keys[ALG_KEY[alg]], signed[alg]
    index = data.draw(st.integers(0, len(token) - 1))
    char = data.draw(st.sampled_from("AQgwBRhx09-_+/=.{}\"é\x00"))
    mutated = token[:index] + char + token[index + 1:]
    try:
        verify_signature(parse_compact(mutated), key.public_key())
    except SigningError:
        return
    assert mutated == token


@settings(max_examples=300, deadline=None)
@given(candidate=st.dictionaries(st.sampled_from(["kty", "crv", "n", "e", "x", "y", "alg", "use", "d"]) |
                                 st.text(max_size=3), JSON_VALUES | st.sampled_from(["RSA", "EC", "OKP", "P-256",
                                                                                     "Ed25519", "AQAB"]),
                                 max_size=6))
def test_random_jwks_raise_only_invalid_key_errors(candidate: dict[str, Any]) -> None:
    with contextlib.suppress(InvalidKeyError):
        public_key_from_jwk(candidate)
