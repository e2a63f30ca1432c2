"""Bulk signing on several cores gives exactly the credentials one process would have signed."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.services.batch_signing import BatchSigner
from app.services.issuing import _canonicalizer, _loader
from app.signing.data_integrity import create_proof, list_proofs, verify_proof
from bench.fixtures import credentials

CREATED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
METHOD = "did:web:badges.example.org:orgs:puchot#key-1"


def test_worker_processes_sign_exactly_as_this_process_does() -> None:
    key = Ed25519PrivateKey.generate()
    documents = credentials(400, seed=11)
    inline = [create_proof(d, private_key=key, verification_method=METHOD, created=CREATED, loader=_loader(),
                           canonicalizer=_canonicalizer().canonicalize) for d in documents]
    with BatchSigner(workers=2) as signer:
        assert signer.sign_all(documents, private_key=key, verification_method=METHOD, created=CREATED) == inline


def test_batch_signed_credentials_verify_in_their_original_order() -> None:
    key = Ed25519PrivateKey.generate()
    documents = credentials(250, seed=12)
    with BatchSigner(workers=2) as signer:
        signed = signer.sign_all(documents, private_key=key, verification_method=METHOD, created=CREATED)
    assert [s["id"] for s in signed] == [d["id"] for d in documents]
    for credential in signed[:: 50]:
        (ref,) = list_proofs(credential)
        verify_proof(credential, ref.proof, public_key=key.public_key(), loader=_loader())


def test_small_batches_are_signed_in_this_process() -> None:
    key = Ed25519PrivateKey.generate()
    signer = BatchSigner(workers=2)
    signer.sign_all(credentials(3), private_key=key, verification_method=METHOD, created=CREATED)
    assert signer._pool is None
