"""A static JSON-LD document loader over bundled, hash-pinned contexts: never the network.

Any URL that is not bundled raises :class:`UnknownContextError`. The W3C examples context (it defines every term
through ``@vocab``) is bundled for test vectors only and refused unless ``allow_examples=True``.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from app.signing.errors import UnknownContextError

__all__ = ["DocumentLoader", "bundled_urls", "make_loader"]

CONTEXTS_DIR = Path(__file__).parent / "contexts"
DocumentLoader = Callable[[str, dict[str, Any] | None], dict[str, Any]]


@cache
def _manifest() -> dict[str, dict[str, Any]]:
    manifest: dict[str, dict[str, Any]] = json.loads((CONTEXTS_DIR / "manifest.json").read_text("utf-8"))
    return manifest


@cache
def _document(url: str) -> Any:
    entry = _manifest()[url]
    raw = (CONTEXTS_DIR / entry["file"]).read_bytes()
    if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        raise UnknownContextError(f"Bundled context {url} does not match its pinned hash.",
                                  f"Le contexte embarqué {url} ne correspond pas à son empreinte.")
    return json.loads(raw)


def bundled_urls(*, allow_examples: bool = False) -> frozenset[str]:
    """URLs the loader resolves."""
    return frozenset(u for u, e in _manifest().items() if e["default"] or allow_examples)


@cache
def make_loader(*, allow_examples: bool = False) -> DocumentLoader:
    """A pyld ``documentLoader`` serving only bundled contexts (documents parsed once, copies handed out)."""
    allowed = bundled_urls(allow_examples=allow_examples)

    def load(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if url not in allowed:
            raise UnknownContextError(f"Context {url[:200]!r} is not bundled; it is never fetched.",
                                      f"Le contexte {url[:200]!r} n'est pas embarqué ; il n'est jamais téléchargé.")
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(_document(url))}

    return load
