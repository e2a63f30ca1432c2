"""The seam for documents the verifier may read without the network: a :class:`LocalSource`.

A local source is asked first, for every URL (and every redirect hop) a :class:`~app.verify.fetch.SafeFetcher`
would fetch. It answers ``None`` for a URL that is not its own (the fetcher then goes to the network under its
policy), or the answer the network would have given - status, media type and bytes, a 404 included. A local answer
goes through the same status, type and size checks as a network one, and its URL is listed in ``fetched`` all the
same. This package only knows the callable: what is local (the service's own documents, read from its database)
is decided by whoever builds the fetcher.
"""

from __future__ import annotations

from typing import Protocol

from app.verify.fetch.policy import Fetched

__all__ = ["LocalSource"]


class LocalSource(Protocol):
    def __call__(self, url: str, accept: str) -> Fetched | None:
        """The document at ``url`` as it would be served for this ``Accept`` header, or None: not ours."""
