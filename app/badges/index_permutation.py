"""Status list indexes that say nothing about the order of issuance, allocated in constant time.

A list's n-th credential gets ``permuted_index(seed, n, size)``: a keyed pseudo-random permutation of
``[0, size)`` (a four-round Feistel network over the next even number of bits, keyed BLAKE2b as its round function,
cycle-walking back into range). It is a bijection, so indexes never collide and nothing needs to read the indexes
already taken; without the list's secret seed, neighbouring indexes do not reveal neighbouring awards (the privacy
rule of Bitstring Status List §6.3, threat S21).
"""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["new_seed", "permuted_index"]

_ROUNDS = 4


def new_seed() -> str:
    """A list's secret: 32 random bytes, hex."""
    return secrets.token_hex(32)


def _round(key: bytes, round_number: int, half: int, bits: int) -> int:
    digest = hashlib.blake2b(bytes([round_number]) + half.to_bytes(8, "big"), key=key, digest_size=8).digest()
    return int.from_bytes(digest, "big") & ((1 << bits) - 1)


def _feistel(key: bytes, value: int, half_bits: int) -> int:
    mask = (1 << half_bits) - 1
    left, right = value >> half_bits, value & mask
    for round_number in range(_ROUNDS):
        left, right = right, left ^ _round(key, round_number, right, half_bits)
    return (left << half_bits) | right


def permuted_index(seed: str, counter: int, size: int) -> int:
    """The index of a list's ``counter``-th credential (0-based), among ``size`` entries.

    :raises ValueError: ``counter`` outside ``[0, size)``, or a size below 2.
    """
    if size < 2 or not 0 <= counter < size:
        raise ValueError(f"counter {counter} outside a list of {size} entries")
    key = bytes.fromhex(seed)
    half_bits = ((size - 1).bit_length() + 1) // 2  # 2 * half_bits bits cover [0, size), at most 4 times over
    value = counter
    while True:  # cycle-walking: a permutation of the larger domain, restricted to [0, size)
        value = _feistel(key, value, half_bits)
        if value < size:
            return value
