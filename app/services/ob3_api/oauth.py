"""The OAuth 2.0 use cases of the Open Badges 3.0 API: registering a client, the holder's consent, the token and
revocation endpoints, and who a bearer token speaks for. Each runs :class:`~app.oauth.server.OAuthServer` in one
transaction (a refused request that revokes tokens - a replayed code - still commits that revocation).

The resource owner is the holder of a space (signed in with their address, or come in with a printed code): an
application they allow reads and writes their space only.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749.errors import OAuth2Error
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import BadRequest, Forbidden, Unauthorised
from app.models import OAuthClient, OAuthToken
from app.oauth import scopes
from app.oauth.calls import OAuthAnswer, OAuthCall
from app.oauth.server import OAuthServer, digest
from app.services import audit
from app.services.context import ServiceContext
from app.services.holders.spaces import HolderKey, holder_of

__all__ = ["Consent", "Grant", "bearer", "consent", "decide", "register", "revoke", "token"]


@dataclass(frozen=True, slots=True)
class ScopeWords:
    scope: str
    en: str
    fr: str


@dataclass(frozen=True, slots=True)
class Consent:
    """What the consent page shows: the application as it registered, what it asks, where it sends the holder
    back; ``fields`` are the request's parameters, carried by the page's form."""

    client_name: str
    client_uri: str
    logo_uri: str
    tos_uri: str
    policy_uri: str
    redirect_host: str
    asked: tuple[ScopeWords, ...]
    fields: dict[str, str]


@dataclass(frozen=True, slots=True)
class Grant:
    """Whom a bearer token speaks for: the holder's space, the client, and the scopes granted."""

    holder_id: str
    client_id: str
    scopes: frozenset[str]


_PARAMETERS = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
               "code_challenge_method")


def _server(ctx: ServiceContext, session: Session, loopback_http: bool) -> OAuthServer:
    return OAuthServer(session, ctx.clock.now(), loopback_http=loopback_http)


def register(ctx: ServiceContext, call: OAuthCall, *, loopback_http: bool = False) -> OAuthAnswer:
    """RFC 7591 dynamic registration (201 with the client's id and secret, or 400 ``{error, error_description}``)."""
    with ctx.db.transaction() as session:
        answer: OAuthAnswer = _server(ctx, session, loopback_http).create_endpoint_response("client_registration",
                                                                                            call)
        if answer.status == 201 and answer.body is not None:
            audit.record(session, actor="oauth-registration", action="oauth_client.registered",
                         target_type="oauth_client", target_id=answer.body["client_id"], org_id=None,
                         details={"client_name": answer.body.get("client_name"),
                                  "client_uri": answer.body.get("client_uri")})
        return answer


def _unusable(error: OAuth2Error) -> BadRequest:
    """A request whose client or redirect URI cannot be trusted: said on our page, never sent anywhere."""
    return BadRequest(f"The application's request cannot be used: {error.description or error.error}",
                      "La demande de l'application est inutilisable (application inconnue, ou adresse de retour "
                      f"non enregistrée) : {error.description or error.error}", code="oauth_request_invalid")


def _refused(error: OAuth2Error) -> OAuthAnswer:
    """A refusal sent back to the application (its redirect URI was checked), or raised for our page."""
    if not error.redirect_uri:
        raise _unusable(error)
    status, body, headers = error()
    return OAuthAnswer(status, None, list(headers))


def consent(ctx: ServiceContext, call: OAuthCall, who: HolderKey, *, loopback_http: bool = False
            ) -> Consent | OAuthAnswer:
    """The consent page of an authorisation request, or its refusal sent back to the application.

    :raises BadRequest: ``oauth_request_invalid``: unknown client or unregistered redirect URI.
    :raises Unauthorised: ``holder_signin_required``: the holder must sign in first.
    """
    with ctx.db.transaction() as session:
        server = _server(ctx, session, loopback_http)
        try:
            grant = server.get_consent_grant(call, end_user=None)
        except OAuth2Error as error:
            return _refused(error)
        holder_of(ctx, session, who, server.now)
        row: OAuthClient = grant.request.client.row
        asked = tuple(ScopeWords(s, *scopes.WORDS[s]) for s in scopes.parse(grant.request.scope))
        fields = {name: grant.request.payload.data.get(name, "") for name in _PARAMETERS}
        fields["redirect_uri"] = grant.redirect_uri
        return Consent(row.client_name, row.client_uri, row.logo_uri, row.tos_uri, row.policy_uri,
                       urlsplit(grant.redirect_uri).netloc, asked, fields)


def decide(ctx: ServiceContext, call: OAuthCall, who: HolderKey, *, allow: bool, loopback_http: bool = False
           ) -> OAuthAnswer:
    """The holder's answer: a code (allowed) or ``access_denied``, sent back to the application (302).

    :raises BadRequest: ``oauth_request_invalid``. :raises Unauthorised: ``holder_signin_required``.
    """
    with ctx.db.transaction() as session:
        server = _server(ctx, session, loopback_http)
        holder = holder_of(ctx, session, who, server.now)
        try:
            grant = server.get_consent_grant(call, end_user=holder.id)
        except OAuth2Error as error:
            return _refused(error)
        answer: OAuthAnswer = server.create_authorization_response(call, grant_user=holder.id if allow else None,
                                                                   grant=grant)
        if allow and answer.location and "code=" in answer.location:
            audit.record(session, actor=f"holder:{holder.id}", action="oauth_client.authorised",
                         target_type="oauth_client", target_id=grant.request.client.row.id, org_id=None,
                         details={"scope": grant.request.scope})
        return answer


def token(ctx: ServiceContext, call: OAuthCall) -> OAuthAnswer:
    """The token endpoint (HTTP Basic client authentication): a code or a refresh token for a token pair."""
    with ctx.db.transaction() as session:
        answer: OAuthAnswer = _server(ctx, session, False).create_token_response(call)
        return answer


def revoke(ctx: ServiceContext, call: OAuthCall) -> OAuthAnswer:
    """RFC 7009 revocation (HTTP Basic client authentication): 200 whether or not the token was known."""
    with ctx.db.transaction() as session:
        answer: OAuthAnswer = _server(ctx, session, False).create_endpoint_response("revocation", call)
        return answer


def _invalid_token(code: str, en: str, fr: str) -> Unauthorised:
    return Unauthorised(en, fr, code=code, headers={
        "WWW-Authenticate": f'Bearer realm="savoirs", error="invalid_token", error_description="{en}"'})


def bearer(ctx: ServiceContext, authorization: str | None, needed: str) -> Grant:
    """Whom the ``Authorization: Bearer …`` header speaks for, if its token holds the scope ``needed``.

    :raises Unauthorised: ``oauth_token_missing`` or ``oauth_token_invalid`` (unknown, expired or revoked).
    :raises Forbidden: ``oauth_scope_insufficient``: the token lacks ``needed``.
    """
    scheme, _, given = (authorization or "").partition(" ")
    given = given.strip()
    if scheme.lower() != "bearer" or not given or len(given) > 200:
        raise Unauthorised("An access token is required (Authorization: Bearer ...).",
                           "Un jeton d'accès est nécessaire (Authorization: Bearer …).", code="oauth_token_missing",
                           headers={"WWW-Authenticate": 'Bearer realm="savoirs"'})
    hashed = digest(given)
    with ctx.db.sessions() as session:
        row = session.scalar(select(OAuthToken).where(OAuthToken.access_sha256 == hashed))
        client = session.get(OAuthClient, row.client_id) if row is not None else None
    if (row is None or client is None or row.revoked_at is not None or client.revoked_at is not None
            or row.access_expires_at <= ctx.clock.now()):
        raise _invalid_token("oauth_token_invalid", "The access token is unknown, expired or revoked.",
                             "Le jeton d'accès est inconnu, expiré ou révoqué.")
    granted = frozenset(scopes.parse(row.scope))
    if needed not in granted:
        raise Forbidden(f"The access token lacks the scope {needed}.",
                        f"Le jeton d'accès n'a pas la permission {needed}.", code="oauth_scope_insufficient",
                        headers={"WWW-Authenticate": f'Bearer realm="savoirs", error="insufficient_scope", '
                                                     f'scope="{needed}"'})
    return Grant(row.holder_id, row.client_id, granted)
