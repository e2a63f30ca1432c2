"""The status list's fast lane: ``GET /status/{id}`` answered from one small read, without the framework's routing,
dependency injection or thread hop, when nothing has to be signed.

Verifiers read a status list for every credential they check, most of them holding its current version already.
This middleware, the innermost of ours (CORS and the security headers still wrap it), asks
:func:`app.services.publication.status_list_at_hand` and answers the very response the route would (304, or the
kept bytes with 200, through :func:`app.http.document_response`, so the headers cannot drift apart); anything else
(an unknown list, a version not signed yet, a problem) goes on to the route, which decides as always.

The read is awaited on the event loop (on PostgreSQL, a connection of the loop's own: the loop serves other requests
while the server answers; SQLite answers from a local file): shorter than the hand-over to a thread it saves. A
database that does not answer within two seconds sends the request on to the route, which answers as always.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from app.http import STATUS_LIST, IfNoneMatch, document_response
from app.services import publication
from app.services.context import ServiceContext

__all__ = ["StatusListFastLane"]

_STATUS_PATH = re.compile(r"/status/([^/]+)")


class StatusListFastLane:
    """Answers ``GET /status/{id}`` without the router when the list's current version is held or kept."""

    def __init__(self, app: ASGIApp, ctx: ServiceContext) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("root_path"):
            found = _STATUS_PATH.fullmatch(scope["path"])
            if found is not None:
                held = IfNoneMatch(_header(scope, b"if-none-match"))
                served = await publication.status_list_at_hand(self.ctx, found.group(1), held)
                if served is not None:
                    response = document_response(served, media_type="application/vc+ld+json",
                                                 cache_control=STATUS_LIST)
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    values = [value.decode("latin-1") for key, value in scope["headers"] if key == name]
    return ", ".join(values) if values else None
