"""A static JSON-LD document loader over bundled, hash-pinned contexts: never the network.

``contexts/manifest.json`` maps each context URL to its file, SHA-256 and provenance. A document is read, checked
against its pinned hash and parsed once; every load hands out a fresh copy (pyld rewrites the contexts it
resolves). Any URL that is not bundled raises :class:`UnknownContextError`. The W3C examples context (it defines
every term through ``@vocab``) is bundled for the W3C test vector only and refused unless ``allow_examples=True``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.signing.errors import UnknownContextError

__all__ = [
    "CONTEXTS_DIR",
    "ContextEntry",
    "DocumentLoader",
    "StaticLoader",
    "bundled_document",
    "bundled_urls",
    "context_manifest",
    "make_loader",
]

CONTEXTS_DIR = Path(__file__).parent / "contexts"

#: what pyld calls: ``loader(url, options) -> {"contextUrl", "documentUrl", "document"}``
DocumentLoader = Callable[[str, dict[str, Any] | None], dict[str, Any]]

_MAX_URL_IN_MESSAGE = 200


@dataclass(frozen=True, slots=True)
class ContextEntry:
    """One bundled context: where it is served, which file holds it, its pinned hash and where it came from."""

    url: str
    file: str
    sha256: str
    source: str
    default: bool  # False: only loadable with allow_examples=True


@cache
def context_manifest() -> Mapping[str, ContextEntry]:
    """All bundled contexts, by URL (read-only).

    :returns: a mapping from context URL to :class:`ContextEntry`.
    """
    raw: dict[str, dict[str, Any]] = json.loads((CONTEXTS_DIR / "manifest.json").read_text("utf-8"))
    return MappingProxyType({url: ContextEntry(url=url, file=e["file"], sha256=e["sha256"], source=e["source"],
                                               default=bool(e["default"])) for url, e in raw.items()})


def bundled_urls(*, allow_examples: bool = False) -> frozenset[str]:
    """The context URLs a loader resolves.

    :param allow_examples: include the contexts that are bundled for test vectors only.
    :returns: the URLs.
    """
    return frozenset(u for u, e in context_manifest().items() if e.default or allow_examples)


def _refused(url: str) -> UnknownContextError:
    shown = url[:_MAX_URL_IN_MESSAGE] if isinstance(url, str) else type(url).__name__
    return UnknownContextError(f"Context {shown!r} is not bundled; contexts are never fetched.",
                               f"Le contexte {shown!r} n'est pas embarqué ; les contextes ne sont jamais téléchargés.")


@cache
def _parsed(url: str) -> Any:
    entry = context_manifest()[url]
    raw = (CONTEXTS_DIR / entry.file).read_bytes()
    if hashlib.sha256(raw).hexdigest() != entry.sha256:
        raise UnknownContextError(f"Bundled context {url} does not match its pinned SHA-256.",
                                  f"Le contexte embarqué {url} ne correspond pas à son empreinte SHA-256.")
    return json.loads(raw)


def _copy(value: Any) -> Any:
    """A structural copy of parsed JSON (much cheaper than :func:`copy.deepcopy`)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def bundled_document(url: str, *, allow_examples: bool = False) -> Any:
    """A fresh copy of one bundled context document.

    :param url: the context URL.
    :param allow_examples: also serve the test-vector-only contexts.
    :returns: the parsed JSON document (the caller may mutate it).
    :raises UnknownContextError: the URL is not bundled (or not allowed), or the file does not match its hash.
    """
    if url not in bundled_urls(allow_examples=allow_examples):
        raise _refused(url)
    return _copy(_parsed(url))


class StaticLoader:
    """A pyld ``documentLoader`` serving only bundled contexts. Thread-safe; holds no per-call state."""

    __slots__ = ("allow_examples", "urls")

    def __init__(self, *, allow_examples: bool = False) -> None:
        self.allow_examples = allow_examples
        self.urls = bundled_urls(allow_examples=allow_examples)

    def __call__(self, url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        """Resolve ``url`` (pyld's loader protocol).

        :raises UnknownContextError: the URL is not bundled; nothing is fetched.
        """
        if not isinstance(url, str) or url not in self.urls:
            raise _refused(url)
        return {"contextUrl": None, "documentUrl": url, "document": _copy(_parsed(url))}

    def __repr__(self) -> str:
        return f"StaticLoader(allow_examples={self.allow_examples}, contexts={len(self.urls)})"


@cache
def make_loader(*, allow_examples: bool = False) -> StaticLoader:
    """The static loader (one shared instance per setting).

    :param allow_examples: also serve the W3C examples context (``@vocab``): for reproducing test vectors only.
    :returns: a callable usable as pyld's ``documentLoader``.
    """
    return StaticLoader(allow_examples=allow_examples)
