"""RDF Dataset Canonicalization (RDFC-1.0 / URDNA2015) with pyld, made safe for signing and verifying.

- Nothing is silently left unsigned: a key that expansion drops, a property, ``@type``, ``@id`` or datatype that
  does not end up as an absolute IRI (an undefined term, a vocabulary value no context defines, a relative IRI)
  raises :class:`UndefinedTermError` naming it. Expansion runs with ``base=None``, so relative IRIs stay relative
  (pyld would otherwise resolve them against ``http://example.org/base/``) and are caught.
- Values pyld would serialise ambiguously are refused (:class:`InvalidJsonLdError`): IRIs with characters that
  N-Quads forbids, malformed language tags, and control characters that pyld 3.3 does not escape the RDFC-1.0 way.
- In ``strict`` mode (verification), inline ``@context`` objects are refused: only bundled context URLs.
- Blank-node labelling is bounded: pyld 3.3 has no ``maxPermutations``, so :class:`_BoundedURDNA2015` re-states
  the Hash N-Degree Quads step with counters (calls, permutations) and a deadline, and a poisoned dataset raises
  :class:`CanonicalisationLimitError` instead of running for ever.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pyld import jsonld
from pyld.canon import URDNA2015, permutations
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer
from pyld.nquads import parse_nquads, serialize_nquad

from app.signing.errors import CanonicalisationLimitError, SigningError
from app.signing.jsonld_checks import (
    UNESCAPED_CONTROLS,
    InvalidJsonLdError,
    check_expanded,
    check_inline_contexts,
    undefined,
)
from app.signing.loader import DocumentLoader, StaticLoader

__all__ = [
    "DEFAULT_LIMITS",
    "CanonLimits",
    "UNESCAPED_CONTROLS",
    "InvalidJsonLdError",
    "canonicalize",
    "canonicalize_dataset",
    "canonicalize_nquads",
    "to_dataset",
]

@dataclass(frozen=True, slots=True)
class CanonLimits:
    """Work allowed to label blank nodes (RDFC-1.0 §4.8 Hash N-Degree Quads)."""

    max_n_degree_calls: int = 2_000
    max_permutations: int = 10_000
    max_seconds: float = 1.0
    clock: Callable[[], float] = field(default=time.monotonic)  # injected for tests; measures elapsed work only


DEFAULT_LIMITS = CanonLimits()


# --- bounded URDNA2015 -----------------------------------------------------------------------------------------

def _copy_issuer(issuer: IdentifierIssuer) -> IdentifierIssuer:
    """Same result as ``copy.deepcopy`` on an issuer (its values are strings), without the overhead."""
    clone = IdentifierIssuer(issuer.prefix)
    clone.counter = issuer.counter
    clone.existing = dict(issuer.existing)
    clone.order = list(issuer.order)
    return clone


class _BoundedURDNA2015(URDNA2015):  # type: ignore[misc]
    """pyld's URDNA2015 with Hash N-Degree Quads re-stated (RDFC-1.0 §4.8.3) to count and cap its work."""

    def __init__(self, limits: CanonLimits) -> None:
        super().__init__()
        self._limits = limits
        self._deadline = limits.clock() + limits.max_seconds
        self._calls = 0
        self._permutations = 0

    def _spend(self, *, calls: int = 0, permutations_: int = 0) -> None:
        self._calls += calls
        self._permutations += permutations_
        limits = self._limits
        if self._calls > limits.max_n_degree_calls:
            what = f"more than {limits.max_n_degree_calls} n-degree hashes"
        elif self._permutations > limits.max_permutations:
            what = f"more than {limits.max_permutations} blank-node permutations"
        elif limits.clock() > self._deadline:
            what = f"more than {limits.max_seconds:g} s"
        else:
            return
        raise CanonicalisationLimitError(f"Labelling the blank nodes would take {what}.",
                                         f"L'étiquetage des nœuds anonymes demanderait {what}.")

    def hash_n_degree_quads(self, id_: str, issuer: IdentifierIssuer) -> dict[str, Any]:
        self._spend(calls=1)
        md = self.create_hash()
        for related_hash, blank_nodes in sorted(self.create_hash_to_related(id_, issuer).items()):
            md.update(related_hash.encode("utf-8"))
            chosen_path = ""
            chosen_issuer = None
            for permutation in permutations(blank_nodes):
                self._spend(permutations_=1)
                path, issuer_copy = self._permutation_path(permutation, issuer, chosen_path)
                if issuer_copy is not None and (not chosen_path or path < chosen_path):
                    chosen_path, chosen_issuer = path, issuer_copy
            md.update(chosen_path.encode("utf-8"))
            issuer = chosen_issuer
        return {"hash": md.hexdigest(), "issuer": issuer}

    def _permutation_path(self, permutation: list[str], issuer: IdentifierIssuer,
                          chosen_path: str) -> tuple[str, IdentifierIssuer | None]:
        """Steps 5.4.1–5.4.5: the path of one permutation, or ``(…, None)`` when it cannot beat ``chosen_path``."""
        issuer_copy = _copy_issuer(issuer)
        path = ""
        recursion_list = []
        for related in permutation:
            if self.canonical_issuer.has_id(related):
                path += self.canonical_issuer.get_id(related)
            else:
                if not issuer_copy.has_id(related):
                    recursion_list.append(related)
                path += issuer_copy.get_id(related)
            if _worse(path, chosen_path):
                return path, None
        for related in recursion_list:
            result = self.hash_n_degree_quads(related, issuer_copy)
            path += issuer_copy.get_id(related) + "<" + result["hash"] + ">"
            issuer_copy = result["issuer"]
            if _worse(path, chosen_path):
                return path, None
        return path, issuer_copy


def _worse(path: str, chosen_path: str) -> bool:
    return bool(chosen_path) and len(path) >= len(chosen_path) and path > chosen_path


def canonicalize_dataset(dataset: dict[str, Any], *, limits: CanonLimits = DEFAULT_LIMITS) -> str:
    """Canonical N-Quads of an RDF dataset in pyld's form (bounded work). The dataset is consumed (relabelled).

    :param dataset: ``{graph name: [triples]}`` as returned by :func:`to_dataset` or pyld.
    :param limits: the work allowed to label blank nodes.
    :returns: the canonical N-Quads, one quad per line, sorted.
    :raises CanonicalisationLimitError: labelling would exceed ``limits`` (e.g. a poisoned dataset).
    """
    try:
        result: str = _BoundedURDNA2015(limits).main(dataset, {"format": "application/n-quads"})
    except RecursionError as exc:
        raise CanonicalisationLimitError("The blank nodes are chained too deeply.",
                                         "Les nœuds anonymes sont chaînés trop profondément.") from exc
    return result


class _Processor(jsonld.JsonLdProcessor):  # type: ignore[misc]
    """Remembers the key pyld was expanding when it drops one, to name it."""

    def __init__(self) -> None:
        super().__init__(on_property_dropped=self._dropped_property)
        self.dropped: list[str] = []
        self._last_key: Any = None

    def _expand_iri(self, active_ctx: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        self._last_key = value
        return super()._expand_iri(active_ctx, value, *args, **kwargs)

    def _dropped_property(self, expanded: str | None) -> None:
        self.dropped.append(str(self._last_key if self._last_key is not None else expanded))


def _translate(exc: BaseException) -> SigningError:
    """Our own error inside pyld's wrapping, or a plain description."""
    seen: BaseException | None = exc
    for _ in range(50):
        if seen is None:
            break
        if isinstance(seen, SigningError):
            return seen
        details = getattr(seen, "details", None)
        nested = details.get("cause") if isinstance(details, dict) else None
        seen = nested if isinstance(nested, BaseException) else (seen.__cause__ or seen.__context__)
    code = getattr(exc, "code", None)
    detail = f" ({code})" if isinstance(code, str) else ""
    return InvalidJsonLdError(f"The document is not valid JSON-LD{detail}.",
                              f"Le document n'est pas du JSON-LD valide{detail}.")


_resolved = threading.local()


def _resolved_contexts(loader: DocumentLoader) -> dict[str, Any]:
    """Contexts resolved for ``loader``, per thread (pyld's caches are not thread-safe) and per bundled loader setting
    (the examples context never reaches another loader); bounded by the bundle. Other loaders: a fresh cache."""
    if not isinstance(loader, StaticLoader):
        return {}
    caches: dict[bool, dict[str, Any]] = getattr(_resolved, "caches", None) or {}
    _resolved.caches = caches
    return caches.setdefault(loader.allow_examples, {})


def _options(loader: DocumentLoader) -> dict[str, Any]:
    return {"documentLoader": loader, "contextResolver": ContextResolver(_resolved_contexts(loader), loader),
            "base": None, "produceGeneralizedRdf": False}


def _run(step: Callable[[], Any]) -> Any:
    try:
        return step()
    except SigningError:
        raise
    except RecursionError as exc:
        raise CanonicalisationLimitError("The document is nested too deeply.",
                                         "Le document est imbriqué trop profondément.") from exc
    except Exception as exc:  # pyld raises JsonLdError, but also KeyError/TypeError/... on hostile input
        raise _translate(exc) from exc


def to_dataset(document: dict[str, Any], loader: DocumentLoader, *, strict: bool = False) -> dict[str, Any]:
    """Expand ``document`` into an RDF dataset (pyld's form), refusing whatever would go unsigned.

    :param document: a JSON-LD document (a JSON object).
    :param loader: the document loader (see :func:`app.signing.loader.make_loader`).
    :param strict: also refuse inline ``@context`` objects (verification mode).
    :returns: ``{graph name: [triples]}``.
    :raises UndefinedTermError: a term, type, vocabulary value or IRI that no context makes absolute.
    :raises UnknownContextError: a context that is not bundled (or inline, in strict mode).
    :raises InvalidJsonLdError: not valid JSON-LD, or values that cannot be serialised unambiguously.
    :raises CanonicalisationLimitError: nested too deeply.
    """
    if not isinstance(document, dict):
        raise InvalidJsonLdError("A JSON-LD document must be a JSON object.",
                                 "Un document JSON-LD doit être un objet JSON.")
    if strict:
        _run(lambda: check_inline_contexts(document))
    processor = _Processor()
    options = _options(loader)
    expanded = _run(lambda: processor.expand(document, options))
    if processor.dropped:
        raise undefined(processor.dropped[0], "The term")
    _run(lambda: check_expanded(expanded))
    dataset: dict[str, Any] = _run(lambda: processor.to_rdf(expanded, options))
    return dataset


def canonicalize(document: dict[str, Any], loader: DocumentLoader, *, strict: bool = False,
                 limits: CanonLimits = DEFAULT_LIMITS) -> str:
    """Canonical N-Quads (RDFC-1.0) of a JSON-LD document.

    :param document: a JSON-LD document (not modified).
    :param loader: the document loader (see :func:`app.signing.loader.make_loader`).
    :param strict: also refuse inline ``@context`` objects (verification mode).
    :param limits: the work allowed to label blank nodes.
    :returns: the canonical N-Quads.
    :raises UndefinedTermError, UnknownContextError, InvalidJsonLdError, CanonicalisationLimitError:
    """
    return canonicalize_dataset(to_dataset(document, loader, strict=strict), limits=limits)


def canonicalize_nquads(nquads: str, *, limits: CanonLimits = DEFAULT_LIMITS) -> str:
    """Relabel and sort N-Quads written in canonical serialisation (e.g. by a template) into RDFC-1.0 form.

    Each line must be exactly as pyld serialises that quad (single spaces, ``" ."`` ending, the escapes of
    RDFC-1.0): pyld's N-Quads reader unescapes lossily, so anything that does not survive a round trip is refused.

    :param nquads: N-Quads, one quad per line, each ending with a newline; blank node labels are arbitrary.
    :param limits: the work allowed to label blank nodes.
    :returns: the canonical N-Quads.
    :raises InvalidJsonLdError: not N-Quads in canonical serialisation.
    :raises CanonicalisationLimitError: labelling would exceed ``limits``.
    """
    if not isinstance(nquads, str) or (nquads and not nquads.endswith("\n")):
        raise InvalidJsonLdError("N-Quads must be text ending with a newline.",
                                 "Les N-Quads doivent être un texte terminé par un saut de ligne.")
    dataset = _run(lambda: parse_nquads(nquads))
    lines = set(nquads.splitlines(keepends=True))
    written = {_serialize(triple, graph) for graph, triples in dataset.items() for triple in triples}
    if lines != written or any(UNESCAPED_CONTROLS.search(line) for line in lines):
        raise InvalidJsonLdError("The N-Quads are not in canonical serialisation.",
                                 "Les N-Quads ne sont pas sous forme sérialisée canonique.")
    return canonicalize_dataset(dataset, limits=limits)


def _serialize(triple: dict[str, Any], graph: str) -> str:
    return str(serialize_nquad(triple, None if graph == "@default" else graph))
