"""Envelope encryption of private keys.

Each private key is sealed with AES-256-GCM under its own random data key (DEK); the DEK is wrapped with
AES-256-GCM under the key-encryption key (KEK), which lives outside the database. Both encryptions bind the
associated data ``savoirs/v1|<org id>|<key id>``, so a sealed key copied to another organisation's row (or
renamed) cannot be opened.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.signing.errors import InvalidKeyError

__all__ = ["SealedKey", "UnsealError", "kek_id", "seal", "unseal"]

_NONCE = 12


class UnsealError(InvalidKeyError):
    code = "unseal_failed"
    message_en = "The private key cannot be opened with this key-encryption key for this organisation."
    message_fr = "La clé privée ne peut pas être ouverte avec cette clé de chiffrement pour cette organisation."


@dataclass(frozen=True, slots=True)
class SealedKey:
    sealed_private_key: bytes  # nonce ‖ AES-GCM(DEK, private key DER)
    wrapped_data_key: bytes  # nonce ‖ AES-GCM(KEK, DEK)
    kek_id: str


def kek_id(kek: bytes) -> str:
    """A short, non-secret identifier of a KEK (to detect a mismatched KEK early)."""
    return hashlib.sha256(b"savoirs-kek-id" + kek).hexdigest()[:16]


def _aad(org_id: str, key_id: str) -> bytes:
    return f"savoirs/v1|{org_id}|{key_id}".encode()


def seal(private_der: bytes, *, kek: bytes, org_id: str, key_id: str) -> SealedKey:
    """Seal a private key for one organisation and key id."""
    aad = _aad(org_id, key_id)
    dek = AESGCM.generate_key(bit_length=256)
    nonce1, nonce2 = os.urandom(_NONCE), os.urandom(_NONCE)
    sealed = nonce1 + AESGCM(dek).encrypt(nonce1, private_der, aad)
    wrapped = nonce2 + AESGCM(kek).encrypt(nonce2, dek, aad)
    return SealedKey(sealed, wrapped, kek_id(kek))


def unseal(sealed: SealedKey, *, kek: bytes, org_id: str, key_id: str) -> bytes:
    """Open a sealed private key.

    :raises UnsealError: wrong KEK, wrong organisation or key id, or tampered ciphertext.
    """
    aad = _aad(org_id, key_id)
    try:
        dek = AESGCM(kek).decrypt(sealed.wrapped_data_key[:_NONCE], sealed.wrapped_data_key[_NONCE:], aad)
        return AESGCM(dek).decrypt(sealed.sealed_private_key[:_NONCE], sealed.sealed_private_key[_NONCE:], aad)
    except (InvalidTag, ValueError) as exc:
        raise UnsealError() from exc
