"""The fetcher: GET under a :class:`FetchPolicy`, every hop checked and pinned, bounded in time and size.

One deadline (``FetchPolicy.timeout``) covers the whole ``get`` - resolution, connect, TLS, redirects and the body.
The body is streamed and cut at ``max_bytes`` (``Content-Length`` is only used to refuse early). Content encodings
are refused (``Accept-Encoding: identity``), so the cap is on the bytes actually received. No cookies, no proxies
from the environment. A :class:`~app.verify.fetch.local.LocalSource`, when given, is asked first for every hop: what
it answers is checked like a network answer, and no connection is made for it.

A ``SafeFetcher`` is not thread-safe: use one per verification.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Collection
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from typing import Any

import httpx

from app.verify.fetch.addresses import Resolver, Target, check_url, system_resolver
from app.verify.fetch.failures import FetchError
from app.verify.fetch.local import LocalSource
from app.verify.fetch.policy import DEFAULT_POLICY, Fetched, FetchPolicy
from app.verify.fetch.transport import PinnedBackend, PinnedTransport, default_ssl_context

__all__ = ["USER_AGENT", "SafeFetcher"]

USER_AGENT = "savoirs-verifier"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class _NoCookies(DefaultCookiePolicy):
    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False

    def return_ok(self, cookie: Any, request: Any) -> bool:
        return False


def _caused_by_tls(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError | ssl.CertificateError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _network_error(exc: Exception, url: str, deadline: float) -> FetchError:
    if isinstance(exc, httpx.TimeoutException) or time.monotonic() >= deadline:
        return FetchError("timeout", url)
    if _caused_by_tls(exc):
        return FetchError("tls_failed", url)
    if isinstance(exc, httpx.ConnectError):
        return FetchError("connect_failed", url)
    if isinstance(exc, httpx.HTTPError):
        return FetchError("protocol_error", url)
    raise exc


def _check_answer(url: str, status: int, media_type: str, allowed: frozenset[str], allow_gone: bool) -> bool:
    """Refuse an answer outside the policy (status, media type); True when it is a 410 whose body is dropped."""
    gone = status == 410 and allow_gone
    if not (200 <= status < 300 or gone):
        raise FetchError("http_status", url, detail_en=f"(HTTP {status})", detail_fr=f"(HTTP {status})")
    if media_type not in allowed:
        if gone:  # the verdict is "revoked" whatever the body; an unexpected body is not handed over
            return True
        raise FetchError("unexpected_content_type", url,
                         detail_en=f"({media_type or 'none'})", detail_fr=f"({media_type or 'aucun'})")
    return False


#: a redirect's body up to this size is read so that its connection can carry the next hop
_DRAIN_MAX = 4096


def _drain(response: httpx.Response) -> None:
    """Read a small declared redirect body (within the fetch deadline); a larger, undeclared or failing one is left
    unread, and its connection is closed with the response instead of kept."""
    declared = response.headers.get("content-length", "").strip()
    if not declared.isdigit() or int(declared) > _DRAIN_MAX:
        return
    try:
        for _ in response.iter_raw():
            pass
    except Exception:  # a server failing here only loses the kept connection
        return


class SafeFetcher:
    """The verifier's outbound HTTP client. ``fetched`` lists every URL requested, redirect hops included.

    :param policy: what a fetch may do (loopback, time budget, size cap, redirects).
    :param resolver: host name → addresses (default: the system resolver); tests give a table.
    :param ssl_context: the TLS trust and checks (default: certifi's roots, host name checked); tests give one
        that trusts their own certificate authority.
    :param local: asked first for every URL: the documents it answers for are never fetched over the network.
    """

    def __init__(self, policy: FetchPolicy = DEFAULT_POLICY, *, resolver: Resolver | None = None,
                 ssl_context: ssl.SSLContext | None = None, local: LocalSource | None = None) -> None:
        self.policy = policy
        self._local = local
        self.fetched: list[str] = []
        self._answers: dict[tuple[str, str, frozenset[str], bool], Fetched] = {}
        self._resolver: Resolver = resolver or system_resolver
        self._backend = PinnedBackend()
        self._client = httpx.Client(
            transport=PinnedTransport(self._backend, ssl_context or default_ssl_context()),
            trust_env=False,
            follow_redirects=False,
            cookies=CookieJar(policy=_NoCookies()),
            timeout=httpx.Timeout(policy.timeout),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        )

    # context manager -------------------------------------------------------------------------------------------
    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> SafeFetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # fetch -----------------------------------------------------------------------------------------------------
    def get(self, url: str, *, accept: str, allowed_types: Collection[str], allow_gone: bool = False) -> Fetched:
        """GET ``url`` under the policy; return the final 2xx (or 410 when ``allow_gone``) response.

        A successful answer is remembered for the life of this fetcher (one verification): the same document
        asked for twice (the issuer's DID document, for the credential and for its status list) is fetched once.

        :raises FetchError: refused before connecting, failed, or answered outside the policy.
        """
        allowed = frozenset(t.strip().lower() for t in allowed_types)
        key = (url, accept, allowed, allow_gone)
        remembered = self._answers.get(key)
        if remembered is None:
            remembered = self._answers[key] = self._get(url, accept, allowed, allow_gone)
        return remembered

    def _get(self, url: str, accept: str, allowed: frozenset[str], allow_gone: bool) -> Fetched:
        deadline = time.monotonic() + self.policy.timeout
        current = url
        for hop in range(self.policy.max_redirects + 1):
            answer = self._local(current, accept) if self._local is not None else None
            if answer is not None:
                return self._read_local(answer, current, allowed, allow_gone)
            target = check_url(current, allow_loopback=self.policy.allow_loopback, resolver=self._resolver,
                               deadline=deadline)
            response = self._send(target, accept, deadline, current)
            try:
                if response.status_code in _REDIRECT_STATUSES:
                    current = self._next_hop(target, response, current, last=hop == self.policy.max_redirects)
                    _drain(response)
                    continue
                return self._read(response, str(target.url), allowed, allow_gone, deadline)
            finally:
                response.close()
        raise AssertionError("unreachable")  # pragma: no cover

    def _next_hop(self, target: Target, response: httpx.Response, current: str, *, last: bool) -> str:
        location = response.headers.get("location", "").strip()
        if not location:
            raise FetchError("bad_redirect", current)
        try:
            nxt = target.url.join(location)
        except (httpx.InvalidURL, TypeError, ValueError, UnicodeError):
            raise FetchError("bad_redirect", location) from None
        if last:
            raise FetchError("too_many_redirects", str(nxt),
                             detail_en=f"(more than {self.policy.max_redirects})",
                             detail_fr=f"(plus de {self.policy.max_redirects})")
        if target.url.scheme == "https" and nxt.scheme == "http":
            raise FetchError("insecure_redirect", str(nxt))
        return str(nxt)

    def post(self, url: str, content: bytes, *, content_type: str, accept: str,
             headers: dict[str, str] | None = None) -> Fetched:
        """POST ``content`` to ``url`` under the policy (address checked and pinned, one deadline, body cap) and
        return the answer whatever its status, for the caller to read: a registration, a token request, a
        credential pushed to a backpack. Redirects are not followed (a 3xx is returned as it came); nothing is
        remembered.

        :raises FetchError: refused before connecting, failed, too slow or too large.
        """
        deadline = time.monotonic() + self.policy.timeout
        target = check_url(url, allow_loopback=self.policy.allow_loopback, resolver=self._resolver,
                           deadline=deadline)
        sent = {**(headers or {}), "Content-Type": content_type}
        response = self._send(target, accept, deadline, url, method="POST", content=content, headers=sent)
        try:
            media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            return Fetched(url=str(target.url), status=response.status_code, media_type=media_type,
                           content=self._body(response, str(target.url), deadline))
        finally:
            response.close()

    def _send(self, target: Target, accept: str, deadline: float, current: str, *, method: str = "GET",
              content: bytes | None = None, headers: dict[str, str] | None = None) -> httpx.Response:
        self._backend.pin = (target.host, target.port, target.address)
        self._backend.deadline = deadline
        request = self._client.build_request(method, target.url, headers={**(headers or {}), "Accept": accept},
                                             content=content)
        self.fetched.append(str(target.url))
        try:
            return self._client.send(request, stream=True)
        except Exception as exc:
            raise _network_error(exc, current, deadline) from None

    def _read_local(self, answer: Fetched, url: str, allowed: frozenset[str], allow_gone: bool) -> Fetched:
        """A local answer, listed in ``fetched`` and held to the policy like a network one."""
        self.fetched.append(url)
        media_type = answer.media_type.split(";", 1)[0].strip().lower()
        if _check_answer(url, answer.status, media_type, allowed, allow_gone):
            return Fetched(url=url, status=answer.status, media_type=media_type, content=b"")
        if len(answer.content) > self.policy.max_bytes:
            raise FetchError("too_large", url)
        return Fetched(url=url, status=answer.status, media_type=media_type, content=answer.content)

    def _read(self, response: httpx.Response, url: str, allowed: frozenset[str], allow_gone: bool,
              deadline: float) -> Fetched:
        status = response.status_code
        media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if _check_answer(url, status, media_type, allowed, allow_gone):
            return Fetched(url=url, status=status, media_type=media_type, content=b"")
        return Fetched(url=url, status=status, media_type=media_type, content=self._body(response, url, deadline))

    def _body(self, response: httpx.Response, url: str, deadline: float) -> bytes:
        """The body as received (no content encoding), cut at the cap and the deadline."""
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            raise FetchError("unexpected_content_encoding", url)
        cap = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > cap:
            raise FetchError("too_large", url)
        body = bytearray()
        try:
            for chunk in response.iter_raw():
                body += chunk
                if len(body) > cap:
                    raise FetchError("too_large", url)
                if time.monotonic() >= deadline:
                    raise FetchError("timeout", url)
        except FetchError:
            raise
        except Exception as exc:
            raise _network_error(exc, url, deadline) from None
        return bytes(body)
