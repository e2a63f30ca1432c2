"""Sending a badge from one's space to a backpack elsewhere, through that backpack's Open Badges 3.0 API.

* :func:`send` starts from the badge's page: with the address the holder typed, it reads the backpack's service
  description, registers with it (once per backpack and space) and answers where to send the holder to authorise
  us (:class:`Authorise`); with a backpack already connected it pushes the credential at once with the tokens kept
  (refreshed when they expired), or asks the holder again when the backpack no longer accepts them.
* :func:`come_back` ends the authorisation at our redirect address: the ``state`` names the connection and the
  badge (one use, 15 minutes), the code is exchanged for tokens (PKCE), the credential pushed, and the tokens kept.

Nothing on the network happens inside a database transaction. The registration's secret, the PKCE verifier and
the tokens are sealed under the key-encryption key (:mod:`app.signing.sealing`, bound to the connection's id);
only the ``state``'s digest is stored.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib.metadata import version
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.backpacks import client
from app.backpacks.description import ServiceDescription, discovery_url
from app.backpacks.errors import BackpackRefused, RegistrationUnknown
from app.config import Settings
from app.errors import BadRequest
from app.models import Award, BackpackConnection, Holder
from app.models.base import new_id
from app.oauth import scopes
from app.services import audit, publication
from app.services.context import ServiceContext
from app.services.holders.spaces import HolderKey, holder_of, owned_award
from app.services.verification import fetch_policy
from app.signin.tokens import sha256_hex
from app.signing.sealing import SealedKey, UnsealError, seal, unseal
from app.verify.fetch import SafeFetcher

__all__ = ["CALLBACK_PATH", "SCOPE", "Authorise", "ConnectionView", "Sent", "come_back", "connections", "send"]

log = logging.getLogger("savoirs.backpacks")

CALLBACK_PATH = "/mon-espace/sac/retour"
#: all we ask of a backpack: to take the credentials we send
SCOPE = scopes.CREDENTIAL_UPSERT
#: how long the holder has to authorise us at the backpack
PENDING = timedelta(minutes=15)
_SEAL_ORG = "backpack"
#: a token this close to its end is refreshed before use
_MARGIN = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class ConnectionView:
    connection_id: str
    name: str


@dataclass(frozen=True, slots=True)
class Authorise:
    """Send the holder to the backpack named ``backpack``: ``url`` is its authorisation request."""

    url: str
    backpack: str


@dataclass(frozen=True, slots=True)
class Sent:
    award_id: str
    backpack: str


def _expired_link() -> BadRequest:
    return BadRequest("This return from your backpack is unknown or too old. Send the badge again from its page.",
                      "Ce retour de votre sac à badges est inconnu ou trop ancien. Renvoyez le badge depuis sa page.",
                      code="backpack_link_expired")


def _denied(award_id: str) -> BadRequest:
    return BadRequest("You did not allow the sending at your backpack: nothing was sent.",
                      "Vous n'avez pas autorisé l'envoi sur votre sac à badges : rien n'a été envoyé.",
                      code="backpack_denied", extra={"award_id": award_id})


def connections(session: Session, holder: Holder) -> tuple[ConnectionView, ...]:
    """The backpacks a space is connected to, for its badges' pages."""
    rows = session.scalars(select(BackpackConnection).where(BackpackConnection.holder_id == holder.id,
                                                            BackpackConnection.connected_at.is_not(None))
                           .order_by(BackpackConnection.connected_at.desc()))
    return tuple(ConnectionView(row.id, row.name) for row in rows)


# ------------------------------------------------------------------------------------------------ sealed secrets


def _sealed(ctx: ServiceContext, row: BackpackConnection, secrets: dict[str, Any]) -> None:
    box = seal(json.dumps(secrets).encode("utf-8"), kek=ctx.vault.require_kek(), org_id=_SEAL_ORG, key_id=row.id)
    row.sealed_secrets, row.wrapped_key, row.kek_id = box.sealed_private_key, box.wrapped_data_key, box.kek_id


def _secrets(ctx: ServiceContext, row: BackpackConnection) -> dict[str, Any] | None:
    """The connection's secrets, or None when they cannot be opened any more (the KEK changed): the connection is
    then as good as gone, and a new one is made."""
    try:
        opened = unseal(SealedKey(row.sealed_secrets, row.wrapped_key, row.kek_id), kek=ctx.vault.require_kek(),
                        org_id=_SEAL_ORG, key_id=row.id)
    except UnsealError:
        log.warning("backpack connection %s: its secrets cannot be opened with this KEK; it is dropped", row.id)
        return None
    return dict(json.loads(opened))


def _lost() -> BadRequest:
    return BadRequest("This backpack is no longer connected. Type its address again.",
                      "Ce sac à badges n'est plus relié. Tapez de nouveau son adresse.", code="backpack_link_expired")


@dataclass(frozen=True, slots=True)
class _Known:
    """A connection as read, detached: enough to talk to its backpack without the database."""

    row_id: str
    service: ServiceDescription
    registration: client.Registration
    secrets: dict[str, Any]
    access_usable: bool


def _known(ctx: ServiceContext, session: Session, row: BackpackConnection, now: datetime) -> _Known | None:
    """The connection as read, or None (and the row deleted) when its secrets cannot be opened."""
    secrets = _secrets(ctx, row)
    if secrets is None or "client_secret" not in secrets:
        session.delete(row)
        return None
    service = ServiceDescription(discovery_url=row.discovery_url, name=row.name, api_base=row.api_base,
                                 registration_url="", authorization_url=row.authorization_url,
                                 token_url=row.token_url)
    usable = bool(secrets.get("access_token")) and (row.access_expires_at is None
                                                     or row.access_expires_at - _MARGIN > now)
    return _Known(row.id, service, client.Registration(row.client_id, secrets["client_secret"]), secrets, usable)


# ------------------------------------------------------------------------------------------------ use cases


def _metadata(settings: Settings) -> dict[str, Any]:
    """Our registration at a backpack (the fields OB 3.0 requires)."""
    base = settings.public_base_url
    return {"client_name": settings.service_name, "client_uri": base, "logo_uri": f"{base}/static/savoirs.svg",
            "tos_uri": settings.terms_url or f"{base}/conditions",
            "policy_uri": settings.privacy_policy_url or f"{base}/confidentialite",
            "software_id": "savoirs", "software_version": version("savoirs"),
            "redirect_uris": [base + CALLBACK_PATH], "scope": SCOPE, "grant_types": ["authorization_code",
                                                                                      "refresh_token"],
            "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic"}


def _fetcher(settings: Settings) -> SafeFetcher:
    return SafeFetcher(fetch_policy(settings))


def _credential(ctx: ServiceContext, award_id: str) -> dict[str, Any]:
    return dict(publication.servable_award(ctx, award_id, public=False).credential)


def send(ctx: ServiceContext, settings: Settings, who: HolderKey, award_id: str, *, address: str | None = None,
         connection_id: str | None = None) -> Sent | Authorise:
    """Send a badge of the space to a backpack: a connected one (``connection_id``), or the one at ``address``.

    :raises NotFound: not a badge of this space.
    :raises BadRequest: ``backpack_link_expired``: not a connection of this space (any more).
    :raises BackpacksBusy: too many sends at once in this process (503).
    :raises BackpackAddressInvalid: … :raises BackpackUnreachable: … :raises BackpackRefused: …
    """
    loopback = settings.allow_loopback_fetch
    known: _Known | None = None
    with ctx.db.transaction() as session:
        now = ctx.clock.now()
        holder = holder_of(ctx, session, who, now)
        award = owned_award(session, holder, award_id)
        award_id, holder_id = award.id, holder.id
        if connection_id is not None:
            row = session.get(BackpackConnection, connection_id[:32])
            if row is not None and row.holder_id == holder_id and row.connected_at is not None:
                known = _known(ctx, session, row, now)
    if connection_id is not None and known is None:
        raise _lost()
    with ctx.backpack_calls.entered(), _fetcher(settings) as fetcher:
        if known is None:
            url = discovery_url(address or "", loopback_http=loopback)
            service = client.discover(fetcher, url, loopback_http=loopback)
            return _authorise(ctx, settings, fetcher, holder_id, award_id, service)
        try:
            if _push_known(ctx, fetcher, known, _credential(ctx, award_id)):
                return _sent_to(ctx, known.row_id, award_id)
            register_again = False
        except RegistrationUnknown:  # the backpack revoked our registration
            register_again = True
        service = client.discover(fetcher, known.service.discovery_url, loopback_http=loopback)
        return _authorise(ctx, settings, fetcher, holder_id, award_id, service, register_again=register_again)


def _push_known(ctx: ServiceContext, fetcher: SafeFetcher, known: _Known, credential: dict[str, Any]) -> bool:
    """Push with the kept tokens, refreshed first when due or when refused (the new ones kept at once): whether
    the backpack took it; False when it accepts none of our tokens (the holder must authorise us again).

    :raises RegistrationUnknown: the backpack no longer knows our registration."""
    access, refresh = known.secrets.get("access_token", ""), known.secrets.get("refresh_token")
    if known.access_usable and client.push(fetcher, known.service, access, credential) != 401:
        return True
    if not refresh:
        return False
    try:
        tokens = client.refresh(fetcher, known.service, known.registration, refresh_token=refresh, scope=SCOPE)
    except RegistrationUnknown:
        raise
    except BackpackRefused:  # the refresh token is spent or revoked
        return False
    _keep_tokens(ctx, known.row_id, tokens)
    if client.push(fetcher, known.service, tokens.access_token, credential) == 401:
        raise BackpackRefused()
    return True


def _keep_tokens(ctx: ServiceContext, row_id: str, tokens: client.Tokens) -> None:
    """Keep new tokens (the refresh token kept when none came, RFC 6749 §6), the row locked: two sends at once
    do not overwrite each other's."""
    with ctx.db.transaction() as session:
        row = session.get(BackpackConnection, row_id, with_for_update=True)
        if row is None:
            return
        secrets = _secrets(ctx, row) or {}
        secrets.update(access_token=tokens.access_token,
                       refresh_token=tokens.refresh_token or secrets.get("refresh_token"))
        if row.state_sha256 is None:  # no authorisation under way needs its verifier
            secrets.pop("code_verifier", None)
        _sealed(ctx, row, secrets)
        now = ctx.clock.now()
        row.access_expires_at = now + timedelta(seconds=tokens.expires_in) if tokens.expires_in else None
        row.connected_at = row.connected_at or now


def _forget(ctx: ServiceContext, row_id: str) -> None:
    with ctx.db.transaction() as session:
        row = session.get(BackpackConnection, row_id)
        if row is not None:
            session.delete(row)


def _sent_to(ctx: ServiceContext, row_id: str, award_id: str) -> Sent:
    with ctx.db.transaction() as session:
        row = session.get_one(BackpackConnection, row_id)
        now = ctx.clock.now()
        row.last_sent_at = now
        row.connected_at = row.connected_at or now
        award = session.get_one(Award, award_id)
        audit.record(session, actor=f"holder:{row.holder_id}", action="award.sent_to_backpack", target_type="award",
                     target_id=award_id, org_id=award.org_id, details={"backpack": row.discovery_url[:200]})
        return Sent(award_id, row.name)


def _registration(ctx: ServiceContext, holder_id: str, service: ServiceDescription,
                  register_again: bool) -> client.Registration | None:
    """This space's registration at the backpack, when it has one still usable."""
    with ctx.db.transaction() as session:
        row = session.scalar(select(BackpackConnection).where(
            BackpackConnection.holder_id == holder_id, BackpackConnection.discovery_url == service.discovery_url))
        if row is None or register_again:
            return None
        secrets = _secrets(ctx, row)
        if secrets is None or "client_secret" not in secrets:
            session.delete(row)
            return None
        return client.Registration(row.client_id, secrets["client_secret"])


def _authorise(ctx: ServiceContext, settings: Settings, fetcher: SafeFetcher, holder_id: str, award_id: str,
               service: ServiceDescription, *, register_again: bool = False) -> Authorise:
    """Register with the backpack (unless this space already did, and ``register_again`` is false) and prepare the
    authorisation request."""
    registered = _registration(ctx, holder_id, service, register_again)
    if registered is None:
        registered = client.register(fetcher, service, _metadata(settings))
    asked = client.authorisation(service, registered.client_id, redirect_uri=settings.public_base_url
                                 + CALLBACK_PATH, scope=SCOPE)
    with ctx.db.transaction() as session:
        now = ctx.clock.now()
        row = session.scalar(select(BackpackConnection).where(
            BackpackConnection.holder_id == holder_id, BackpackConnection.discovery_url == service.discovery_url)
            .with_for_update())
        secrets: dict[str, Any] = {}
        if row is None:
            row = BackpackConnection(id=new_id(), holder_id=holder_id, discovery_url=service.discovery_url,
                                     created_at=now)
            session.add(row)
        else:
            secrets = _secrets(ctx, row) or {}
        row.name, row.api_base = service.name, service.api_base
        row.authorization_url, row.token_url, row.client_id = (service.authorization_url, service.token_url,
                                                               registered.client_id)
        secrets.update(client_secret=registered.client_secret, code_verifier=asked.code_verifier)
        _sealed(ctx, row, secrets)
        row.state_sha256, row.pending_award_id = sha256_hex(asked.state), award_id
        row.pending_expires_at = now + PENDING
    return Authorise(asked.url, service.name)


def come_back(ctx: ServiceContext, settings: Settings, who: HolderKey, *, state: str, code: str | None,
              error: str | None) -> Sent:
    """The holder comes back from the backpack: exchange the code, keep the tokens, push the badge.

    :raises BadRequest: ``backpack_link_expired`` (unknown, used or old ``state``, or another space's, or its
        secrets lost), ``backpack_denied`` (the holder said no at the backpack).
    :raises NotFound: the badge left the space meanwhile (erased).
    :raises BackpackUnreachable: … :raises BackpackRefused: …
    """
    with ctx.db.transaction() as session:
        now = ctx.clock.now()
        holder = holder_of(ctx, session, who, now)
        row = session.scalar(select(BackpackConnection).where(BackpackConnection.state_sha256 == sha256_hex(state))
                             .with_for_update())
        if row is None or row.holder_id != holder.id or row.pending_expires_at is None \
                or row.pending_expires_at <= now or row.pending_award_id is None:
            raise _expired_link()
        award_id = row.pending_award_id
        row.state_sha256 = row.pending_award_id = row.pending_expires_at = None  # one use, whatever comes next
        known = _known(ctx, session, row, now)
    if known is None:
        raise _lost()
    if error is not None or not code:
        raise _denied(award_id)
    with ctx.db.transaction() as session:  # still in the space (an erasure may have come meanwhile)
        owned_award(session, holder_of(ctx, session, who, ctx.clock.now()), award_id)
    credential = _credential(ctx, award_id)
    with ctx.backpack_calls.entered(), _fetcher(settings) as fetcher:
        try:
            tokens = client.exchange_code(fetcher, known.service, known.registration, code=code,
                                          code_verifier=str(known.secrets.get("code_verifier", "")),
                                          redirect_uri=settings.public_base_url + CALLBACK_PATH)
        except RegistrationUnknown:  # a registration the backpack no longer knows: the next try starts afresh
            _forget(ctx, known.row_id)
            raise
        _keep_tokens(ctx, known.row_id, tokens)
        if client.push(fetcher, known.service, tokens.access_token, credential) == 401:
            raise BackpackRefused()
    return _sent_to(ctx, known.row_id, award_id)
