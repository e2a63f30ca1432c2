"""A registered client as Authlib asks about it (the Open Badges 3.0 profile: HTTP Basic, the code flow, exact
redirect URIs), and the digest secrets are stored as."""

from __future__ import annotations

import hashlib
import hmac

from app.models import OAuthClient
from app.oauth import scopes

__all__ = ["Client", "digest"]


def digest(secret: str) -> str:
    """The SHA-256 (hex) a token or client secret is stored as."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Client:
    """A registered client as Authlib asks about it."""

    def __init__(self, row: OAuthClient) -> None:
        self.row = row

    def get_client_id(self) -> str:
        return self.row.id

    def get_default_redirect_uri(self) -> str | None:
        return self.row.redirect_uris[0] if len(self.row.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The scopes asked that the client registered (all it registered when none is asked); None when that
        leaves none (``invalid_scope``)."""
        allowed = scopes.parse(self.row.scope)
        kept = allowed if not scope else [s for s in scopes.parse(scope) if s in allowed]
        return " ".join(kept) or None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.row.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(digest(client_secret), self.row.secret_sha256)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "client_secret_basic"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")
