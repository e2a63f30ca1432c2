"""Response headers every answer needs, set in one place: security headers (HTML pages and the API docs included),
HSTS over https, and CORS for what is public.

CORS is Starlette's own middleware, applied to public paths only: the documents verifiers and backpacks read
(credentials, status lists, keys, profiles, images, OB 2.0) and the verification API, from any origin, never with
credentials. The authenticated API (``/api/v1/…`` but ``/api/v1/verify``) gets no CORS header at all, so a web page
of another origin cannot call it from a browser.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DOCS_ASSETS", "DOCS_CSP", "HSTS", "PAGE_CSP", "PAGE_HEADERS", "PublicCorsMiddleware",
           "SecurityHeadersMiddleware", "is_public", "page_csp_with_form_target"]

#: the public pages' policy (app.pages.render sets it on its own pages; any other HTML gets it here)
PAGE_CSP = ("default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'none'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?")


def page_csp_with_form_target(url: str) -> str:
    """:data:`PAGE_CSP` whose forms may also lead to ``url``'s origin: a browser enforces ``form-action`` on the
    redirect that follows a submit too (the consent page's answer sends the holder back to the application). An
    origin that is not plain ``scheme://host[:port]`` is not added."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if not _ORIGIN.fullmatch(origin):
        return PAGE_CSP
    return PAGE_CSP.replace("form-action 'self'", f"form-action 'self' {origin}")


#: where Swagger UI's and ReDoc's own files are served (fastapi-offline: no CDN, the docs work offline)
DOCS_ASSETS = "/static-offline-docs"
#: Swagger UI and ReDoc: their bundles from DOCS_ASSETS, a start-up script inline, ReDoc's worker from a blob
DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; font-src 'self'; worker-src 'self' blob:; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
#: what every HTML answer carries (the pages set them themselves too, so a page rendered outside this middleware has
#: them as well); the API docs get DOCS_CSP instead
PAGE_HEADERS = {"Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
HSTS = "max-age=31536000"
_DOCS_PATHS = ("/docs", "/redoc")


def is_public(path: str) -> bool:
    """Whether ``path`` is open to other origins: everything outside the API, and the verification API."""
    return not path.startswith("/api/") or path == "/api/v1/verify"


class SecurityHeadersMiddleware:
    """``nosniff`` on every response; on HTML, a content security policy, no framing and no referrer; HSTS when the
    request came over https (directly, or through a proxy uvicorn trusts)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"].startswith(_DOCS_PATHS)
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if headers.get("content-type", "").startswith("text/html"):
                    for name, value in PAGE_HEADERS.items():
                        headers.setdefault(name, DOCS_CSP if docs and name == "Content-Security-Policy" else value)
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class PublicCorsMiddleware:
    """Starlette's :class:`CORSMiddleware` (any origin, no credentials) on public paths only (:func:`is_public`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"],
                                   allow_headers=["Accept", "Content-Type", "If-None-Match"], allow_credentials=False,
                                   expose_headers=["ETag", "Link", "Retry-After"], max_age=600)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_public(scope["path"]):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
