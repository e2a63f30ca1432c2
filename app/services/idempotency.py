"""``Idempotency-Key``: the first response is stored in the same transaction as its effect.

Same key + same request → the stored response is replayed; same key + another request → 422; a concurrent request
with the same key → 409 (its INSERT meets the first one's row).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import Conflict, IdempotencyMismatch, InvalidInput
from app.models import IdempotencyRecord

__all__ = ["Outcome", "Replay", "begin", "finish", "once", "request_fingerprint"]

MAX_KEY_LENGTH = 255


class Replay(Exception):
    """Raised by :func:`begin` when the stored response must be sent again."""

    def __init__(self, status_code: int, response: dict[str, Any]) -> None:
        super().__init__("idempotent replay")
        self.status_code = status_code
        self.response = response


def request_fingerprint(operation: str, payload: Any) -> str:
    """SHA-256 over the operation and the parsed request (key order does not matter). An integer beyond 64 bits,
    which orjson refuses, is fingerprinted through the standard library instead."""
    try:
        body = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        body = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(operation.encode() + b"\0" + body).hexdigest()


def begin(session: Session, org_id: str, key: str, fingerprint: str) -> IdempotencyRecord:
    """Claim ``key`` for this request, or replay / refuse.

    :raises Replay: the same request was already answered.
    :raises IdempotencyMismatch: the key was used for a different request (422).
    :raises Conflict: another request with this key is in progress (409).
    """
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput("Idempotency-Key must be 1 to 255 printable characters.",
                           "L'en-tête Idempotency-Key doit compter de 1 à 255 caractères imprimables.",
                           code="invalid_idempotency_key")
    existing = session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.org_id == org_id,
                                                              IdempotencyRecord.key == key))
    if existing is not None:
        return _settle(existing, fingerprint)
    record = IdempotencyRecord(org_id=org_id, key=key, request_sha256=fingerprint, status_code=0, response={})
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("A request with this Idempotency-Key is being processed; retry in a moment.",
                       "Une requête avec cette clé d'idempotence est en cours ; réessayez dans un instant.",
                       code="idempotency_key_in_use") from exc
    return record


def _settle(existing: IdempotencyRecord, fingerprint: str) -> IdempotencyRecord:
    if existing.request_sha256 != fingerprint:
        raise IdempotencyMismatch()
    if existing.status_code == 0:
        raise Conflict("A request with this Idempotency-Key is being processed; retry in a moment.",
                       "Une requête avec cette clé d'idempotence est en cours ; réessayez dans un instant.",
                       code="idempotency_key_in_use")
    raise Replay(existing.status_code, existing.response)


def finish(record: IdempotencyRecord, status_code: int, response: dict[str, Any]) -> None:
    """Store the response (committed with the effect, by the caller's transaction)."""
    record.status_code = status_code
    record.response = response


@dataclass(frozen=True, slots=True)
class Outcome:
    """A use case's answer: its status and JSON body, and whether it is a replay of a stored answer."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


def once(db: Database, org_id: str, key: str | None, fingerprint: str,
         work: Callable[[Session], tuple[int, dict[str, Any]]]) -> Outcome:
    """Run ``work`` in one transaction, at most once per ``key``: the answer is stored with the effect, and the
    same request under the same key gets the stored answer again. Without a key, ``work`` simply runs."""
    try:
        with db.transaction() as session:
            record = begin(session, org_id, key, fingerprint) if key is not None else None
            status, body = work(session)
            if record is not None:
                finish(record, status, body)
    except Replay as replay:
        return Outcome(replay.status_code, replay.response, replayed=True)
    return Outcome(status, body)
