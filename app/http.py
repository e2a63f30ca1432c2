"""HTTP presentation helpers: cacheable public JSON (ETag, Cache-Control, conditional GET), images and baked
badges under a strict CSP."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.responses import JSONResponse

from app.errors import NotAcceptable
from app.services.idempotency import Outcome

__all__ = ["IMAGE_HEADERS", "baked_response", "cacheable_json", "not_acceptable", "outcome_response"]


def cacheable_json(request: Request, document: Any, *, media_type: str, max_age: int = 300) -> Response:
    """Serialise ``document`` once; answer 304 when the client already holds this exact version."""
    body = orjson.dumps(document)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={max_age}",
        "Access-Control-Allow-Origin": "*",
        "X-Content-Type-Options": "nosniff",
    }
    if etag in {t.strip() for t in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


#: served with every image: an SVG can never run script, load anything or be sniffed as HTML
IMAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Access-Control-Allow-Origin": "*",
}
_BAKED = {"png": "image/png", "svg": "image/svg+xml"}


def baked_response(content: bytes, extension: str, filename: str) -> Response:
    """A baked badge image, safe to open (strict CSP, no sniffing) and named for download."""
    return Response(content, media_type=_BAKED[extension], headers={
        **IMAGE_HEADERS, "Cache-Control": "no-cache", "Content-Disposition": f'inline; filename="{filename}"'})


def not_acceptable() -> NotAcceptable:
    """406 naming the formats of our public credential documents."""
    return NotAcceptable(
        "Available formats: application/ld+json, application/vc+ld+json, application/json, application/jwt.",
        "Formats disponibles : application/ld+json, application/vc+ld+json, application/json, application/jwt.")


def outcome_response(outcome: Outcome) -> JSONResponse:
    """A use case's answer as JSON, marked when it replays a stored one (``Idempotency-Key``)."""
    return JSONResponse(outcome.body, status_code=outcome.status,
                        headers={"Idempotent-Replayed": "true"} if outcome.replayed else None)
