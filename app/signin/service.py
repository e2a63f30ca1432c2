"""Signing in by email: a challenge (a link and a 6-digit code sent to an address) proves that a person reads its
mail, and opens a session. What they may do next is each use case's decision, not this module's.

Every function owns its transaction and takes ``now`` from ``ctx.clock``. Refusals that must leave a trace (a wrong
code counts; every failure is audited) are committed first, then raised.

* :func:`request_challenge` answers alike for every address: it records a challenge for any syntactically valid
  address, counts requests per address (429 beyond :data:`REQUESTS_PER_ADDRESS` an hour), supersedes older ones, and
  returns a ``deliver`` step, run after the answer is sent, where the audience decides whether a message goes.
* :func:`redeem_link` and :func:`redeem_code` open a session (once; 5 wrong codes kill the challenge);
  :func:`check_link` only reads (a mail scanner opening the link consumes nothing).
* :func:`signed_in` reads a session in one small query; :func:`sign_out`, :func:`sign_out_everywhere` and
  :func:`revoke_sessions` (staff, the administrator) close them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import SavoirsError
from app.models.base import new_id
from app.models.signin import SigninChallenge, SigninSession
from app.services import audit
from app.signin import errors
from app.signin.address import DEFAULT_NEXT, fold, local_path, normalise_address
from app.signin.audiences import Audience
from app.signin.message import queue_message
from app.signin.tokens import SigninKeys, clean_code, new_code, new_secret, sha256_hex

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["MAX_ATTEMPTS", "REQUESTS_PER_ADDRESS", "ChallengeRequested", "NewSession", "SignedIn", "check_link",
           "redeem_code", "redeem_link", "request_challenge", "revoke_sessions", "sign_out", "sign_out_everywhere",
           "signed_in"]

log = logging.getLogger("savoirs.signin")

MAX_ATTEMPTS = 5
REQUESTS_PER_ADDRESS = 5
REQUEST_WINDOW = timedelta(hours=1)
#: a challenge older than this is deleted when its address asks again (nothing can be done with it)
KEEP_CHALLENGES = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ChallengeRequested:
    """The same for every address. ``deliver`` (run once the answer is sent) asks the audience and sends the
    message when it admits the address."""

    address: str
    minutes: int
    deliver: Callable[[], None]


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A proven address: what a route that needs a session is given."""

    email: str
    session_id: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class NewSession:
    signed_in: SignedIn
    token: str  # the cookie's value, given once, never stored
    next_path: str
    lang: str


def _keys(ctx: ServiceContext) -> SigninKeys:
    if not ctx.vault.available:
        raise errors.signin_unavailable()
    return SigninKeys.derive(ctx.vault.require_kek())


def _actor(email_key: str) -> str:
    return f"person:{email_key}"


# ------------------------------------------------------------------------------------------------ challenges


def request_challenge(ctx: ServiceContext, settings: Settings, *, email: str, audience: Audience,
                      next_path: str | None, lang: str) -> ChallengeRequested:
    """Record a challenge for ``email`` (any valid address: the answer must not say who may sign in).

    :raises InvalidInput: ``invalid_email``.
    :raises TooManyRequests: ``signin_too_many_requests`` (``Retry-After``) after :data:`REQUESTS_PER_ADDRESS`
        requests for one address within an hour.
    :raises ServiceUnavailable: ``signin_unavailable`` without a key-encryption key.
    """
    address = normalise_address(email)
    keys = _keys(ctx)
    email_key = keys.address_digest(fold(address))
    token, code = new_secret(), new_code()
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        _check_requests(session, email_key, now)
        session.execute(update(SigninChallenge)
                        .where(SigninChallenge.email_key == email_key, SigninChallenge.superseded_at.is_(None),
                               SigninChallenge.used_at.is_(None))
                        .values(superseded_at=now))
        session.execute(delete(SigninChallenge).where(SigninChallenge.email_key == email_key,
                                                      SigninChallenge.created_at < now - KEEP_CHALLENGES))
        challenge_id = new_id()
        session.add(SigninChallenge(id=challenge_id, email_key=email_key, audience=audience.name,
                                    next_path=local_path(next_path), lang=lang, token_sha256=sha256_hex(token),
                                    code_hmac=keys.code_digest(challenge_id, code), attempts=0, created_at=now,
                                    expires_at=now + timedelta(minutes=settings.signin_link_minutes)))

    def deliver() -> None:
        _deliver(ctx, settings, challenge_id, address=address, audience=audience, token=token, code=code)

    return ChallengeRequested(address=address, minutes=settings.signin_link_minutes, deliver=deliver)


def _check_requests(session: Session, email_key: str, now: datetime) -> None:
    since = now - REQUEST_WINDOW
    recent = session.execute(select(func.count(), func.min(SigninChallenge.created_at))
                             .where(SigninChallenge.email_key == email_key,
                                    SigninChallenge.created_at > since)).one()
    if recent[0] >= REQUESTS_PER_ADDRESS:
        raise errors.too_many_requests(max(1, int((recent[1] + REQUEST_WINDOW - now).total_seconds())))


def _deliver(ctx: ServiceContext, settings: Settings, challenge_id: str, *, address: str, audience: Audience,
             token: str, code: str) -> None:
    """After the answer: when the audience admits the address (and no newer request replaced this one), the
    address is recorded on the challenge and the message queued, in one transaction."""
    try:
        with ctx.db.transaction() as session:
            if not audience.admits(session, address):
                return
            row = session.get(SigninChallenge, challenge_id, with_for_update=True)
            if row is None or row.superseded_at is not None or row.used_at is not None:
                return
            row.email = address
            queue_message(session, ctx, settings, address=address, token=token, code=code, lang=row.lang,
                          expires_at=row.expires_at)
    except Exception:  # the person asks again; nothing personal in the log
        log.exception("a sign-in message could not be queued (challenge %s)", challenge_id)


def check_link(ctx: ServiceContext, token: str) -> bool:
    """Whether a link can still sign in (a read: opening the link changes nothing)."""
    now = ctx.clock.now()
    with ctx.db.sessions() as session:
        row = session.scalar(select(SigninChallenge).where(SigninChallenge.token_sha256 == sha256_hex(token)))
        return row is not None and _live(row, now) and row.email is not None


def _live(row: SigninChallenge, now: datetime) -> bool:
    return (row.used_at is None and row.superseded_at is None and row.attempts < MAX_ATTEMPTS
            and now < row.expires_at)


def redeem_link(ctx: ServiceContext, settings: Settings, *, token: str) -> NewSession:
    """Open a session with a link's token (once).

    :raises BadRequest: ``signin_link_refused`` (unknown, used, superseded, expired or dead).
    """
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = session.scalar(select(SigninChallenge).where(SigninChallenge.token_sha256 == sha256_hex(token))
                             .with_for_update()) if token else None
        if row is None or row.email is None or not _live(row, now):
            _failed(session, row, "link", now)
            outcome: NewSession | SavoirsError = errors.link_refused()
        else:
            outcome = _open(session, settings, row, "link", now)
    if isinstance(outcome, SavoirsError):
        raise outcome
    return outcome


def redeem_code(ctx: ServiceContext, settings: Settings, *, email: str, code: str) -> NewSession:
    """Open a session with the code of the address's latest challenge (once; :data:`MAX_ATTEMPTS` wrong codes kill
    it).

    :raises InvalidInput: ``invalid_email``, ``signin_code_malformed`` (not 6 digits: no attempt is counted).
    :raises BadRequest: ``signin_code_refused`` (wrong, expired, used, or no challenge: one answer for all).
    :raises TooManyRequests: ``signin_too_many_attempts`` once the challenge is dead.
    """
    address = normalise_address(email)
    digits = clean_code(code)
    if digits is None:
        raise errors.code_malformed()
    keys = _keys(ctx)
    email_key = keys.address_digest(fold(address))
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = session.scalar(select(SigninChallenge)
                             .where(SigninChallenge.email_key == email_key, SigninChallenge.superseded_at.is_(None),
                                    SigninChallenge.used_at.is_(None))
                             .order_by(SigninChallenge.created_at.desc(), SigninChallenge.id).limit(1)
                             .with_for_update())
        outcome = _try_code(session, settings, keys, row, digits, now)
    if isinstance(outcome, SavoirsError):
        raise outcome
    return outcome


def _try_code(session: Session, settings: Settings, keys: SigninKeys, row: SigninChallenge | None, digits: str,
              now: datetime) -> NewSession | SavoirsError:
    matches = keys.code_matches(row.id if row else "-", digits, row.code_hmac if row else None)
    if row is not None and row.attempts >= MAX_ATTEMPTS:
        _failed(session, row, "code", now, reason="dead")
        return errors.too_many_attempts(60)
    if row is None or now >= row.expires_at:
        _failed(session, row, "code", now)
        return errors.code_refused()
    if not matches or row.email is None:
        row.attempts += 1
        _failed(session, row, "code", now, reason="wrong_code")
        return errors.too_many_attempts(60) if row.attempts >= MAX_ATTEMPTS else errors.code_refused()
    return _open(session, settings, row, "code", now)


def _failed(session: Session, row: SigninChallenge | None, method: str, now: datetime, *,
            reason: str | None = None) -> None:
    if reason is None:
        reason = "unknown" if row is None else "used" if row.used_at is not None else \
            "superseded" if row.superseded_at is not None else "expired" if now >= row.expires_at else \
            "dead" if row.attempts >= MAX_ATTEMPTS else "not_sent"
    audit.record(session, actor=_actor(row.email_key) if row else "anonymous", action="signin.failure",
                 target_type="signin_challenge", target_id=row.id if row else "-", org_id=None,
                 details={"method": method, "reason": reason, "attempts": row.attempts if row else 0})


def _open(session: Session, settings: Settings, row: SigninChallenge, method: str, now: datetime) -> NewSession:
    assert row.email is not None
    row.used_at = now
    token = new_secret()
    opened = SigninSession(token_sha256=sha256_hex(token), email=row.email, email_folded=fold(row.email),
                           email_key=row.email_key, method=method, created_at=now,
                           expires_at=now + timedelta(hours=settings.signin_session_hours))
    session.add(opened)
    session.flush()
    audit.record(session, actor=_actor(row.email_key), action="signin.success", target_type="signin_session",
                 target_id=opened.id, org_id=None, details={"method": method, "audience": row.audience})
    return NewSession(SignedIn(row.email, opened.id, opened.expires_at), token, row.next_path or DEFAULT_NEXT,
                      row.lang)


# ------------------------------------------------------------------------------------------------ sessions

_SESSION = (select(SigninSession.id, SigninSession.email, SigninSession.expires_at, SigninSession.revoked_at)
            .where(SigninSession.token_sha256 == bindparam("token")))


def signed_in(ctx: ServiceContext, token: str | None) -> SignedIn | None:
    """The session a cookie holds, if it is open: one small read by the token's digest, outside any transaction
    (a sign-out counts at the next request)."""
    if not token or len(token) > 100:
        return None
    found = ctx.db.read(lambda connection: connection.execute(_SESSION, {"token": sha256_hex(token)}).first())
    if found is None or found.revoked_at is not None or ctx.clock.now() >= found.expires_at:
        return None
    return SignedIn(found.email, found.id, found.expires_at)


def sign_out(ctx: ServiceContext, token: str | None) -> bool:
    """Close the session a cookie holds; False when there was none open."""
    if not token:
        return False
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = session.scalar(select(SigninSession).where(SigninSession.token_sha256 == sha256_hex(token)))
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = now
        audit.record(session, actor=_actor(row.email_key), action="signin.signout", target_type="signin_session",
                     target_id=row.id, org_id=None)
        return True


def sign_out_everywhere(ctx: ServiceContext, who: SignedIn) -> int:
    """Close every open session of the signed-in person's address (this one included); how many."""
    with ctx.db.transaction() as session:
        key = session.scalar(select(SigninSession.email_key).where(SigninSession.id == who.session_id))
        return _revoke(session, fold(who.email), ctx.clock.now(), actor=_actor(key or "unknown"),
                       action="signin.signout_everywhere")


def revoke_sessions(ctx: ServiceContext, email: str, *, actor: str) -> int:
    """Close every open session of ``email`` (staff or the service administrator: ``actor``); how many.

    :raises InvalidInput: ``invalid_email``.
    """
    address = normalise_address(email)
    with ctx.db.transaction() as session:
        return _revoke(session, fold(address), ctx.clock.now(), actor=actor, action="signin.revoke")


def _revoke(session: Session, folded: str, now: datetime, *, actor: str, action: str) -> int:
    ids = list(session.scalars(select(SigninSession.id).where(SigninSession.email_folded == folded,
                                                              SigninSession.revoked_at.is_(None),
                                                              SigninSession.expires_at > now)))
    if ids:
        session.execute(update(SigninSession).where(SigninSession.id.in_(ids)).values(revoked_at=now))
    for session_id in ids:
        audit.record(session, actor=actor, action=action, target_type="signin_session", target_id=session_id,
                     org_id=None)
    return len(ids)
