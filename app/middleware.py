"""ASGI middleware: request body size limit enforced while streaming."""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import PayloadTooLarge
from app.problems import error_response

__all__ = ["BodySizeLimitMiddleware"]


#: the routes that take residents' evidence files (photos straight from a phone): a larger body is allowed there
UPLOAD_PATHS = re.compile(r"/api/v1/orgs/[^/]+/requests|/api/v1/request-links/[^/]+/evidence"
                          r"|/demander/[^/]+/[^/]+|/suivi/[^/]+/preuves")


class BodySizeLimitMiddleware:
    """Answer 413 when a body exceeds ``max_bytes`` (``upload_max_bytes`` on :data:`UPLOAD_PATHS`): at once if
    ``Content-Length`` says so, otherwise as soon as the streamed bytes pass the limit (chunked uploads), without
    buffering the rest."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_max_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_max_bytes = max(max_bytes, upload_max_bytes or max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_max_bytes if UPLOAD_PATHS.fullmatch(scope["path"]) else self.max_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = True
            if too_big:
                response = error_response(PayloadTooLarge(), headers={"Connection": "close"})
                await response(scope, receive, send)
                return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413)
            return message

        await self.app(scope, limited_receive, send)
