"""The fetcher's local seam (issue 11): a :class:`LocalSource` answers for its own URLs before any network access;
its answers are held to the same policy as the network's and listed in ``fetched``; every other URL still goes
through the safe fetch. The service's own source (``app.services.local_documents``) is tested in
tests/api/test_verify_own.py."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest

from app.verify.fetch import Fetched, FetchError, FetchPolicy, SafeFetcher
from tests.verify.conftest import Canary, Net

OURS = "https://badges.example.org"
JSON = ("application/json", "application/ld+json")
STRICT = FetchPolicy(timeout=2.0, max_bytes=1000)  # loopback refused, like production
LOOPBACK = FetchPolicy(allow_loopback=True, timeout=2.0)


def _source(status: int = 200, media_type: str = "application/json", content: bytes = b'{"ours": true}',
            asked: list[tuple[str, str]] | None = None) -> Callable[[str, str], Fetched | None]:
    """A local source that answers for ``OURS`` only, recording what it was asked."""
    def local(url: str, accept: str) -> Fetched | None:
        if asked is not None:
            asked.append((url, accept))
        if not url.startswith(OURS + "/"):
            return None
        return Fetched(url=url, status=status, media_type=media_type, content=content)

    return local


def _get(fetcher: SafeFetcher, url: str, **kwargs: bool) -> Fetched:
    return fetcher.get(url, accept="application/ld+json, application/json", allowed_types=JSON, **kwargs)


def test_a_local_answer_makes_no_connection_and_is_listed_as_fetched(net: Net) -> None:
    with SafeFetcher(STRICT, local=_source()) as fetcher:
        fetched = _get(fetcher, f"{OURS}/orgs/puchot/did.json")
    assert (fetched.status, fetched.content) == (200, b'{"ours": true}')
    assert fetcher.fetched == [f"{OURS}/orgs/puchot/did.json"]
    assert net.attempts == []


def test_the_local_source_is_given_the_url_and_the_accept_header() -> None:
    asked: list[tuple[str, str]] = []
    with SafeFetcher(STRICT, local=_source(asked=asked)) as fetcher:
        _get(fetcher, f"{OURS}/status/1")
    assert asked == [(f"{OURS}/status/1", "application/ld+json, application/json")]


def test_a_url_the_local_source_does_not_claim_goes_through_the_safe_fetch(canary: Canary) -> None:
    with SafeFetcher(LOOPBACK, local=_source()) as fetcher:
        fetched = _get(fetcher, canary.url("/json"))
    assert fetched.content == b'{"ok": true}' and canary.connections == 1


def test_an_unclaimed_loopback_url_is_still_refused(canary: Canary) -> None:
    with SafeFetcher(STRICT, local=_source()) as fetcher, pytest.raises(FetchError) as info:
        _get(fetcher, canary.url("/json"))
    assert info.value.reason == "address_not_allowed" and canary.connections == 0


def test_a_local_not_found_is_an_http_error_like_the_network_s(net: Net) -> None:
    with SafeFetcher(STRICT, local=_source(404, "application/problem+json")) as fetcher, \
            pytest.raises(FetchError) as info:
        _get(fetcher, f"{OURS}/nothing")
    assert info.value.reason == "http_status" and "HTTP 404" in info.value.message_en
    assert fetcher.fetched == [f"{OURS}/nothing"] and net.attempts == []


def test_a_local_answer_of_an_unexpected_type_is_refused() -> None:
    with SafeFetcher(STRICT, local=_source(media_type="text/html; charset=utf-8")) as fetcher, \
            pytest.raises(FetchError) as info:
        _get(fetcher, f"{OURS}/page")
    assert info.value.reason == "unexpected_content_type"


def test_a_local_answer_over_the_size_cap_is_refused() -> None:
    with SafeFetcher(STRICT, local=_source(content=b" " * 1001)) as fetcher, pytest.raises(FetchError) as info:
        _get(fetcher, f"{OURS}/big")
    assert info.value.reason == "too_large"


def test_a_local_410_is_gone_with_its_body_when_allowed() -> None:
    with SafeFetcher(STRICT, local=_source(410, "application/ld+json", b'{"revoked": true}')) as fetcher:
        fetched = _get(fetcher, f"{OURS}/ob2/assertions/x", allow_gone=True)
    assert (fetched.status, fetched.content) == (410, b'{"revoked": true}')


def test_a_local_410_of_another_type_is_gone_without_its_body() -> None:
    with SafeFetcher(STRICT, local=_source(410, "application/problem+json")) as fetcher:
        fetched = _get(fetcher, f"{OURS}/ob2/assertions/x/badge.png", allow_gone=True)
    assert (fetched.status, fetched.content) == (410, b"")


def test_a_redirect_into_the_local_source_is_answered_locally(canary: Canary) -> None:
    target = f"{OURS}/credentials/x"
    with SafeFetcher(LOOPBACK, local=_source()) as fetcher:
        fetched = _get(fetcher, canary.url(f"/to?url={quote(target, safe='')}"))
    assert fetched.content == b'{"ours": true}' and fetched.url == target
    assert fetcher.fetched[-1] == target and canary.connections == 1


def test_the_same_local_document_is_read_once_per_verification() -> None:
    asked: list[tuple[str, str]] = []
    with SafeFetcher(STRICT, local=_source(asked=asked)) as fetcher:
        _get(fetcher, f"{OURS}/orgs/puchot/did.json")
        _get(fetcher, f"{OURS}/orgs/puchot/did.json")
    assert len(asked) == 1
