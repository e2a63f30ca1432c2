"""The verifier's only outbound HTTP client: SSRF-safe, bounded in time and size (threat T6).

Every URL (and every redirect hop) is checked before any connection is made (:mod:`.addresses`: scheme, userinfo,
one resolution, every address public), then connected **to the checked address** by a pinned transport
(:mod:`.transport`: no second DNS lookup, TLS still checks the real host name), and read by the fetcher
(:mod:`.fetcher`: one deadline for the whole ``get``, a streamed size cap, no encodings, cookies or proxies).
A :class:`LocalSource` (:mod:`.local`) may answer for URLs that need no network (the service's own documents).
:mod:`.did_web` turns a did:web DID into its document's URL; :mod:`.failures` names every refusal.

Callers import from here: ``from app.verify.fetch import FetchPolicy, SafeFetcher``.
"""

from __future__ import annotations

from app.verify.fetch.addresses import Resolver, address_forbidden, numeric_ipv4, system_resolver
from app.verify.fetch.did_web import did_web_url
from app.verify.fetch.failures import FetchError
from app.verify.fetch.fetcher import USER_AGENT, SafeFetcher
from app.verify.fetch.local import LocalSource
from app.verify.fetch.policy import DEFAULT_POLICY, Fetched, FetchPolicy
from app.verify.fetch.transport import PinnedBackend, default_ssl_context

__all__ = [
    "DEFAULT_POLICY",
    "USER_AGENT",
    "FetchError",
    "FetchPolicy",
    "Fetched",
    "LocalSource",
    "PinnedBackend",
    "Resolver",
    "SafeFetcher",
    "address_forbidden",
    "default_ssl_context",
    "did_web_url",
    "numeric_ipv4",
    "system_resolver",
]
