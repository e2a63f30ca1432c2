"""Issue 18: the client address every throttle keys on. ``X-Forwarded-For`` is believed only from
``TRUSTED_PROXIES`` (uvicorn as ``savoirs serve`` runs it, over real HTTP): without one, a client that sends a new
forwarded address with each wrong key is throttled all the same; behind a trusted proxy, each forwarded client is
throttled alone, and an address a client prepends itself changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

from app.cli.serving import proxy_options
from app.config import Settings
from app.main import create_app
from tests.live_server import free_port, serve

LIMIT = 3


@contextmanager
def _served(settings_factory: Callable[..., Settings], **more: str) -> Iterator[httpx.Client]:
    port = free_port()
    settings = settings_factory(public_base_url=f"http://127.0.0.1:{port}", auth_failure_limit=LIMIT, **more)
    application = create_app(settings, jobs_in_process=False)
    try:
        with serve(application, port, lifespan="off", **proxy_options(settings)), \
                httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            yield http
    finally:
        application.state.db.dispose()


def _wrong_key(http: httpx.Client, forwarded: str) -> int:
    return http.get("/api/v1/org", headers={"Authorization": "Bearer bad.key",
                                            "X-Forwarded-For": forwarded}).status_code


def test_the_proxy_headers_are_off_without_a_trusted_proxy(settings_factory: Callable[..., Settings]) -> None:
    assert proxy_options(settings_factory()) == {"proxy_headers": False}
    assert proxy_options(settings_factory(trusted_proxies=" 127.0.0.1, 10.0.0.2 ")) == {
        "proxy_headers": True, "forwarded_allow_ips": ["127.0.0.1", "10.0.0.2"]}


def test_a_new_forwarded_address_with_each_wrong_key_does_not_escape_the_throttle(
        settings_factory: Callable[..., Settings]) -> None:
    with _served(settings_factory) as http:
        statuses = [_wrong_key(http, f"203.0.113.{n}") for n in range(LIMIT + 1)]
    assert statuses == [401] * LIMIT + [429]


def test_behind_a_trusted_proxy_each_forwarded_client_is_throttled_alone(
        settings_factory: Callable[..., Settings]) -> None:
    with _served(settings_factory, trusted_proxies="127.0.0.1") as http:
        assert [_wrong_key(http, "203.0.113.7") for _ in range(LIMIT)] == [401] * LIMIT
        assert _wrong_key(http, "203.0.113.7") == 429
        assert _wrong_key(http, "198.51.100.1, 203.0.113.7") == 429  # what the client prepends is not believed
        assert _wrong_key(http, "203.0.113.8") == 401
