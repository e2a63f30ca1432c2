"""Texts that sort differently by code point (RDFC-1.0, ours) and by UTF-16 code unit (rdf-canonize, under Digital
Bazaar and DCC) are found before a credential is signed; everything else is signed as before."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from app.signing.canon import canonicalize
from app.signing.data_integrity import create_proof, list_proofs, verify_proof
from app.signing.loader import make_loader
from app.signing.portable_order import UnportableOrderError, check_portable_order, order_conflict
from bench.fixtures import credentials

LOADER = make_loader()
CREATED = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
METHOD = "did:web:badges.example.org:orgs:puchot#key-1"


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")  # byte order = UTF-16 code unit order, as JavaScript compares


def _with_tags(tags: list[str]) -> dict[str, Any]:
    document = copy.deepcopy(credentials(1, seed=3)[0])
    document["credentialSubject"]["achievement"]["tag"] = tags
    return document


@pytest.mark.parametrize(("first", "second"), [
    ("ﬁlm", "🎬 cinéma"),                 # a ligature (U+FB01) against an emoji (U+1F3AC)
    ("Ａtelier", "😀 atelier"),            # a full-width letter (U+FF21)
    ("couture \ufffd", "couture 𝔘"),       # the same start, then U+FFFD against U+1D518
    ("\ue000", "\U00010000"),             # the two ends of the range
])
def test_texts_that_utf16_orders_otherwise_are_a_conflict(first: str, second: str) -> None:
    assert (first < second) != (_utf16(first) < _utf16(second))
    assert order_conflict(["savoir-faire", second, first]) == (first, second)


@pytest.mark.parametrize("texts", [
    ["film", "🎬 cinéma"],                 # U+0066 is below the surrogates: the same order both ways
    ["ﬁlm", "ﬁlm 🎬"],                     # one is the start of the other
    ["ﬁlm", "ﬁlm"],
    ["\ud7ff", "\U00010000"],             # just below U+E000
    ["\uffff 🎬"],                         # a single text
    [],
])
def test_texts_in_the_same_order_both_ways_are_no_conflict(texts: list[str]) -> None:
    assert order_conflict(texts) is None


LINE = st.text(st.one_of(st.sampled_from("ab\"<>_: "), st.characters(min_codepoint=0xDFF0, max_codepoint=0xE010),
                         st.characters(min_codepoint=0xFFF0, max_codepoint=0x10010),
                         st.characters(min_codepoint=0xFB00, max_codepoint=0xFB06),
                         st.characters(min_codepoint=0x1F3A0, max_codepoint=0x1F3B0)).filter(
    lambda c: not 0xD800 <= ord(c) <= 0xDFFF), max_size=6)


@given(st.lists(LINE, max_size=8))
def test_canonical_lines_are_refused_exactly_when_utf16_would_sort_them_otherwise(lines: list[str]) -> None:
    ordered = sorted(lines)
    nquads = "".join(line + "\n" for line in ordered)
    if ordered == sorted(lines, key=_utf16):
        check_portable_order(nquads)
    else:
        with pytest.raises(UnportableOrderError):
            check_portable_order(nquads)


def test_a_credential_whose_tags_utf16_orders_otherwise_is_not_signed() -> None:
    document = _with_tags(["ﬁlm", "🎬 cinéma"])
    canonical = canonicalize(document, LOADER).splitlines()
    assert canonical != sorted(canonical, key=_utf16)  # what rdf-canonize would hash
    with pytest.raises(UnportableOrderError) as refused:
        create_proof(document, private_key=Ed25519PrivateKey.generate(), verification_method=METHOD,
                     created=CREATED, loader=LOADER)
    assert refused.value.texts == ("ﬁlm", "🎬 cinéma")
    assert refused.value.code == "unportable_order" and "ordre" in refused.value.message_fr


def test_the_same_tags_in_the_same_order_both_ways_are_signed_and_verify() -> None:
    key = Ed25519PrivateKey.generate()
    document = _with_tags(["atelier ﬁlm", "cinéma 🎬", "film"])  # both kinds, never where two texts differ
    signed = create_proof(document, private_key=key, verification_method=METHOD, created=CREATED, loader=LOADER)
    (ref,) = list_proofs(signed)
    verify_proof(signed, ref.proof, public_key=key.public_key(), loader=LOADER)


def test_re_signing_what_was_signed_before_the_check_is_still_possible() -> None:
    key = Ed25519PrivateKey.generate()
    signed = create_proof(_with_tags(["ﬁlm", "🎬 cinéma"]), private_key=key, verification_method=METHOD,
                          created=CREATED, loader=LOADER, portable=False)
    (ref,) = list_proofs(signed)
    verify_proof(signed, ref.proof, public_key=key.public_key(), loader=LOADER)  # by code point, as RDFC-1.0 says


def test_an_evidence_url_and_another_that_utf16_orders_otherwise_are_named() -> None:
    document = _with_tags([])
    document["evidence"] = [{"id": "https://x.example/ﬁ", "type": ["Evidence"]},
                            {"id": "https://x.example/🎬", "type": ["Evidence"]}]
    with pytest.raises(UnportableOrderError) as refused:
        create_proof(document, private_key=Ed25519PrivateKey.generate(), verification_method=METHOD,
                     created=CREATED, loader=LOADER)
    assert refused.value.texts == ("https://x.example/ﬁ", "https://x.example/🎬")
