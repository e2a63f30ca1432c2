"""Accept header negotiation."""

from __future__ import annotations

import pytest

from app.negotiation import negotiate

OFFERED = ["application/ld+json", "application/vc+ld+json", "application/json", "application/jwt", "text/html"]


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "application/ld+json"),
    ("*/*", "application/ld+json"),
    ("application/jwt", "application/jwt"),
    ("application/vc+ld+json", "application/vc+ld+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("application/json, text/plain, */*", "application/json"),
    ("application/jwt;q=0.5, application/ld+json", "application/ld+json"),
    ("image/png", None),
    ("application/jwt;q=0", None),
    ("text/*", "text/html"),
])
def test_negotiate(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept, OFFERED) == expected
