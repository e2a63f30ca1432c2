"""eddsa-rdfc-2022 reproduces the W3C and OB 3.0 vectors byte for byte; every signed vector verifies."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.signing.canon import canonicalize
from app.signing.data_integrity import create_proof, hash_data, list_proofs, verify_proof
from app.signing.errors import (
    BadSignatureError,
    MalformedProofError,
    UndefinedTermError,
    UnknownContextError,
    UnsupportedAlgorithmError,
)
from app.signing.loader import make_loader
from app.signing.multikey import decode_public_key, decode_secret_key, encode_public_key

V = Path(__file__).resolve().parents[1] / "vectors"
W3C = V / "w3c-vc-di-eddsa"
OB3 = V / "ob3-impl-guide"
SIGNED = sorted((V / "ob3-spec-rendered-2024-04-03").glob("*.signed-eddsa-rdfc-2022.json")) + sorted(
    (V / "1edtech-validator-fixtures").glob("*.json"))


def _json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def _text(path: Path) -> str:
    return path.read_text("utf-8")


def _key_of(vm: str) -> Any:
    return decode_public_key(vm.split("#")[-1] if "#" in vm else vm.removeprefix("did:key:"))


def _created(config: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(config["created"].replace("Z", "+00:00"))


# --- W3C vc-di-eddsa vector -----------------------------------------------------------------------------------

def test_w3c_canonical_document() -> None:
    doc = _json(W3C / "unsigned.json")
    assert canonicalize(doc, make_loader(allow_examples=True)) == _text(W3C / "eddsa-rdfc-2022/canonDocDataInt.txt")


def test_w3c_canonical_proof_configuration() -> None:
    config = _json(W3C / "eddsa-rdfc-2022/proofConfigDataInt.json")
    assert canonicalize(config, make_loader(allow_examples=True)) == _text(
        W3C / "eddsa-rdfc-2022/proofCanonDataInt.txt")


def test_w3c_hashes_in_order_proof_then_document() -> None:
    combined = hash_data(_text(W3C / "eddsa-rdfc-2022/proofCanonDataInt.txt"),
                         _text(W3C / "eddsa-rdfc-2022/canonDocDataInt.txt"))
    assert combined.hex() == _text(W3C / "eddsa-rdfc-2022/combinedHashDataInt.txt").strip()
    assert combined[32:].hex() == _text(W3C / "eddsa-rdfc-2022/docHashDataInt.txt").strip()
    assert combined[:32].hex() == _text(W3C / "eddsa-rdfc-2022/proofHashDataInt.txt").strip()


def test_w3c_signature_and_proof_value_are_reproduced() -> None:
    secret = decode_secret_key(_json(W3C / "keyPair.spec-text.json")["secretKeyMultibase"])
    config = _json(W3C / "eddsa-rdfc-2022/proofConfigDataInt.json")
    signed = create_proof(_json(W3C / "unsigned.json"), private_key=secret,
                          verification_method=config["verificationMethod"], created=_created(config),
                          loader=make_loader(allow_examples=True))
    proof = signed["proof"][0]
    expected = _json(W3C / "eddsa-rdfc-2022/signedDataInt.json")["proof"]
    assert proof["proofValue"] == expected["proofValue"] == _text(W3C / "eddsa-rdfc-2022/sigBTC58DataInt.txt").strip()
    assert {k: v for k, v in proof.items() if k != "proofValue"} == {
        k: v for k, v in expected.items() if k != "proofValue"}


def test_w3c_employment_vector_signature_from_its_nquads() -> None:
    secret = decode_secret_key(_json(W3C / "keyPair.spec-text.json")["secretKeyMultibase"])
    data = hash_data(_text(W3C / "eddsa-rdfc-2022/employ/proofCanonDataInt.txt"),
                     _text(W3C / "eddsa-rdfc-2022/employ/canonDocDataInt.txt"))
    assert secret.sign(data).hex() == _text(W3C / "eddsa-rdfc-2022/employ/sigHexDataInt.txt").strip()


def test_multikey_round_trip_of_the_w3c_key() -> None:
    pair = _json(W3C / "keyPair.spec-text.json")
    secret = decode_secret_key(pair["secretKeyMultibase"])
    assert encode_public_key(secret.public_key()) == pair["publicKeyMultibase"]


# --- OB 3.0 implementation guide vector -----------------------------------------------------------------------

def test_ob3_guide_canonical_document() -> None:
    assert canonicalize(_json(OB3 / "unsigned-credential.json"), make_loader()) == _text(OB3 / "document-canon.txt")


def test_ob3_guide_canonical_proof_options_with_the_document_context() -> None:
    config = {"@context": _json(OB3 / "unsigned-credential.json")["@context"], **_json(OB3 / "proof-options.json")}
    assert canonicalize(config, make_loader()) == _text(OB3 / "proof-canon.txt")


def test_ob3_guide_hashes_and_signature() -> None:
    expected = _json(OB3 / "hashes-and-signature.json")
    data = hash_data(_text(OB3 / "proof-canon.txt"), _text(OB3 / "document-canon.txt"))
    assert data[:32].hex() == expected["proofHashHex"]
    assert data[32:].hex() == expected["documentHashHex"]
    assert data.hex() == expected["dataToSignHex"]
    seed = bytes.fromhex(_json(OB3 / "keypair.json")["privateKeySeedHex_32bytes"])
    assert Ed25519PrivateKey.from_private_bytes(seed).sign(data).hex() == expected["signatureHex"]


def test_ob3_guide_signed_credential_proof_value_is_reproduced() -> None:
    seed = bytes.fromhex(_json(OB3 / "keypair.json")["privateKeySeedHex_32bytes"])
    secret = Ed25519PrivateKey.from_private_bytes(seed)
    options = _json(OB3 / "proof-options.json")
    signed = create_proof(_json(OB3 / "unsigned-credential.json"), private_key=secret,
                          verification_method=options["verificationMethod"], created=_created(options),
                          loader=make_loader())
    expected = _json(OB3 / "signed-credential.json")["proof"]
    assert signed["proof"][0]["proofValue"] == expected["proofValue"]


# --- verification of every signed vector ----------------------------------------------------------------------

@pytest.mark.parametrize("path", SIGNED, ids=lambda p: p.name)
def test_signed_vector_verifies(path: Path) -> None:
    doc = _json(path)
    (ref,) = list_proofs(doc)
    verify_proof(doc, ref.proof, public_key=_key_of(ref.verification_method), loader=make_loader())


def _flip_one_character(doc: dict[str, Any]) -> dict[str, Any]:
    tampered = json.loads(json.dumps(doc))
    name = tampered.get("name") or tampered["credentialSubject"].get("id")
    if "name" in tampered:
        tampered["name"] = name[:-1] + ("X" if name[-1] != "X" else "Y")
    else:
        tampered["credentialSubject"]["id"] = name[:-1] + ("X" if name[-1] != "X" else "Y")
    return tampered


@pytest.mark.parametrize("path", SIGNED, ids=lambda p: p.name)
def test_one_changed_character_fails(path: Path) -> None:
    doc = _json(path)
    (ref,) = list_proofs(doc)
    with pytest.raises(BadSignatureError):
        verify_proof(_flip_one_character(doc), ref.proof, public_key=_key_of(ref.verification_method),
                     loader=make_loader())


# --- negatives --------------------------------------------------------------------------------------------------

@pytest.fixture
def simple() -> dict[str, Any]:
    return _json(V / "1edtech-validator-fixtures/simple.json")  # type: ignore[no-any-return]


def test_wrong_key_fails(simple: dict[str, Any]) -> None:
    pair = _json(W3C / "keyPair.spec-text.json")
    with pytest.raises(BadSignatureError):
        verify_proof(simple, simple["proof"][0], public_key=decode_public_key(pair["publicKeyMultibase"]),
                     loader=make_loader())


@pytest.mark.parametrize(("change", "error"), [
    ({"proofValue": "not-multibase"}, MalformedProofError),
    ({"proofValue": "z1111"}, MalformedProofError),
    ({"cryptosuite": "eddsa-rdf-2022"}, UnsupportedAlgorithmError),
    ({"proofPurpose": "authentication"}, BadSignatureError),
    ({"created": "2010-01-01T19:23:25Z"}, BadSignatureError),
])
def test_altered_proof_fails(simple: dict[str, Any], change: dict[str, str], error: type[Exception]) -> None:
    proof = {**simple["proof"][0], **change}
    with pytest.raises(error):
        verify_proof(simple, proof, public_key=_key_of(simple["proof"][0]["verificationMethod"]), loader=make_loader())


def test_undefined_term_is_refused_when_signing(simple: dict[str, Any]) -> None:
    secret = decode_secret_key(_json(W3C / "keyPair.spec-text.json")["secretKeyMultibase"])
    unsigned = {k: v for k, v in simple.items() if k != "proof"}
    with pytest.raises(UndefinedTermError) as excinfo:
        create_proof({**unsigned, "favouriteColour": "bleu"}, private_key=secret, verification_method="x:y",
                     created=datetime.fromisoformat("2026-01-01T00:00:00+00:00"), loader=make_loader())
    assert excinfo.value.code == "undefined_term"


def test_undefined_type_is_refused(simple: dict[str, Any]) -> None:
    with pytest.raises(UndefinedTermError):
        canonicalize({**simple, "type": ["VerifiableCredential", "MadeUpCredential"]}, make_loader())


def test_unknown_context_is_refused_without_fetching(simple: dict[str, Any]) -> None:
    doc = {**simple, "@context": [*simple["@context"], "https://attacker.example/context.json"]}
    with pytest.raises(UnknownContextError) as excinfo:
        canonicalize(doc, make_loader())
    assert excinfo.value.code == "unknown_context"


def test_inline_context_is_refused_in_strict_mode(simple: dict[str, Any]) -> None:
    doc = {**simple, "@context": [*simple["@context"], {"favouriteColour": "https://attacker.example/c"}]}
    with pytest.raises(UnknownContextError):
        canonicalize(doc, make_loader(), strict=True)


def test_examples_context_is_refused_by_default() -> None:
    with pytest.raises(UnknownContextError):
        canonicalize(_json(W3C / "unsigned.json"), make_loader())


def test_new_proof_is_appended_as_an_array(simple: dict[str, Any]) -> None:
    secret = decode_secret_key(_json(W3C / "keyPair.spec-text.json")["secretKeyMultibase"])
    signed = create_proof(simple, private_key=secret, verification_method="https://example.com/issuers/876543#k",
                          created=datetime.fromisoformat("2026-01-01T00:00:00+00:00"), loader=make_loader())
    assert isinstance(signed["proof"], list) and len(signed["proof"]) == 2
    assert signed["proof"][0] == simple["proof"][0]
