"""Throttling of failed authentications, per client address (process-local sliding window)."""

from __future__ import annotations

import threading
import time
from collections import deque

__all__ = ["FailureLimiter"]


class FailureLimiter:
    """After ``limit`` failures within ``window_s`` seconds a client is refused until the window slides."""

    def __init__(self, limit: int, window_s: float = 60.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        stamps = self._failures.setdefault(client, deque())
        while stamps and now - stamps[0] > self.window_s:
            stamps.popleft()
        return stamps

    def blocked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client, time.monotonic())) >= self.limit

    def fail(self, client: str) -> None:
        with self._lock:
            self._recent(client, time.monotonic()).append(time.monotonic())
            if len(self._failures) > 100_000:  # bound memory under a spray of addresses
                self._failures.clear()
