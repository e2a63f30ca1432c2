"""Our own public documents, read from the database for the verifier instead of fetched from ourselves (issue 11).

A URL under ``PUBLIC_BASE_URL`` (same scheme, host, port and path prefix), or the did.json URL a did:web DID of ours
resolves to (``https`` on the same host and port when ``PUBLIC_BASE_URL`` is plain http), is answered here: the
same status, media type and bytes the public route would serve, made by the same service functions the routers
call (:mod:`.key_documents`, :mod:`.publication`, :mod:`.ob2`, :mod:`.achievements`, :mod:`.baking`), from the
same version-keyed cache (:func:`app.services.publication.serve`). A path under our origin that no public document route
serves answers 404: the verifier never connects to its own service, so a busy server cannot wait on itself.

Route order and path matching follow Starlette's (decoded path, ``[^/]+`` parameters, the ``.jws`` route before the
hosted assertion). Not reproduced: the HTML page of ``/credentials/{id}`` (the verifier never asks for text/html;
406 here), trailing-slash redirects (404 here), conditional GETs (the verifier sends no validators), and the exact
words of 422 bodies (the verifier never reads an error body).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy.exc import InterfaceError, OperationalError

from app.errors import InvalidInput, NotAcceptable, NotFound, SavoirsError, ServiceUnavailable
from app.negotiation import negotiate
from app.services import achievements, baking, key_documents, ob2, publication
from app.services.publication import Served
from app.verify.fetch import Fetched, FetchError, did_web_url

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["LocalDocuments"]

log = logging.getLogger("savoirs.verify")

_PORTS = {"http": 80, "https": 443}
LD_JSON = "application/ld+json"
_OB2_JSON = [LD_JSON, "application/json"]
_CREDENTIAL_JSON = [LD_JSON, "application/vc+ld+json", "application/vc", "application/json"]
_CREDENTIAL_OFFERED = [*_CREDENTIAL_JSON, "application/jwt", "text/html"]
_IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off"}


@dataclass(frozen=True, slots=True)
class _Request:
    ctx: ServiceContext
    params: dict[str, str]  # path parameters
    query: Mapping[str, str]  # the last value of each query parameter, as Starlette reads it
    accept: str


_Answer = tuple[int, str, bytes]  # status, media type, body
_Handler = Callable[[_Request], _Answer]


def _served(served: Served, media_type: str) -> _Answer:
    """A public document as the route serves it (from the version-keyed cache when unchanged); nothing is held,
    so there is always a body."""
    assert served.body is not None
    return served.status, media_type, served.body


def _problem(exc: SavoirsError) -> _Answer:
    """An error as ``app.problems`` answers it (problem+json, both languages)."""
    body = {"type": f"https://savoirs.dev/problems/{exc.code}", "title": exc.message_en, "status": exc.status,
            "detail": exc.message_en, "code": exc.code, "message_en": exc.message_en, "message_fr": exc.message_fr,
            **exc.extra}
    return exc.status, "application/problem+json", json.dumps(body, ensure_ascii=False,
                                                               separators=(",", ":")).encode("utf-8")


def _negotiated(request: _Request, offered: list[str]) -> str:
    media = negotiate(request.accept, offered)
    if media is None:
        raise NotAcceptable()
    return media


def _choice(request: _Request, name: str, allowed: Mapping[str, Any], default: Any) -> Any:
    """A query parameter restricted to ``allowed`` values (FastAPI answers 422 otherwise)."""
    if name not in request.query:
        return default
    value = request.query[name]
    if value not in allowed:
        raise InvalidInput(code="invalid_query")
    return allowed[value]


def _extension(request: _Request) -> baking.Extension:
    extension = request.params["extension"]
    if extension == "png":
        return "png"
    if extension == "svg":
        return "svg"
    raise InvalidInput(code="invalid_path")


def _image(content: bytes, extension: baking.Extension) -> _Answer:
    return 200, _IMAGE_TYPES[extension], content


# --- the public document routes, in the application's order --------------------------------------------------------

def _did(r: _Request) -> _Answer:
    return _served(key_documents.serve_did_document(r.ctx, r.params["slug"], ()), "application/did+json")


def _jwks(r: _Request) -> _Answer:
    return _served(key_documents.serve_jwks(r.ctx, r.params["slug"], ()), "application/jwk-set+json")


def _single_jwk(r: _Request) -> _Answer:
    return _served(key_documents.serve_single_jwk(r.ctx, r.params["slug"], r.params["key_id"], ()),
                   "application/jwk+json")


def _profile(r: _Request) -> _Answer:
    return _served(key_documents.serve_ob3_profile(r.ctx, r.params["slug"], ()), LD_JSON)


def _ob2_issuer(r: _Request) -> _Answer:
    return _served(key_documents.serve_ob2_issuer(r.ctx, r.params["slug"], ()), LD_JSON)


def _ob2_key(r: _Request) -> _Answer:
    return _served(key_documents.serve_ob2_key(r.ctx, r.params["key_id"], ()), LD_JSON)


def _achievement(r: _Request) -> _Answer:
    return _served(publication.serve_achievement(r.ctx, r.params["id"], ()), LD_JSON)


def _stored_image(r: _Request) -> _Answer:
    image = achievements.image_file(r.ctx, r.params["id"])
    return 200, image.media_type, image.content


def _generated_image(r: _Request) -> _Answer:
    image = achievements.generated_image(r.ctx, r.params["id"])
    return 200, image.media_type, image.content


def _credential(r: _Request) -> _Answer:
    forced = _choice(r, "format", {"json": LD_JSON, "jwt": "application/jwt"}, None)
    alg = _choice(r, "alg", {"RS256": "RS256", "ES256": "ES256"}, "RS256")
    kid = _choice(r, "kid", {"did": "did", "jwk": "jwk"}, "jwk")
    if len(r.query.get("lang", "")) > 8:
        raise InvalidInput(code="invalid_query")
    media = forced or _negotiated(r, _CREDENTIAL_OFFERED)
    if media == "text/html":  # the page verifies the credential itself: never asked for by the verifier
        raise NotAcceptable()
    if media == "application/jwt":
        return _served(publication.serve_credential_token(r.ctx, r.params["id"], alg, kid, ()), media)
    return _served(publication.serve_credential(r.ctx, r.params["id"], media, ()), media)


def _baked_credential(r: _Request) -> _Answer:
    extension = _extension(r)
    return _image(baking.credential_image(r.ctx, r.params["id"], extension), extension)


def _status_list(r: _Request) -> _Answer:
    return _served(publication.serve_status_list(r.ctx, r.params["id"], ()), "application/vc+ld+json")


def _signed_assertion(r: _Request) -> _Answer:
    return _served(ob2.serve_signed(r.ctx, r.params["id"], ()), "text/plain")


def _baked_assertion(r: _Request) -> _Answer:
    extension = _extension(r)
    signed = _choice(r, "signed", {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}, False)
    return _image(baking.assertion_image(r.ctx, r.params["id"], extension, signed=signed), extension)


def _hosted_assertion(r: _Request) -> _Answer:
    media = _negotiated(r, _OB2_JSON)
    return _served(ob2.serve_hosted(r.ctx, r.params["id"], media, ()), media)


def _badge_class(r: _Request) -> _Answer:
    media = _negotiated(r, _OB2_JSON)
    return _served(ob2.serve_badge_class(r.ctx, r.params["id"], media, ()), media)


def _revocations(r: _Request) -> _Answer:
    media = _negotiated(r, _OB2_JSON)
    return _served(ob2.serve_revocations(r.ctx, r.params["slug"], media, ()), media)


def _route(template: str) -> re.Pattern[str]:
    """A Starlette path template (``/orgs/{slug}/did.json``) as a regular expression over the decoded path."""
    parts = re.split(r"\{(\w+)\}", template)
    pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^/]+)" for i, p in enumerate(parts))
    return re.compile(pattern + r"\Z")


_DID_DOCUMENT = _route("/orgs/{slug}/did.json")
_ROUTES: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (_DID_DOCUMENT, _did),
    (_route("/orgs/{slug}/jwks.json"), _jwks),
    (_route("/orgs/{slug}/keys/{key_id}"), _single_jwk),
    (_route("/orgs/{slug}/profile"), _profile),
    (_route("/ob2/issuers/{slug}"), _ob2_issuer),
    (_route("/ob2/keys/{key_id}"), _ob2_key),
    (_route("/achievements/{id}"), _achievement),
    (_route("/images/{id}"), _stored_image),
    (_route("/achievements/{id}/image.svg"), _generated_image),
    (_route("/credentials/{id}"), _credential),
    (_route("/credentials/{id}/badge.{extension}"), _baked_credential),
    (_route("/status/{id}"), _status_list),
    (_route("/ob2/assertions/{id}.jws"), _signed_assertion),
    (_route("/ob2/assertions/{id}/badge.{extension}"), _baked_assertion),
    (_route("/ob2/assertions/{id}"), _hosted_assertion),
    (_route("/ob2/badges/{id}"), _badge_class),
    (_route("/ob2/issuers/{slug}/revocations"), _revocations),
)


# --- which URLs are ours ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Origin:
    scheme: str
    host: str
    port: int
    prefix: str  # decoded path prefix, without a trailing slash

    @classmethod
    def of(cls, url: str) -> _Origin | None:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError, UnicodeError):
            return None
        if parsed.scheme not in _PORTS or not parsed.host or parsed.userinfo:
            return None
        return cls(parsed.scheme, parsed.host.lower(), parsed.port or _PORTS[parsed.scheme],
                   parsed.path.rstrip("/"))

    def path_of(self, url: httpx.URL) -> str | None:
        """The path of ``url`` below this origin's prefix, or None when ``url`` is not under it."""
        if (url.scheme, url.host.lower(), url.port or _PORTS.get(url.scheme)) != (self.scheme, self.host, self.port):
            return None
        path = url.path
        if not path.startswith(self.prefix + "/"):
            return None
        return path[len(self.prefix):]


class LocalDocuments:
    """The verifier's :class:`~app.verify.fetch.LocalSource` for this service's own documents.

    :param allow_loopback: the fetch policy's, which decides the URL our did:web DIDs resolve to (http on
        loopback hosts when allowed, https otherwise).
    """

    def __init__(self, ctx: ServiceContext, *, allow_loopback: bool) -> None:
        self._ctx = ctx
        self._base = _Origin.of(ctx.urls.base)
        try:  # where our did:web DIDs resolve to: "<did origin>/orgs/<slug>/did.json"
            probe = did_web_url(ctx.urls.did("slug"), allow_loopback=allow_loopback)
            self._did_base = _Origin.of(probe.removesuffix("/orgs/slug/did.json"))
        except FetchError:
            self._did_base = None

    def __call__(self, url: str, accept: str) -> Fetched | None:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError, UnicodeError):
            return None
        if parsed.scheme not in _PORTS or parsed.userinfo or not parsed.host:
            return None
        path = self._base.path_of(parsed) if self._base else None
        if path is None and self._did_base is not None:
            did_path = self._did_base.path_of(parsed)
            path = did_path if did_path is not None and _DID_DOCUMENT.match(did_path) else None
        if path is None:
            return None
        status, media_type, content = self._answer(path, parsed, accept)
        return Fetched(url=url, status=status, media_type=media_type, content=content)

    def _answer(self, path: str, url: httpx.URL, accept: str) -> _Answer:
        for pattern, handler in _ROUTES:
            match = pattern.match(path)
            if match is None:
                continue
            request = _Request(self._ctx, match.groupdict(), dict(url.params.multi_items()), accept)
            try:
                return handler(request)
            except SavoirsError as exc:
                return _problem(exc)
            except (OperationalError, InterfaceError) as exc:
                log.warning("database unavailable: %s", type(exc).__name__)
                return _problem(ServiceUnavailable())
            except Exception as exc:  # what the HTTP route would answer: 500, logged
                log.error("reading our own document failed", exc_info=exc)
                return _problem(SavoirsError())
        return _problem(NotFound())
