"""Bulk awards: up to 10,000 rows (JSON or CSV) per request; each row is issued or reports its own error.

Rows are validated first; the valid ones are then signed and stored in one transaction, so a request either
stores every valid row or nothing (a database failure leaves no half-written batch).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson
from psycopg.types.json import Json
from pydantic import ValidationError
from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.errors import InvalidInput, SavoirsError
from app.models import Award
from app.schemas.awards import AwardRow
from app.services import achievements, audit
from app.services.batch_signing import BatchSigner
from app.services.issuing import AwardSpec, IssuingContext, refusal, spec_from_row
from app.services.keys import KeyVault
from app.services.results import RowResult
from app.signing.errors import SigningError
from app.urls import PublicUrls

__all__ = ["CSV_COLUMNS", "MAX_ROWS", "RowResult", "award_rows", "parse_csv"]

MAX_ROWS = 10_000
CSV_COLUMNS = ("email", "phone", "url", "did", "display_name", "level", "narrative", "evidence_url",
               "evidence_name", "evidence_narrative", "valid_from", "valid_until")


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
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    unknown = sorted(set(columns) - set(CSV_COLUMNS))
    if not columns or unknown:
        raise InvalidInput(f"Unknown CSV columns: {', '.join(unknown) or '(none)'}. Allowed: {', '.join(CSV_COLUMNS)}.",
                           f"Colonnes CSV inconnues : {', '.join(unknown) or '(aucune)'}. "
                           f"Colonnes possibles : {', '.join(CSV_COLUMNS)}.", code="invalid_csv")
    rows: list[dict[str, Any]] = []
    for raw in reader:
        if len(rows) >= MAX_ROWS:
            raise _too_many()
        cells = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        rows.append(_row_from_cells(cells))
    return rows


def _too_many() -> InvalidInput:
    return InvalidInput(f"At most {MAX_ROWS} rows per request.", f"Au plus {MAX_ROWS} lignes par requête.",
                        code="too_many_rows")


def _row_from_cells(cells: dict[str, str]) -> dict[str, Any]:
    recipient = {k: cells[k] for k in ("email", "phone", "url", "did", "display_name") if cells.get(k)}
    evidence = {k.removeprefix("evidence_"): cells[k] for k in ("evidence_url", "evidence_name",
                                                                "evidence_narrative") if cells.get(k)}
    row: dict[str, Any] = {"recipient": recipient}
    if evidence:
        row["evidence"] = [evidence]
    for source, target in (("level", "level"), ("narrative", "narrative"), ("valid_from", "validFrom"),
                           ("valid_until", "validUntil")):
        if cells.get(source):
            row[target] = cells[source]
    return row


def _validation_error(exc: ValidationError) -> InvalidInput:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return InvalidInput(f"{where}: {first.get('msg', 'invalid')}", f"{where} : valeur invalide ou absente.",
                        code="invalid_row")


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


def _submit(signer: BatchSigner, context: IssuingContext, part: list[dict[str, Any]], now: datetime
            ) -> tuple[list[dict[str, Any]], Callable[[], list[dict[str, Any] | SigningError]]]:
    return part, signer.submit([v["credential"] for v in part], private_key=context.signing_key,
                               verification_method=context.verification_method, created=now)


def award_rows(session: Session, vault: KeyVault, urls: PublicUrls, org_id: str, achievement_id: str,
               rows: list[Any], *, now: datetime, actor: str, signer: BatchSigner | None = None) -> list[RowResult]:
    """Validate and issue every row; invalid rows get their own error, valid rows are added to the session.

    :param signer: signs the credentials on several cores (the command line); default: one by one, here.
    """
    if len(rows) > MAX_ROWS:
        raise _too_many()
    achievement = achievements.get_owned(session, org_id, achievement_id)
    context = IssuingContext(session, vault, urls, org_id, achievement)
    specs: list[AwardSpec | SavoirsError] = []
    for raw in rows:
        try:
            specs.append(spec_from_row(AwardRow.model_validate(raw)))
        except ValidationError as exc:
            specs.append(_validation_error(exc))
    context.reserve(sum(isinstance(s, AwardSpec) for s in specs))
    results = []
    values: list[dict[str, Any]] = []
    pending: list[tuple[list[dict[str, Any]], Callable[[], list[dict[str, Any] | SigningError]]]] = []
    submitted = 0  # values already handed to the signer
    for number, spec in enumerate(specs, start=1):
        if isinstance(spec, SavoirsError):
            results.append(RowResult(number, error=spec))
            continue
        try:
            row, claim_code = context.build(spec, now=now, sign=signer is None)
        except InvalidInput as exc:
            results.append(RowResult(number, error=exc))
            continue
        values.append(row)
        results.append(RowResult(number, row["id"], urls.credential(row["id"]), claim_code))
        if signer is not None and len(values) - submitted == _SIGNING_BATCH:
            pending.append(_submit(signer, context, values[submitted:], now))
            submitted = len(values)
    if signer is not None and len(values) > submitted:
        pending.append(_submit(signer, context, values[submitted:], now))
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
    audit.record(session, actor=actor, action="award.batch", target_type="achievement", target_id=achievement_id,
                 org_id=org_id, details={"rows": len(rows), "issued": sum(r.error is None for r in results)})
    return results
