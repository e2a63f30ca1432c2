"""Verifying a badge, the same way for every caller: the API, the public pages and ``savoirs verify``.

The outbound fetch policy comes from the settings (loopback only when ``ALLOW_LOOPBACK_FETCH``), the moment
validity dates are judged at from the context's clock; the answer is one :class:`~app.verify.report.Report` whose
``checked_at`` is that moment. Our own documents (did.json, keys, status lists, credentials, OB 2.0 documents under
``PUBLIC_BASE_URL``) are read from the database by :class:`~app.services.local_documents.LocalDocuments`, never
fetched from ourselves over the network; they are still listed in the report's ``fetched``. Input that is no badge
at all raises :class:`~app.verify.errors.UnusableInput` (422), a hostile image ``ImageRejected``/``BakingError``.
"""

from __future__ import annotations

import time
from typing import Any

from app.capacity import Busy
from app.config import Settings
from app.services.context import ServiceContext
from app.services.local_documents import LocalDocuments
from app.verify.fetch import FetchPolicy, SafeFetcher
from app.verify.report import Report
from app.verify.service import verify

__all__ = ["fetch_policy", "verify_badge", "verify_our_credential"]


def fetch_policy(settings: Settings) -> FetchPolicy:
    """The verifier's outbound fetch policy under ``settings``."""
    return FetchPolicy(allow_loopback=settings.allow_loopback_fetch)


def verify_badge(ctx: ServiceContext, settings: Settings, *, url: str | None = None,
                 credential: dict[str, Any] | None = None, text: str | None = None, data: bytes | None = None,
                 recipient: str | None = None) -> Report:
    """Verify exactly one badge: a ``url``, a JSON ``credential``, ``text`` (JSON, a compact JWS/JWT or a URL) or a
    file's ``data`` (baked PNG/SVG, JSON or JWS text); ``recipient`` is an email or identifier to check against the
    badge's (hashed) recipient.

    :raises UnusableInput: not exactly one input, or not a badge in any form we read.
    :raises Busy: ``VERIFY_CONCURRENCY`` verifications are already running in this process (503, ``Retry-After``).
    """
    policy = fetch_policy(settings)
    try:
        with ctx.verifications.entered():
            started = time.perf_counter()
            fetcher = SafeFetcher(policy, local=LocalDocuments(ctx, allow_loopback=policy.allow_loopback))
            report = verify(url=url, credential=credential, text=text, data=data, policy=policy,
                            now=ctx.clock.now(), recipient=recipient, fetcher=fetcher)
    except Busy:
        ctx.metrics.verifications_refused.inc()
        raise
    ctx.metrics.verification_seconds.observe(time.perf_counter() - started)
    ctx.metrics.verifications.labels(report.trust.value).inc()
    return report


def verify_our_credential(ctx: ServiceContext, settings: Settings, credential: dict[str, Any], *,
                          suspended: bool) -> Report:
    """Verify a credential we issued, as its page shows it: our own records say whether it is suspended, whatever
    its ``credentialStatus`` carries (see :meth:`Report.with_issuer_suspension`)."""
    report = verify_badge(ctx, settings, credential=credential)
    return report.with_issuer_suspension() if suspended else report.with_issuer_not_suspended()
