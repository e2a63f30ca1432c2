"""Bulk signing on several cores gives exactly the credentials one process would have signed."""

from __future__ import annotations

import os
import socket
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.services.batch_signing import BatchSigner
from app.services.issuing import document_loader, shape_canonicalizer
from app.signing.data_integrity import create_proof, list_proofs, verify_proof
from app.signing.portable_order import UnportableOrderError
from bench.fixtures import credentials
from tests.cli_support import children_of

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



def _holds(pid: int, target: str) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == target for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:  # the process or one of its descriptors is gone
        return False


def test_workers_close_every_socket_their_parent_had_open() -> None:
    """A database connection of the parent, forked into a worker, would outlive the parent with its transaction."""
    parent_end, other_end = socket.socketpair()
    try:
        target = f"socket:[{os.fstat(parent_end.fileno()).st_ino}]"
        before = set(children_of(os.getpid()))  # an earlier test's processes may still be ending
        with BatchSigner(workers=2) as signer:
            signer.start(250)
            workers = sorted(set(children_of(os.getpid())) - before)
            deadline = time.monotonic() + 5
            while any(_holds(w, target) for w in workers) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(workers) == 2 and not any(_holds(w, target) for w in workers)
            assert _holds(os.getpid(), target)  # the parent's connection is untouched
    finally:
        parent_end.close()
        other_end.close()


def test_starting_for_a_small_batch_forks_nothing() -> None:
    signer = BatchSigner(workers=2)
    signer.start(10)
    assert signer._pool is None


def test_progress_is_told_part_by_part_as_the_workers_send_them_back() -> None:
    ticks: list[int] = []
    with BatchSigner(workers=2) as signer:
        signer.submit(credentials(250, seed=14), private_key=Ed25519PrivateKey.generate(), verification_method=METHOD,
                      created=CREATED, progress=ticks.append)()
    assert sum(ticks) == 250 and max(ticks) <= 10


def test_progress_is_told_document_by_document_when_signing_here() -> None:
    ticks: list[int] = []
    BatchSigner(workers=2).submit(credentials(3, seed=15), private_key=Ed25519PrivateKey.generate(),
                                  verification_method=METHOD, created=CREATED, progress=ticks.append)()
    assert ticks == [1, 1, 1]
