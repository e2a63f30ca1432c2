"""ecdsa-sd-2023 verification end to end (an Open Badges 3.0 credential, bundled contexts only) and the refusal of
every tampered or malformed proof with the right error and a message in both languages."""

from __future__ import annotations

import base64
import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from app.signing.canon import InvalidJsonLdError, canonicalize_nquads
from app.signing.ecdsa_sd import (
    canonical_proof_config,
    check_verify_data,
    create_verify_data,
    verify_base_proof,
    verify_derived_proof,
)
from app.signing.ecdsa_sd_proof import (
    MAX_PROOF_VALUE_CHARS,
    MAX_STATEMENTS,
    compress_label_map,
    parse_base_proof_value,
    parse_derived_proof_value,
    serialize_base_proof_value,
    serialize_derived_proof_value,
)
from app.signing.errors import (
    BadSignatureError,
    InvalidKeyError,
    MalformedProofError,
    SigningError,
    UnsupportedAlgorithmError,
)
from app.signing.loader import make_loader
from app.signing.p256 import decode_public_key, decode_secret_key, sign_p1363, verify_p1363
from app.signing.sd_primitives import relabel_nquads, split_nquads
from tests.signing.sd_issuer import Issued, derive, issue

SD = Path(__file__).resolve().parents[1] / "vectors" / "w3c-vc-di-ecdsa" / "ecdsa-sd-2023"
ISSUER = "https://example.com/issuers/876543"

CREDENTIAL: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2",
                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Centre social des Lilas"},
    "validFrom": "2026-01-15T10:00:00Z",
    "name": "Atelier couture",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://example.com/achievements/couture",
            "type": ["Achievement"],
            "criteria": {"narrative": "A suivi les six séances de l'atelier."},
            "description": "Bases de la couture à la machine.",
            "name": "Couture",
        },
    },
}


def _mandatory(quad: str) -> bool:
    """Issuer-chosen mandatory statements: the types, the issuer and validity."""
    return any(term in quad for term in ("22-rdf-syntax-ns#type>", "credentials#issuer>", "credentials#validFrom>",
                                         f"<{ISSUER}> "))


def _reveal() -> dict[str, Any]:
    """The holder hides the credential name and the achievement's description."""
    revealed = copy.deepcopy({k: v for k, v in CREDENTIAL.items() if k != "name"})
    del revealed["credentialSubject"]["achievement"]["description"]
    return revealed


@cache
def _issuer_private() -> ec.EllipticCurvePrivateKey:
    return decode_secret_key(json.loads((SD / "SDKeyMaterial.json").read_text())["baseKeyPair"]["secretKeyMultibase"])


@cache
def _issued() -> Issued:
    return issue(CREDENTIAL, _issuer_private(), _mandatory)


def _derived() -> dict[str, Any]:
    return copy.deepcopy(_derived_once())


@cache
def _derived_once() -> dict[str, Any]:
    return derive(_issued(), _reveal())


def _issuer_public() -> ec.EllipticCurvePublicKey:
    return _issuer_private().public_key()


def _verify(document: dict[str, Any], proof: dict[str, Any] | None = None, key: Any = None) -> None:
    verify_derived_proof(document, proof or document["proof"], public_key=key or _issuer_public(),
                         loader=make_loader())


def _bilingual(error: SigningError, english: str, french: str) -> None:
    assert english in error.message_en, error.message_en
    assert french in error.message_fr, error.message_fr


def _with_value(document: dict[str, Any], value: str) -> dict[str, Any]:
    return {**document, "proof": {**document["proof"], "proofValue": value}}


def _b64(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _components(document: dict[str, Any]) -> list[Any]:
    return cbor2.loads(base64.urlsafe_b64decode(document["proof"]["proofValue"][1:] + "==")[3:])  # type: ignore[no-any-return]


def _with_components(document: dict[str, Any], components: list[Any],
                     header: bytes = b"\xd9\x5d\x01") -> dict[str, Any]:
    return _with_value(document, _b64(header + cbor2.dumps(components)))


# --- what verifies ---------------------------------------------------------------------------------------------

def test_derived_credential_with_hidden_claims_verifies() -> None:
    derived = _derived()
    assert "name" not in derived and "description" not in derived["credentialSubject"]["achievement"]
    _verify(derived)


def test_derived_credential_revealing_everything_verifies() -> None:
    _verify(derive(_issued(), copy.deepcopy(CREDENTIAL)))


def test_derived_credential_revealing_only_mandatory_statements_verifies() -> None:
    minimal = {k: v for k, v in CREDENTIAL.items() if k != "name"}
    achievement = CREDENTIAL["credentialSubject"]["achievement"]
    minimal["credentialSubject"] = {"type": ["AchievementSubject"],
                                    "achievement": {"id": achievement["id"], "type": achievement["type"]}}
    _verify(derive(_issued(), minimal))


def test_proof_as_an_array_member_verifies() -> None:
    derived = _derived()
    proof = derived.pop("proof")
    _verify({**derived, "proof": [proof]}, proof)


# --- tampering: BadSignatureError --------------------------------------------------------------------------------

def test_one_character_changed_in_a_disclosed_claim_fails() -> None:
    derived = _derived()
    derived["credentialSubject"]["achievement"]["name"] = "Coutura"
    with pytest.raises(BadSignatureError) as excinfo:
        _verify(derived)
    _bilingual(excinfo.value, "does not match its signature", "ne correspond pas à sa signature")


def test_one_character_changed_in_a_mandatory_claim_fails_the_base_signature() -> None:
    derived = _derived()
    derived["validFrom"] = "2026-01-15T10:00:01Z"
    with pytest.raises(BadSignatureError) as excinfo:
        _verify(derived)
    _bilingual(excinfo.value, "base signature does not match", "signature de base de l'émetteur ne correspond pas")


def test_one_character_changed_in_a_vector_statement_fails() -> None:
    quads = json.loads((SD / "employ/verifyNQuads.json").read_text())
    tampered = "".join(quads).replace('"Bahamas"', '"Bahamaz"')
    value = json.loads((SD / "employ/derivedRevealDocument.json").read_text())["proof"]["proofValue"]
    issuer = decode_public_key(json.loads((SD / "SDKeyMaterial.json").read_text())["baseKeyPair"]["publicKeyMultibase"])
    data = create_verify_data(canonicalize_nquads(tampered), (SD / "employ/addProofConfigCanon.txt").read_text(),
                              parse_derived_proof_value(value))
    with pytest.raises(BadSignatureError) as excinfo:
        check_verify_data(data, public_key=issuer)
    _bilingual(excinfo.value, "altered", "modifiée")


def test_swapped_per_statement_signatures_fail() -> None:
    derived = _derived()
    components = _components(derived)
    components[2][0], components[2][1] = components[2][1], components[2][0]
    with pytest.raises(BadSignatureError) as excinfo:
        _verify(_with_components(derived, components))
    _bilingual(excinfo.value, "Selectively disclosed statement 1 of", "La déclaration divulguée sélectivement 1 sur")


def test_wrong_issuer_key_fails() -> None:
    with pytest.raises(BadSignatureError) as excinfo:
        _verify(_derived(), key=ec.generate_private_key(ec.SECP256R1()).public_key())
    _bilingual(excinfo.value, "wrong issuer key", "mauvaise clé d'émetteur")


def test_altered_proof_options_fail() -> None:
    derived = _derived()
    with pytest.raises(BadSignatureError):
        _verify(derived, {**derived["proof"], "created": "2026-01-15T10:00:01Z"})


def test_an_added_claim_fails_on_the_signature_count() -> None:
    derived = _derived()
    derived["name"] = "Atelier couture"  # hidden by the holder, put back without its signature
    with pytest.raises(BadSignatureError) as excinfo:
        _verify(derived)
    _bilingual(excinfo.value, "statements were added or removed", "des déclarations ont été ajoutées ou retirées")


def test_a_dropped_signature_fails_on_the_signature_count() -> None:
    derived = _derived()
    components = _components(derived)
    components[2] = components[2][:-1]
    with pytest.raises(BadSignatureError) as excinfo:
        _verify(_with_components(derived, components))
    _bilingual(excinfo.value, "but the document has", "mais le document en a")


def test_a_statement_moved_between_mandatory_and_selective_fails() -> None:
    derived = _derived()
    components = _components(derived)
    components[4] = components[4][:-1]
    with pytest.raises(BadSignatureError):
        _verify(_with_components(derived, components))


# --- malformed proof values: MalformedProofError ----------------------------------------------------------------

@pytest.mark.parametrize("cut", [1, 2, 3, 40, 200])
def test_truncated_proof_value_is_malformed(cut: int) -> None:
    derived = _derived()
    with pytest.raises(MalformedProofError) as excinfo:
        _verify(_with_value(derived, derived["proof"]["proofValue"][:-cut]))
    assert excinfo.value.message_en != excinfo.value.message_fr
    assert "proofValue" in excinfo.value.message_en or "CBOR" in excinfo.value.message_en
    assert "proofValue" in excinfo.value.message_fr or "CBOR" in excinfo.value.message_fr


def test_wrong_header_byte_is_malformed() -> None:
    derived = _derived()
    with pytest.raises(MalformedProofError) as excinfo:
        _verify(_with_components(derived, _components(derived), header=b"\xd9\x5d\x02"))
    _bilingual(excinfo.value, "does not start with the derived proof header d95d01",
               "ne commence pas par l'en-tête de preuve dérivée d95d01")


def test_base_proof_is_refused_by_the_verifier() -> None:
    base = _issued().document
    with pytest.raises(MalformedProofError) as excinfo:
        _verify(base)
    _bilingual(excinfo.value, "this is a base proof", "c'est une preuve de base")
    with pytest.raises(MalformedProofError) as excinfo:
        parse_base_proof_value(_derived()["proof"]["proofValue"])
    _bilingual(excinfo.value, "this is a derived proof", "c'est une preuve dérivée")


@pytest.mark.parametrize(("name", "mutate", "english", "french"), [
    ("four components", lambda c: c[:4], "array of five components", "tableau CBOR de cinq composants"),
    ("a map, not an array", lambda c: dict(enumerate(c)), "array of five components", "tableau CBOR de cinq"),
    ("short base signature", lambda c: [c[0][:63], *c[1:]], "baseSignature must be a byte string of 64 bytes",
     "baseSignature doit être une chaîne d'octets de 64 octets"),
    ("public key as text", lambda c: [c[0], c[1].hex(), *c[2:]], "publicKey must be a byte string of 35 bytes",
     "publicKey doit être une chaîne d'octets de 35 octets"),
    ("signatures not an array", lambda c: [c[0], c[1], c[2][0], *c[3:]], "signatures must be an array",
     "signatures doit être un tableau"),
    ("a 65-byte signature", lambda c: [c[0], c[1], [*c[2][:-1], c[2][-1] + b"\x00"], *c[3:]],
     "Each signature must be a byte string of 64 bytes", "Each signature doit être une chaîne d'octets de 64"),
    ("label map with text keys", lambda c: [*c[:3], {f"c14n{k}": v for k, v in c[3].items()}, c[4]],
     "label map keys must be integers", "les clés de la table des étiquettes doivent être des entiers"),
    ("label map as an array", lambda c: [*c[:3], list(c[3].values()), c[4]], "label map must be a CBOR map",
     "table des étiquettes doit être une table CBOR"),
    ("31-byte label", lambda c: [*c[:3], {k: v[:31] for k, v in c[3].items()}, c[4]],
     "Each label map value must be a byte string of 32 bytes", "Each label map value doit être une chaîne"),
    ("two nodes, one label", lambda c: [*c[:3], dict.fromkeys(c[3], next(iter(c[3].values()))), c[4]],
     "gives two blank nodes the same label", "donne la même étiquette à deux nœuds anonymes"),
    ("indexes not increasing", lambda c: [*c[:4], list(reversed(c[4]))], "strictly increasing",
     "strictement croissante"),
    ("negative index", lambda c: [*c[:4], [-1, *c[4]]], "strictly increasing", "strictement croissante"),
    ("index out of range", lambda c: [*c[:4], [*c[4], 10_000]], "outside the document's",
     "hors des"),
    ("label map missing a node", lambda c: [*c[:3], {}, c[4]], "does not name the blank node",
     "ne nomme pas le nœud anonyme"),
])
def test_cbor_of_the_wrong_shape_is_malformed(name: str, mutate: Any, english: str, french: str) -> None:
    derived = _derived()
    with pytest.raises(MalformedProofError) as excinfo:
        _verify(_with_components(derived, mutate(_components(derived))))
    _bilingual(excinfo.value, english, french)


@pytest.mark.parametrize(("name", "body"), [
    ("a tag around the array", lambda raw: b"\xd8\x18" + raw),
    ("bytes after the array", lambda raw: raw + b"\x00"),
    ("indefinite-length array", lambda raw: b"\x9f" + raw[1:] + b"\xff"),
    ("non-shortest array length", lambda raw: b"\x98\x05" + raw[1:]),
    ("not CBOR at all", lambda raw: b"\xff\xff"),
])
def test_cbor_outside_preferred_serialisation_is_malformed(name: str, body: Any) -> None:
    derived = _derived()
    raw = cbor2.dumps(_components(derived))
    with pytest.raises(MalformedProofError) as excinfo:
        _verify(_with_value(derived, _b64(b"\xd9\x5d\x01" + body(raw))))
    assert "CBOR" in excinfo.value.message_en and "CBOR" in excinfo.value.message_fr


def test_bignum_tag_in_an_index_is_malformed() -> None:
    derived = _derived()
    components = _components(derived)
    raw = cbor2.dumps([*components[:4], [cbor2.CBORTag(2, b"\x00")]])
    with pytest.raises(MalformedProofError):
        _verify(_with_value(derived, _b64(b"\xd9\x5d\x01" + raw)))


@pytest.mark.parametrize("value", ["z2V0B", "", "u", "u2V0B!", 42, None, "u2V0BhQ"])
def test_proof_value_that_is_not_base64url_multibase_is_malformed(value: Any) -> None:
    derived = _derived()
    with pytest.raises(MalformedProofError) as excinfo:
        _verify(derived, {**derived["proof"], "proofValue": value})
    assert excinfo.value.message_en and excinfo.value.message_fr


def test_oversized_proof_value_is_refused_before_decoding() -> None:
    derived = _derived()
    with pytest.raises(MalformedProofError) as excinfo:
        _verify(_with_value(derived, "u" + "A" * MAX_PROOF_VALUE_CHARS))
    _bilingual(excinfo.value, f"longer than {MAX_PROOF_VALUE_CHARS}", f"dépasse {MAX_PROOF_VALUE_CHARS}")


def test_too_many_signatures_are_refused() -> None:
    derived = _derived()
    components = _components(derived)
    components[2] = [components[2][0]] * (MAX_STATEMENTS + 1)
    with pytest.raises(MalformedProofError) as excinfo:
        _verify(_with_components(derived, components))
    _bilingual(excinfo.value, f"more than {MAX_STATEMENTS} entries", f"plus de {MAX_STATEMENTS} entrées")


# --- keys and suites ---------------------------------------------------------------------------------------------

def test_proof_scoped_key_off_the_curve_is_an_invalid_key() -> None:
    derived = _derived()
    components = _components(derived)
    components[1] = b"\x80\x24\x02" + b"\xff" * 32
    with pytest.raises(InvalidKeyError) as excinfo:
        _verify(_with_components(derived, components))
    _bilingual(excinfo.value, "not a point of the P-256 curve", "n'est pas un point de la courbe P-256")


def test_proof_scoped_key_with_another_multicodec_is_an_invalid_key() -> None:
    derived = _derived()
    components = _components(derived)
    components[1] = b"\xed\x01" + components[1][2:]
    with pytest.raises(InvalidKeyError) as excinfo:
        _verify(_with_components(derived, components))
    _bilingual(excinfo.value, "is not a P-256 Multikey", "n'est pas une clé Multikey P-256")


@pytest.mark.parametrize("key", [ed25519.Ed25519PrivateKey.generate().public_key(),
                                 ec.generate_private_key(ec.SECP384R1()).public_key()], ids=["Ed25519", "P-384"])
def test_issuer_key_that_is_not_p256_is_an_invalid_key(key: Any) -> None:
    with pytest.raises(InvalidKeyError) as excinfo:
        _verify(_derived(), key=key)
    _bilingual(excinfo.value, "needs the issuer's P-256 key", "exige la clé P-256 de l'émetteur")


@pytest.mark.parametrize("change", [{"cryptosuite": "ecdsa-rdfc-2019"}, {"type": "Ed25519Signature2020"},
                                    {"cryptosuite": None}])
def test_other_suites_are_unsupported(change: dict[str, Any]) -> None:
    derived = _derived()
    with pytest.raises(UnsupportedAlgorithmError) as excinfo:
        _verify(derived, {**derived["proof"], **change})
    _bilingual(excinfo.value, "is not ecdsa-sd-2023", "n'est pas ecdsa-sd-2023")


# --- relabelling is structural ---------------------------------------------------------------------------------

def test_relabelling_renames_blank_nodes_but_not_literals_that_look_like_them() -> None:
    quads = ['_:c14n0 <https://schema.org/name> "_:c14n0 and _:c14n1" _:c14n1 .\n',
             '_:c14n1 <https://schema.org/knows> _:c14n0 .\n']
    assert relabel_nquads(quads, {"c14n0": "uA", "c14n1": "uB"}) == [
        '_:uA <https://schema.org/name> "_:c14n0 and _:c14n1" _:uB .\n', '_:uB <https://schema.org/knows> _:uA .\n']


def test_quads_are_split_on_newlines_only() -> None:
    text = '_:c14n0 <https://schema.org/name> "a\u2028b\u0085c" .\n<https://a.example/> <https://schema.org/x> "y" .\n'
    assert split_nquads(text) == ['_:c14n0 <https://schema.org/name> "a\u2028b\u0085c" .\n',
                                  '<https://a.example/> <https://schema.org/x> "y" .\n']


def test_derivation_uses_the_label_map_to_reach_the_issuers_labels() -> None:
    issued, derived = _issued(), _derived()
    value = parse_derived_proof_value(derived["proof"]["proofValue"])
    assert set(value.label_map.values()) <= set(issued.labels.values())
    assert serialize_derived_proof_value(value.base_signature, value.public_key, value.signatures, value.label_map,
                                         value.mandatory_indexes) == derived["proof"]["proofValue"]


# --- base proofs and keys ----------------------------------------------------------------------------------------

def test_base_proof_verifies_given_its_mandatory_statements() -> None:
    issued = _issued()
    base = verify_base_proof(issued.document["proof"]["proofValue"], canonical_document="".join(issued.quads),
                             canonical_config=canonical_proof_config(CREDENTIAL, issued.document["proof"],
                                                                     make_loader()),
                             mandatory_indexes=issued.mandatory, public_key=_issuer_public())
    assert base.mandatory_pointers == ("/issuer",)


@pytest.mark.parametrize(("value", "english"), [
    ("zDnae", "is not a P-256 Multikey"),
    ("DnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP", "must be base58btc multibase"),
    ("z0OIl", "is not valid base58"),
    ("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "is not a P-256 Multikey"),  # an Ed25519 key
])
def test_public_multikey_that_is_not_p256_is_an_invalid_key(value: str, english: str) -> None:
    with pytest.raises(InvalidKeyError) as excinfo:
        decode_public_key(value)
    assert english in excinfo.value.message_en and excinfo.value.message_fr


def test_secret_multikey_of_another_kind_is_an_invalid_key() -> None:
    with pytest.raises(InvalidKeyError) as excinfo:
        decode_secret_key("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")  # an Ed25519 seed
    _bilingual(excinfo.value, "is not a P-256 secret Multikey", "n'est pas une clé secrète Multikey P-256")


def test_signatures_in_p1363_form_round_trip() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    signature = sign_p1363(key, b"data")
    assert len(signature) == 64
    assert verify_p1363(key.public_key(), signature, b"data")
    assert not verify_p1363(key.public_key(), signature, b"date")
    assert not verify_p1363(key.public_key(), signature[:63], b"data")
    assert not verify_p1363(key.public_key(), bytes(64), b"data")


@pytest.mark.parametrize("labels", [{"b0": "uAAAA"}, {"c14n0": "AAAA"}, {"c14nx": "uAAAA"}, {"c14n0": "u!!"}])
def test_label_maps_that_cannot_be_compressed_are_refused(labels: dict[str, str]) -> None:
    with pytest.raises(MalformedProofError):
        compress_label_map(labels)


def test_proof_that_is_not_an_object_is_unsupported() -> None:
    with pytest.raises(UnsupportedAlgorithmError) as excinfo:
        _verify(_derived(), "ecdsa-sd-2023")  # type: ignore[arg-type]
    _bilingual(excinfo.value, "not an object", "n'est pas un objet")


def test_base_proof_with_a_mandatory_pointer_that_is_not_a_json_pointer_is_malformed() -> None:
    base = parse_base_proof_value(_issued().document["proof"]["proofValue"])
    value = serialize_base_proof_value(base.base_signature, base.public_key, base.hmac_key, base.signatures,
                                       ["issuer"])
    with pytest.raises(MalformedProofError) as excinfo:
        parse_base_proof_value(value)
    _bilingual(excinfo.value, "must be a JSON Pointer", "doit être un pointeur JSON")


@pytest.mark.parametrize("text", ["<https://a.example/> <https://b.example/> \"c\" .",
                                  "<https://a.example/> <https://b.example/> .\n",
                                  "not a quad\n"])
def test_text_that_is_not_canonical_n_quads_is_refused(text: str) -> None:
    with pytest.raises(InvalidJsonLdError):
        relabel_nquads(split_nquads(text), {})
