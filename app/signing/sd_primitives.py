"""Selective-disclosure primitives on canonical N-Quads (W3C Data Integrity ECDSA Cryptosuites v1.0, §3.4.1).

Blank nodes are relabelled structurally: each canonical quad is split into its terms, and only a subject, object or
graph that *is* a blank node is renamed (a literal that merely contains ``_:c14n0`` is left alone). The input is
our own canonicaliser's output (:mod:`app.signing.canon`), one quad a line, each ending with ``\\n``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Collection, Iterable, Mapping, Sequence

from app.signing.canon import InvalidJsonLdError
from app.signing.errors import MalformedProofError

__all__ = [
    "blank_node_labels",
    "hash_mandatory",
    "hash_proof_config",
    "hmac_label_map",
    "relabel_nquads",
    "serialize_sign_data",
    "split_by_indexes",
    "split_nquads",
]

_IRI = r"<[^<>\n]*>"
_BLANK = r"_:[A-Za-z0-9_-]+"
_LITERAL = r'"(?:[^"\\\n\r]|\\.)*"(?:\^\^' + _IRI + r"|@[A-Za-z]+(?:-[A-Za-z0-9]+)*)?"
_QUAD = re.compile(rf"({_IRI}|{_BLANK}) ({_IRI}) ({_IRI}|{_BLANK}|{_LITERAL})(?: ({_IRI}|{_BLANK}))? \.\n")
_TERMS = (1, 3, 4)  # the groups that may hold a blank node: subject, object, graph


def split_nquads(canonical: str) -> list[str]:
    """The quads of canonical N-Quads text, each with its ``\\n`` (split on ``\\n`` only, never on U+2028…).

    :raises InvalidJsonLdError: the text does not end with a newline.
    """
    if not canonical:
        return []
    if not canonical.endswith("\n"):
        raise InvalidJsonLdError("Canonical N-Quads must end with a newline.",
                                 "Les N-Quads canoniques doivent se terminer par un saut de ligne.")
    return [line + "\n" for line in canonical[:-1].split("\n")]


def _match(quad: str) -> re.Match[str]:
    match = _QUAD.fullmatch(quad)
    if match is None:
        raise InvalidJsonLdError("A line is not a quad in canonical N-Quads form.",
                                 "Une ligne n'est pas un quadruplet sous forme N-Quads canonique.")
    return match


def blank_node_labels(nquads: Iterable[str]) -> set[str]:
    """The blank node labels (without ``_:``) used as subject, object or graph.

    :raises InvalidJsonLdError: a line that is not a canonical quad.
    """
    labels: set[str] = set()
    for quad in nquads:
        match = _match(quad)
        labels.update(term[2:] for term in (match.group(i) for i in _TERMS) if term and term.startswith("_:"))
    return labels


def hmac_label_map(labels: Iterable[str], hmac_key: bytes) -> dict[str, str]:
    """createHmacIdLabelMapFunction applied to canonical labels: ``c14nN`` → ``u`` + base64url(HMAC-SHA256(c14nN))."""
    return {label: "u" + base64.urlsafe_b64encode(hmac.new(hmac_key, label.encode("utf-8"), hashlib.sha256)
                                                  .digest()).rstrip(b"=").decode("ascii")
            for label in labels}


def relabel_nquads(nquads: Iterable[str], label_map: Mapping[str, str]) -> list[str]:
    """labelReplacementCanonicalizeNQuads, from canonical quads: rename every blank node, then sort.

    :raises MalformedProofError: a blank node that ``label_map`` does not name.
    :raises InvalidJsonLdError: a line that is not a canonical quad.
    """
    relabelled = []
    for quad in nquads:
        match = _match(quad)
        pieces = []
        last = 0
        for group in _TERMS:
            term = match.group(group)
            if term is None or not term.startswith("_:"):
                continue
            new = label_map.get(term[2:])
            if new is None:
                raise MalformedProofError(
                    f"ecdsa-sd-2023: the label map does not name the blank node {term[:40]!r}.",
                    f"ecdsa-sd-2023 : la table des étiquettes ne nomme pas le nœud anonyme {term[:40]!r}.")
            pieces += [quad[last:match.start(group)], "_:", new]
            last = match.end(group)
        relabelled.append("".join([*pieces, quad[last:]]))
    return sorted(relabelled)


def split_by_indexes(nquads: Sequence[str], mandatory_indexes: Collection[int]) -> tuple[list[str], list[str]]:
    """The quads whose index is in ``mandatory_indexes``, then the others, each in order.

    :raises MalformedProofError: an index that is not the index of a quad.
    """
    wanted = set(mandatory_indexes)
    if any(not 0 <= i < len(nquads) for i in wanted):
        raise MalformedProofError(
            f"ecdsa-sd-2023: a mandatory index is outside the document's {len(nquads)} statements.",
            f"ecdsa-sd-2023 : un indice obligatoire est hors des {len(nquads)} déclarations du document.")
    mandatory = [quad for i, quad in enumerate(nquads) if i in wanted]
    non_mandatory = [quad for i, quad in enumerate(nquads) if i not in wanted]
    return mandatory, non_mandatory


def hash_mandatory(mandatory: Iterable[str]) -> bytes:
    """hashMandatoryNQuads: SHA-256 of the UTF-8 of the joined mandatory quads."""
    return hashlib.sha256("".join(mandatory).encode("utf-8")).digest()


def hash_proof_config(canonical_proof_config: str) -> bytes:
    """proofHash: SHA-256 of the canonical proof configuration."""
    return hashlib.sha256(canonical_proof_config.encode("utf-8")).digest()


def serialize_sign_data(proof_hash: bytes, public_key: bytes, mandatory_hash: bytes) -> bytes:
    """serializeSignData: what the issuer's key signs: ``proofHash ‖ publicKey (Multikey bytes) ‖ mandatoryHash``."""
    return proof_hash + public_key + mandatory_hash
