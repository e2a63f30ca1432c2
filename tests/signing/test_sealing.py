"""Envelope encryption binds each sealed private key to its organisation and key id."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest

from app.signing.keys import KeyAlgorithm, generate_private_key, private_key_der
from app.signing.sealing import UnsealError, seal, unseal

KEK = os.urandom(32)


@pytest.fixture(scope="module")
def der() -> bytes:
    return private_key_der(generate_private_key(KeyAlgorithm.ed25519))


def test_unseal_returns_the_sealed_key(der: bytes) -> None:
    sealed = seal(der, kek=KEK, org_id="org-a", key_id="ed-1")
    assert unseal(sealed, kek=KEK, org_id="org-a", key_id="ed-1") == der


def test_sealed_key_cannot_be_opened_under_another_organisation(der: bytes) -> None:
    sealed = seal(der, kek=KEK, org_id="org-a", key_id="ed-1")
    with pytest.raises(UnsealError) as excinfo:
        unseal(sealed, kek=KEK, org_id="org-b", key_id="ed-1")
    assert excinfo.value.code == "unseal_failed"


def test_sealed_key_cannot_be_opened_under_another_key_id(der: bytes) -> None:
    sealed = seal(der, kek=KEK, org_id="org-a", key_id="ed-1")
    with pytest.raises(UnsealError):
        unseal(sealed, kek=KEK, org_id="org-a", key_id="ed-2")


def test_sealed_key_cannot_be_opened_with_another_kek(der: bytes) -> None:
    sealed = seal(der, kek=KEK, org_id="org-a", key_id="ed-1")
    with pytest.raises(UnsealError):
        unseal(sealed, kek=os.urandom(32), org_id="org-a", key_id="ed-1")


def test_tampered_ciphertext_is_refused(der: bytes) -> None:
    sealed = seal(der, kek=KEK, org_id="org-a", key_id="ed-1")
    flipped = bytearray(sealed.sealed_private_key)
    flipped[20] ^= 1
    with pytest.raises(UnsealError):
        unseal(replace(sealed, sealed_private_key=bytes(flipped)), kek=KEK, org_id="org-a", key_id="ed-1")


def test_every_seal_uses_a_fresh_data_key(der: bytes) -> None:
    one = seal(der, kek=KEK, org_id="org-a", key_id="ed-1")
    two = seal(der, kek=KEK, org_id="org-a", key_id="ed-1")
    assert one.wrapped_data_key != two.wrapped_data_key
    assert one.sealed_private_key != two.sealed_private_key
