"""Idempotency keys of batch rows: a row whose key was already issued is reported, never issued again.

A row's key is given (its ``idempotency_key`` member, the CSV column ``idempotency_key`` or ``cle``) or, for the
command line, derived by :func:`derive_keys` from the row's normalised content, the achievement and how many rows
before it in the file had the same content: the second of two identical rows is a second award, the same file run
again issues nothing twice. Keys belong to the organisation; each issued row stores one idempotency record
(``row:<key>``, beside the request keys of ``Idempotency-Key``) with its row's fingerprint and the award it gave,
in the transaction that stores the award.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.badges import identity
from app.errors import Conflict, IdempotencyMismatch, InvalidInput
from app.models import IdempotencyRecord
from app.schemas.awards import AwardRow
from app.services.idempotency import request_fingerprint

__all__ = ["KEY_FIELD", "MAX_KEY_LENGTH", "Issued", "Previous", "derive_keys", "fingerprint", "previous", "record",
           "reused", "settle", "split_key"]

KEY_FIELD = "idempotency_key"
MAX_KEY_LENGTH = 200
_PREFIX = "row:"
_LOOKUP_BATCH = 500  # keys per SELECT … IN (…)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


@dataclass(frozen=True, slots=True)
class Previous:
    """What a key already gave: the award it issued."""

    award_id: str
    credential: str
    claim_code: str | None


@dataclass(frozen=True, slots=True)
class Issued:
    """An issued row to remember under its key."""

    key: str
    fingerprint: str
    award_id: str
    credential: str
    claim_code: str | None


def split_key(raw: Any) -> tuple[Any, str | None]:
    """The row without its key, and its key (``None`` when it has none).

    :raises InvalidInput: a key that is not 1 to 200 printable characters.
    """
    if not isinstance(raw, dict) or raw.get(KEY_FIELD) is None:
        return raw, None
    key = raw[KEY_FIELD]
    if not isinstance(key, str) or not 0 < len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(f"{KEY_FIELD}: 1 to {MAX_KEY_LENGTH} printable characters.",
                           f"{KEY_FIELD} : de 1 à {MAX_KEY_LENGTH} caractères imprimables.",
                           code="invalid_idempotency_key")
    return {k: v for k, v in raw.items() if k != KEY_FIELD}, key


def _text(value: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()


def _texts(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict):
        return {k: _texts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_texts(v) for v in value]
    return value


def _content(row: AwardRow) -> dict[str, Any]:
    """The row as compared between runs: texts in NFC with spaces collapsed, the email lower-cased, the phone in
    E.164, the level also case- and apostrophe-folded.

    :raises ValueError: an email or phone that cannot be normalised (the row is refused when issued).
    """
    content: dict[str, Any] = _texts(row.model_dump(mode="json", exclude_none=True, exclude_defaults=True))
    recipient = content.get("recipient", {})
    if "email" in recipient:
        recipient["email"] = identity.normalise_email(recipient["email"])
    if "phone" in recipient:
        recipient["phone"] = identity.normalise_phone(recipient["phone"])
    if "level" in content:
        content["level"] = content["level"].translate(_APOSTROPHES).casefold()
    return content


def fingerprint(achievement_id: str, row: AwardRow) -> str:
    """What a key stands for: the achievement and the row's normalised content.

    :raises ValueError: see :func:`_content`.
    """
    return request_fingerprint(f"row:{achievement_id}", _content(row))


def derive_keys(rows: Sequence[Any], achievement_id: str) -> list[Any]:
    """The rows, each with a key: given keys are kept; the others get ``auto:<content digest>:<n>``, ``n`` counting
    the rows of this content so far. A row that cannot be read keeps no key (it is refused when issued)."""
    seen: Counter[str] = Counter()
    keyed: list[Any] = []
    for raw in rows:
        try:
            body, key = split_key(raw)
            digest = None if key is not None else fingerprint(achievement_id, AwardRow.model_validate(body))
        except (InvalidInput, ValidationError, ValueError):
            digest = None
        if digest is None:
            keyed.append(raw)
            continue
        seen[digest] += 1
        keyed.append({**body, KEY_FIELD: f"auto:{digest[:40]}:{seen[digest]}"})
    return keyed


def previous(session: Session, org_id: str, keys: Collection[str]) -> dict[str, IdempotencyRecord]:
    """The records already stored for some of ``keys``, by key."""
    stored = sorted({_PREFIX + key for key in keys})
    found: dict[str, IdempotencyRecord] = {}
    for start in range(0, len(stored), _LOOKUP_BATCH):
        query = select(IdempotencyRecord).where(IdempotencyRecord.org_id == org_id,
                                                IdempotencyRecord.key.in_(stored[start:start + _LOOKUP_BATCH]))
        found.update((r.key.removeprefix(_PREFIX), r) for r in session.scalars(query))
    return found


def settle(record: IdempotencyRecord, row_fingerprint: str) -> Previous:
    """The award an earlier row with this key gave.

    :raises IdempotencyMismatch: that row was another one (other content, or another achievement).
    """
    response = record.response
    if record.request_sha256 != row_fingerprint or record.status_code != 201:
        raise reused(record.key.removeprefix(_PREFIX), response.get("award_id"))
    return Previous(response["award_id"], response["credential"], response.get("claim_code"))


def reused(key: str, award_id: str | None = None) -> IdempotencyMismatch:
    """The error of a row whose key was used for another row (which gave ``award_id``)."""
    award_en = f" (award {award_id})" if award_id else ""
    award_fr = f" (attribution {award_id})" if award_id else ""
    return IdempotencyMismatch(
        f"The key {key!r} was already used for a row with other content or another badge{award_en}. An issued "
        "badge cannot change: put the row back as it was, or give it a new key to issue it (and revoke the other "
        "award if it was a mistake).",
        f"La clé {key!r} a déjà servi pour une ligne au contenu différent ou pour un autre badge{award_fr}. Un badge "
        "décerné ne change plus : remettez la ligne comme elle était, ou donnez-lui une nouvelle clé pour la "
        "décerner (et révoquez l'autre attribution si c'était une erreur).")


def record(session: Session, org_id: str, issued: Sequence[Issued], *, now: datetime) -> None:
    """Remember the issued rows under their keys, in the caller's transaction.

    :raises Conflict: another run stored one of these keys meanwhile (409; nothing of this batch is kept).
    """
    if not issued:
        return
    values = [{"org_id": org_id, "key": _PREFIX + i.key, "request_sha256": i.fingerprint, "status_code": 201,
               "response": {"award_id": i.award_id, "credential": i.credential, "claim_code": i.claim_code},
               "created_at": now} for i in issued]
    try:
        session.execute(insert(IdempotencyRecord), values)
    except IntegrityError as exc:
        raise Conflict("Another run is issuing some of these rows right now; nothing of this batch was kept. Run it "
                       "again once the other one is over: the rows it issued will be reported as already issued.",
                       "Une autre exécution décerne certaines de ces lignes en ce moment ; rien de ce lot n'a été "
                       "gardé. Relancez une fois l'autre terminée : les lignes qu'elle a décernées seront signalées "
                       "comme déjà décernées.", code="idempotency_key_in_use") from exc
