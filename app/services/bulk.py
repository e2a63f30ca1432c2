"""Bulk awards: up to 10,000 rows (JSON or CSV) per request; each row is issued or reports its own error.

Rows are validated, built, signed and stored piece by piece (while worker processes sign some, the next ones are
validated and those already signed are written), all in one transaction, so a request either stores every valid row
or nothing (a failure leaves no half-written batch). A row with an idempotency key (see :mod:`app.services.row_keys`)
that was already issued is reported with its award instead of being issued again.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.errors import IdempotencyMismatch, InvalidInput, SavoirsError
from app.models import Award
from app.models.base import UTCDateTime
from app.schemas.awards import AwardRow
from app.services import achievements, audit, row_keys
from app.services.batch_signing import BatchSigner, Signing
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
               "evidence_name", "evidence_narrative", "valid_from", "valid_until", "idempotency_key", "publish_name",
               "public")
#: the French names of the columns (compared as :func:`_header` leaves them: no accent, case or punctuation)
FRENCH_COLUMNS = {
    "courriel": "email", "e-mail": "email", "mail": "email", "adresse e-mail": "email", "adresse mail": "email",
    "téléphone": "phone", "tél": "phone", "portable": "phone", "nom": "display_name", "prénom nom": "display_name",
    "nom affiché": "display_name", "niveau": "level", "récit": "narrative", "ce que la personne a fait": "narrative",
    "preuve": "evidence_url", "lien de la preuve": "evidence_url", "titre de la preuve": "evidence_name",
    "texte de la preuve": "evidence_narrative", "début": "valid_from", "date de début": "valid_from",
    "fin": "valid_until", "date de fin": "valid_until", "clé": "idempotency_key", "nom public": "publish_name",
    "publier le nom": "publish_name", "page publique": "public", "public": "public",
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
    first_line = text.splitlines()[0] if text else ""
    delimiter = max(",;\t", key=first_line.count)
    try:
        return _rows(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:  # a quote left open, a NUL byte… (found by fuzzing: it was a 500)
        raise InvalidInput("The CSV file cannot be read (a quote left open, a forbidden character…). Save it again "
                           "as CSV UTF-8.", "Le fichier CSV est illisible (guillemet non fermé, caractère interdit…). "
                           "Enregistrez-le à nouveau au format CSV UTF-8.", code="invalid_csv",
                           extra={"reason": str(exc)[:200]}) from None


def _rows(reader: csv.DictReader[str]) -> list[dict[str, Any]]:
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
    for flag in ("publish_name", "public"):  # oui / yes / x / 1: the name goes into the badge, its page is public
        if cells.get(flag):
            recipient[flag] = fold(cells[flag]) in ("oui", "yes", "true", "x", "1", "vrai")
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


_COLUMNS = tuple(column.name for column in Award.__table__.columns)
_COPY = "COPY awards ({}) FROM STDIN".format(", ".join(f'"{name}"' for name in _COLUMNS))
_CREDENTIAL = _COLUMNS.index("credential")
#: the instants: stored in UTC, naive ones refused, as the ORM stores them
_INSTANTS = tuple((i, column.type) for i, column in enumerate(Award.__table__.columns)
                  if isinstance(column.type, UTCDateTime))


def _insert_awards(session: Session, values: list[dict[str, Any]]) -> None:
    """Insert award rows in the caller's transaction: PostgreSQL ``COPY`` (several times faster than an
    executemany), or one executemany on other databases (the ORM would split rows by which columns are empty).
    A credential is its document or, as a worker process signed it, its JSON text (stored as it is)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(Award), [{**value, "credential": _document(value["credential"])}
                                           for value in values])
        return
    dialect = connection.dialect
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(_COPY) as copy:  # type: ignore[union-attr]
        for value in values:
            row: list[Any] = list(map(value.get, _COLUMNS))
            for position, instant in _INSTANTS:
                row[position] = instant.process_bind_param(row[position], dialect)
            row[_CREDENTIAL] = _json_text(row[_CREDENTIAL])
            copy.write_row(row)


def _document(credential: dict[str, Any] | str) -> dict[str, Any]:
    document: dict[str, Any] = orjson.loads(credential) if isinstance(credential, str) else credential
    return document


def _json_text(credential: dict[str, Any] | str) -> str:
    return credential if isinstance(credential, str) else orjson.dumps(credential).decode("utf-8")


_FIRST_PIECE = 250  # rows read before the workers get their first credentials, so that they start early
_PIECE = 2000  # rows read at a time afterwards (validated, their keys looked up, their status indexes reserved)
_SIGNING_BATCH = 500  # credentials handed to the workers at a time, stored together once signed


def _pieces(count: int) -> list[tuple[int, int]]:
    """(start, stop) of the pieces in which a batch of ``count`` rows is read."""
    bounds = [0, *range(min(_FIRST_PIECE, count), count, _PIECE), count]
    return [(start, stop) for start, stop in zip(bounds, bounds[1:], strict=False) if stop > start]


_Item = AwardSpec | SavoirsError | RowResult  # what to do with a row: issue it, refuse it, or report its award


class _Plan:
    """What to do with each row of a batch, decided piece by piece (:meth:`read`): a spec to issue, an error, or
    what its key already gave."""

    def __init__(self, session: Session, org_id: str, achievement_id: str) -> None:
        self._session, self._org_id, self._achievement_id = session, org_id, achievement_id
        self.keys: dict[int, tuple[str, str]] = {}  # row number → (key, fingerprint), for the rows to issue
        self.twins: dict[int, int] = {}  # row number → the earlier row of this batch with the same key
        self._first: dict[str, tuple[int, str]] = {}  # key → its first row in this batch, and that row's fingerprint

    def read(self, rows: list[Any], first: int) -> list[_Item]:
        """What to do with each of ``rows``, numbered from ``first`` (the rows before them already read)."""
        items: list[_Item] = []
        keyed: dict[int, tuple[str, str]] = {}
        for number, raw in enumerate(rows, start=first):
            item, found = self._row(raw)
            items.append(item)
            if found is not None:
                keyed[number] = found
        stored = row_keys.previous(self._session, self._org_id, {key for key, _ in keyed.values()})
        for number, (key, digest) in keyed.items():
            if key in stored or key in self._first:
                items[number - first] = self._settle(number, key, digest, stored)
            else:
                self._first[key] = (number, digest)
                self.keys[number] = (key, digest)
        return items

    def _row(self, raw: Any) -> tuple[AwardSpec | SavoirsError, tuple[str, str] | None]:
        """The row's spec (or why it is refused) and, if it has a key, the key and the row's fingerprint."""
        try:
            body, key = row_keys.split_key(raw)
            row = AwardRow.model_validate(body)
        except ValidationError as exc:
            return _validation_error(exc), None
        except InvalidInput as exc:
            return exc, None
        digest = _fingerprint(self._achievement_id, row) if key is not None else None
        # without a fingerprint (an identifier that cannot be normalised), the row is refused when issued
        return spec_from_row(row), (key, digest) if key is not None and digest is not None else None

    def _settle(self, number: int, key: str, digest: str, stored: dict[str, Any]) -> SavoirsError | RowResult:
        """What a row whose key is already known gets: the stored award, a place-holder for the award of the
        earlier row of this batch with its key (see :meth:`resolve_twins`), or the error of a reused key."""
        if key in stored:
            try:
                done = row_keys.settle(stored[key], digest)
            except IdempotencyMismatch as exc:
                return exc
            return RowResult(number, done.award_id, done.credential, done.claim_code, already_issued=True)
        twin, twin_digest = self._first[key]
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


@dataclass(slots=True)
class _Part:
    """Built award rows handed to the signer together, stored together once signed."""

    values: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # their row numbers
    signing: Signing | None = None  # None: signed in this process as they were built

    def ready(self) -> bool:
        return self.signing is None or self.signing.ready()


class _Pipeline:
    """Rows on their way to the database, in row order: built here, signed by the worker processes meanwhile (or
    here, as they are built), stored as they come back. All in the caller's transaction: on any failure, the
    caller's rollback leaves nothing of the batch, and the documents not yet signed are dropped (:meth:`cancel`)."""

    def __init__(self, session: Session, context: IssuingContext, signer: BatchSigner | None, *, rows: int,
                 now: datetime, progress: Progress | None) -> None:
        self._session, self._context, self._signer, self._rows, self._now = session, context, signer, rows, now
        self._progress = progress
        self._tick = progress or (lambda _: None)
        self.results: list[RowResult] = []  # one per row, in row order: results[n - 1] is row n's
        self._part = _Part()
        self._pending: deque[_Part] = deque()
        self._flushed = False

    def add(self, number: int, item: _Item) -> None:
        """Row ``number`` (the one after the rows added so far)."""
        if not isinstance(item, AwardSpec):
            self.results.append(item if isinstance(item, RowResult) else RowResult(number, error=item))
            self._tick(1)
            return
        try:
            row, claim_code = self._context.build(item, now=self._now, sign=self._signer is None)
        except InvalidInput as exc:
            self.results.append(RowResult(number, error=exc))
            self._tick(1)
            return
        self.results.append(RowResult(number, row["id"], row["credential"]["id"], claim_code))
        self._part.values.append(row)
        self._part.numbers.append(number)
        if self._signer is None:
            self._tick(1)
        if len(self._part.values) == _SIGNING_BATCH:
            self.hand_over()

    def hand_over(self) -> None:
        """Send the rows built since the last time to the signer, and store the parts already signed."""
        part, self._part = self._part, _Part()
        if part.values:
            if self._signer is not None:
                part.signing = self._signer.submit(
                    [value["credential"] for value in part.values], private_key=self._context.signing_key,
                    verification_method=self._context.verification_method, created=self._now,
                    progress=self._progress, batch=self._rows)
            self._pending.append(part)
        self._store(wait=False)

    def finish(self) -> list[RowResult]:
        """Wait for every part to be signed and stored; the results, one per row."""
        self.hand_over()
        self._store(wait=True)
        return self.results

    def cancel(self) -> None:
        for part in self._pending:
            if part.signing is not None:
                part.signing.cancel()
        self._pending.clear()

    def _store(self, *, wait: bool) -> None:
        """Store the signed parts, in order: all of them (waiting for the workers), or those already signed."""
        while self._pending and (wait or self._pending[0].ready()):
            part = self._pending.popleft()
            signed = part.signing.texts() if part.signing is not None else [v["credential"] for v in part.values]
            kept = []
            for value, number, credential in zip(part.values, part.numbers, signed, strict=True):
                if isinstance(credential, SigningError):
                    self.results[number - 1] = RowResult(number, error=refusal(credential))
                else:
                    value["credential"] = credential
                    kept.append(value)
            if kept:
                if not self._flushed:
                    self._session.flush()
                    self._flushed = True
                _insert_awards(self._session, kept)


def award_rows(session: Session, vault: KeyVault, urls: PublicUrls, org_id: str, achievement_id: str,
               rows: list[Any], *, now: datetime, actor: str, signer: BatchSigner | None = None,
               progress: Progress | None = None) -> list[RowResult]:
    """Validate and issue every row; invalid rows get their own error, valid rows are added to the session, rows
    whose idempotency key was already issued are reported with their award.

    Rows are read, built, signed and stored piece by piece: while the worker processes sign some, the next ones are
    validated and built here, and those already signed are written.

    :param signer: signs the credentials on several cores (the command line); default: one by one, here.
    :param progress: told as rows are done, in this process or as the worker processes send them back.
    :raises Conflict: another transaction stored one of the keys meanwhile (nothing of this batch is kept).
    """
    if len(rows) > MAX_ROWS:
        raise _too_many()
    achievement = achievements.get_owned(session, org_id, achievement_id)
    context = IssuingContext(session, vault, urls, org_id, achievement)
    plan = _Plan(session, org_id, achievement_id)
    pipeline = _Pipeline(session, context, signer, rows=len(rows), now=now, progress=progress)
    try:
        for start, stop in _pieces(len(rows)):
            items = plan.read(rows[start:stop], start + 1)
            if planned := sum(isinstance(item, AwardSpec) for item in items):
                context.reserve(planned, now=now)
            for number, item in enumerate(items, start=start + 1):
                pipeline.add(number, item)
            pipeline.hand_over()
        results = pipeline.finish()
    except BaseException:
        pipeline.cancel()
        raise
    row_keys.record(session, org_id, plan.issued(results), now=now)
    plan.resolve_twins(results)
    audit.record(session, actor=actor, action="award.batch", target_type="achievement", target_id=achievement_id,
                 org_id=org_id, details={"rows": len(rows), "issued": sum(r.status == "issued" for r in results),
                                         "already_issued": sum(r.already_issued for r in results)})
    return results
