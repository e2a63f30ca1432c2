"""The verifier's outbound client (T6): SSRF refusals (S7), budgets (S8), policy checks and did:web URLs."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import tracemalloc
from collections.abc import Callable, Iterator

import httpcore
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.verify.fetch import (
    Fetched,
    FetchError,
    FetchPolicy,
    PinnedBackend,
    SafeFetcher,
    address_forbidden,
    did_web_url,
    numeric_ipv4,
)
from tests.verify.conftest import PUBLIC_IP, Canary, CertAuthority, Net, elapsed

JSON = ("application/json",)
STRICT = FetchPolicy()  # production defaults: loopback refused
LOOPBACK = FetchPolicy(allow_loopback=True, timeout=2.0)


def _resolver(table: dict[str, list[str]]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "unknown test host")
        return table[host]

    return resolve


@pytest.fixture
def strict() -> Iterator[SafeFetcher]:
    with SafeFetcher(STRICT) as f:
        yield f


@pytest.fixture
def loose() -> Iterator[SafeFetcher]:
    with SafeFetcher(LOOPBACK) as f:
        yield f


def _refused(fetcher: SafeFetcher, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.get(url, accept="application/json", allowed_types=JSON, **kwargs)  # type: ignore[arg-type]
    return info.value


def _get(fetcher: SafeFetcher, url: str, types: tuple[str, ...] = JSON, **kwargs: object) -> Fetched:
    return fetcher.get(url, accept=", ".join(types), allowed_types=types, **kwargs)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------- S7: refused, 0 hits

PRIVATE_TARGETS = [
    "http://127.0.0.1:{port}/json",
    "http://[::1]:{port}/json",
    "http://169.254.169.254/latest/meta-data/",
    "http://0x7f000001:{port}/json",
    "http://2130706433:{port}/json",
    "http://127.1:{port}/json",
    "http://0x7f.1:{port}/json",
    "http://127.0.0.1.:{port}/json",
    "http://[::ffff:127.0.0.1]:{port}/json",
    "http://[::7f00:1]:{port}/json",
    "http://[64:ff9b::7f00:1]:{port}/json",
    "http://[2002:7f00:1::]:{port}/json",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://[fe80::1]/",
    "http://0.0.0.0:{port}/json",
    "http://[::]:{port}/json",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "https://198.18.0.1/",
]


@pytest.mark.parametrize("template", PRIVATE_TARGETS)
def test_private_and_loopback_addresses_are_refused_without_connecting(
        template: str, strict: SafeFetcher, canary: Canary, net: Net) -> None:
    error = _refused(strict, template.format(port=canary.port))
    assert error.reason == "address_not_allowed"
    assert (canary.connections, net.attempts, strict.fetched) == (0, [], [])


@pytest.mark.parametrize("template", ["http://0177.0.0.1:{port}/json", "http://1.2.3.4.5:{port}/",
                                      "http://256.1:{port}/", "http://09.1:{port}/"])
def test_malformed_numeric_hosts_are_refused_without_connecting(
        template: str, strict: SafeFetcher, canary: Canary, net: Net) -> None:
    assert _refused(strict, template.format(port=canary.port)).reason == "invalid_url"
    assert (canary.connections, net.attempts) == (0, [])


def test_localhost_name_is_refused_after_resolution(strict: SafeFetcher, canary: Canary, net: Net) -> None:
    assert _refused(strict, canary.url(host="localhost")).reason == "address_not_allowed"
    assert (canary.connections, net.attempts) == (0, [])


@pytest.mark.parametrize("template", ["file:///etc/passwd", "gopher://127.0.0.1:{port}/_GET%20/json",
                                      "ftp://127.0.0.1:{port}/", "data:application/json,{{}}",
                                      "javascript:alert(1)", "dict://127.0.0.1:{port}/", "//127.0.0.1:{port}/"])
def test_other_schemes_are_refused(template: str, loose: SafeFetcher, canary: Canary, net: Net) -> None:
    error = _refused(loose, template.format(port=canary.port))
    assert error.reason in ({"invalid_url"} if template.startswith("//") else {"scheme_not_allowed"})
    assert (canary.connections, net.attempts) == (0, [])


@pytest.mark.parametrize("template", ["http://user:pw@127.0.0.1:{port}/json", "http://127.0.0.1:{port}@evil.test/",
                                      "http://evil.test\\@127.0.0.1:{port}/"])
def test_userinfo_is_refused_even_when_the_host_is_allowed(
        template: str, loose: SafeFetcher, canary: Canary, net: Net) -> None:
    assert _refused(loose, template.format(port=canary.port)).reason == "userinfo_not_allowed"
    assert (canary.connections, net.attempts) == (0, [])


def test_did_web_on_loopback_is_refused(strict: SafeFetcher, canary: Canary, net: Net) -> None:
    url = did_web_url(f"did:web:127.0.0.1%3A{canary.port}", allow_loopback=False)
    assert _refused(strict, url).reason == "address_not_allowed"
    assert (canary.connections, net.attempts) == (0, [])


def test_did_web_on_loopback_is_fetched_when_loopback_is_allowed(loose: SafeFetcher, canary: Canary) -> None:
    url = did_web_url(f"did:web:127.0.0.1%3A{canary.port}", allow_loopback=True)
    got = _get(loose, url, ("application/did+json",))
    assert (got.status, got.media_type, canary.requests[0].path) == (200, "application/did+json",
                                                                      "/.well-known/did.json")


@pytest.mark.parametrize("addresses", [["10.0.0.1"], ["127.0.0.1"], [PUBLIC_IP, "192.168.0.7"],
                                       ["::ffff:10.0.0.1"], ["fe80::1%1"], ["not-an-ip"]])
def test_a_name_resolving_to_any_private_address_is_refused(addresses: list[str], canary: Canary, net: Net) -> None:
    net.route_public_to(canary)
    with SafeFetcher(STRICT, resolver=_resolver({"evil.test": addresses})) as fetcher:
        assert _refused(fetcher, f"http://evil.test:{canary.port}/json").reason == "address_not_allowed"
    assert (canary.connections, net.attempts) == (0, [])


def test_redirect_from_a_public_server_to_loopback_is_refused(canary: Canary, canary2: Canary, net: Net) -> None:
    net.route_public_to(canary)
    with SafeFetcher(STRICT, resolver=_resolver({"public.test": [PUBLIC_IP]})) as fetcher:
        error = _refused(fetcher, f"http://public.test:{canary.port}/to?url={canary2.url()}")
        assert fetcher.fetched == [f"http://public.test:{canary.port}/to?url={canary2.url()}"]
    assert (error.reason, error.url) == ("address_not_allowed", canary2.url())
    assert (canary.connections, canary2.connections, net.attempts) == (1, 0, [(PUBLIC_IP, canary.port)])


@pytest.mark.parametrize(("target", "reason"), [("http://169.254.169.254/latest/meta-data/", "address_not_allowed"),
                                                ("http://[::ffff:127.0.0.1]:1/", "address_not_allowed"),
                                                ("file:///etc/passwd", "scheme_not_allowed")])
def test_redirect_from_an_allowed_server_to_a_forbidden_target_is_refused(
        target: str, reason: str, loose: SafeFetcher, canary: Canary, net: Net) -> None:
    assert _refused(loose, canary.url(f"/to?url={target}")).reason == reason
    assert (canary.connections, net.attempts) == (1, [("127.0.0.1", canary.port)])


def test_connection_goes_to_the_checked_address_with_the_real_host_header(canary: Canary, net: Net) -> None:
    with SafeFetcher(LOOPBACK, resolver=_resolver({"canary.test": ["127.0.0.1"]})) as fetcher:
        got = _get(fetcher, f"http://canary.test:{canary.port}/json")
    assert got.content == b'{"ok": true}'
    assert canary.requests[0].headers["host"] == f"canary.test:{canary.port}"
    assert net.attempts == [("127.0.0.1", canary.port)]


def test_dns_rebinding_is_defeated_by_resolving_once(canary: Canary, net: Net) -> None:
    answers = [[PUBLIC_IP], ["127.0.0.1"]]  # first lookup public, any later one private

    def rebinding(host: str, port: int) -> list[str]:
        return answers.pop(0)

    net.route_public_to(canary)
    with SafeFetcher(STRICT, resolver=rebinding) as fetcher:
        assert _get(fetcher, f"http://rebind.test:{canary.port}/json").status == 200
    assert answers == [["127.0.0.1"]]  # resolved exactly once
    assert net.attempts == [(PUBLIC_IP, canary.port)]  # and the connection went to that checked address


def test_pinned_backend_refuses_a_host_it_was_not_told_about() -> None:
    backend = PinnedBackend()
    backend.deadline = time.monotonic() + 5
    backend.pin = ("a.test", 80, "127.0.0.1")
    with pytest.raises(httpcore.ConnectError):
        backend.connect_tcp("b.test", 80)


@pytest.mark.parametrize("resolver", [_resolver({}), _resolver({"empty.test": []})])
def test_unresolvable_names_fail_as_dns_failed(resolver: Callable[[str, int], list[str]], net: Net) -> None:
    with SafeFetcher(STRICT, resolver=resolver) as fetcher:
        assert _refused(fetcher, "https://empty.test/").reason == "dns_failed"
    assert net.attempts == []


# ------------------------------------------------------------------------------------------- S8 / R4: budgets


def test_slow_drip_body_is_cut_at_the_deadline(canary: Canary) -> None:
    start = time.monotonic()
    with SafeFetcher(FetchPolicy(allow_loopback=True, timeout=1.0)) as fetcher:
        assert _refused(fetcher, canary.url("/drip")).reason == "timeout"
    assert elapsed(start) < 1.5


def test_a_server_that_never_answers_is_cut_at_the_deadline(canary: Canary) -> None:
    start = time.monotonic()
    with SafeFetcher(FetchPolicy(allow_loopback=True, timeout=1.0)) as fetcher:
        assert _refused(fetcher, canary.url("/hang")).reason == "timeout"
    assert elapsed(start) < 1.5


def test_a_black_holed_resolver_is_cut_at_the_deadline() -> None:
    def black_hole(host: str, port: int) -> list[str]:
        time.sleep(3)
        return [PUBLIC_IP]

    start = time.monotonic()
    with SafeFetcher(FetchPolicy(timeout=0.5), resolver=black_hole) as fetcher:
        assert _refused(fetcher, "https://slow-dns.test/").reason == "timeout"
    assert elapsed(start) < 1.0


def test_a_50_mb_body_is_cut_at_max_bytes_without_buffering_it(loose: SafeFetcher, canary: Canary) -> None:
    tracemalloc.start()
    try:
        error = _refused(loose, canary.url("/big"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason == "too_large"
    assert peak < 8 * 1024 * 1024
    assert canary.bytes_sent < 25 * 1024 * 1024  # the server was stopped well before 50 MB


def test_a_declared_length_over_the_cap_is_refused_before_reading(canary: Canary) -> None:
    start = time.monotonic()  # the server sends 10 of the 2000 bytes announced, then stalls: reading would time out
    with SafeFetcher(FetchPolicy(allow_loopback=True, timeout=2.0, max_bytes=1000)) as fetcher:
        assert _refused(fetcher, canary.url("/declared/2000")).reason == "too_large"
    assert elapsed(start) < 1.0


@pytest.mark.parametrize(("size", "ok"), [(1000, True), (1001, False)])
def test_body_cap_boundary(size: int, ok: bool, canary: Canary) -> None:
    with SafeFetcher(FetchPolicy(allow_loopback=True, max_bytes=1000)) as fetcher:
        if ok:
            assert len(_get(fetcher, canary.url(f"/size/{size}")).content) == size
        else:
            assert _refused(fetcher, canary.url(f"/size/{size}")).reason == "too_large"


def test_five_redirects_are_refused_after_three_hops(loose: SafeFetcher, canary: Canary) -> None:
    error = _refused(loose, canary.url("/redirect/5"))
    assert error.reason == "too_many_redirects"
    assert len(canary.requests) == 4
    assert loose.fetched == [canary.url(f"/redirect/{n}") for n in (5, 4, 3, 2)]


def test_three_redirects_on_one_server_are_followed_on_one_kept_connection(loose: SafeFetcher, canary: Canary) -> None:
    got = _get(loose, canary.url("/redirect/2"))
    assert (got.url, got.status) == (canary.url("/json"), 200)
    assert loose.fetched == [canary.url("/redirect/2"), canary.url("/redirect/1"), canary.url("/redirect/0"),
                             canary.url("/json")]
    assert (canary.connections, len(canary.requests)) == (1, 4)


def test_the_documents_of_one_verification_on_one_server_share_a_connection(loose: SafeFetcher,
                                                                            canary: Canary) -> None:
    _get(loose, canary.url("/json"))
    loose.get(canary.url("/.well-known/did.json"), accept="application/did+json",
              allowed_types=("application/did+json",))
    assert (canary.connections, len(canary.requests)) == (1, 2)


def test_each_verification_opens_its_own_connections(canary: Canary) -> None:
    for _ in range(2):
        with SafeFetcher(LOOPBACK) as fetcher:
            _get(fetcher, canary.url("/json"))
    assert (canary.connections, len(canary.requests)) == (2, 2)


def test_a_connection_cut_short_by_the_size_cap_is_not_reused(canary: Canary) -> None:
    with SafeFetcher(FetchPolicy(allow_loopback=True, max_bytes=1000)) as fetcher:
        assert _refused(fetcher, canary.url("/size/5000")).reason == "too_large"
        _get(fetcher, canary.url("/json"))
    assert (canary.connections, len(canary.requests)) == (2, 2)


def test_a_kept_connection_does_not_excuse_the_next_fetch_from_its_checks(canary: Canary, net: Net) -> None:
    """The host now resolves to a forbidden address (DNS rebinding): refused before anything is sent, although a
    connection to that origin is open."""
    net.route_public_to(canary)
    table = {"public.test": [PUBLIC_IP]}
    with SafeFetcher(STRICT, resolver=_resolver(table)) as fetcher:
        _get(fetcher, f"http://public.test:{canary.port}/json")
        table["public.test"] = ["127.0.0.1"]
        error = _refused(fetcher, f"http://public.test:{canary.port}/.well-known/did.json")
    assert error.reason == "address_not_allowed"
    assert (canary.connections, len(canary.requests)) == (1, 1)


def test_redirect_to_another_server_is_rechecked_and_listed(
        loose: SafeFetcher, canary: Canary, canary2: Canary, net: Net) -> None:
    got = _get(loose, canary.url(f"/to?url={canary2.url()}&status=307"))
    assert got.url == canary2.url()
    assert loose.fetched == [canary.url(f"/to?url={canary2.url()}&status=307"), canary2.url()]
    assert net.attempts == [("127.0.0.1", canary.port), ("127.0.0.1", canary2.port)]


def test_redirect_without_location_is_refused(loose: SafeFetcher, canary: Canary) -> None:
    assert _refused(loose, canary.url("/status/302")).reason == "bad_redirect"


# ------------------------------------------------------------------------------------------- responses


@pytest.mark.parametrize("content_type", ["text/html", "application/jsonp", None])
def test_unexpected_content_type_is_refused(content_type: str | None, loose: SafeFetcher, canary: Canary) -> None:
    path = "/type" if content_type is None else f"/type?ct={content_type}"
    assert _refused(loose, canary.url(path)).reason == "unexpected_content_type"


def test_media_type_is_lower_cased_without_parameters(loose: SafeFetcher, canary: Canary) -> None:
    got = _get(loose, canary.url("/type?ct=Application/LD%2BJSON;%20charset=UTF-8"), ("application/ld+json",))
    assert got.media_type == "application/ld+json"


def test_gone_is_returned_when_allowed(loose: SafeFetcher, canary: Canary) -> None:
    got = _get(loose, canary.url("/status/410"), allow_gone=True)
    assert (got.status, got.content) == (410, b'{"revoked": true}')


@pytest.mark.parametrize("status", [410, 404, 500, 300])
def test_error_statuses_are_refused_with_the_code(status: int, loose: SafeFetcher, canary: Canary) -> None:
    error = _refused(loose, canary.url(f"/status/{status}"))
    assert error.reason == "http_status"
    assert str(status) in error.message_en and str(status) in error.message_fr


def test_compressed_bodies_are_refused(loose: SafeFetcher, canary: Canary) -> None:
    assert _refused(loose, canary.url("/gzip")).reason == "unexpected_content_encoding"


def test_request_headers(loose: SafeFetcher, canary: Canary) -> None:
    loose.get(canary.url(), accept="application/ld+json, application/json", allowed_types=JSON)
    headers = canary.requests[0].headers
    assert headers["accept"] == "application/ld+json, application/json"
    assert headers["user-agent"] == "savoirs-verifier"
    assert headers["accept-encoding"] == "identity"


def test_cookies_are_neither_kept_nor_sent(loose: SafeFetcher, canary: Canary) -> None:
    _get(loose, canary.url("/cookie"))
    _get(loose, canary.url("/json"))
    assert "cookie" not in canary.requests[1].headers


def test_proxies_from_the_environment_are_ignored(
        monkeypatch: pytest.MonkeyPatch, canary: Canary, canary2: Canary) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{canary2.port}")
    with SafeFetcher(LOOPBACK) as fetcher:
        _get(fetcher, canary.url())
    assert (canary.connections, canary2.connections) == (1, 0)


# ------------------------------------------------------------------------------------------- TLS


@pytest.fixture
def trusting(tls_files: tuple[CertAuthority, str, str]) -> ssl.SSLContext:
    """A TLS context that trusts the test certificate authority (given to the fetcher as its ``ssl_context``)."""
    return tls_files[0].client_context()


def test_tls_uses_the_real_host_name_for_sni_and_certificate(
        trusting: ssl.SSLContext, tls_canary: Canary, net: Net) -> None:
    with SafeFetcher(LOOPBACK, resolver=_resolver({"canary.test": ["127.0.0.1"]}), ssl_context=trusting) as fetcher:
        got = _get(fetcher, tls_canary.url(host="canary.test"))
    assert got.status == 200
    assert tls_canary.sni == ["canary.test"]
    assert tls_canary.requests[0].headers["host"] == f"canary.test:{tls_canary.port}"
    assert net.attempts == [("127.0.0.1", tls_canary.port)]


def test_tls_certificate_for_another_name_is_refused(trusting: ssl.SSLContext, tls_canary: Canary) -> None:
    with SafeFetcher(LOOPBACK, resolver=_resolver({"other.test": ["127.0.0.1"]}), ssl_context=trusting) as fetcher:
        assert _refused(fetcher, tls_canary.url(host="other.test")).reason == "tls_failed"
    assert tls_canary.requests == []


def test_redirect_from_https_to_http_is_refused(trusting: ssl.SSLContext, tls_canary: Canary, canary: Canary) -> None:
    with SafeFetcher(LOOPBACK, resolver=_resolver({"canary.test": ["127.0.0.1"]}), ssl_context=trusting) as fetcher:
        error = _refused(fetcher, tls_canary.url(f"/to?url={canary.url()}", host="canary.test"))
    assert error.reason == "insecure_redirect"
    assert canary.connections == 0


# ------------------------------------------------------------------------------------------- error and policy


# ------------------------------------------------------------------------------------------- POST (backpacks)


def test_a_post_sends_its_body_and_headers_and_returns_the_answer(loose: SafeFetcher, canary: Canary) -> None:
    answer = loose.post(canary.url("/echo"), b'{"a": 1}', content_type="application/json", accept="application/json",
                        headers={"Authorization": "Bearer t"})
    assert (answer.status, answer.media_type, answer.content) == (201, "application/json", b'{"a": 1}')
    seen = canary.requests[0]
    assert seen.body == b'{"a": 1}' and seen.headers["content-type"] == "application/json"
    assert seen.headers["authorization"] == "Bearer t" and seen.headers["accept-encoding"] == "identity"


def test_a_post_returns_an_error_status_as_it_came(loose: SafeFetcher, canary: Canary) -> None:
    answer = loose.post(canary.url("/status/400"), b"x", content_type="text/plain", accept="application/json")
    assert answer.status == 400 and answer.content == b'{"revoked": true}'


def test_a_post_does_not_follow_a_redirect(loose: SafeFetcher, canary: Canary, canary2: Canary) -> None:
    answer = loose.post(canary.url(f"/to?status=307&url={canary2.url('/echo')}"), b"x", content_type="text/plain",
                        accept="application/json")
    assert answer.status == 307 and canary2.requests == []


def test_a_post_to_a_private_address_is_refused_without_connecting(strict: SafeFetcher, canary: Canary) -> None:
    with pytest.raises(FetchError) as refused:
        strict.post(canary.url("/echo"), b"x", content_type="text/plain", accept="application/json")
    assert refused.value.reason == "address_not_allowed" and canary.connections == 0


def test_a_post_answer_is_cut_at_max_bytes(canary: Canary) -> None:
    with SafeFetcher(FetchPolicy(allow_loopback=True, max_bytes=1000)) as fetcher, pytest.raises(FetchError) as cut:
        fetcher.post(canary.url("/size/5000"), b"x", content_type="text/plain", accept="application/json")
    assert cut.value.reason == "too_large"


def test_fetch_error_is_bilingual_with_stable_codes_and_a_truncated_url(strict: SafeFetcher) -> None:
    error = _refused(strict, "http://10.0.0.1/" + "a" * 500)
    assert (error.code, error.reason, len(error.url)) == ("fetch_failed", "address_not_allowed", 200)
    assert error.message_en and error.message_fr and error.message_en != error.message_fr


def test_policy_rejects_a_non_positive_timeout() -> None:
    with pytest.raises(ValueError, match="timeout"):
        FetchPolicy(timeout=0)


# ------------------------------------------------------------------------------------------- address rules


@given(st.integers(0, 2**32 - 1))
def test_ipv4_mapped_and_nat64_forms_are_judged_like_the_ipv4_address(n: int) -> None:
    v4 = ipaddress.IPv4Address(n)
    mapped = ipaddress.IPv6Address(0xFFFF_0000_0000 | n)
    nat64 = ipaddress.IPv6Address((0x64FF9B << 96) | n)
    assert address_forbidden(mapped) == address_forbidden(nat64) == address_forbidden(v4)


@given(st.integers(0, 2**32 - 1))
def test_ipv4_compatible_and_6to4_are_always_forbidden(n: int) -> None:
    assert address_forbidden(ipaddress.IPv6Address(n))
    assert address_forbidden(ipaddress.IPv6Address((0x2002 << 112) | (n << 80)))


@pytest.mark.parametrize(("address", "strict_verdict", "loopback_verdict"), [
    ("127.0.0.1", True, False), ("127.255.0.9", True, False), ("::1", True, False),
    ("::ffff:127.0.0.1", True, True), ("10.1.2.3", True, True), ("169.254.169.254", True, True),
    ("100.64.0.1", True, True), ("fc00::1", True, True), ("fec0::1", True, True), ("ff02::1", True, True),
    ("192.0.0.9", True, True), ("93.184.215.14", False, False), ("2606:4700::1111", False, False),
])
def test_address_rules(address: str, strict_verdict: bool, loopback_verdict: bool) -> None:
    ip = ipaddress.ip_address(address)
    assert (address_forbidden(ip), address_forbidden(ip, allow_loopback=True)) == (strict_verdict, loopback_verdict)


_PART = st.one_of(st.integers(0, 2**32 - 1).map(str), st.integers(0, 2**32 - 1).map(hex),
                  st.integers(1, 2**32 - 1).map(lambda v: "0" + format(v, "o")))


@given(st.lists(_PART, min_size=1, max_size=4))
def test_numeric_hosts_decode_like_inet_aton(parts: list[str]) -> None:
    host = ".".join(parts)
    try:
        expected: ipaddress.IPv4Address | None = ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        expected = None
    try:
        got = numeric_ipv4(host)
    except ValueError:
        got = None
    assert got == expected


@pytest.mark.parametrize("host", ["example.org", "0x7g", "xn--bcher-kva.example", "1.2.3.example"])
def test_names_are_not_numeric_hosts(host: str) -> None:
    assert numeric_ipv4(host) is None


# ------------------------------------------------------------------------------------------- did:web


@pytest.mark.parametrize(("did", "loopback", "url"), [
    ("did:web:example.org", False, "https://example.org/.well-known/did.json"),
    ("did:web:Example.ORG", False, "https://example.org/.well-known/did.json"),
    ("did:web:example.org%3A8443", False, "https://example.org:8443/.well-known/did.json"),
    ("did:web:example.org%3a8443", False, "https://example.org:8443/.well-known/did.json"),
    ("did:web:example.org:user:alice", False, "https://example.org/user/alice/did.json"),
    ("did:web:example.org%3A8443:org:a-b_c.d", False, "https://example.org:8443/org/a-b_c.d/did.json"),
    ("did:web:localhost%3A8000", True, "http://localhost:8000/.well-known/did.json"),
    ("did:web:localhost%3A8000", False, "https://localhost:8000/.well-known/did.json"),
    ("did:web:127.0.0.1%3A8000:x", True, "http://127.0.0.1:8000/x/did.json"),
    ("did:web:%5B%3A%3A1%5D%3A8000", True, "http://[::1]:8000/.well-known/did.json"),
    ("did:web:example.org", True, "https://example.org/.well-known/did.json"),
    ("did:web:10.0.0.1", True, "https://10.0.0.1/.well-known/did.json"),
])
def test_did_web_url(did: str, loopback: bool, url: str) -> None:
    assert did_web_url(did, allow_loopback=loopback) == url


@pytest.mark.parametrize("did", [
    "did:web:", "did:web", "did:key:z6Mk", "did:web:example.org:", "did:web:example.org::a", "did:web::example.org",
    "did:web:example.org:..", "did:web:example.org:%2E%2E", "did:web:example.org:a%2Fb", "did:web:example.org:.",
    "did:web:user%40example.org", "did:web:example.org%3A", "did:web:example.org%3A0",
    "did:web:example.org%3A99999", "did:web:example.org%3Ax", "did:web:example.org#key-1", "did:web:example.org?x=1",
    "did:web:exa_mple.org", "did:web:-example.org", "did:web:example.org%2Fpath", "did:web:%5Bnot-ip%5D",
    "did:web:exam ple.org", "DID:WEB:example.org", "did:web:example.org:a%00",
])
def test_did_web_url_refuses_malformed_dids(did: str) -> None:
    with pytest.raises(FetchError) as info:
        did_web_url(did, allow_loopback=True)
    assert info.value.reason == "invalid_did"
