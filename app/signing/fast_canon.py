"""Canonical N-Quads for many documents of one shape, byte-identical to :func:`app.signing.canon.canonicalize`.

Credentials of one achievement differ only in a few string values (ids, identity hash and salt, dates,
narrative, evidence). JSON-LD expansion and context processing cost most of the time, so they are done once per
*shape* (the document with its variable strings blanked): the shape is expanded with placeholders, compiled into
N-Quads line templates, and each document then only fills values in and runs the blank-node labelling.

Safety rails, each falling back to the general path:
- a placeholder that does not come out verbatim in the dataset (e.g. a vocabulary-relative value) makes the shape
  unsupported;
- a value in an IRI position must be an absolute ``http(s):``, ``urn:`` or ``did:`` IRI without forbidden
  characters, otherwise JSON-LD might expand it differently;
- blank nodes whose first-degree hashes collide need the full RDFC-1.0 n-degree algorithm;
- equal IRI values (nodes that would merge) or equal triples (which a dataset holds once) make that document take
  the general path;
- a literal value holding a control character that the general path refuses takes the general path (which
  refuses it with its own error);
- a shape whose placeholder document the general path refuses (an inline context in strict mode, a placeholder in a
  language tag...) is unsupported: its documents take the general path, which answers with the real error;
- the first document of every shape is canonicalised both ways and must match, or the shape is marked
  unsupported for good.

Verification uses it too (``strict=True``, the general path's verification mode), on documents of any origin: there
a shape is compiled only when seen a second time (``compile_after=2``), so that a stream of one-off shapes costs no
more than the general path.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from pyld.nquads import escape

from app.signing.canon import UNESCAPED_CONTROLS, canonicalize, to_dataset
from app.signing.errors import SigningError
from app.signing.loader import DocumentLoader

__all__ = ["CONSTANT_KEYS", "ShapeCanonicalizer"]

#: keys whose whole value is part of the shape, never placeholders: types and vocabulary terms, and the
#: achievement and issuer objects, which are the same for every credential of one achievement
CONSTANT_KEYS = frozenset({"@context", "type", "@type", "achievementType", "identityType", "resultType",
                           "statusPurpose", "proofPurpose", "cryptosuite", "inLanguage", "version", "achievement",
                           "issuer"})
_PLACEHOLDER = "urn:x-savoirs-placeholder:"
_IRI = re.compile(r"^(?:https?://|urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:|did:[a-z0-9]+:)[^\s<>\"{}|\\^`\x00-\x20\x7f]*$")
_MARK = "\x00"

Segment = str | tuple[str, Any]  # literal text | ("b", blank node id) | ("i"|"l", value index)


class _Unsupported(Exception):
    pass


@dataclass(slots=True)
class _Line:
    segments: list[Segment]
    bnodes: tuple[str, ...]
    variables: tuple[int, ...]
    parts: list[str] = field(default_factory=list)  # segments with "" where a slot goes
    slots: tuple[tuple[int, str, Any], ...] = ()  # (position in parts, kind, blank node id | value index)

    def __post_init__(self) -> None:
        self.parts = [seg if isinstance(seg, str) else "" for seg in self.segments]
        self.slots = tuple((i, seg[0], seg[1]) for i, seg in enumerate(self.segments) if not isinstance(seg, str))


@dataclass(slots=True)
class _Shape:
    constant_lines: list[str] = field(default_factory=list)
    lines: list[_Line] = field(default_factory=list)
    bnode_lines: dict[str, list[int]] = field(default_factory=dict)
    bnode_hashes: dict[str, str] = field(default_factory=dict)  # for blank nodes whose quads hold no variable
    iri_variables: frozenset[int] = frozenset()
    literal_variables: frozenset[int] = frozenset()
    constant_iris: frozenset[str] = frozenset()
    checked: bool = False
    supported: bool = True


def _split(document: Any) -> tuple[str, list[str]]:
    """(shape key, variable values). The key is the document with its variable strings blanked, as type-tagged
    tokens separated by U+001F (which no token contains), so two different shapes never share a key."""
    tokens: list[str] = []
    values: list[str] = []

    def walk(node: Any, constant: bool) -> None:
        if constant:
            tokens.append("c" + orjson.dumps(node, option=orjson.OPT_SORT_KEYS).decode())
        elif isinstance(node, str):
            values.append(node)
            tokens.append("?")
        elif isinstance(node, dict):
            tokens.append("{")
            for key in sorted(node):
                tokens.append("k" + repr(key))
                walk(node[key], key in CONSTANT_KEYS)
            tokens.append("}")
        elif isinstance(node, list):
            tokens.append("[")
            for item in node:
                walk(item, False)
            tokens.append("]")
        else:
            tokens.append("s" + repr(node))

    walk(document, False)
    return "\x1f".join(tokens), values


def _placeholders(document: Any) -> Any:
    """The document with each variable string replaced by a numbered placeholder IRI (same order as _split)."""
    counter = iter(range(1 << 30))

    def walk(node: Any, constant: bool) -> Any:
        if isinstance(node, str):
            return node if constant else f"{_PLACEHOLDER}{next(counter)}"
        if isinstance(node, dict):
            return {key: walk(node[key], constant or key in CONSTANT_KEYS) for key in sorted(node)}
        if isinstance(node, list):
            return [walk(item, constant) for item in node]
        return node

    return walk(document, False)


def _component(component: dict[str, Any], kind: str) -> tuple[list[Segment], str | None, int | None]:
    """Segments of one quad component, as pyld's ``serialize_nquad`` writes it."""
    value = component["value"]
    if component["type"] == "blank node":
        return [("b", value)], value, None
    index = None
    if _PLACEHOLDER in value:
        if not value.startswith(_PLACEHOLDER) or not value[len(_PLACEHOLDER):].isdigit():
            raise _Unsupported(value)
        index = int(value[len(_PLACEHOLDER):])
    if component["type"] == "IRI":
        return (["<", ("i", index), ">"] if index is not None else [f"<{value}>"]), None, index
    if kind != "object":
        raise _Unsupported("literal outside the object position")
    segments: list[Segment] = ['"', ("l", index), '"'] if index is not None else [f'"{escape(value)}"']
    datatype = component.get("datatype")
    if _PLACEHOLDER in str(datatype) or _PLACEHOLDER in str(component.get("language", "")):
        raise _Unsupported("a value in a datatype or language tag")
    if datatype == "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString":
        if component.get("language"):
            segments.append("@" + component["language"])
    elif datatype != "http://www.w3.org/2001/XMLSchema#string":
        segments.append(f"^^<{datatype}>")
    return segments, None, index


def _compile(dataset: dict[str, Any]) -> _Shape:
    shape = _Shape()
    iri_variables: set[int] = set()
    literal_variables: set[int] = set()
    for graph, triples in dataset.items():
        for triple in triples:
            segments: list[Segment] = []
            bnodes: list[str] = []
            variables: list[int] = []
            for kind in ("subject", "predicate", "object"):
                parts, bnode, index = _component(triple[kind], kind)
                segments.extend(parts if kind == "subject" else [" ", *parts])
                if bnode:
                    bnodes.append(bnode)
                if index is not None:
                    variables.append(index)
                    if triple[kind]["type"] == "IRI":
                        iri_variables.add(index)
                    elif triple[kind]["type"] == "literal":
                        literal_variables.add(index)
            if graph != "@default":
                if _PLACEHOLDER in graph:
                    raise _Unsupported(graph)
                segments.extend([" ", ("b", graph)] if graph.startswith("_:") else [f" <{graph}>"])
                if graph.startswith("_:"):
                    bnodes.append(graph)
            segments.append(" .\n")
            merged = _merge(segments)
            if not bnodes and not variables:
                shape.constant_lines.append("".join(s for s in merged if isinstance(s, str)))
                continue
            shape.lines.append(_Line(merged, tuple(bnodes), tuple(variables)))
            for bnode in set(bnodes):
                shape.bnode_lines.setdefault(bnode, []).append(len(shape.lines) - 1)
    shape.iri_variables = frozenset(iri_variables)
    shape.literal_variables = frozenset(literal_variables)
    shape.constant_iris = frozenset(
        t[k]["value"] for triples in dataset.values() for t in triples for k in ("subject", "object")
        if t[k]["type"] == "IRI" and _PLACEHOLDER not in t[k]["value"])
    for bnode, indexes in shape.bnode_lines.items():
        if not any(shape.lines[i].variables for i in indexes):
            shape.bnode_hashes[bnode] = _first_degree_hash(shape, bnode, [])
    return shape


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        if isinstance(segment, str) and merged and isinstance(merged[-1], str):
            merged[-1] += segment
        else:
            merged.append(segment)
    return merged


def _render(line: _Line, labels: Callable[[str], str], values: list[str]) -> str:
    out = line.parts.copy()
    for position, kind, key in line.slots:
        if kind == "b":
            out[position] = labels(key)
        elif kind == "i":
            out[position] = values[key]
        else:
            out[position] = escape(values[key])
    return "".join(out)


def _first_degree_hash(shape: _Shape, bnode: str, values: list[str]) -> str:
    nquads = sorted(_render(shape.lines[i], lambda b: "_:a" if b == bnode else "_:z", values)
                    for i in shape.bnode_lines[bnode])
    return hashlib.sha256("".join(nquads).encode("utf-8")).hexdigest()


_MEMO_MAX_VALUES = 16  # proof configurations have about 5 values; credentials have dozens
_MEMO_SIZE = 64


class ShapeCanonicalizer:
    """Canonicalise documents, reusing JSON-LD work across documents of the same shape. Thread-safe."""

    def __init__(self, loader: DocumentLoader, *, max_shapes: int = 256, strict: bool = False,
                 compile_after: int = 1) -> None:
        """:param strict: the general path's verification mode (inline contexts refused), for documents received.
        :param compile_after: sightings of a shape before it is compiled (2 for documents of any origin)."""
        self._loader = loader
        self._strict = strict
        self._compile_after = compile_after
        self._shapes: dict[str, _Shape] = {}
        self._sightings: dict[bytes, int] = {}
        self._max_shapes = max_shapes
        self._lock = threading.Lock()
        self._memo: dict[tuple[str, tuple[str, ...]], str] = {}
        self.stats = {"fast": 0, "slow": 0}

    def canonicalize(self, document: dict[str, Any]) -> str:
        """Canonical N-Quads of ``document``, identical to :func:`app.signing.canon.canonicalize`.

        Small documents that repeat exactly (a batch's proof configuration: same context, key and ``created``)
        are answered from a bounded memo of earlier results.
        """
        key, values = _split(document)
        memo_key = (key, tuple(values)) if len(values) <= _MEMO_MAX_VALUES else None
        if memo_key is not None:
            with self._lock:
                remembered = self._memo.get(memo_key)
            if remembered is not None:
                self.stats["fast"] += 1
                return remembered
        result = self._canonicalize(document, key, values)
        if memo_key is not None:
            with self._lock:
                if len(self._memo) >= _MEMO_SIZE:
                    self._memo.clear()
                self._memo[memo_key] = result
        return result

    def _canonicalize(self, document: dict[str, Any], key: str, values: list[str]) -> str:
        shape = self._shape(key, document)
        if shape is not None and shape.supported:
            try:
                result = self._fast(shape, values)
            except _Unsupported:
                result = None
            if result is not None:
                if not shape.checked:
                    shape.checked = True
                    if result != self._general(document):
                        shape.supported = False
                        return self._slow(document)
                self.stats["fast"] += 1
                return result
        return self._slow(document)

    def _slow(self, document: dict[str, Any]) -> str:
        self.stats["slow"] += 1
        return self._general(document)

    def _general(self, document: dict[str, Any]) -> str:
        return canonicalize(document, self._loader, strict=self._strict)

    def _shape(self, key: str, document: Any) -> _Shape | None:
        with self._lock:
            shape = self._shapes.get(key)
            if shape is not None:
                return shape
            if self._compile_after > 1 and not self._seen_enough(key):
                return None
        try:
            shape = _compile(to_dataset(_placeholders(document), self._loader, strict=self._strict))
        except (_Unsupported, SigningError):  # the general path gives each document its own answer
            shape = _Shape(supported=False)
        with self._lock:
            if len(self._shapes) >= self._max_shapes:
                self._shapes.clear()
            self._shapes[key] = shape
        return shape

    def _seen_enough(self, key: str) -> bool:
        """Count one more sighting of ``key`` (called with the lock held); bounded like the shapes."""
        digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        seen = self._sightings.get(digest, 0) + 1
        if seen >= self._compile_after:
            self._sightings.pop(digest, None)
            return True
        if len(self._sightings) >= 16 * self._max_shapes:
            self._sightings.clear()
        self._sightings[digest] = seen
        return False

    def _fast(self, shape: _Shape, values: list[str]) -> str | None:
        iris = [values[index] for index in shape.iri_variables]
        for iri in iris:
            if not _IRI.match(iri):
                raise _Unsupported(iri)
        for index in shape.literal_variables:
            if UNESCAPED_CONTROLS.search(values[index]):
                raise _Unsupported("a control character")  # the general path refuses it with its own words
        if len(set(iris)) != len(iris) or not shape.constant_iris.isdisjoint(iris):
            return None  # equal IRIs merge nodes that the template keeps apart
        hashes = {b: shape.bnode_hashes.get(b) or _first_degree_hash(shape, b, values) for b in shape.bnode_lines}
        if len(set(hashes.values())) != len(hashes):
            return None  # colliding first-degree hashes: the general algorithm decides
        order = sorted(hashes, key=hashes.__getitem__)
        canonical = {b: f"_:c14n{i}" for i, b in enumerate(order)}
        lines = shape.constant_lines + [_render(line, canonical.__getitem__, values) for line in shape.lines]
        if len(set(lines)) != len(lines):
            return None  # equal values make equal triples, which an RDF dataset holds once
        lines.sort()
        return "".join(lines)

