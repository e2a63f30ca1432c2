"""The pinned transport: connects only to the address checked for the current hop, within the fetch deadline.

A pinned httpcore network backend substitutes the checked address in ``connect_tcp`` and refuses any host it was
not told about, while the URL, the ``Host`` header, the TLS SNI and the certificate check keep the real host name.
There is no second DNS lookup (no rebinding). Every socket operation is given the time left before the deadline,
so a slow-drip server is cut at the deadline. No HTTP/2.

Connections are kept alive within one fetcher (one verification): the issuer's did.json and its status list, on
one server, share one TCP and TLS handshake. A kept connection is reused only for the same scheme, host and port,
it was opened to an address checked under the same policy, and every hop is still checked (and may be refused)
before anything is sent; the fetcher closes its connections with the verification.
"""

from __future__ import annotations

import functools
import ssl
import time
from typing import Any

import httpcore
import httpx

__all__ = ["PinnedBackend", "PinnedTransport", "default_ssl_context"]


def _time_left(deadline: float, exc: type[Exception], timeout: float | None) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise exc("fetch time budget exhausted")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """Gives every socket operation at most the time left before the fetch deadline."""

    def __init__(self, inner: httpcore.NetworkStream, backend: PinnedBackend) -> None:
        self._inner = inner
        self._backend = backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(self._backend.deadline, httpcore.ReadTimeout, timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(self._backend.deadline, httpcore.WriteTimeout, timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        left = _time_left(self._backend.deadline, httpcore.ConnectTimeout, timeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, left), self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class PinnedBackend(httpcore.NetworkBackend):
    """Connects only to the address checked for the current hop; no name resolution happens here.

    The fetcher sets ``pin`` (host as in the URL, port, checked address) and ``deadline`` (``time.monotonic()``)
    before each hop.
    """

    def __init__(self) -> None:
        self._tcp = httpcore.SyncBackend()
        self.pin: tuple[str, int, str] | None = None
        self.deadline = 0.0

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        pin = self.pin
        if pin is None or (host, port) != pin[:2]:
            raise httpcore.ConnectError(f"refusing to connect to unchecked {host}:{port}")
        left = _time_left(self.deadline, httpcore.ConnectTimeout, timeout)
        stream = self._tcp.connect_tcp(pin[2], port, timeout=left, local_address=local_address,
                                       socket_options=socket_options)
        return _DeadlineStream(stream, self)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.cache
def default_ssl_context() -> ssl.SSLContext:
    """Certificate verification against certifi's roots (httpx's default), hostname checked; built once (~50 ms)."""
    return httpx.create_ssl_context(trust_env=False)


#: how long an idle connection is kept for the next fetch of the same verification
KEEPALIVE_SECONDS = 5.0


class PinnedTransport(httpx.HTTPTransport):
    """httpx's transport over an httpcore pool that uses the pinned backend; one connection at a time, kept alive
    for the next request to the same origin."""

    def __init__(self, backend: PinnedBackend, ssl_context: ssl.SSLContext) -> None:
        super().__init__(verify=ssl_context, http1=True, http2=False, trust_env=False, retries=0)
        self._pool.close()
        # httpx 0.28 takes no network_backend, so its pool is replaced (pinned version; the tests would catch it).
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, max_connections=1, max_keepalive_connections=1,
            keepalive_expiry=KEEPALIVE_SECONDS, http1=True, http2=False, retries=0, network_backend=backend,
        )
