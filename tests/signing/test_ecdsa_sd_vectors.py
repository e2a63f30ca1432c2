"""ecdsa-sd-2023 reproduces every intermediate value of the W3C vc-di-ecdsa test vectors byte for byte.

Both vector documents (``employ``: employment authorisation, ``prc``: permanent resident card) use the context
``https://w3id.org/citizenship/v4rc1``, which is not bundled (nor in ``shared/vectors/contexts``): their JSON-LD
cannot be canonicalised offline, so every step after canonicalisation is checked from the published N-Quads, and
the verifier is shown to refuse (not fetch) the context.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from app.signing.canon import canonicalize_nquads
from app.signing.ecdsa_sd import (
    VerifyData,
    canonical_proof_config,
    check_verify_data,
    create_verify_data,
    verify_base_proof,
    verify_derived_proof,
)
from app.signing.ecdsa_sd_proof import (
    parse_base_proof_value,
    parse_derived_proof_value,
    serialize_base_proof_value,
    serialize_derived_proof_value,
)
from app.signing.errors import BadSignatureError, UnknownContextError
from app.signing.loader import make_loader
from app.signing.p256 import (
    decode_public_key,
    decode_secret_key,
    encode_public_key,
    public_key_from_multikey_bytes,
    verify_p1363,
)
from app.signing.sd_primitives import (
    blank_node_labels,
    hash_mandatory,
    hash_proof_config,
    hmac_label_map,
    relabel_nquads,
    serialize_sign_data,
    split_by_indexes,
    split_nquads,
)

V = Path(__file__).resolve().parents[1] / "vectors" / "w3c-vc-di-ecdsa"
SD = V / "ecdsa-sd-2023"
DOCS = ["employ", "prc"]


@cache
def _raw(path: Path) -> str:
    return path.read_text("utf-8")


def _json(doc: str, name: str) -> Any:
    return json.loads(_raw(SD / doc / name))


def _keys() -> Any:
    return json.loads(_raw(SD / "SDKeyMaterial.json"))


def _issuer_key() -> Any:
    return decode_public_key(_keys()["baseKeyPair"]["publicKeyMultibase"])


def _map(value: dict[str, Any]) -> list[list[Any]]:
    """The vectors write JavaScript Maps as {"dataType": "Map", "value": [[k, v]…]}."""
    assert value["dataType"] == "Map"
    return value["value"]  # type: ignore[no-any-return]


def _base_value(doc: str) -> str:
    return _json(doc, "addSignedSDBase.json")["proof"]["proofValue"]  # type: ignore[no-any-return]


def _derived_value(doc: str) -> str:
    return _json(doc, "derivedRevealDocument.json")["proof"]["proofValue"]  # type: ignore[no-any-return]


def _mandatory_indexes(doc: str) -> list[int]:
    return [i for i, _ in _map(_json(doc, "addBaseTransform.json")["mandatory"])]


def _verify_data(doc: str) -> VerifyData:
    """createVerifyData from the revealed statements: the verifier's canonical form of the published verify quads."""
    canonical = canonicalize_nquads("".join(_json(doc, "verifyNQuads.json")))
    return create_verify_data(canonical, _raw(SD / doc / "addProofConfigCanon.txt"),
                              parse_derived_proof_value(_derived_value(doc)))


# --- keys ------------------------------------------------------------------------------------------------------

def test_key_material_multikeys_round_trip() -> None:
    keys = _keys()
    for pair in (keys["baseKeyPair"], keys["proofKeyPair"]):
        assert encode_public_key(decode_secret_key(pair["secretKeyMultibase"]).public_key()) == \
            pair["publicKeyMultibase"]
    assert json.loads(_raw(V / "p256KeyPair.json")) == keys["baseKeyPair"]


# --- base proof ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("doc", DOCS)
def test_canonical_document_is_reproduced_from_the_signed_statements(doc: str) -> None:
    """RDFC-1.0 of the dataset gives the published c14n labels, whatever labels it arrives with."""
    published = "".join(_json(doc, "addBaseDocCanon.json"))
    assert canonicalize_nquads("".join(_json(doc, "addBaseDocHMACCanon.json"))) == published
    assert canonicalize_nquads("".join(_json(doc, "derivedAllGroupData.json")["deskolemizedNQuads"])) == published


@pytest.mark.parametrize("doc", DOCS)
def test_hmac_relabelled_canonical_document(doc: str) -> None:
    quads = _json(doc, "addBaseDocCanon.json")
    hmac_key = bytes.fromhex(_keys()["hmacKeyString"])
    relabelled = relabel_nquads(quads, hmac_label_map(blank_node_labels(quads), hmac_key))
    assert relabelled == _json(doc, "addBaseDocHMACCanon.json") == _json(doc, "derivedAllGroupData.json")["nquads"]


@pytest.mark.parametrize("doc", DOCS)
def test_base_transformation_splits_mandatory_and_non_mandatory(doc: str) -> None:
    transform = _json(doc, "addBaseTransform.json")
    quads = _json(doc, "addBaseDocHMACCanon.json")
    indexes = _mandatory_indexes(doc)
    mandatory, non_mandatory = split_by_indexes(quads, indexes)
    assert mandatory == [quad for _, quad in _map(transform["mandatory"])]
    assert non_mandatory == [quad for _, quad in _map(transform["nonMandatory"])]
    assert [i for i, _ in _map(transform["nonMandatory"])] == [i for i in range(len(quads)) if i not in indexes]
    assert transform["hmacKeyString"].lower() == _keys()["hmacKeyString"].lower()


@pytest.mark.parametrize("doc", DOCS)
def test_canonical_proof_configuration(doc: str) -> None:
    """The proof configuration's terms all come from the credentials v2 context, whose terms are @protected (the
    citizenship context cannot redefine them): canonicalising it with that context alone gives the published text."""
    config = _json(doc, "addProofConfig.json")
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"]}
    proof = {k: v for k, v in config.items() if k != "@context"}
    assert canonical_proof_config(document, proof, make_loader()) == _raw(SD / doc / "addProofConfigCanon.txt")


@pytest.mark.parametrize("doc", DOCS)
def test_proof_hash_and_mandatory_hash(doc: str) -> None:
    hashes = _json(doc, "addHashData.json")
    assert hash_proof_config(_raw(SD / doc / "addProofConfigCanon.txt")).hex() == hashes["proofHash"]
    mandatory = [quad for _, quad in _map(_json(doc, "addBaseTransform.json")["mandatory"])]
    assert hash_mandatory(mandatory).hex() == hashes["mandatoryHash"]


@pytest.mark.parametrize("doc", DOCS)
def test_base_proof_value_components_are_decoded(doc: str) -> None:
    base = parse_base_proof_value(_base_value(doc))
    raw = _json(doc, "addRawBaseSignatureInfo.json")
    recovered = _json(doc, "derivedRecoveredBaseData.json")
    assert base.base_signature.hex() == raw["baseSignature"] == recovered["baseSignature"]
    assert encode_public_key(public_key_from_multikey_bytes(base.public_key)) == raw["publicKey"] == \
        recovered["proofPublicKey"] == _keys()["proofKeyPair"]["publicKeyMultibase"]
    assert base.hmac_key.hex() == recovered["hmacKey"]
    assert [s.hex() for s in base.signatures] == raw["signatures"] == recovered["signatures"]
    assert list(base.mandatory_pointers) == raw["mandatoryPointers"] == recovered["mandatoryPointers"] == \
        json.loads(_raw(V / ("employMandatory.json" if doc == "employ" else "prCredMandatory.json")))


@pytest.mark.parametrize("doc", DOCS)
def test_base_proof_value_is_reserialised_byte_for_byte(doc: str) -> None:
    base = parse_base_proof_value(_base_value(doc))
    assert serialize_base_proof_value(base.base_signature, base.public_key, base.hmac_key, base.signatures,
                                      base.mandatory_pointers) == _base_value(doc)


@pytest.mark.parametrize("doc", DOCS)
def test_base_signature_signs_proof_hash_public_key_and_mandatory_hash(doc: str) -> None:
    base = parse_base_proof_value(_base_value(doc))
    hashes = _json(doc, "addHashData.json")
    data = serialize_sign_data(bytes.fromhex(hashes["proofHash"]), base.public_key,
                               bytes.fromhex(hashes["mandatoryHash"]))
    assert len(data) == 32 + 35 + 32
    assert verify_p1363(_issuer_key(), base.base_signature, data)


@pytest.mark.parametrize("doc", DOCS)
def test_base_proof_verifies_given_its_mandatory_statements(doc: str) -> None:
    returned = verify_base_proof(_base_value(doc), canonical_document="".join(_json(doc, "addBaseDocCanon.json")),
                                 canonical_config=_raw(SD / doc / "addProofConfigCanon.txt"),
                                 mandatory_indexes=_mandatory_indexes(doc), public_key=_issuer_key())
    assert returned == parse_base_proof_value(_base_value(doc))


@pytest.mark.parametrize("doc", DOCS)
def test_base_proof_with_the_wrong_mandatory_statements_fails(doc: str) -> None:
    with pytest.raises(BadSignatureError):
        verify_base_proof(_base_value(doc), canonical_document="".join(_json(doc, "addBaseDocCanon.json")),
                          canonical_config=_raw(SD / doc / "addProofConfigCanon.txt"),
                          mandatory_indexes=_mandatory_indexes(doc)[1:], public_key=_issuer_key())


# --- derived proof ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("doc", DOCS)
def test_derived_document_is_the_unsigned_reveal_with_the_proof(doc: str) -> None:
    revealed = _json(doc, "derivedRevealDocument.json")
    proof = revealed.pop("proof")
    assert revealed == _json(doc, "derivedUnsignedReveal.json")
    assert {k: v for k, v in proof.items() if k != "proofValue"} == {
        k: v for k, v in _json(doc, "addSignedSDBase.json")["proof"].items() if k != "proofValue"}


@pytest.mark.parametrize("doc", DOCS)
def test_derived_proof_value_components_are_decoded(doc: str) -> None:
    derived = parse_derived_proof_value(_derived_value(doc))
    for name in ("derivedDisclosureData.json", "verifyDerivedProofValue.json"):
        expected = _json(doc, name)
        assert derived.base_signature.hex() == expected["baseSignature"]
        assert encode_public_key(public_key_from_multikey_bytes(derived.public_key)) == expected["publicKey"]
        assert [s.hex() for s in derived.signatures] == expected["signatures"]
        assert list(derived.mandatory_indexes) == expected["mandatoryIndexes"]
    assert [s.hex() for s in derived.signatures] == _json(doc, "derivedAdjSignatures.json")["filteredSignatures"]
    assert list(derived.mandatory_indexes) == _json(doc, "derivedAdjMandatoryIndexes.json")["adjMandatoryIndexes"]


@pytest.mark.parametrize("doc", DOCS)
def test_label_map_is_decompressed(doc: str) -> None:
    derived = parse_derived_proof_value(_derived_value(doc))
    assert [list(item) for item in derived.label_map.items()] == _map(_json(doc, "derivedDisclosureData.json")
                                                                       ["labelMap"])
    assert [list(item) for item in derived.label_map.items()] == _json(doc, "verifyDerivedProofValue.json")["labelMap"]


@pytest.mark.parametrize("doc", DOCS)
def test_derived_proof_value_is_reserialised_byte_for_byte(doc: str) -> None:
    derived = parse_derived_proof_value(_derived_value(doc))
    assert serialize_derived_proof_value(derived.base_signature, derived.public_key, derived.signatures,
                                         derived.label_map, derived.mandatory_indexes) == _derived_value(doc)


@pytest.mark.parametrize("doc", DOCS)
def test_revealed_statements_relabelled_are_the_signed_ones(doc: str) -> None:
    """The verifier's canonical labels, renamed with the label map, give the published verify N-Quads: exactly the
    base statements at the combined (mandatory + selective) indexes."""
    derived = parse_derived_proof_value(_derived_value(doc))
    canonical = split_nquads(canonicalize_nquads("".join(_json(doc, "verifyNQuads.json"))))
    relabelled = relabel_nquads(canonical, derived.label_map)
    assert relabelled == _json(doc, "verifyNQuads.json")
    base = _json(doc, "addBaseDocHMACCanon.json")
    assert relabelled == [base[i] for i in _json(doc, "derivedGroupIndexes.json")["combinedIndexes"]]


@pytest.mark.parametrize("doc", DOCS)
def test_create_verify_data(doc: str) -> None:
    expected = _json(doc, "verifyCreateVerifyData.json")
    data = _verify_data(doc)
    assert data.base_signature.hex() == expected["baseSignature"]
    assert data.proof_hash.hex() == expected["proofHash"]
    assert encode_public_key(public_key_from_multikey_bytes(data.public_key)) == expected["publicKey"]
    assert [s.hex() for s in data.signatures] == expected["signatures"]
    assert list(data.non_mandatory) == expected["nonMandatory"]
    assert data.mandatory_hash.hex() == expected["mandatoryHash"] == _json(doc, "addHashData.json")["mandatoryHash"]


@pytest.mark.parametrize("doc", DOCS)
def test_derived_credential_verifies_from_its_canonical_statements(doc: str) -> None:
    check_verify_data(_verify_data(doc), public_key=_issuer_key())


@pytest.mark.parametrize("doc", DOCS)
def test_derived_credential_json_ld_needs_the_unbundled_citizenship_context(doc: str) -> None:
    revealed = _json(doc, "derivedRevealDocument.json")
    with pytest.raises(UnknownContextError) as excinfo:
        verify_derived_proof(revealed, revealed["proof"], public_key=_issuer_key(), loader=make_loader())
    assert "https://w3id.org/citizenship/v4rc1" in excinfo.value.message_en
