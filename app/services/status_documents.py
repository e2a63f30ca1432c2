"""The signed BitstringStatusListCredential of a status list, and the copy each list keeps of it.

A list is signed when it changes (a pair opened by an issuance, a status bit set by a revocation or suspension, in
the same transaction) whenever the key-encryption key is there, and the copy is kept in its row with the version
and key it was signed for. Serving a list then signs nothing while the copy is current: a process without the KEK
(issuing 503) still serves the lists, so that the credentials it issued earlier keep verifying (issue 18, R5). A
list that changed where the KEK was missing, or after a key rotation, is signed at its next serving by a process
that has it (without one: 503 ``signing_unavailable``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.badges.status_list import status_list_credential
from app.db import Database
from app.models import SigningKey, StatusList
from app.services import keys, organisations
from app.services.status import CHANGED_LISTS
from app.signing.data_integrity import create_proof
from app.signing.keys import KeyAlgorithm
from app.signing.loader import make_loader
from app.urls import PublicUrls

__all__ = ["keep_changed", "keep_opened", "keep_signed", "signed_document"]



def _key(session: Session, row: StatusList) -> SigningKey:
    return keys.active_key(session, row.org_id, KeyAlgorithm.ed25519)


def _sign(session: Session, vault: keys.KeyVault, urls: PublicUrls, row: StatusList, key_row: SigningKey
          ) -> dict[str, Any]:
    org = organisations.get_by_id(session, row.org_id)
    document = status_list_credential(list_url=urls.status_list(row.id), issuer_id=urls.did(org.slug),
                                      purpose=row.purpose, encoded_list=row.encoded_list, valid_from=row.updated_at)
    return create_proof(document, private_key=vault.signer(key_row).private_key,  # type: ignore[arg-type]
                        verification_method=urls.verification_method(org.slug, key_row.id), created=row.updated_at,
                        loader=make_loader())


def signed_document(session: Session, vault: keys.KeyVault, urls: PublicUrls, row: StatusList,
                    key_row: SigningKey | None = None) -> dict[str, Any]:
    """The list's signed credential: its kept copy while current, else signed now (not kept: a read).
    ``key_row``: the organisation's active Ed25519 key, when the caller already read it.

    :raises SigningUnavailable: the copy is not current and this process has no KEK."""
    key_row = key_row or _key(session, row)
    if row.signed_document is not None and (row.signed_version, row.signed_key_id) == (row.version, key_row.id):
        return row.signed_document
    return _sign(session, vault, urls, row, key_row)


def _keep(session: Session, vault: keys.KeyVault, urls: PublicUrls, row: StatusList) -> None:
    key_row = _key(session, row)
    if row.signed_document is not None and (row.signed_version, row.signed_key_id) == (row.version, key_row.id):
        return
    row.signed_document = _sign(session, vault, urls, row, key_row)
    row.signed_version, row.signed_key_id = row.version, key_row.id


def keep_signed(session: Session, vault: keys.KeyVault, urls: PublicUrls, list_ids: Iterable[str]) -> None:
    """Sign these lists and keep their copies, in the caller's transaction (nothing without the KEK)."""
    if not vault.available:
        return
    ids = sorted(set(list_ids))
    for row in session.scalars(select(StatusList).where(StatusList.id.in_(ids)).order_by(StatusList.id)):
        _keep(session, vault, urls, row)


def keep_changed(session: Session, vault: keys.KeyVault, urls: PublicUrls) -> None:
    """:func:`keep_signed` for the lists whose bits this session changed (noted by ``set_status_bit``: rows it
    already locked, in id order), and only those."""
    changed = session.info.pop(CHANGED_LISTS, set())
    if changed:
        keep_signed(session, vault, urls, changed)


def keep_opened(session: Session, vault: keys.KeyVault, urls: PublicUrls, list_ids: Iterable[str]) -> None:
    """:func:`keep_signed` for lists an issuance just opened. On PostgreSQL in a transaction of its own, committed
    at once: the issuing transaction must not hold their rows, which other issuers advance meanwhile (the pair
    itself was committed apart); on SQLite (one writer) in the caller's."""
    if not vault.available:
        return
    database = Database.of(session)
    if database is None or database.backend != "postgresql":
        keep_signed(session, vault, urls, list_ids)
        return
    with database.transaction() as apart:
        keep_signed(apart, vault, urls, list_ids)
