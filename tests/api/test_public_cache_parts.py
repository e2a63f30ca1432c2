"""The two parts of public document caching that need no database: reading ``If-None-Match`` (RFC 9110 §13.1.2,
weak comparison) and the bounded cache of served documents."""

from __future__ import annotations

import pytest

from app.http import IfNoneMatch
from app.services.publication import DocumentCache

TAG = '"credential.0123abcd"'


@pytest.mark.parametrize("header", [TAG, f"W/{TAG}", f'"other", {TAG}', f'W/"a, b",{TAG}', f"  {TAG}  ", "*"])
def test_if_none_match_holds_the_tag(header: str) -> None:
    assert TAG in IfNoneMatch(header)


@pytest.mark.parametrize("header", [None, "", '"other"', "credential.0123abcd", f"{TAG[:-1]}", '"a, "', "W/*"])
def test_if_none_match_does_not_hold_the_tag(header: str | None) -> None:
    assert TAG not in IfNoneMatch(header)


def test_if_none_match_compares_weak_tags_weakly() -> None:
    assert f"W/{TAG}" in IfNoneMatch(TAG)


def test_the_cache_keeps_at_most_its_number_of_entries_least_recently_used_out() -> None:
    cache = DocumentCache(size=2)
    cache.put("a", b"1")
    cache.put("b", b"2")
    cache.get("a")
    cache.put("c", b"3")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"1", None, b"3")


def test_the_cache_keeps_at_most_its_bytes() -> None:
    cache = DocumentCache(max_bytes=800)
    for key in "abcdefghi":  # nine of 100 bytes: one too many
        cache.put(key, key.encode(), size=100)
    assert [k for k in "abcdefghi" if cache.get(k) is None] == ["a"]


def test_the_cache_does_not_keep_a_document_larger_than_an_eighth_of_its_bytes() -> None:
    cache = DocumentCache(max_bytes=800)
    cache.put("big", b"x", size=101)
    assert cache.get("big") is None
