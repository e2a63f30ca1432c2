"""Public verification API: any Open Badge (2.0 or 3.0) in any form, one normalised report.

The routes read the input, verify with :func:`app.services.verification.verify_badge` (rate limited per client)
and answer the report as JSON.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.deps import CtxDep, SettingsDep, count_verification
from app.errors import InvalidInput
from app.schemas.verify import VerifyRequest
from app.services.verification import verify_badge
from app.validation_messages import describe, summary

router = APIRouter(prefix="/api/v1/verify", tags=["verification"])

_REPORT_EXAMPLE = {
    "verified": True, "format": "ob3-data-integrity", "credential_id": "https://badges.example.org/credentials/x",
    "issuer": {"id": "did:web:badges.example.org:orgs:puchot", "name": "Centre social du Puchot",
               "url": "https://puchot.example", "image": None},
    "achievement": {"name": "Cuisine du monde", "description": "Partager une recette avec le quartier.",
                    "image": None, "criteria": {"narrative": "A animé un atelier.", "url": None},
                    "level": "J'agis", "narrative": None},
    "recipient": [{"identityType": "emailAddress", "hashed": True, "identityHash": "sha256$…"}],
    "issued": "2026-11-24T10:00:00Z", "expires": None, "status": "active",
    "checks": [{"id": "proof", "outcome": "passed", "message_en": "The signature (eddsa-rdfc-2022) is valid.",
                "message_fr": "La signature (eddsa-rdfc-2022) est valide."}],
    "warnings": [], "endorsements": [], "fetched": ["https://badges.example.org/orgs/puchot/did.json"],
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The verification report (``verified`` false when any check failed)",
          "content": {"application/json": {"example": _REPORT_EXAMPLE}}},
    422: {"description": "Not a badge in any form we read, or a hostile image"},
    429: {"description": "Too many verifications from this client (see VERIFY_RATE_LIMIT)"},
    503: {"description": "Too many verifications running at once here (`verifier_busy`, see VERIFY_CONCURRENCY): "
                         "come back after `Retry-After` seconds"},
}


@router.get("", summary="Verify a badge by its URL", responses=_RESPONSES)
def verify_url(request: Request, ctx: CtxDep, settings: SettingsDep,
               url: Annotated[str, Query(max_length=2048, description="The badge URL")],
               recipient: Annotated[str | None, Query(
                   max_length=320, description="Email, phone or URL the badge should be awarded to. Prefer POST "
                   "with `recipient` in the body: a query string stays in browser histories and proxies' logs "
                   "(ours mask it).")] = None) -> Any:
    """Verify the badge at a URL (OB 2.0 hosted assertion, OB 3.0 credential or VC-JWT, baked image), from any issuer:
    one report with a French and an English message per check, the verdict in `verified` and `trust`. To check the
    recipient, prefer `POST` with `recipient` in the body.

    `curl 'http://127.0.0.1:8000/api/v1/verify?url=http://127.0.0.1:8000/credentials/'$ID`"""
    count_verification(request)
    return verify_badge(ctx, settings, url=url, recipient=recipient).as_dict()


@router.post("", summary="Verify a badge: JSON {url|credential|jwt}, a JWS/JWT as text/plain, or a file upload",
             responses=_RESPONSES, openapi_extra={"requestBody": {
                 "description": "The badge: JSON naming it, its compact JWS/JWT as text, or its file (a baked PNG or "
                                "SVG image, or JSON) in the `file` field of a form, with an optional `recipient`",
                 "content": {
                 "application/json": {"schema": VerifyRequest.model_json_schema()},
                 "text/plain": {"schema": {"type": "string"}, "example": "eyJhbGciOiJSUzI1NiIs…"},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "file": {"type": "string", "format": "binary"}, "recipient": {"type": "string"}}}}}}})
async def verify_posted(request: Request, ctx: CtxDep, settings: SettingsDep) -> Any:
    """Verify a badge given in the body: JSON `{"url"}`, `{"credential"}` or `{"jwt"}` (with an optional `recipient`
    email, phone or URL), a JWS/JWT as `text/plain`, or a file upload (`multipart/form-data`, field `file`: PNG,
    SVG, JSON). Same report as `GET`."""
    source = await _source(request)
    await run_in_threadpool(count_verification, request)
    report = await run_in_threadpool(verify_badge, ctx, settings, **source)
    return report.as_dict()


async def _source(request: Request) -> dict[str, Any]:
    """The one badge in the request (and the recipient to check), as keyword arguments of ``verify_badge``."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        async with request.form(max_files=1, max_fields=5) as form:
            upload, recipient = form.get("file"), form.get("recipient")
            if not isinstance(upload, UploadFile):
                raise InvalidInput("Send the badge file in the 'file' field.",
                                   "Envoyez le fichier du badge dans le champ « file ».", code="missing_file")
            data = await upload.read()
        return {"data": data, "recipient": recipient if isinstance(recipient, str) else None}
    body = await request.body()
    if content_type in ("text/plain", "application/jwt", "application/jose"):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput("The text is not UTF-8.", "Le texte n'est pas en UTF-8.") from exc
        return {"text": text}
    if content_type in ("image/png", "image/svg+xml", "application/octet-stream"):
        return {"data": body}
    try:
        parsed = VerifyRequest.model_validate_json(body or b"{}")
    except ValidationError as exc:
        errors = [describe(dict(e)) for e in exc.errors()]
        raise InvalidInput(*summary(errors), extra={"errors": errors}) from exc
    given = {k: v for k, v in (("url", parsed.url), ("credential", parsed.credential), ("text", parsed.jwt))
             if v is not None}
    if len(given) != 1:
        raise InvalidInput("Give exactly one of url, credential or jwt.",
                           "Donnez exactement un seul de url, credential ou jwt.", code="one_input")
    return {**given, "recipient": parsed.recipient}
