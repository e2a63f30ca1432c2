"""Bulk signing on several cores gives exactly the credentials one process would have signed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.services.batch_signing import BatchSigner
from app.services.issuing import document_loader, shape_canonicalizer
from app.signing.data_integrity import create_proof, list_proofs, verify_proof
from app.signing.portable_order import UnportableOrderError
from bench.fixtures import credentials

CREATED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
METHOD = "did:web:badges.example.org:orgs:puchot#key-1"


def test_worker_processes_sign_exactly_as_this_process_does() -> None:
    key = Ed25519PrivateKey.generate()
    documents = credentials(400, seed=11)
    inline = [create_proof(d, private_key=key, verification_method=METHOD, created=CREATED, loader=document_loader(),
                           canonicalizer=shape_canonicalizer().canonicalize) for d in documents]
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
        verify_proof(credential, ref.proof, public_key=key.public_key(), loader=document_loader())


def test_small_batches_are_signed_in_this_process() -> None:
    key = Ed25519PrivateKey.generate()
    signer = BatchSigner(workers=2)
    signer.sign_all(credentials(3), private_key=key, verification_method=METHOD, created=CREATED)
    assert signer._pool is None


def test_bulk_rows_signed_by_the_workers_are_stored_with_their_own_proofs(database_url: str) -> None:
    """1,200 rows: one batch handed to the workers while the rest is prepared, then the remainder."""
    import os

    from sqlalchemy import select

    from app.db import Database
    from app.models import Award
    from app.services import achievements, bulk, keys, organisations
    from app.services.keys import KeyVault
    from app.signing.keys import KeyAlgorithm, load_public_key_pem
    from app.urls import PublicUrls

    db, vault, urls = Database(database_url), KeyVault(os.urandom(32)), PublicUrls("https://badges.example.org")
    try:
        with db.transaction() as session:
            created = organisations.create_organisation(session, vault, {
                "slug": "puchot", "name": "Centre social du Puchot", "url": "https://puchot.example",
                "email": "contact@puchot.example"}, actor="test")
            achievement = achievements.create(session, created.organisation.id, {
                "name": "Jardin", "description": "Cultiver.", "criteria": {"narrative": "Une saison."}}, actor="t")
            achievements.publish(session, created.organisation.id, achievement.id, now=CREATED, actor="test")
            org_id, achievement_id = created.organisation.id, achievement.id
        rows = [{"recipient": {"email": f"personne.{i}@exemple.fr"}} for i in range(1200)]
        with db.transaction() as session, BatchSigner(workers=2) as signer:
            results = bulk.award_rows(session, vault, urls, org_id, achievement_id, rows, now=CREATED,
                                      actor="test", signer=signer)
        assert all(r.error is None for r in results)
        with db.sessions() as session:
            stored = {a.id: a.credential for a in session.scalars(select(Award))}
            public = load_public_key_pem(keys.active_key(session, org_id, KeyAlgorithm.ed25519).public_key_pem)
        assert len(stored) == 1200
        for result in results:
            assert stored[result.award_id]["id"] == result.credential and len(stored[result.award_id]["proof"]) == 1
        assert isinstance(public, Ed25519PublicKey)
        for result in (results[0], results[999], results[1000], results[-1]):  # both sides of the batch edge
            credential = stored[result.award_id]
            (ref,) = list_proofs(credential)
            verify_proof(credential, ref.proof, public_key=public, loader=document_loader())
    finally:
        db.dispose()


def _with_unportable_tags(document: dict[str, Any]) -> dict[str, Any]:
    achievement = {**document["credentialSubject"]["achievement"], "tag": ["ﬁlm", "🎬 cinéma"]}
    return {**document, "credentialSubject": {**document["credentialSubject"], "achievement": achievement}}


@pytest.mark.parametrize("count", [3, 250])  # in this process, and in the worker processes
def test_a_credential_some_verifiers_would_sort_otherwise_comes_back_as_its_refusal(count: int) -> None:
    key = Ed25519PrivateKey.generate()
    documents = credentials(count, seed=13)
    documents[1] = _with_unportable_tags(documents[1])
    with BatchSigner(workers=2) as signer:
        signed = signer.sign_all(documents, private_key=key, verification_method=METHOD, created=CREATED)
    refused = signed[1]
    assert isinstance(refused, UnportableOrderError) and refused.texts == ("ﬁlm", "🎬 cinéma")
    for credential in (signed[0], signed[-1]):
        assert isinstance(credential, dict)
        (ref,) = list_proofs(credential)
        verify_proof(credential, ref.proof, public_key=key.public_key(), loader=document_loader())
