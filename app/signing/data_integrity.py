"""Data Integrity proofs: ``eddsa-rdfc-2022`` (issue and verify), ``eddsa-2022`` and ``Ed25519Signature2020``
(verify only).

hashData = SHA-256(canonical proof configuration) ‖ SHA-256(canonical document without ``proof``); the proof
configuration is the proof without ``proofValue`` plus the document's ``@context``. The signature is pure Ed25519
over those 64 bytes, published as ``z`` + base58btc. Resolving the verification method to a key and binding its
controller to the issuer are the caller's job.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.signing.canon import canonicalize
from app.signing.errors import BadSignatureError, MalformedProofError, UnsupportedAlgorithmError
from app.signing.loader import DocumentLoader
from app.signing.portable_order import check_portable_order

__all__ = [
    "CRYPTOSUITE",
    "Canonicalizer",
    "ProofRef",
    "canonical_unsigned",
    "create_proof",
    "hash_data",
    "list_proofs",
    "proof_value_from_signature",
    "verify_proof",
]

CRYPTOSUITE = "eddsa-rdfc-2022"
_DI_SUITES = {"eddsa-rdfc-2022", "eddsa-2022"}


@dataclass(frozen=True, slots=True)
class ProofRef:
    """One proof of a document, as found (not yet verified)."""

    proof: dict[str, Any]
    suite: str  # eddsa-rdfc-2022 | eddsa-2022 | Ed25519Signature2020 | other
    verification_method: str
    purpose: str


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hash_data(canonical_proof_config: str, canonical_document: str) -> bytes:
    """The 64 bytes that are signed: proof configuration hash first, then document hash."""
    return (hashlib.sha256(canonical_proof_config.encode("utf-8")).digest()
            + hashlib.sha256(canonical_document.encode("utf-8")).digest())


def proof_value_from_signature(signature: bytes) -> str:
    return "z" + base58.b58encode(signature).decode("ascii")


def _signature_from_proof_value(value: Any) -> bytes:
    if not isinstance(value, str) or not value.startswith("z") or len(value) > 200:
        raise MalformedProofError("proofValue must be base58btc multibase ('z…').",
                                  "proofValue doit être en multibase base58btc (« z… »).")
    try:
        signature = base58.b58decode(value[1:])
    except ValueError as exc:
        raise MalformedProofError("proofValue is not valid base58.", "proofValue n'est pas du base58 valide.") from exc
    if len(signature) != 64:
        raise MalformedProofError("An Ed25519 signature is 64 bytes.", "Une signature Ed25519 fait 64 octets.")
    return signature


def _without_proof(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "proof"}


def create_proof(document: dict[str, Any], *, private_key: Ed25519PrivateKey, verification_method: str,
                 created: datetime, loader: DocumentLoader, proof_purpose: str = "assertionMethod",
                 canonicalizer: Canonicalizer | None = None, portable: bool = True
                 ) -> dict[str, Any]:
    """Sign ``document`` with an ``eddsa-rdfc-2022`` proof; returns a copy whose ``proof`` is an array.

    :param canonicalizer: produces canonical N-Quads; defaults to the general
        :func:`~app.signing.canon.canonicalize`. Bulk issuance passes a
        :class:`~app.signing.fast_canon.ShapeCanonicalizer`, whose output is byte-identical.
    :param portable: refuse a document that verifiers sorting in UTF-16 would read otherwise (see
        :mod:`~app.signing.portable_order`); ``False`` only to re-sign what was signed already.
    :raises UndefinedTermError: the document uses a term no bundled context defines (it would go unsigned).
    :raises UnportableOrderError: two of its texts sort differently in UTF-16, as some verifiers sort them.
    """
    canon = canonicalizer or (lambda doc: canonicalize(doc, loader))
    options = {"type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE, "created": _iso(created),
               "verificationMethod": verification_method, "proofPurpose": proof_purpose}
    unsigned = _without_proof(document)
    config = {"@context": document["@context"], **options}
    document_nquads = canon(unsigned)
    if portable:
        check_portable_order(document_nquads)
    data = hash_data(canon(config), document_nquads)
    proof = {**options, "proofValue": proof_value_from_signature(private_key.sign(data))}
    existing = document.get("proof")
    proofs = existing if isinstance(existing, list) else ([existing] if existing else [])
    return {**unsigned, "proof": [*proofs, proof]}


def list_proofs(document: dict[str, Any]) -> list[ProofRef]:
    """The proofs of a document (``proof`` as an object or an array), malformed ones refused."""
    raw = document.get("proof")
    proofs = raw if isinstance(raw, list) else ([raw] if raw is not None else [])
    refs = []
    for proof in proofs:
        if not isinstance(proof, dict) or not isinstance(proof.get("verificationMethod"), str):
            raise MalformedProofError("Each proof needs a verificationMethod.",
                                      "Chaque preuve doit avoir un verificationMethod.")
        suite = proof.get("cryptosuite") if proof.get("type") == "DataIntegrityProof" else proof.get("type")
        refs.append(ProofRef(proof, str(suite), proof["verificationMethod"], str(proof.get("proofPurpose", ""))))
    return refs


Canonicalizer = Callable[[dict[str, Any]], str]


def canonical_unsigned(document: dict[str, Any], loader: DocumentLoader, *,
                       canonicalizer: Canonicalizer | None = None) -> str:
    """Canonical N-Quads of ``document`` without its proofs, in verification (strict) mode.

    :param canonicalizer: a strict canonicaliser byte-identical to the general one (a
        :class:`~app.signing.fast_canon.ShapeCanonicalizer` made with ``strict=True``); defaults to the general one.
    :raises UndefinedTermError, UnknownContextError, InvalidJsonLdError, CanonicalisationLimitError:
    """
    canon = canonicalizer or (lambda doc: canonicalize(doc, loader, strict=True))
    return canon(_without_proof(document))


def verify_proof(document: dict[str, Any], proof: dict[str, Any], *, public_key: Ed25519PublicKey,
                 loader: DocumentLoader, canonical_document: str | None = None,
                 canonicalizer: Canonicalizer | None = None) -> None:
    """Check one proof of ``document`` against ``public_key``.

    :param canonical_document: :func:`canonical_unsigned` of ``document``, when the caller computed it already
        (a verifier checks that the document is well-formed before fetching any key).
    :param canonicalizer: as for :func:`canonical_unsigned` (strict).

    :raises BadSignatureError: the signature does not match.
    :raises MalformedProofError, UnsupportedAlgorithmError, UndefinedTermError, UnknownContextError:
    """
    suite = proof.get("cryptosuite") if proof.get("type") == "DataIntegrityProof" else proof.get("type")
    if suite not in (*_DI_SUITES, "Ed25519Signature2020"):
        raise UnsupportedAlgorithmError(f"Proof suite {str(suite)[:80]!r} is not supported.",
                                        f"La suite de preuve {str(suite)[:80]!r} n'est pas prise en charge.")
    signature = _signature_from_proof_value(proof.get("proofValue"))
    options = {k: v for k, v in proof.items() if k not in ("proofValue", "@context")}
    context = proof["@context"] if suite == "Ed25519Signature2020" and "@context" in proof else document.get(
        "@context")
    config = {"@context": context, **options}
    canon = canonicalizer or (lambda doc: canonicalize(doc, loader, strict=True))
    data = hash_data(canon(config), canonical_document if canonical_document is not None
                     else canonical_unsigned(document, loader, canonicalizer=canonicalizer))
    try:
        public_key.verify(signature, data)
    except InvalidSignature as exc:
        raise BadSignatureError() from exc
