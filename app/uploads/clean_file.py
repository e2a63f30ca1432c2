"""What a cleaned evidence file is: the bytes to store and what can be said of them without reading them again."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["CleanFile", "Kind", "MediaType"]

Kind = Literal["image", "pdf", "text"]
MediaType = Literal["image/jpeg", "image/png", "application/pdf", "text/plain; charset=utf-8"]


@dataclass(frozen=True, slots=True)
class CleanFile:
    """A file safe to store and serve with ``media_type``: an image re-encoded from its pixels alone, a PDF checked
    and kept as sent, a text in UTF-8 and NFC.

    ``sha256`` (hex) and ``size`` are computed from ``data``, the stored bytes, so they cannot disagree with them.
    ``extension`` has no dot (``jpg``, ``png``, ``pdf``, ``txt``); ``width`` and ``height`` are the stored image's,
    ``None`` for a PDF or a text.
    """

    data: bytes = field(repr=False)
    media_type: MediaType
    extension: str
    kind: Kind
    width: int | None = None
    height: int | None = None
    sha256: str = field(init=False)
    size: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", hashlib.sha256(self.data).hexdigest())
        object.__setattr__(self, "size", len(self.data))
