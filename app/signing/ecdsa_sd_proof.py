"""``ecdsa-sd-2023`` proof values: parse and serialise the base and the derived forms, with bounds.

A proof value is ``u`` + base64url-no-pad of a 3-byte header followed by one CBOR array (RFC 8949, no tags):

- base proof (issuer → holder), header ``d9 5d 00``:
  ``[baseSignature(64), publicKey(35), hmacKey(32), [signature(64)…], [mandatoryPointer…]]``;
- derived proof (holder → verifier), header ``d9 5d 01``:
  ``[baseSignature(64), publicKey(35), [signature(64)…], {c14n index: HMAC digest(32)…}, [mandatoryIndex…]]``.

``publicKey`` is the proof-scoped P-256 key as Multikey bytes (``0x8024`` ‖ compressed point: 35 bytes; the
specification's parseDerivedProofValue text says 36, an erratum: its own test vectors and every implementation use
35). Signatures are ``r ‖ s``. The CBOR is decoded by ``cbor2`` and must be in preferred serialisation (definite
lengths, shortest integers, no tags, no trailing bytes): re-encoding it must give the same bytes, so one proof value
has one reading. Everything is untrusted: sizes and counts are capped before any work.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cbor2

from app.signing.base64url import decode_strict
from app.signing.errors import MalformedProofError
from app.signing.p256 import MULTIKEY_PUBLIC_SIZE, SIGNATURE_SIZE, public_key_from_multikey_bytes

__all__ = [
    "BASE_HEADER",
    "DERIVED_HEADER",
    "HMAC_KEY_SIZE",
    "MAX_POINTER_CHARS",
    "MAX_PROOF_VALUE_CHARS",
    "MAX_STATEMENTS",
    "BaseProofValue",
    "DerivedProofValue",
    "compress_label_map",
    "decompress_label_map",
    "parse_base_proof_value",
    "parse_derived_proof_value",
    "serialize_base_proof_value",
    "serialize_derived_proof_value",
]

BASE_HEADER = b"\xd9\x5d\x00"
DERIVED_HEADER = b"\xd9\x5d\x01"
HMAC_KEY_SIZE = 32
_DIGEST_SIZE = 32
#: signatures, mandatory indexes, label map entries or mandatory pointers in one proof (a badge has ~20–200 quads)
MAX_STATEMENTS = 2_000
#: ≈ 2,000 signatures of 66 CBOR bytes, base64url-encoded, plus the fixed fields
MAX_PROOF_VALUE_CHARS = 180_000
MAX_POINTER_CHARS = 1_000
_MAX_DEPTH = 4


@dataclass(frozen=True, slots=True)
class BaseProofValue:
    """The components of a base proof (kept by the holder; never shown to a verifier)."""

    base_signature: bytes
    public_key: bytes  # Multikey bytes of the proof-scoped key
    hmac_key: bytes
    signatures: tuple[bytes, ...]
    mandatory_pointers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DerivedProofValue:
    """The components of a derived proof; ``label_map`` is decompressed (``c14nN`` → ``u<base64url digest>``)."""

    base_signature: bytes
    public_key: bytes
    signatures: tuple[bytes, ...]
    label_map: Mapping[str, str]
    mandatory_indexes: tuple[int, ...]


def _malformed(en: str, fr: str) -> MalformedProofError:
    return MalformedProofError(f"ecdsa-sd-2023: {en}", f"ecdsa-sd-2023 : {fr}")


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(proof_value: object, header: bytes, kind_en: str, kind_fr: str) -> list[Any]:
    """Multibase → header check → CBOR array of five, in preferred serialisation."""
    if not isinstance(proof_value, str) or not proof_value.startswith("u"):
        raise _malformed("proofValue must be base64url multibase ('u…').",
                         "proofValue doit être en multibase base64url (« u… »).")
    if len(proof_value) > MAX_PROOF_VALUE_CHARS:
        raise _malformed(f"proofValue is longer than {MAX_PROOF_VALUE_CHARS} characters.",
                         f"proofValue dépasse {MAX_PROOF_VALUE_CHARS} caractères.")
    raw = decode_strict(proof_value[1:], "proofValue", MalformedProofError)
    prefix = raw[:3]
    if prefix != header and prefix == BASE_HEADER:
        raise _malformed("this is a base proof: it is for the holder, who must derive a proof to show a verifier.",
                         "c'est une preuve de base : elle est destinée au titulaire, qui doit en dériver une preuve "
                         "à présenter au vérificateur.")
    if prefix != header and prefix == DERIVED_HEADER:
        raise _malformed("this is a derived proof, not a base proof.",
                         "c'est une preuve dérivée, pas une preuve de base.")
    if prefix != header:
        raise _malformed(f"proofValue does not start with the {kind_en} proof header {header.hex()}.",
                         f"proofValue ne commence pas par l'en-tête de preuve {kind_fr} {header.hex()}.")
    body = raw[3:]
    try:
        components = cbor2.loads(body, tag_hook=_no_tags, max_depth=_MAX_DEPTH, allow_indefinite=False,
                                 allow_duplicate_keys=False)
        canonical = cbor2.dumps(components)
    except Exception as exc:  # cbor2 raises CBORDecodeError, but also ValueError/OverflowError… on hostile input
        raise _malformed("the CBOR after the header cannot be decoded.",
                         "le CBOR qui suit l'en-tête ne peut pas être décodé.") from exc
    if canonical != body:
        raise _malformed("the CBOR is not in preferred serialisation (definite lengths, shortest integers, no tags, "
                         "nothing after the array).",
                         "le CBOR n'est pas sous forme préférée (longueurs définies, entiers les plus courts, sans "
                         "étiquette, rien après le tableau).")
    if type(components) is not list or len(components) != 5:
        raise _malformed(f"the {kind_en} proof must be a CBOR array of five components.",
                         f"la preuve {kind_fr} doit être un tableau CBOR de cinq composants.")
    return components


def _no_tags(_decoder: object, tag: Any) -> Any:
    raise ValueError(f"CBOR tag {getattr(tag, 'tag', '?')} is not allowed")


def _bytes(value: Any, size: int, what: str) -> bytes:
    if type(value) is not bytes or len(value) != size:
        raise _malformed(f"{what} must be a byte string of {size} bytes.",
                         f"{what} doit être une chaîne d'octets de {size} octets.")
    return value


def _array(value: Any, what: str) -> list[Any]:
    if type(value) is not list:
        raise _malformed(f"{what} must be an array.", f"{what} doit être un tableau.")
    if len(value) > MAX_STATEMENTS:
        raise _malformed(f"{what} has more than {MAX_STATEMENTS} entries.",
                         f"{what} a plus de {MAX_STATEMENTS} entrées.")
    return value


def _common(components: list[Any]) -> tuple[bytes, bytes]:
    base_signature = _bytes(components[0], SIGNATURE_SIZE, "baseSignature")
    public_key = _bytes(components[1], MULTIKEY_PUBLIC_SIZE, "publicKey")
    public_key_from_multikey_bytes(public_key, "The proof-scoped public key")  # InvalidKeyError when not a P-256 point
    return base_signature, public_key


def _signatures(value: Any) -> tuple[bytes, ...]:
    return tuple(_bytes(s, SIGNATURE_SIZE, "Each signature") for s in _array(value, "signatures"))


def parse_base_proof_value(proof_value: object) -> BaseProofValue:
    """parseBaseProofValue: the five components of a base proof.

    :raises MalformedProofError: not ``u…``, wrong header, CBOR not of the expected shape or over the bounds.
    :raises InvalidKeyError: the proof-scoped public key is not a P-256 point.
    """
    components = _decode(proof_value, BASE_HEADER, "base", "de base")
    base_signature, public_key = _common(components)
    hmac_key = _bytes(components[2], HMAC_KEY_SIZE, "hmacKey")
    pointers = _array(components[4], "mandatoryPointers")
    for pointer in pointers:
        if type(pointer) is not str or len(pointer) > MAX_POINTER_CHARS or (pointer and not pointer.startswith("/")):
            raise _malformed("each mandatory pointer must be a JSON Pointer ('/…').",
                             "chaque pointeur obligatoire doit être un pointeur JSON (« /… »).")
    return BaseProofValue(base_signature, public_key, hmac_key, _signatures(components[3]), tuple(pointers))


def parse_derived_proof_value(proof_value: object) -> DerivedProofValue:
    """parseDerivedProofValue: the five components of a derived proof, the label map decompressed.

    Mandatory indexes must be strictly increasing (as the derivation algorithm produces them); whether they fit the
    document is checked by the verifier.

    :raises MalformedProofError: not ``u…``, a base proof, wrong header, CBOR not of the expected shape or over the
        bounds.
    :raises InvalidKeyError: the proof-scoped public key is not a P-256 point.
    """
    components = _decode(proof_value, DERIVED_HEADER, "derived", "dérivée")
    base_signature, public_key = _common(components)
    compressed = components[3]
    if type(compressed) is not dict or len(compressed) > MAX_STATEMENTS:
        raise _malformed(f"the label map must be a CBOR map of at most {MAX_STATEMENTS} entries.",
                         f"la table des étiquettes doit être une table CBOR d'au plus {MAX_STATEMENTS} entrées.")
    indexes = _array(components[4], "mandatoryIndexes")
    previous = -1
    for index in indexes:
        if type(index) is not int or index <= previous:
            raise _malformed("mandatoryIndexes must be strictly increasing non-negative integers.",
                             "mandatoryIndexes doit être une suite strictement croissante d'entiers positifs.")
        previous = index
    return DerivedProofValue(base_signature, public_key, _signatures(components[2]),
                             decompress_label_map(compressed), tuple(indexes))


def decompress_label_map(compressed: Mapping[Any, Any]) -> dict[str, str]:
    """decompressLabelMap: ``{N: digest}`` → ``{"c14nN": "u" + base64url(digest)}``.

    :raises MalformedProofError: a key that is not a non-negative integer, a digest that is not 32 bytes, or two
        blank nodes given the same label (they would be merged).
    """
    labels: dict[str, str] = {}
    for key, digest in compressed.items():
        if type(key) is not int or not 0 <= key < MAX_STATEMENTS:
            raise _malformed(f"label map keys must be integers from 0 to {MAX_STATEMENTS - 1}.",
                             f"les clés de la table des étiquettes doivent être des entiers de 0 à "
                             f"{MAX_STATEMENTS - 1}.")
        labels[f"c14n{key}"] = "u" + _b64url(_bytes(digest, _DIGEST_SIZE, "Each label map value"))
    if len(set(labels.values())) != len(labels):
        raise _malformed("the label map gives two blank nodes the same label.",
                         "la table des étiquettes donne la même étiquette à deux nœuds anonymes.")
    return labels


def compress_label_map(label_map: Mapping[str, str]) -> dict[int, bytes]:
    """compressLabelMap: ``{"c14nN": "u…"}`` → ``{N: digest}``.

    :raises MalformedProofError: a key that is not ``c14nN`` or a value that is not ``u`` + base64url.
    """
    compressed: dict[int, bytes] = {}
    for key, value in label_map.items():
        if not key.startswith("c14n") or not key[4:].isdigit() or not value.startswith("u"):
            raise _malformed(f"cannot compress the label {key[:40]!r}.",
                             f"impossible de compresser l'étiquette {key[:40]!r}.")
        compressed[int(key[4:])] = decode_strict(value[1:], "A label", MalformedProofError)
    return compressed


def _encode(header: bytes, components: list[Any]) -> str:
    return "u" + _b64url(header + cbor2.dumps(components))


def serialize_base_proof_value(base_signature: bytes, public_key: bytes, hmac_key: bytes,
                               signatures: Sequence[bytes], mandatory_pointers: Sequence[str]) -> str:
    """serializeBaseProofValue: ``u`` + base64url(``d95d00`` ‖ CBOR array of the five components)."""
    return _encode(BASE_HEADER, [base_signature, public_key, hmac_key, list(signatures), list(mandatory_pointers)])


def serialize_derived_proof_value(base_signature: bytes, public_key: bytes, signatures: Sequence[bytes],
                                  label_map: Mapping[str, str], mandatory_indexes: Sequence[int]) -> str:
    """serializeDerivedProofValue: ``u`` + base64url(``d95d01`` ‖ CBOR array, label map compressed)."""
    return _encode(DERIVED_HEADER, [base_signature, public_key, list(signatures), compress_label_map(label_map),
                                    list(mandatory_indexes)])
