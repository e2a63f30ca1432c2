"""Per-client throttling of sign-in: requests for codes, and wrong codes or links (process-local sliding windows).

Not :class:`app.ratelimit.FailureLimiter`: these windows take ``now`` from the service's clock (tests move time
instead of sleeping) and say how long to wait (``Retry-After``). Per-address and per-challenge limits are in the
database (:mod:`app.signin.service`), so they hold across processes.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

__all__ = ["SigninLimits", "SlidingWindow"]


class SlidingWindow:
    """At most ``limit`` events per key within ``window``."""

    def __init__(self, limit: int, window: timedelta, *, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._events: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        events = self._events.setdefault(key, deque())
        while events and now - events[0] >= self.window:
            events.popleft()
        return events

    def retry_after(self, key: str, now: datetime) -> int | None:
        """Seconds to wait before ``key`` may act again, or None when it may now."""
        with self._lock:
            events = self._recent(key, now)
            if len(events) < self.limit:
                return None
            return max(1, int((events[0] + self.window - now).total_seconds()))

    def hit(self, key: str, now: datetime) -> None:
        with self._lock:
            if len(self._events) > self.max_keys:  # bounded memory under a spray of addresses
                self._events.clear()
            self._recent(key, now).append(now)


@dataclass(frozen=True, slots=True)
class SigninLimits:
    """One application's windows: code requests per client (a social centre's shared computers sit behind one
    address: generous), wrong codes and links per client."""

    requests: SlidingWindow = field(default_factory=lambda: SlidingWindow(30, timedelta(minutes=15)))
    failures: SlidingWindow = field(default_factory=lambda: SlidingWindow(30, timedelta(minutes=15)))
