"""A backpack's address as typed, and its service description document as read (pure: no network)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.backpacks.description import discovery_url, read_description
from app.backpacks.errors import BackpackAddressInvalid, BackpackUnreachable
from app.config import Settings
from app.services.ob3_api.discovery import description

URL = "https://sac.example/ims/ob/v3p0/discovery"


@pytest.mark.parametrize(("typed", "expected"), [
    ("https://sac.example", URL),
    ("https://sac.example/", URL),
    ("  sac.example  ", URL),
    (URL, URL),
    ("https://sac.example/ims/ob/v3p0/discovery/", URL),
    ("https://sac.example:8443/mon/sac", "https://sac.example:8443/mon/sac/ims/ob/v3p0/discovery"),
])
def test_the_discovery_address_of_what_a_holder_types(typed: str, expected: str) -> None:
    assert discovery_url(typed) == expected


@pytest.mark.parametrize("typed", ["", "mon sac", "http://sac.example", "ftp://sac.example",
                                   "https://moi:secret@sac.example", "https://sac.example:99999",
                                   "https://" + "a" * 2000 + ".example"])
def test_an_address_that_is_not_a_backpacks_is_refused(typed: str) -> None:
    with pytest.raises(BackpackAddressInvalid):
        discovery_url(typed)


def test_plain_http_is_taken_on_loopback_only_when_allowed() -> None:
    assert discovery_url("http://127.0.0.1:8001", loopback_http=True) == "http://127.0.0.1:8001/ims/ob/v3p0/discovery"
    with pytest.raises(BackpackAddressInvalid):
        discovery_url("http://sac.example", loopback_http=True)


def _ours() -> dict[str, Any]:
    return description(Settings(public_base_url="https://badges.example", service_name="Badges du Puchot"))


def test_our_own_service_description_reads_back_as_its_addresses() -> None:
    read = read_description(_ours(), "https://badges.example/ims/ob/v3p0/discovery")
    assert read.name == "Badges du Puchot"
    assert read.api_base == "https://badges.example/ims/ob/v3p0"
    assert read.registration_url == "https://badges.example/ims/ob/v3p0/register"
    assert read.authorization_url == "https://badges.example/ims/ob/v3p0/authorize"
    assert read.token_url == "https://badges.example/ims/ob/v3p0/token"


def _without(*path: str) -> dict[str, Any]:
    document = copy.deepcopy(_ours())
    node = document
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return document


@pytest.mark.parametrize("document", [
    None, [], {},
    _without("servers"),
    _without("components", "securitySchemes", "OAuth2ACG", "x-imssf-registrationUrl"),
    _without("components", "securitySchemes", "OAuth2ACG", "flows", "authorizationCode", "tokenUrl"),
    _without("components", "securitySchemes", "OAuth2ACG", "flows", "authorizationCode", "authorizationUrl"),
])
def test_a_document_missing_an_address_is_not_a_backpacks(document: Any) -> None:
    with pytest.raises(BackpackUnreachable):
        read_description(document, URL)


def test_an_address_in_plain_http_or_with_credentials_is_not_taken() -> None:
    for bad in ("http://sac.example/token", "https://a:b@sac.example/token", "javascript:alert(1)", 42):
        document = copy.deepcopy(_ours())
        document["components"]["securitySchemes"]["OAuth2ACG"]["flows"]["authorizationCode"]["tokenUrl"] = bad
        with pytest.raises(BackpackUnreachable):
            read_description(document, URL)


def test_a_backpack_without_a_title_is_named_by_its_host() -> None:
    document = _without("info", "title")
    assert read_description(document, URL).name == "sac.example"
