"""HTTP presentation helpers: public documents with validators (``ETag``, ``Cache-Control``, conditional GET),
images and baked badges under a strict CSP.

How long each public document may be cached, in one place (the ETag itself is decided by the service, from the
document's version, before any work: see :mod:`app.services.publication`):

* revalidated at every use (``no-cache``; a CDN keeps the copy and asks again, a 304 costs one or two small reads):
  what must show a change at once (status lists and the OB 2.0 RevocationList: a revocation; the keys documents:
  a compromised key; credentials, VC-JWTs and OB 2.0 assertions: re-signed after a compromise or a rotation);
* five minutes: the OB 3.0 issuer profile, a published achievement version and its OB 2.0 BadgeClass (their own
  fields never or rarely change; the endorsements they carry may).
"""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from app.errors import NotAcceptable
from app.services.idempotency import Outcome
from app.services.publication import Served

__all__ = ["IMAGE_HEADERS", "NOT_MODIFIED", "PROFILE", "REVALIDATE", "STATUS_LIST", "IfNoneMatch",
           "baked_response", "document_response", "held_versions", "not_acceptable", "outcome_response"]

#: Cache-Control of documents that must show a change at once (revalidated at every use)
REVALIDATE = "public, no-cache"
#: Cache-Control of status lists: revalidated at every use, so that a revocation shows on the next read
STATUS_LIST = "no-cache"
#: Cache-Control of the OB 3.0 issuer profile and achievement, and of the OB 2.0 BadgeClass: their fields rarely
#: change, their endorsements may (one taken back leaves caches within five minutes)
PROFILE = "public, max-age=300"
#: ``responses=`` entry of the routes that answer conditional GETs
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not Modified: the `ETag` sent in `If-None-Match` is still this document's"}}

_ENTITY_TAG = re.compile(r'(?:W/)?"([^"]*)"')


class IfNoneMatch(Container[str]):
    """The entity tags a client holds, from its ``If-None-Match`` header (RFC 9110 §13.1.2).

    ``etag in held`` compares weakly, as ``If-None-Match`` must: ``W/"x"`` and ``"x"`` match each other, and ``*``
    matches whatever the current representation is. A missing or malformed header holds nothing.
    """

    __slots__ = ("_any", "_opaque")

    def __init__(self, header: str | None) -> None:
        parts = [part.strip() for part in (header or "").split(",")]
        self._any = "*" in parts
        self._opaque = frozenset(_ENTITY_TAG.findall(header or ""))

    def __contains__(self, etag: object) -> bool:
        if not isinstance(etag, str):
            return False
        if self._any:
            return True
        found = _ENTITY_TAG.fullmatch(etag)
        return found is not None and found.group(1) in self._opaque


def held_versions(request: Request) -> IfNoneMatch:
    """What the client says it holds (``If-None-Match``): give it to the service, which answers 304 before any
    work when the current version is among them."""
    return IfNoneMatch(request.headers.get("if-none-match"))


def document_response(served: Served, *, media_type: str, cache_control: str, vary: bool = False) -> Response:
    """A public document as the service decided it: its bytes (200), 304 when the client holds this version, or
    the document of a gone resource (an OB 2.0 hosted assertion once revoked: 410, no validator, never stored).
    Every answer carries what caches and other origins need (ETag, Cache-Control, Vary, CORS, nosniff)."""
    headers = {"Cache-Control": cache_control if served.etag else "no-cache", "Access-Control-Allow-Origin": "*",
               "X-Content-Type-Options": "nosniff"}
    if served.etag:
        headers["ETag"] = served.etag
    if vary:
        headers["Vary"] = "Accept"
    if served.body is None:
        return Response(status_code=304, headers=headers)
    return Response(served.body, status_code=served.status, media_type=media_type, headers=headers)


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
