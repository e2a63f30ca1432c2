"""What every use case is given: the database, the key vault, the public URLs, the clock, the job queue and the
mailer.

Built once per application (``create_app``) or command-line run; services open their own transactions from
``db``, take ``now`` from ``clock`` and enqueue jobs on ``jobs`` inside those transactions (emails too:
:func:`app.mail.send_later`); the ``send_email`` job sends them through ``mailer``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from app.capacity import BackpacksBusy, WorkGate
from app.clock import Clock, SystemClock
from app.config import Settings
from app.db import Database
from app.jobs.queue import JobQueue
from app.mail.transport import Mailer
from app.metrics import Metrics
from app.services.keys import KeyVault
from app.services.publication import StatusListCache
from app.urls import PublicUrls

__all__ = ["ServiceContext", "build_context"]

log = logging.getLogger("savoirs")


@dataclass(frozen=True, slots=True)
class ServiceContext:
    db: Database
    vault: KeyVault
    urls: PublicUrls
    clock: Clock
    jobs: JobQueue
    mailer: Mailer
    status_cache: StatusListCache = field(default_factory=StatusListCache)
    #: verifications at once in this process (each may wait on other servers)
    verifications: WorkGate = field(default_factory=lambda: WorkGate(32))
    #: sends to holders' backpacks at once in this process (each a few calls to another server)
    backpack_calls: WorkGate = field(default_factory=lambda: WorkGate(4, retry_after_s=30, busy=BackpacksBusy))
    #: what /metrics shows
    metrics: Metrics = field(default_factory=Metrics)


def build_context(settings: Settings, *, clock: Clock | None = None) -> ServiceContext:
    """The context of one application or command-line run. Without a usable key-encryption key the service
    still publishes and verifies; issuing answers 503.

    :raises ValueError: ``SMTP_URL`` or ``MAIL_FROM`` is unusable.
    """
    try:
        kek = settings.read_kek()
    except ValueError:
        log.error("the configured key-encryption key is invalid: issuing is disabled")
        kek = None
    if kek is None:
        log.warning("no key-encryption key: the service verifies and publishes, but cannot issue")
    url = settings.resolved_database_url
    db = Database(url, statement_timeout_ms=settings.db_statement_timeout_ms)
    return ServiceContext(db=db, vault=KeyVault(kek), urls=PublicUrls(settings.public_base_url),
                          clock=clock or SystemClock(), jobs=JobQueue(url), mailer=Mailer.from_settings(settings),
                          verifications=WorkGate(settings.verify_concurrency))
