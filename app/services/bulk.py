"""Bulk awards: up to 10,000 rows (JSON or CSV) per request; each row is issued or reports its own error.

Rows are validated first; the valid ones are then signed and stored in one transaction, so a request either
stores every valid row or nothing (a database failure leaves no half-written batch). A row with an idempotency key
(see :mod:`app.services.row_keys`) that was already issued is reported with its award instead of being issued again.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import orjson
from psycopg.types.json import Json
from pydantic import ValidationError
from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.errors import IdempotencyMismatch, InvalidInput, SavoirsError
from app.models import Award
from app.schemas.awards import AwardRow
from app.services import achievements, audit, row_keys
from app.services.batch_signing import BatchSigner
from app.services.issuing import AwardSpec, IssuingContext, refusal, spec_from_row
from app.services.keys import KeyVault
from app.services.results import RowResult
from app.signing.errors import SigningError
from app.text_normal import fold
from app.urls import PublicUrls
from app.validation_messages import describe, summary

__all__ = ["CSV_COLUMNS", "FRENCH_COLUMNS", "MAX_ROWS", "Progress", "RowResult", "award_rows", "parse_csv"]

MAX_ROWS = 10_000
CSV_COLUMNS = ("email", "phone", "url", "did", "display_name", "level", "narrative", "evidence_url",
               "evidence_name", "evidence_narrative", "valid_from", "valid_until", "idempotency_key", "publish_name")
#: the French names of the columns (compared as :func:`_header` leaves them: no accent, case or punctuation)
FRENCH_COLUMNS = {
    "courriel": "email", "e-mail": "email", "mail": "email", "adresse e-mail": "email", "adresse mail": "email",
    "téléphone": "phone", "tél": "phone", "portable": "phone", "nom": "display_name", "prénom nom": "display_name",
    "nom affiché": "display_name", "niveau": "level", "récit": "narrative", "ce que la personne a fait": "narrative",
    "preuve": "evidence_url", "lien de la preuve": "evidence_url", "titre de la preuve": "evidence_name",
    "texte de la preuve": "evidence_narrative", "début": "valid_from", "date de début": "valid_from",
    "fin": "valid_until", "date de fin": "valid_until", "clé": "idempotency_key", "nom public": "publish_name",
    "publier le nom": "publish_name",
}


def _header(name: str) -> str:
    """A column name as people type it, folded: accents, case, apostrophes, dashes, underscores and spaces."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", fold(name)) if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").replace("-", " ").split())


_COLUMN_ALIASES = {_header(alias): column for alias, column in FRENCH_COLUMNS.items()} | {
    _header(column): column for column in CSV_COLUMNS}
#: told how many more rows are done (issued, found already issued, or refused)
Progress = Callable[[int], None]


def parse_csv(data: bytes) -> list[dict[str, Any]]:
    """Rows of a CSV file (UTF-8, with or without BOM; comma, semicolon or tab separated) as award bodies.

    :raises InvalidInput: undecodable file, unknown columns, or more than 10,000 rows.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("The CSV file must be UTF-8.", "Le fichier CSV doit être encodé en UTF-8.",
                           code="invalid_csv") from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [_column(c) for c in reader.fieldnames or []]
    unknown = sorted(set(columns) - set(CSV_COLUMNS))
    if not columns or unknown:
        french = ", ".join(name for name in FRENCH_COLUMNS if " " not in name and "-" not in name)
        raise InvalidInput(f"Unknown CSV columns: {', '.join(unknown) or '(none)'}. Allowed: {', '.join(CSV_COLUMNS)}.",
                           f"Colonnes CSV inconnues : {', '.join(unknown) or '(aucune)'}. "
                           f"Colonnes possibles : {french} (ou {', '.join(CSV_COLUMNS)}).", code="invalid_csv")
    rows: list[dict[str, Any]] = []
    for raw in reader:
        if len(rows) >= MAX_ROWS:
            raise _too_many()
        cells = {_column(k): (v or "").strip() for k, v in raw.items() if k is not None}
        rows.append(_row_from_cells(cells))
    return rows


def _column(header: str) -> str:
    """The column a header names (``Courriel``, `` E-mail ``, ``email``, ``Date de début``…), or itself, unknown."""
    return _COLUMN_ALIASES.get(_header(header), header.strip())


def _too_many() -> InvalidInput:
    return InvalidInput(f"At most {MAX_ROWS} rows per request.", f"Au plus {MAX_ROWS} lignes par requête.",
                        code="too_many_rows")


def _row_from_cells(cells: dict[str, str]) -> dict[str, Any]:
    recipient: dict[str, Any] = {k: cells[k] for k in ("email", "phone", "url", "did", "display_name")
                                 if cells.get(k)}
    if cells.get("publish_name"):  # oui / yes / x / 1: the name goes into the badge
        recipient["publish_name"] = fold(cells["publish_name"]) in ("oui", "yes", "true", "x", "1", "vrai")
    evidence = {k.removeprefix("evidence_"): cells[k] for k in ("evidence_url", "evidence_name",
                                                                "evidence_narrative") if cells.get(k)}
    row: dict[str, Any] = {"recipient": recipient}
    if evidence:
        row["evidence"] = [evidence]
    for source, target in (("level", "level"), ("narrative", "narrative"), ("valid_from", "validFrom"),
                           ("valid_until", "validUntil"), ("idempotency_key", row_keys.KEY_FIELD)):
        if cells.get(source):
            row[target] = cells[source]
    return row


def _validation_error(exc: ValidationError) -> InvalidInput:
    """A refused row: the fields and their problems, in words, as every 422 of the API says them."""
    errors = [describe(dict(e)) for e in exc.errors()]
    message_en, message_fr = summary(errors)
    return InvalidInput(message_en, message_fr, code="invalid_row", extra={"errors": errors})


def _insert_awards(session: Session, values: list[dict[str, Any]]) -> None:
    """Insert award rows in the caller's transaction: PostgreSQL ``COPY`` (several times faster than an
    executemany), or one executemany on other databases (the ORM would split rows by which columns are empty)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(Award), values)
        return
    columns = [c.name for c in Award.__table__.columns]
    names = ", ".join(f'"{name}"' for name in columns)
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY awards ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for value in values:
            copy.write_row([_copy_value(name, value.get(name)) for name in columns])


def _copy_value(column: str, value: Any) -> Any:
    if column == "credential":
        return Json(value, dumps=_json_text)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: use timezone-aware UTC values")
        return value.astimezone(UTC)
    return value


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode("utf-8")


_SIGNING_BATCH = 1000  # rows handed to the worker processes at a time, while the next ones are prepared

_Pending = tuple[list[dict[str, Any]], Callable[[], list[dict[str, Any] | SigningError]]]


def _submit(signer: BatchSigner, context: IssuingContext, part: list[dict[str, Any]], now: datetime,
            progress: Progress | None) -> _Pending:
    return part, signer.submit([v["credential"] for v in part], private_key=context.signing_key,
                               verification_method=context.verification_method, created=now, progress=progress)


class _Plan:
    """What to do with each row of a batch: a spec to issue, an error, or what its key already gave."""

    def __init__(self, session: Session, org_id: str, achievement_id: str, rows: list[Any]) -> None:
        self.items: list[AwardSpec | SavoirsError | RowResult] = []
        self.keys: dict[int, tuple[str, str]] = {}  # row number → (key, fingerprint), for the rows to issue
        self.twins: dict[int, int] = {}  # row number → the earlier row of this batch with the same key
        for number, raw in enumerate(rows, start=1):
            try:
                body, key = row_keys.split_key(raw)
                row = AwardRow.model_validate(body)
            except ValidationError as exc:
                self.items.append(_validation_error(exc))
                continue
            except InvalidInput as exc:
                self.items.append(exc)
                continue
            self.items.append(spec_from_row(row))
            digest = _fingerprint(achievement_id, row) if key is not None else None
            if key is not None and digest is not None:  # without a digest, the row is refused when issued
                self.keys[number] = (key, digest)
        stored = row_keys.previous(session, org_id, {key for key, _ in self.keys.values()})
        first: dict[str, tuple[int, str]] = {}
        for number, (key, digest) in list(self.keys.items()):
            if key in stored or key in first:
                del self.keys[number]
                self.items[number - 1] = self._settle(number, key, digest, stored, first)
            else:
                first[key] = (number, digest)

    def _settle(self, number: int, key: str, digest: str, stored: dict[str, Any],
                first: dict[str, tuple[int, str]]) -> SavoirsError | RowResult:
        """What a row whose key is already known gets: the stored award, a place-holder for the award of the
        earlier row of this batch with its key (see :meth:`resolve_twins`), or the error of a reused key."""
        if key in stored:
            try:
                done = row_keys.settle(stored[key], digest)
            except IdempotencyMismatch as exc:
                return exc
            return RowResult(number, done.award_id, done.credential, done.claim_code, already_issued=True)
        twin, twin_digest = first[key]
        if twin_digest != digest:
            return row_keys.reused(key)
        self.twins[number] = twin
        return RowResult(number)

    def issued(self, results: list[RowResult]) -> list[row_keys.Issued]:
        """The rows of this batch to remember under their keys: those issued now."""
        return [row_keys.Issued(*self.keys[r.row], r.award_id, r.credential, r.claim_code) for r in results
                if r.row in self.keys and r.status == "issued" and r.award_id and r.credential]

    def resolve_twins(self, results: list[RowResult]) -> None:
        """A row with the key of an earlier row of this batch gets that row's award (or error)."""
        for number, twin in self.twins.items():
            earlier = results[twin - 1]
            results[number - 1] = (RowResult(number, error=earlier.error) if earlier.error is not None else
                                   replace(earlier, row=number, already_issued=True))


def _fingerprint(achievement_id: str, row: AwardRow) -> str | None:
    try:
        return row_keys.fingerprint(achievement_id, row)
    except ValueError:  # an identifier that cannot be normalised
        return None


def award_rows(session: Session, vault: KeyVault, urls: PublicUrls, org_id: str, achievement_id: str,
               rows: list[Any], *, now: datetime, actor: str, signer: BatchSigner | None = None,
               progress: Progress | None = None) -> list[RowResult]:
    """Validate and issue every row; invalid rows get their own error, valid rows are added to the session, rows
    whose idempotency key was already issued are reported with their award.

    :param signer: signs the credentials on several cores (the command line); default: one by one, here.
    :param progress: told as rows are done, in this process or as the worker processes send them back.
    :raises Conflict: another transaction stored one of the keys meanwhile (nothing of this batch is kept).
    """
    if len(rows) > MAX_ROWS:
        raise _too_many()
    achievement = achievements.get_owned(session, org_id, achievement_id)
    context = IssuingContext(session, vault, urls, org_id, achievement)
    plan = _Plan(session, org_id, achievement_id, rows)
    if planned := sum(isinstance(s, AwardSpec) for s in plan.items):
        context.reserve(planned, now=now)
    tick = progress or (lambda _: None)
    results: list[RowResult] = []
    values: list[dict[str, Any]] = []
    pending: list[_Pending] = []
    submitted = 0  # values already handed to the signer
    for number, item in enumerate(plan.items, start=1):
        if not isinstance(item, AwardSpec):
            results.append(item if isinstance(item, RowResult) else RowResult(number, error=item))
            tick(1)
            continue
        try:
            row, claim_code = context.build(item, now=now, sign=signer is None)
        except InvalidInput as exc:
            results.append(RowResult(number, error=exc))
            tick(1)
            continue
        values.append(row)
        results.append(RowResult(number, row["id"], urls.credential(row["id"]), claim_code))
        if signer is None:
            tick(1)
        elif len(values) - submitted == _SIGNING_BATCH:
            pending.append(_submit(signer, context, values[submitted:], now, progress))
            submitted = len(values)
    if signer is not None and len(values) > submitted:
        pending.append(_submit(signer, context, values[submitted:], now, progress))
    refused: set[str] = set()
    for part, wait in pending:  # the workers signed while the next rows were being prepared
        for value, credential in zip(part, wait(), strict=True):
            if isinstance(credential, SigningError):
                refused.add(value["id"])
                position = next(i for i, r in enumerate(results) if r.award_id == value["id"])
                results[position] = RowResult(results[position].row, error=refusal(credential))
            else:
                value["credential"] = credential
    values = [value for value in values if value["id"] not in refused]
    session.flush()
    if values:
        _insert_awards(session, values)
    row_keys.record(session, org_id, plan.issued(results), now=now)
    plan.resolve_twins(results)
    audit.record(session, actor=actor, action="award.batch", target_type="achievement", target_id=achievement_id,
                 org_id=org_id, details={"rows": len(rows), "issued": sum(r.status == "issued" for r in results),
                                         "already_issued": sum(r.already_issued for r in results)})
    return results
