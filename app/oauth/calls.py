"""What the web layer hands the authorisation server (:class:`OAuthCall`) and gets back (:class:`OAuthAnswer`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["OAuthAnswer", "OAuthCall"]


@dataclass(frozen=True, slots=True)
class OAuthCall:
    """One HTTP request to an OAuth endpoint: ``url`` is its public address (``PUBLIC_BASE_URL`` and path), every
    parameter with all its values (a repeated one is refused by the server)."""

    method: str
    url: str
    #: a case-insensitive mapping (Starlette's Headers): Authlib reads "Authorization"
    headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, list[str]] = field(default_factory=dict)
    form: Mapping[str, list[str]] = field(default_factory=dict)
    json: Any = None


@dataclass(frozen=True, slots=True)
class OAuthAnswer:
    """An OAuth answer: a JSON body (a dict) or none, and its headers (a redirect's ``Location`` among them)."""

    status: int
    body: dict[str, Any] | None
    headers: list[tuple[str, str]]

    @property
    def location(self) -> str | None:
        return next((value for name, value in self.headers if name.lower() == "location"), None)
