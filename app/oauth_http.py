"""HTTP glue of the OAuth endpoints, shared by the API and the consent page: a request as the authorisation server
reads it (at its public address), and its answer as a response (never cached)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from app.config import Settings
from app.oauth.calls import OAuthAnswer, OAuthCall

__all__ = ["NO_STORE", "oauth_call", "oauth_response"]

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def oauth_call(request: Request, settings: Settings, *, form: bytes = b"", json_body: Any = None) -> OAuthCall:
    """The request at its public address (``PUBLIC_BASE_URL`` and path), every parameter with all its values."""
    query = parse_qs(request.url.query, keep_blank_values=True)
    fields = parse_qs(form.decode("utf-8", "replace"), keep_blank_values=True) if form else {}
    url = settings.public_base_url + request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return OAuthCall(request.method, url, request.headers, query, fields, json_body)


def oauth_response(answer: OAuthAnswer) -> Response:
    """An OAuth answer (a JSON body or none; a redirect's ``Location``), never stored by caches."""
    headers = {name: value for name, value in answer.headers if name.lower() != "content-type"}
    headers.update(NO_STORE)
    if answer.body is None:
        return Response(status_code=answer.status, headers=headers)
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)
