"""Bulk awards: JSON rows, a CSV body, or a CSV file upload."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from app.deps import ClockDep, DbDep, IssueDep, UrlsDep, VaultDep
from app.errors import InvalidInput
from app.routers.awards import IdempotencyKey
from app.routing import strict_json_loads
from app.schemas.awards import BatchRequest, BatchResult, BatchRowResult
from app.services import bulk, idempotency
from app.services.api_keys import Principal
from app.services.keys import KeyVault
from app.urls import PublicUrls

router = APIRouter(prefix="/api/v1", tags=["awards"])

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": BatchRequest.model_json_schema(),
                                 "example": {"rows": [{"recipient": {"email": "sylvie@example.fr"}, "level": "J'agis"},
                                                      {"recipient": {"phone": "06 12 34 56 78"}}]}},
            "text/csv": {"schema": {"type": "string"},
                         "example": "email;display_name;level\nsylvie@example.fr;Sylvie D.;J'agis\n"},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary"}}, "required": ["file"]}},
        },
    }
}


async def _rows(request: Request) -> list[Any]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        try:
            return BatchRequest.model_validate(strict_json_loads(await request.body())).rows
        except (ValueError, ValidationError) as exc:
            raise InvalidInput("The body must be {\"rows\": [...]} with 1 to 10,000 rows.",
                               "Le corps doit être {\"rows\": [...]} avec 1 à 10 000 lignes.", code="invalid_batch"
                               ) from exc
    if media in ("text/csv", "text/plain"):
        return bulk.parse_csv(await request.body())
    if media == "multipart/form-data":
        async with request.form(max_files=1, max_fields=5) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise InvalidInput("Send the CSV in a form field named 'file'.",
                                   "Envoyez le CSV dans un champ de formulaire nommé « file ».", code="invalid_batch")
            return bulk.parse_csv(await upload.read())
    raise InvalidInput("Send application/json, text/csv or multipart/form-data.",
                       "Envoyez application/json, text/csv ou multipart/form-data.", code="unsupported_media_type")


def _run(db: DbDep, vault: KeyVault, urls: PublicUrls, clock: ClockDep, principal: Principal, achievement_id: str,
         rows: list[Any], key: str | None) -> tuple[int, dict[str, Any], bool]:
    fingerprint = idempotency.request_fingerprint(f"batch:{achievement_id}", rows)
    try:
        with db.transaction() as session:
            record = idempotency.begin(session, principal.org_id, key, fingerprint) if key is not None else None
            results = bulk.award_rows(session, vault, urls, principal.org_id, achievement_id, rows, now=clock.now(),
                                      actor=principal.actor)
            out = BatchResult(
                achievement_id=achievement_id, total=len(results), issued=sum(r.error is None for r in results),
                failed=sum(r.error is not None for r in results),
                results=[BatchRowResult(row=r.row, status="issued", award_id=r.award_id, credential=r.credential,
                                        claim_code=r.claim_code) if r.error is None else
                         BatchRowResult(row=r.row, status="error", code=r.error.code, message_en=r.error.message_en,
                                        message_fr=r.error.message_fr) for r in results],
            ).model_dump(mode="json")
            if record is not None:
                idempotency.finish(record, 200, out)
        return 200, out, False
    except idempotency.Replay as replay:
        return replay.status_code, replay.response, True


@router.post("/achievements/{achievement_id}/awards:batch", response_model=BatchResult, openapi_extra=_BODY_DOC,
             summary="Award many people at once (JSON rows or CSV, up to 10,000); each row succeeds or fails alone",
             description="CSV columns: " + ", ".join(bulk.CSV_COLUMNS) + ". Separator: comma, semicolon or tab.")
async def create_awards_batch(achievement_id: str, request: Request, principal: IssueDep, db: DbDep,
                              vault: VaultDep, urls: UrlsDep, clock: ClockDep,
                              idempotency_key: IdempotencyKey = None) -> JSONResponse:
    vault.require_kek()
    rows = await _rows(request)
    status, body, replayed = await run_in_threadpool(_run, db, vault, urls, clock, principal, achievement_id, rows,
                                                     idempotency_key)
    return JSONResponse(body, status_code=status, headers={"Idempotent-Replayed": "true"} if replayed else None)
