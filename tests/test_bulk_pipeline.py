"""Bulk rows are read, built, signed (in worker processes) and stored piece by piece: the results still come back
one per row in row order, and a failure in the middle of a batch leaves nothing of it stored."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from app.db import Database
from app.models import Award
from app.services import batch_signing, bulk, keys
from app.services.batch_signing import BatchSigner
from app.services.issuing import document_loader
from app.services.keys import KeyVault
from app.services.results import RowResult
from app.signing.data_integrity import list_proofs, verify_proof
from app.signing.keys import KeyAlgorithm, load_public_key_pem
from app.urls import PublicUrls
from tests.cli_support import BASE, published_achievement, scalar
from tests.conftest import TEST_KEK

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
ROWS = 1300  # read in pieces of 250 then 1,050 rows, handed to the workers 500 credentials at a time
UNSIGNABLE = [{"url": "https://x.example/ﬁ"}, {"url": "https://x.example/🎬"}]  # sorted otherwise in UTF-16
EXPLODING = "this narrative makes the worker fail"


class Issuer:
    def __init__(self, database_url: str, tmp_path: Path) -> None:
        self.org_id, self.achievement_id = published_achievement(database_url, tmp_path)
        self.db, self.database_url = Database(database_url), database_url
        self.vault, self.urls = KeyVault(base64.b64decode(TEST_KEK)), PublicUrls(BASE)

    def award(self, rows: list[Any], signer: BatchSigner | None) -> list[RowResult]:
        with self.db.transaction() as session:
            return bulk.award_rows(session, self.vault, self.urls, self.org_id, self.achievement_id, rows, now=NOW,
                                   actor="test", signer=signer)

    def count(self, table: str) -> int:
        return int(scalar(self.database_url, f"SELECT count(*) FROM {table}"))  # noqa: S608 (a table name of ours)

    def public_key(self) -> Ed25519PublicKey:
        with self.db.sessions() as session:
            key = load_public_key_pem(keys.active_key(session, self.org_id, KeyAlgorithm.ed25519).public_key_pem)
        assert isinstance(key, Ed25519PublicKey)
        return key


@pytest.fixture
def issuer(database_url: str, tmp_path: Path) -> Iterator[Issuer]:
    made = Issuer(database_url, tmp_path)
    yield made
    made.db.dispose()


def _batches_audited(issuer: Issuer) -> int:
    return int(scalar(issuer.database_url, "SELECT count(*) FROM audit_events WHERE action = 'award.batch'"))


def _row(i: int) -> dict[str, Any]:
    return {"recipient": {"email": f"personne.{i}@exemple.fr"}, "level": ("Je soutiens", "J'agis")[i % 2]}


def test_results_come_back_one_per_row_in_row_order_across_pieces(issuer: Issuer) -> None:
    (earlier,) = issuer.award([{**_row(0), "idempotency_key": "inscrit-avant"}], None)
    rows = [_row(i) for i in range(1, ROWS + 1)]
    rows[9] = {**_row(10), "idempotency_key": "k-10"}
    rows[1099] = {**_row(10), "idempotency_key": "k-10"}  # the same row again, in a later piece: one award
    rows[1199] = {**_row(1200), "idempotency_key": "k-10"}  # the key of another row: refused on this row
    rows[599] = {**_row(0), "idempotency_key": "inscrit-avant"}  # issued by the earlier batch
    for i in range(96, ROWS, 97):
        rows[i] = {"recipient": {"email": "pas une adresse"}}
    rows[300] = {**_row(301), "level": "Je rêve"}  # refused when built
    for i in (255, 899, 1299):  # refused when signed, in the first, a middle and the last part
        rows[i] = {**_row(i + 1), "evidence": UNSIGNABLE}

    with BatchSigner(workers=2) as signer:
        results = issuer.award(rows, signer)

    assert [r.row for r in results] == list(range(1, ROWS + 1))
    errors = {r.row: r.error.code for r in results if r.error is not None}
    assert errors == {**{i + 1: "invalid_row" for i in range(96, ROWS, 97)}, 301: "unknown_level",
                      256: "unportable_text", 900: "unportable_text", 1300: "unportable_text",
                      1200: "idempotency_key_reused"}
    assert results[1099] == RowResult(1100, results[9].award_id, results[9].credential, None, already_issued=True)
    assert results[599] == RowResult(600, earlier.award_id, earlier.credential, None, already_issued=True)
    issued = [r for r in results if r.status == "issued"]
    assert len(issued) == ROWS - len(errors) - 2 == issuer.count("awards") - 1
    assert issuer.count("idempotency_records") == 2  # inscrit-avant, and k-10 once
    with issuer.db.sessions() as session:
        stored = {a.id: a for a in session.scalars(select(Award))}
    assert len({(a.revocation_list_id, a.revocation_index) for a in stored.values()}) == len(stored)
    public = issuer.public_key()
    for result in (issued[0], issued[len(issued) // 2], issued[-1]):
        credential = stored[result.award_id].credential
        assert credential["id"] == result.credential
        (ref,) = list_proofs(credential)
        verify_proof(credential, ref.proof, public_key=public, loader=document_loader())


def _exploding_part(key_der: bytes, verification_method: str, created: datetime, encoded: bytes) -> Any:
    """A worker that fails (not a refusal: a bug of ours) on the part holding one row."""
    if EXPLODING.encode() in encoded:
        raise RuntimeError("a worker failed")
    return _sign_part(key_der, verification_method, created, encoded)


_sign_part = batch_signing._sign_part


def _writes(monkeypatch: pytest.MonkeyPatch, *, failing: int | None = None) -> list[int]:
    """How many award rows each write stores (the ``failing``-th write fails instead)."""
    written: list[int] = []
    insert = bulk._insert_awards

    def write(session: Any, values: list[dict[str, Any]]) -> None:
        written.append(len(values))
        if len(written) == failing:
            raise RuntimeError("the database went away")
        insert(session, values)

    monkeypatch.setattr(bulk, "_insert_awards", write)
    return written


def _nothing_stored(issuer: Issuer) -> None:
    assert issuer.count("awards") == issuer.count("idempotency_records") == _batches_audited(issuer) == 0


def test_a_part_failing_in_a_worker_leaves_nothing_of_the_batch(issuer: Issuer,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_signing, "_sign_part", _exploding_part)
    written = _writes(monkeypatch)
    rows = [{**_row(i), "idempotency_key": f"k-{i}"} for i in range(ROWS)]
    rows[800] = {**rows[800], "narrative": EXPLODING}
    with BatchSigner(workers=2) as signer:
        with pytest.raises(RuntimeError, match="a worker failed"):
            issuer.award(rows, signer)
        assert sum(written) == 750  # the parts before the failing one were written, then rolled back
        _nothing_stored(issuer)
        results = issuer.award(rows[:800], signer)  # the workers go on signing the next batch
    assert [r.status for r in results] == ["issued"] * 800
    assert issuer.count("awards") == 800


def test_a_write_failing_in_the_middle_leaves_nothing_of_the_batch(issuer: Issuer,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    written = _writes(monkeypatch, failing=2)
    rows = [{**_row(i), "idempotency_key": f"k-{i}"} for i in range(ROWS)]
    with BatchSigner(workers=2) as signer, pytest.raises(RuntimeError, match="went away"):
        issuer.award(rows, signer)
    assert written[0] == 250
    _nothing_stored(issuer)
