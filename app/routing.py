"""A route class whose JSON bodies refuse duplicate keys and absurd nesting (422, never 500)."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from app import strict_json

__all__ = ["StrictJSONRoute", "strict_json_loads"]


def strict_json_loads(body: bytes | str) -> Any:
    """:func:`app.strict_json.loads`, failing as ``json.JSONDecodeError`` (which FastAPI answers with a 422)."""
    try:
        return strict_json.loads(body)
    except strict_json.JSONRefused as exc:
        raise json.JSONDecodeError(str(exc), body if isinstance(body, str) else "", 0) from exc


class _StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_json_loads(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(_StrictJSONRequest(request.scope, request.receive))

        return strict_handler
