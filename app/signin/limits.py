"""Per-client throttling of sign-in: requests for codes, and wrong codes or links, counted in the database by
:class:`app.ratelimit.SharedWindow` (every worker sees the same counts). The windows take ``now`` from the
service's clock (tests move time instead of sleeping) and say how long to wait (``Retry-After``). Per-address and
per-challenge limits are in the database too (:mod:`app.signin.service`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from app.db import Database
from app.ratelimit import SharedWindow, Window

__all__ = ["SigninLimits"]


@dataclass(frozen=True, slots=True)
class SigninLimits:
    """One application's windows: code requests per client (a social centre's shared computers sit behind one
    address: generous), wrong codes and links per client; shared by every worker (:meth:`shared`)."""

    requests: Window
    failures: Window

    @classmethod
    def shared(cls, db: Database) -> SigninLimits:
        return cls(requests=SharedWindow(db, "signin-requests", 30, timedelta(minutes=15)),
                   failures=SharedWindow(db, "signin-failures", 30, timedelta(minutes=15)))
