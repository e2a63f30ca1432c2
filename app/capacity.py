"""Bounded concurrency for work that waits on the network (verifying a badge fetches its issuer's documents): at
most ``limit`` at once in this process; one more is refused at once with 503 and ``Retry-After``, never queued.

Why refuse rather than wait: the synchronous routes share one thread pool. Verifications that wait on slow or
black-holed servers would otherwise take every thread, and everything else (issuing, pages, readiness) would
queue behind them without end. With a bound, the rest of the service keeps its threads, and a client told to come
back in a few seconds does, when the load has passed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from app.errors import ServiceUnavailable

__all__ = ["BackpacksBusy", "Busy", "WorkGate"]


class Busy(ServiceUnavailable):
    code = "verifier_busy"
    message_en = "Too many badges are being checked right now. Nothing was lost: try again in a few seconds."
    message_fr = ("Trop de badges sont en cours de vérification en ce moment. Rien n'est perdu : réessayez dans "
                  "quelques secondes.")


class BackpacksBusy(Busy):
    code = "backpacks_busy"
    message_en = "Too many badges are being sent to backpacks right now. Nothing was sent: try again in a minute."
    message_fr = ("Trop de badges sont envoyés vers des sacs à badges en ce moment. Rien n'a été envoyé : réessayez "
                  "dans une minute.")


class WorkGate:
    """At most ``limit`` holders at once (threads of this process); :meth:`entered` refuses the next at once."""

    def __init__(self, limit: int, *, retry_after_s: int = 2, busy: type[Busy] = Busy) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.busy = busy
        self.retry_after_s = retry_after_s
        self._slots = threading.BoundedSemaphore(limit)
        self._lock = threading.Lock()
        self._inside = 0
        self.refused = 0

    @property
    def inside(self) -> int:
        """How many are inside now."""
        return self._inside

    @contextmanager
    def entered(self) -> Iterator[None]:
        """Hold one place for the block. :raises Busy: every place is taken (503, ``Retry-After``)."""
        if not self._slots.acquire(blocking=False):
            with self._lock:
                self.refused += 1
            raise self.busy(headers={"Retry-After": str(self.retry_after_s)})
        with self._lock:
            self._inside += 1
        try:
            yield
        finally:
            with self._lock:
                self._inside -= 1
            self._slots.release()
