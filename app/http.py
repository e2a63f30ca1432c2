"""Helpers for public, cacheable JSON documents (ETag, Cache-Control, conditional GET)."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from fastapi import Request, Response

__all__ = ["cacheable_json"]


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
