"""Sign-in over HTTP: the session cookie, the dependency for routes that need a signed-in person, CSRF for the
forms, per-client throttling, and reading a form.

* ``savoirs_session``: ``HttpOnly``, ``SameSite=Lax``, ``Path=/``, ``Secure`` over https, for
  ``SIGNIN_SESSION_HOURS``.
* CSRF (double submit): a random token in a cookie (``__Host-savoirs_csrf`` over https, so no other host can plant
  it; ``savoirs_csrf`` over plain http in development), ``HttpOnly``, ``SameSite=Lax`` (so that the link opened
  from a webmail keeps it), and the same token in a hidden field of every form, compared in constant time; a
  browser saying ``Sec-Fetch-Site: cross-site`` is refused too. The JSON API needs no token: it accepts
  ``application/json`` only, which another site's page cannot send without a CORS preflight, and the API answers
  none.
* :data:`SignedInDep`: the proven address (and session id); without a session, a 401 problem, or for a browser
  (``Accept`` preferring ``text/html``) a 303 to ``/connexion?next=<this page>``.
"""

from __future__ import annotations

import threading
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.security import APIKeyCookie
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.config import Settings
from app.deps import CtxDep, get_context
from app.errors import BadRequest, PayloadTooLarge, SavoirsError, UnsupportedMediaType
from app.negotiation import negotiate
from app.pages.text import Lang, pick_lang
from app.signin import errors
from app.signin.address import local_path
from app.signin.limits import SigninLimits
from app.signin.service import NewSession, SignedIn, signed_in
from app.signin.tokens import new_secret, same_secret

__all__ = ["SESSION_COOKIE", "MaybeSignedInDep", "SignedInDep", "check_csrf", "check_failures", "check_requests",
           "clear_session_cookie", "client", "count_failure", "csrf_cookie_name", "csrf_token", "read_form",
           "require_json", "set_csrf_cookie", "set_session_cookie", "sign_in_location", "submitted_form", "wants_html"]

SESSION_COOKIE = "savoirs_session"
_LIMITS_LOCK = threading.Lock()

session_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, scheme_name="signin session",
                              description="The session opened by signing in (`POST /api/v1/signin/code` or `…/link`; "
                                          "the sign-in pages set it in browsers).")


def _https(request: Request) -> bool:
    return request.url.scheme == "https"


def wants_html(request: Request) -> bool:
    """Whether the client prefers a page to JSON (a browser)."""
    return negotiate(request.headers.get("accept"), ["application/json", "text/html"]) == "text/html"


def client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# ------------------------------------------------------------------------------------------------ session cookie


def set_session_cookie(response: Response, request: Request, settings: Settings, opened: NewSession) -> None:
    response.set_cookie(SESSION_COOKIE, opened.token, max_age=settings.signin_session_hours * 3600, path="/",
                        secure=_https(request), httponly=True, samesite="lax")


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", secure=_https(request), httponly=True, samesite="lax")


def sign_in_location(request: Request) -> str:
    """The sign-in page, asked to come back here afterwards (in this language)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = local_path(here)
    location = "/connexion" + (f"?next={quote(target, safe='/')}" if target else "")
    if request.query_params.get("lang") == "en":
        location += ("&" if target else "?") + "lang=en"
    return location


def get_signed_in(request: Request, token: Annotated[str | None, Depends(session_cookie)],
                  ctx: CtxDep) -> SignedIn:
    """The signed-in person, or 401 (JSON) / 303 to the sign-in page (a browser)."""
    found = signed_in(ctx, token)
    if found is not None:
        return found
    if wants_html(request):
        raise errors.SigninRedirect(sign_in_location(request))
    raise errors.signin_required()


def get_maybe_signed_in(token: Annotated[str | None, Depends(session_cookie)], ctx: CtxDep) -> SignedIn | None:
    return signed_in(ctx, token)


SignedInDep = Annotated[SignedIn, Depends(get_signed_in)]
MaybeSignedInDep = Annotated[SignedIn | None, Depends(get_maybe_signed_in)]


# ------------------------------------------------------------------------------------------------ CSRF


def csrf_cookie_name(request: Request) -> str:
    return "__Host-savoirs_csrf" if _https(request) else "savoirs_csrf"


def csrf_token(request: Request) -> tuple[str, bool]:
    """The CSRF token for this page's forms: the browser's own, or a new one (then True: set it as a cookie with
    :func:`set_csrf_cookie`)."""
    current = request.cookies.get(csrf_cookie_name(request))
    if current and 40 <= len(current) <= 64:
        return current, False
    return new_secret(), True


def set_csrf_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(csrf_cookie_name(request), token, path="/", secure=_https(request), httponly=True,
                        samesite="lax")


def check_csrf(request: Request, given: str | None) -> None:
    """:raises Forbidden: ``csrf_failed``: the form's token is not the cookie's, or another site sent it."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise errors.csrf_failed()
    if not same_secret(given, request.cookies.get(csrf_cookie_name(request))):
        raise errors.csrf_failed()


def require_json(request: Request) -> None:
    """The JSON API's CSRF guard: a body is read only when it says it is JSON (a form or a typeless body from
    another site's page is refused)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise UnsupportedMediaType("Send the body as JSON, with the header Content-Type: application/json.",
                                   "Envoyez le corps en JSON, avec l'en-tête Content-Type: application/json.")


# ------------------------------------------------------------------------------------------------ throttling


def _limits(request: Request) -> SigninLimits:
    state = request.app.state
    found = getattr(state, "signin_limits", None)
    if found is None:
        with _LIMITS_LOCK:
            found = getattr(state, "signin_limits", None)
            if found is None:
                found = state.signin_limits = SigninLimits.shared(get_context(request).db)
    return found


def check_requests(request: Request) -> None:
    """Count a request for a code from this client. :raises TooManyRequests: ``signin_too_many_requests``."""
    now = get_context(request).clock.now()
    window = _limits(request).requests
    wait = window.retry_after(client(request), now)
    if wait is not None:
        raise errors.too_many_requests(wait)
    window.hit(client(request), now)


def check_failures(request: Request) -> None:
    """:raises TooManyRequests: ``signin_too_many_failures`` when this client sent too many wrong codes or links."""
    wait = _limits(request).failures.retry_after(client(request), get_context(request).clock.now())
    if wait is not None:
        raise errors.too_many_failures(wait)


def count_failure(request: Request) -> None:
    _limits(request).failures.hit(client(request), get_context(request).clock.now())


# ------------------------------------------------------------------------------------------------ forms


async def read_form(request: Request, names: tuple[str, ...], *, limit: int = 1000) -> dict[str, str]:
    """The text fields ``names`` of a small urlencoded form (missing ones empty, each cut at ``limit`` characters:
    a longer text the use case refuses with its count needs a ``limit`` above its own).

    :raises BadRequest: the form cannot be read (or is too large).
    """
    try:
        async with request.form(max_files=0, max_fields=len(names) + 4) as form:
            values = {name: form.get(name) for name in names}
    except StarletteHTTPException as exc:
        if exc.status_code == 413:
            raise PayloadTooLarge() from None
        raise BadRequest("The form could not be read. Open the page again and retry.",
                         "Le formulaire n'a pas pu être lu. Rouvrez la page et recommencez.",
                         code="form_unreadable") from None
    return {name: value[:limit] if isinstance(value, str) else "" for name, value in values.items()}


async def submitted_form(request: Request, names: tuple[str, ...], *, limit: int = 1000
                         ) -> tuple[dict[str, str], Lang, SavoirsError | None]:
    """A submitted page form (``names`` beside its ``csrf`` and ``lang`` fields), its language, and its refusal
    before anything is done: unreadable, or its CSRF token. The caller shows the refusal on its page."""
    lang = pick_lang(request.query_params.get("lang"))
    try:
        values = await read_form(request, ("csrf", "lang", *names), limit=limit)
    except SavoirsError as exc:
        return dict.fromkeys(("csrf", "lang", *names), ""), lang, exc
    lang = pick_lang(values["lang"] or lang)
    try:
        check_csrf(request, values["csrf"])
    except SavoirsError as exc:
        return values, lang, exc
    return values, lang, None
