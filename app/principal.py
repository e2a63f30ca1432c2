"""Who is calling: an organisation through one of its API keys, and what its key may do. Dependency-free."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Principal", "Scope"]


class Scope(StrEnum):
    admin = "admin"
    issue = "issue"
    revoke = "revoke"
    read = "read"
    review = "review"  # the recognition process: committee members, rules, requests and votes


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated API key of one organisation."""

    org_id: str
    org_slug: str
    key_id: str
    key_prefix: str
    scopes: frozenset[Scope]

    def allows(self, scope: Scope) -> bool:
        return Scope.admin in self.scopes or scope in self.scopes

    @property
    def actor(self) -> str:
        return f"api-key:{self.key_prefix}"
