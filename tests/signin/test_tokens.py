"""The secrets of sign-in and how they are kept (pure functions)."""

from __future__ import annotations

import pytest

from app.errors import InvalidInput
from app.signin.address import fold, normalise_address
from app.signin.tokens import SigninKeys, clean_code, new_code, new_secret, sha256_hex

KEYS = SigninKeys.derive(bytes(range(32)))


def test_link_and_session_tokens_carry_256_random_bits() -> None:
    tokens = {new_secret() for _ in range(1000)}
    assert len(tokens) == 1000 and all(len(t) == 43 for t in tokens)


def test_codes_are_six_digits_spread_over_the_range() -> None:
    codes = [new_code() for _ in range(2000)]
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(set(codes)) > 1900 and any(c.startswith("0") for c in codes)


@pytest.mark.parametrize(("typed", "digits"), [("123456", "123456"), (" 123 456 ", "123456"), ("123-456", "123456"),
                                               ("１２３４５６", "123456"), ("012\u00a0345", "012345")])
def test_a_code_is_read_however_it_is_typed(typed: str, digits: str) -> None:
    assert clean_code(typed) == digits


@pytest.mark.parametrize("typed", ["12345", "1234567", "12345a", "", "١٢٣٤٥٦"])
def test_what_is_not_six_digits_is_not_a_code(typed: str) -> None:
    assert clean_code(typed) is None


def test_a_code_digest_is_keyed_and_bound_to_its_challenge() -> None:
    digest = KEYS.code_digest("challenge-1", "123456")
    assert KEYS.code_matches("challenge-1", "123456", digest)
    assert not KEYS.code_matches("challenge-2", "123456", digest)
    assert not KEYS.code_matches("challenge-1", "123457", digest)
    assert not KEYS.code_matches("challenge-1", "123456", None)
    assert SigninKeys.derive(bytes(32)).code_digest("challenge-1", "123456") != digest
    assert sha256_hex("123456") != digest


def test_addresses_are_normalised_as_mail_servers_read_them() -> None:
    assert normalise_address("  Sylvie.Dupont@EXAMPLE.FR ") == "Sylvie.Dupont@example.fr"
    assert normalise_address("Jose\u0301@Bücher.DE") == "José@bücher.de"
    assert fold("Sylvie@example.fr") == fold("sylvie@example.fr")


@pytest.mark.parametrize("typed", ["sylvie", "sylvie@", "a b@example.fr", "a@b@example.fr", "x" * 250 + "@e.fr",
                                   "sylvie@localhost", "sylvie@example.fr, camille@example.fr"])
def test_what_is_not_an_address_is_refused_in_words(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        normalise_address(typed)
    assert refused.value.code == "invalid_email" and "adresse e-mail" in refused.value.message_fr
