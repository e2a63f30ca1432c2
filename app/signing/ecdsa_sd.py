"""``ecdsa-sd-2023`` Data Integrity proofs (P-256, selective disclosure): verify derived proofs, check base proofs.

W3C "Data Integrity ECDSA Cryptosuites v1.0", §3.4–3.5. The issuer gives the holder a *base* proof; the holder shows
a verifier a *derived* proof over the statements it chose to reveal. Verifying a derived proof (§3.5.7):

1. canonicalise the revealed document (RDFC-1.0, bundled contexts only, strict) and the proof configuration (the
   proof without ``proofValue``, with the document's ``@context``): ``proofHash`` = SHA-256 of the latter;
2. rename the canonical blank nodes with the proof's label map (``c14nN`` → the HMAC labels the issuer signed) and
   sort the quads;
3. the quads at ``mandatoryIndexes`` are mandatory: ``mandatoryHash`` = SHA-256 of their concatenation; every other
   quad needs its own signature, in order, by the proof-scoped key (exactly as many signatures as quads);
4. the issuer's key signs ``proofHash ‖ proof-scoped public key ‖ mandatoryHash`` (the base signature).

Resolving ``verificationMethod`` to the issuer's P-256 key and binding its controller to the issuer are the caller's
job, as in :mod:`app.signing.data_integrity`. The spec defines no verification of a *base* proof (it is verified
through a derivation); :func:`verify_base_proof` checks one's signatures when its mandatory statements are known (the
spec's test vectors publish them), and :func:`verify_derived_proof` refuses a base proof.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from app.signing.canon import canonicalize
from app.signing.ecdsa_sd_proof import (
    BaseProofValue,
    DerivedProofValue,
    parse_base_proof_value,
    parse_derived_proof_value,
)
from app.signing.errors import BadSignatureError, InvalidKeyError, UnsupportedAlgorithmError
from app.signing.loader import DocumentLoader
from app.signing.p256 import is_p256_public_key, public_key_from_multikey_bytes, verify_p1363
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

__all__ = [
    "CRYPTOSUITE",
    "VerifyData",
    "canonical_proof_config",
    "check_verify_data",
    "create_verify_data",
    "verify_base_proof",
    "verify_derived_proof",
]

CRYPTOSUITE = "ecdsa-sd-2023"


@dataclass(frozen=True, slots=True)
class VerifyData:
    """createVerifyData's output (plus the mandatory quads themselves, for inspection)."""

    base_signature: bytes
    proof_hash: bytes
    public_key: bytes  # Multikey bytes of the proof-scoped key
    signatures: tuple[bytes, ...]
    mandatory: tuple[str, ...]
    non_mandatory: tuple[str, ...]
    mandatory_hash: bytes


def _check_suite(proof: Mapping[str, Any]) -> None:
    if not isinstance(proof, Mapping):
        raise UnsupportedAlgorithmError("The proof is not an object.", "La preuve n'est pas un objet.")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        suite = f"{str(proof.get('type'))[:40]}/{str(proof.get('cryptosuite'))[:40]}"
        raise UnsupportedAlgorithmError(f"Proof suite {suite!r} is not {CRYPTOSUITE}.",
                                        f"La suite de preuve {suite!r} n'est pas {CRYPTOSUITE}.")


def _check_issuer_key(public_key: object) -> ec.EllipticCurvePublicKey:
    if not is_p256_public_key(public_key):
        raise InvalidKeyError(f"A {CRYPTOSUITE} proof needs the issuer's P-256 key.",
                              f"Une preuve {CRYPTOSUITE} exige la clé P-256 de l'émetteur.")
    return public_key


def canonical_proof_config(document: Mapping[str, Any], proof: Mapping[str, Any], loader: DocumentLoader) -> str:
    """Canonical N-Quads of the proof configuration: ``proof`` without ``proofValue``, with the document's
    ``@context`` (strict: bundled contexts only).

    :raises UndefinedTermError, UnknownContextError, InvalidJsonLdError, CanonicalisationLimitError:
    """
    options = {k: v for k, v in proof.items() if k not in ("proofValue", "@context")}
    return canonicalize({"@context": document.get("@context"), **options}, loader, strict=True)


def create_verify_data(canonical_document: str, canonical_config: str, derived: DerivedProofValue) -> VerifyData:
    """createVerifyData, from the canonical N-Quads of the revealed document and of the proof configuration.

    :raises MalformedProofError: the label map misses a blank node of the document, or a mandatory index is not the
        index of a quad.
    """
    nquads = relabel_nquads(split_nquads(canonical_document), derived.label_map)
    mandatory, non_mandatory = split_by_indexes(nquads, derived.mandatory_indexes)
    return VerifyData(base_signature=derived.base_signature, proof_hash=hash_proof_config(canonical_config),
                      public_key=derived.public_key, signatures=derived.signatures, mandatory=tuple(mandatory),
                      non_mandatory=tuple(non_mandatory), mandatory_hash=hash_mandatory(mandatory))


def check_verify_data(data: VerifyData, *, public_key: ec.EllipticCurvePublicKey) -> None:
    """The signature checks of §3.5.7: as many signatures as non-mandatory statements, the issuer's base signature,
    then each statement's signature by the proof-scoped key.

    :raises InvalidKeyError: ``public_key`` is not P-256, or the proof-scoped key is not a P-256 point.
    :raises BadSignatureError: a count or a signature that does not match, naming which.
    """
    issuer_key = _check_issuer_key(public_key)
    if len(data.signatures) != len(data.non_mandatory):
        raise BadSignatureError(
            f"The proof signs {len(data.signatures)} selectively disclosed statements but the document has "
            f"{len(data.non_mandatory)}: statements were added or removed.",
            f"La preuve signe {len(data.signatures)} déclarations divulguées sélectivement mais le document en a "
            f"{len(data.non_mandatory)} : des déclarations ont été ajoutées ou retirées.")
    proof_key = public_key_from_multikey_bytes(data.public_key, "The proof-scoped public key")
    to_verify = serialize_sign_data(data.proof_hash, data.public_key, data.mandatory_hash)
    if not verify_p1363(issuer_key, data.base_signature, to_verify):
        raise BadSignatureError(
            "The issuer's base signature does not match: wrong issuer key, or the proof options or a mandatory "
            "statement were altered.",
            "La signature de base de l'émetteur ne correspond pas : mauvaise clé d'émetteur, ou les options de la "
            "preuve ou une déclaration obligatoire ont été modifiées.")
    for number, (signature, quad) in enumerate(zip(data.signatures, data.non_mandatory, strict=True), start=1):
        if not verify_p1363(proof_key, signature, quad.encode("utf-8")):
            raise BadSignatureError(
                f"Selectively disclosed statement {number} of {len(data.non_mandatory)} does not match its "
                "signature: it was altered.",
                f"La déclaration divulguée sélectivement {number} sur {len(data.non_mandatory)} ne correspond pas "
                "à sa signature : elle a été modifiée.")


def verify_derived_proof(document: Mapping[str, Any], proof: Mapping[str, Any], *,
                         public_key: ec.EllipticCurvePublicKey, loader: DocumentLoader) -> None:
    """Verify an ``ecdsa-sd-2023`` derived proof of ``document`` with the issuer's key (§3.5.7).

    :param document: the revealed credential (its ``proof`` member is ignored: the proof is passed separately).
    :param proof: the proof object (``type`` ``DataIntegrityProof``, ``cryptosuite`` ``ecdsa-sd-2023``).
    :param public_key: the P-256 key of the proof's verification method, resolved by the caller.
    :param loader: the static loader (see :func:`app.signing.loader.make_loader`).
    :raises UnsupportedAlgorithmError: not an ``ecdsa-sd-2023`` Data Integrity proof.
    :raises MalformedProofError: a base proof, or a proof value that does not parse or does not fit the document.
    :raises InvalidKeyError: ``public_key`` is not P-256, or the proof-scoped key is invalid.
    :raises BadSignatureError: the document or the proof was altered, or the key is not the issuer's.
    :raises UndefinedTermError, UnknownContextError, InvalidJsonLdError, CanonicalisationLimitError:
    """
    _check_suite(proof)
    _check_issuer_key(public_key)
    derived = parse_derived_proof_value(proof.get("proofValue"))
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    data = create_verify_data(canonicalize(unsigned, loader, strict=True),
                              canonical_proof_config(document, proof, loader), derived)
    check_verify_data(data, public_key=public_key)


def verify_base_proof(proof_value: object, *, canonical_document: str, canonical_config: str,
                      mandatory_indexes: Collection[int], public_key: ec.EllipticCurvePublicKey) -> BaseProofValue:
    """Check a base proof's signatures, given which canonical statements are mandatory.

    The mandatory statements come from the base proof's JSON Pointers (canonicalizeAndGroup), which this module does
    not evaluate: ``mandatory_indexes`` are their indexes in the HMAC-relabelled, sorted canonical quads (the spec's
    test vectors publish them). Meant for checking an issuer's output, not for a holder-facing verifier.

    :param canonical_document: canonical N-Quads of the signed document (``c14nN`` labels).
    :param canonical_config: canonical N-Quads of the proof configuration.
    :returns: the parsed base proof (its mandatory pointers, HMAC key…).
    :raises MalformedProofError, InvalidKeyError, BadSignatureError: as :func:`verify_derived_proof`.
    """
    _check_issuer_key(public_key)
    base = parse_base_proof_value(proof_value)
    quads = split_nquads(canonical_document)
    nquads = relabel_nquads(quads, hmac_label_map(blank_node_labels(quads), base.hmac_key))
    mandatory, non_mandatory = split_by_indexes(nquads, mandatory_indexes)
    check_verify_data(VerifyData(base_signature=base.base_signature, proof_hash=hash_proof_config(canonical_config),
                                 public_key=base.public_key, signatures=base.signatures, mandatory=tuple(mandatory),
                                 non_mandatory=tuple(non_mandatory), mandatory_hash=hash_mandatory(mandatory)),
                      public_key=public_key)
    return base
