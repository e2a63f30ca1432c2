"""Bulk awards: JSON rows, a CSV body, or a CSV file upload."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from app.deps import CtxDep, IdempotencyKey, IssueDep
from app.errors import InvalidInput
from app.http import outcome_response
from app.openapi import problems
from app.routing import strict_json_loads
from app.schemas.awards import BatchRequest, BatchResult
from app.services import awards, bulk

router = APIRouter(prefix="/api/v1", tags=["awards"])

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "description": "The rows: JSON `{\"rows\": [...]}` (each an award body), a CSV file as the body "
                       "(`text/csv`), or a CSV file in the `file` field of a form",
        "content": {
            "application/json": {"schema": BatchRequest.model_json_schema(),
                                 "example": {"rows": [{"recipient": {"email": "sylvie@example.fr"}, "level": "J'agis",
                                                       "idempotency_key": "atelier-radio-2026-sylvie"},
                                                      {"recipient": {"phone": "06 12 34 56 78"}}]}},
            "text/csv": {"schema": {"type": "string"},
                         "example": "cle;email;display_name;level\natelier-1;sylvie@example.fr;Sylvie D.;J'agis\n"},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary"}}, "required": ["file"]},
                "example": {"file": "cle;email;level\natelier-1;sylvie@example.fr;J'agis\n"}},
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


@router.post("/achievements/{achievement_id}/awards:batch", response_model=BatchResult, openapi_extra=_BODY_DOC,
             summary="Award many people at once (JSON rows or CSV, up to 10,000); each row succeeds or fails alone",
             description="CSV columns: " + ", ".join(bulk.CSV_COLUMNS) + ", or their French names ("
                         + ", ".join(bulk.FRENCH_COLUMNS) + "), in any case. Separator: comma, semicolon or "
                         "tab. A row with an `idempotency_key` already issued for the organisation is reported "
                         "`already_issued` with its award instead of being issued again.", responses=problems(409))
async def create_awards_batch(achievement_id: str, request: Request, principal: IssueDep, ctx: CtxDep,
                              idempotency_key: IdempotencyKey = None) -> JSONResponse:
    ctx.vault.require_kek()
    rows = await _rows(request)
    outcome = await run_in_threadpool(awards.issue, ctx, principal.org_id, principal.actor, achievement_id,
                                      awards.BatchRows(rows), idempotency_key=idempotency_key)
    return outcome_response(outcome)
