"""A test-only ``ecdsa-sd-2023`` issuer and holder, to exercise the verifier end to end on documents whose contexts
are bundled (the W3C vectors use a context that is not).

The issuer follows the spec's base proof steps, except that the mandatory statements are chosen by a predicate on
the relabelled quads instead of JSON Pointers. The holder reveals a sub-document: it matches the revealed document's
canonical blank nodes to the base document's by trying every assignment (test documents have a handful), which the
spec does with skolemisation.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from app.signing.canon import canonicalize
from app.signing.ecdsa_sd import canonical_proof_config
from app.signing.ecdsa_sd_proof import serialize_base_proof_value, serialize_derived_proof_value
from app.signing.loader import make_loader
from app.signing.p256 import multikey_bytes, sign_p1363
from app.signing.sd_primitives import (
    blank_node_labels,
    hash_mandatory,
    hash_proof_config,
    hmac_label_map,
    relabel_nquads,
    serialize_sign_data,
    split_nquads,
)

OPTIONS = {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-sd-2023", "created": "2026-01-15T10:00:00Z",
           "verificationMethod": "https://example.com/issuers/876543#key-1", "proofPurpose": "assertionMethod"}


@dataclass
class Issued:
    document: dict[str, Any]  # with the base proof
    quads: list[str]  # canonical, c14n labels
    signed: list[str]  # HMAC-relabelled and sorted: what was signed
    labels: dict[str, str]  # c14nN -> HMAC label
    mandatory: set[int]
    signatures: dict[int, bytes]  # index in ``signed`` -> signature
    base_signature: bytes
    proof_public_key: bytes


def issue(document: dict[str, Any], issuer_key: ec.EllipticCurvePrivateKey,
          is_mandatory: Callable[[str], bool], options: dict[str, Any] | None = None) -> Issued:
    options = options or OPTIONS
    loader = make_loader()
    proof_key = ec.generate_private_key(ec.SECP256R1())
    hmac_key = os.urandom(32)
    quads = split_nquads(canonicalize(document, loader))
    labels = hmac_label_map(blank_node_labels(quads), hmac_key)
    signed = relabel_nquads(quads, labels)
    mandatory = {i for i, quad in enumerate(signed) if is_mandatory(quad)}
    signatures = {i: sign_p1363(proof_key, quad.encode()) for i, quad in enumerate(signed) if i not in mandatory}
    public = multikey_bytes(proof_key.public_key())
    proof_hash = hash_proof_config(canonical_proof_config(document, options, loader))
    to_sign = serialize_sign_data(proof_hash, public, hash_mandatory(signed[i] for i in sorted(mandatory)))
    base_signature = sign_p1363(issuer_key, to_sign)
    value = serialize_base_proof_value(base_signature, public, hmac_key, list(signatures.values()), ["/issuer"])
    return Issued({**document, "proof": {**options, "proofValue": value}}, quads, signed, labels, mandatory,
                  signatures, base_signature, public)


def _correspondence(revealed: list[str], base: list[str]) -> dict[str, str]:
    """Revealed canonical label -> base canonical label, such that every revealed quad is a base quad."""
    mine, theirs, known = sorted(blank_node_labels(revealed)), sorted(blank_node_labels(base)), set(base)
    for chosen in itertools.permutations(theirs, len(mine)):
        mapping = dict(zip(mine, chosen, strict=True))
        if set(relabel_nquads(revealed, mapping)) <= known:
            return mapping
    raise AssertionError("the revealed document is not a part of the issued one")


def derive(issued: Issued, reveal: dict[str, Any]) -> dict[str, Any]:
    """The revealed document with a derived proof (createDisclosureData + serializeDerivedProofValue)."""
    quads = split_nquads(canonicalize(reveal, make_loader()))
    verifier_labels = {mine: issued.labels[theirs] for mine, theirs in _correspondence(quads, issued.quads).items()}
    position = {quad: i for i, quad in enumerate(issued.signed)}
    shown = [position[quad] for quad in relabel_nquads(quads, verifier_labels)]
    assert issued.mandatory <= set(shown), "every mandatory statement must be revealed"
    mandatory_indexes = [j for j, i in enumerate(shown) if i in issued.mandatory]
    signatures = [issued.signatures[i] for i in shown if i not in issued.mandatory]
    value = serialize_derived_proof_value(issued.base_signature, issued.proof_public_key, signatures, verifier_labels,
                                          mandatory_indexes)
    options = {k: v for k, v in issued.document["proof"].items() if k != "proofValue"}
    return {**reveal, "proof": {**options, "proofValue": value}}
