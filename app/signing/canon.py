"""RDF Dataset Canonicalization (RDFC-1.0 / URDNA2015) with pyld, made safe for signing and verifying.

- Terms that no context defines are refused (:class:`UndefinedTermError`) instead of being silently dropped
  (and so left unsigned).
- In ``strict`` mode (verification), inline ``@context`` objects are refused: only bundled context URLs.
- The blank-node labelling is bounded (calls and time): a poisoned dataset raises
  :class:`CanonicalisationLimitError` instead of running for ever (pyld 3.3 has no ``maxPermutations``).
"""

from __future__ import annotations

import time
from typing import Any

from pyld import jsonld
from pyld.canon import URDNA2015

from app.signing.errors import CanonicalisationLimitError, UndefinedTermError, UnknownContextError
from app.signing.loader import DocumentLoader

__all__ = ["canonicalize", "canonicalize_dataset", "to_dataset"]

MAX_HASH_CALLS = 10_000
MAX_SECONDS = 2.0


class _BoundedURDNA2015(URDNA2015):  # type: ignore[misc]
    def __init__(self, max_calls: int, deadline: float) -> None:
        super().__init__()
        self._calls_left = max_calls
        self._deadline = deadline

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self._calls_left -= 1
        if self._calls_left < 0 or time.monotonic() > self._deadline:
            raise CanonicalisationLimitError()
        return super().hash_n_degree_quads(id_, issuer)


def _contexts(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _check_inline_contexts(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context" and any(not isinstance(c, str) for c in _contexts(value)):
                raise UnknownContextError("Inline @context objects are not accepted.",
                                          "Les contextes @context en ligne ne sont pas acceptés.")
            _check_inline_contexts(value)
    elif isinstance(node, list):
        for item in node:
            _check_inline_contexts(item)


def _check_types(node: Any) -> None:
    if isinstance(node, dict):
        for value in node.get("@type", []) if isinstance(node.get("@type"), list) else []:
            if isinstance(value, str) and ":" not in value:
                raise UndefinedTermError(f"The type {value!r} is not defined by any context.",
                                         f"Le type {value!r} n'est défini par aucun contexte.")
        for value in node.values():
            _check_types(value)
    elif isinstance(node, list):
        for item in node:
            _check_types(item)


def _options(loader: DocumentLoader) -> dict[str, Any]:
    return {"documentLoader": loader, "base": None, "produceGeneralizedRdf": False}


def to_dataset(document: dict[str, Any], loader: DocumentLoader, *, strict: bool = False) -> dict[str, Any]:
    """Expand ``document`` into an RDF dataset, refusing undefined terms and unknown contexts.

    :raises UndefinedTermError: a property or type no context defines.
    :raises UnknownContextError: a context that is not bundled (or inline, in strict mode).
    """
    if strict:
        _check_inline_contexts(document)
    dropped: list[str] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=lambda term: dropped.append(str(term)))
    options = _options(loader)
    try:
        expanded = processor.expand(document, options)
    except jsonld.JsonLdError as exc:
        raise _unwrap(exc) from exc
    if dropped:
        raise UndefinedTermError(f"The term {dropped[0]!r} is not defined by any context.",
                                 f"Le terme {dropped[0]!r} n'est défini par aucun contexte.")
    _check_types(expanded)
    try:
        dataset: dict[str, Any] = processor.to_rdf(expanded, options)
    except jsonld.JsonLdError as exc:
        raise _unwrap(exc) from exc
    return dataset


def _unwrap(exc: BaseException) -> Exception:
    """Find our own error inside pyld's wrapping, or describe the failure plainly."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, UnknownContextError | UndefinedTermError):
            return seen
        details = getattr(seen, "details", None)
        nested = details.get("cause") if isinstance(details, dict) else None
        seen = nested if isinstance(nested, BaseException) else seen.__cause__
    return UndefinedTermError("The document is not valid JSON-LD.", "Le document n'est pas du JSON-LD valide.")


def canonicalize_dataset(dataset: dict[str, Any], *, max_calls: int = MAX_HASH_CALLS,
                         max_seconds: float = MAX_SECONDS) -> str:
    """Canonical N-Quads of an RDF dataset (bounded work)."""
    algorithm = _BoundedURDNA2015(max_calls, time.monotonic() + max_seconds)
    result: str = algorithm.main(dataset, {"algorithm": "URDNA2015", "format": "application/n-quads"})
    return result


def canonicalize(document: dict[str, Any], loader: DocumentLoader, *, strict: bool = False) -> str:
    """Canonical N-Quads (RDFC-1.0) of a JSON-LD document.

    :raises UndefinedTermError, UnknownContextError, CanonicalisationLimitError:
    """
    return canonicalize_dataset(to_dataset(document, loader, strict=strict))
