"""Bitstring status lists and identity hashes against the published values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.badges.bitstring import MIN_SIZE, Bitstring, BitstringError
from app.badges.identity import identity_hash, matches, new_salt, normalise_email, normalise_phone

V = Path(__file__).resolve().parents[1] / "vectors"


def test_all_zero_list_encodes_to_the_published_value() -> None:
    assert Bitstring().encode() == "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_1edtech_status_list_fixture_has_bit_23_set_most_significant_first() -> None:
    credential = json.loads((V / "1edtech-validator-fixtures/bitstring-status-list-credential.json").read_text())
    bits = Bitstring.decode(credential["credentialSubject"]["encodedList"])
    assert [bits.get(i) for i in (22, 23, 24)] == [False, True, False]


def test_index_zero_is_the_most_significant_bit_of_byte_zero() -> None:
    bits = Bitstring()
    bits.set(0, True)
    import base64
    import gzip

    raw = gzip.decompress(base64.urlsafe_b64decode(bits.encode()[1:] + "=="))
    assert raw[0] == 0x80 and sum(raw) == 0x80


def test_round_trip_and_clear() -> None:
    bits = Bitstring()
    for i in (1, 77, MIN_SIZE - 1):
        bits.set(i, True)
    decoded = Bitstring.decode(bits.encode())
    assert [decoded.get(i) for i in (0, 1, 77, MIN_SIZE - 1)] == [False, True, True, True]
    decoded.set(77, False)
    assert not Bitstring.decode(decoded.encode()).get(77)


def test_short_list_is_refused() -> None:
    import base64
    import gzip

    short = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(1024))).decode().rstrip("=")
    with pytest.raises(BitstringError) as excinfo:
        Bitstring.decode(short)
    assert excinfo.value.code == "STATUS_LIST_LENGTH_ERROR"


@pytest.mark.timeout(10)
def test_decompression_bomb_is_refused() -> None:
    import base64
    import zlib

    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(compressor.compress(bytes(1024 * 1024)) for _ in range(64)) + compressor.flush()
    with pytest.raises(BitstringError) as excinfo:
        Bitstring.decode("u" + base64.urlsafe_b64encode(bomb).decode().rstrip("="))
    assert excinfo.value.code == "STATUS_LIST_DECODING_ERROR"


def test_out_of_range_index() -> None:
    with pytest.raises(BitstringError) as excinfo:
        Bitstring().get(MIN_SIZE)
    assert excinfo.value.code == "RANGE_ERROR"


def test_identity_hash_of_the_spec_examples() -> None:
    assert identity_hash("mayze", None) == "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6"
    assert identity_hash("a@example.com", "Kosher") == (
        "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399")


def test_matches_accepts_upper_case_hex() -> None:
    stored = identity_hash("a@example.com", "Kosher").upper().replace("SHA256", "sha256")
    assert matches(stored, "a@example.com", "Kosher")
    assert not matches(stored, "b@example.com", "Kosher")


@pytest.mark.parametrize(("raw", "normalised"), [
    ("  Sylvie.Dupont@Example.FR ", "sylvie.dupont@example.fr"),
    ("HÉLÈNE@exemple.fr", "hélène@exemple.fr"),
    ("he\u0301le\u0300ne@exemple.fr", "hélène@exemple.fr"),
])
def test_email_normalisation(raw: str, normalised: str) -> None:
    assert normalise_email(raw) == normalised


@pytest.mark.parametrize(("raw", "normalised"), [
    ("06 12 34 56 78", "+33612345678"), ("06.12.34.56.78", "+33612345678"),
    ("+33 6 12 34 56 78", "+33612345678"), ("0033612345678", "+33612345678"), ("+1 (415) 555-0100", "+14155550100"),
])
def test_phone_normalisation(raw: str, normalised: str) -> None:
    assert normalise_phone(raw) == normalised


@pytest.mark.parametrize("bad", ["", "pas un email", "a@b", "a b@c.fr"])
def test_bad_emails_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        normalise_email(bad)


def test_salts_are_unique_and_at_least_16_bytes() -> None:
    salts = {new_salt() for _ in range(1000)}
    assert len(salts) == 1000
    assert all(len(bytes.fromhex(s)) >= 16 for s in salts)
