"""What one fetch may do (:class:`FetchPolicy`) and what it brings back (:class:`Fetched`)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_POLICY", "FetchPolicy", "Fetched"]


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    allow_loopback: bool = False  # settings ALLOW_LOOPBACK_FETCH: tests/dev only
    timeout: float = 5.0  # total budget per get(): resolution, connect, TLS, redirects, whole body (seconds)
    max_bytes: int = 1024 * 1024  # body cap, enforced while streaming
    max_redirects: int = 3

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise ValueError("timeout must be > 0")
        if self.max_bytes < 0 or self.max_redirects < 0:
            raise ValueError("max_bytes and max_redirects must be >= 0")


DEFAULT_POLICY = FetchPolicy()


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # final URL after redirects
    status: int
    media_type: str  # lower-cased, without parameters
    content: bytes
