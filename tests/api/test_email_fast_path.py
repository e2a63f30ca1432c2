"""Everyday email addresses are recognised without email-validator, never more loosely than it (issue 12/13)."""

from __future__ import annotations

import email_validator
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.schemas.common import _plain_email

ATEXT = "abcXYZ019!#$%&'*+/=?^_`{|}~-"
ADDRESS = st.builds(
    lambda local, labels, tld: f"{local}@{'.'.join(labels)}.{tld}",
    st.text(ATEXT + ".", min_size=1, max_size=70),
    st.lists(st.text("abz09-", min_size=1, max_size=64), min_size=1, max_size=3),
    st.one_of(st.sampled_from(["fr", "org", "test", "local", "arpa", "onion", "example", "localhost", "co"]),
              st.text("abz09", min_size=1, max_size=64)))


def _library_accepts(address: str) -> bool:
    try:
        email_validator.validate_email(address, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return False
    return True


@settings(max_examples=2000, deadline=None)
@given(ADDRESS)
def test_an_address_recognised_at_once_is_one_email_validator_accepts(address: str) -> None:
    if _plain_email(address):
        assert _library_accepts(address), address


@pytest.mark.parametrize("address", ["sylvie@example.fr", "Sylvie.Martin+atelier@centre-social.fr",
                                     "o'brien@quartier.org", "a@x.co.uk"])
def test_everyday_addresses_take_the_fast_path(address: str) -> None:
    assert _plain_email(address) and _library_accepts(address)


@pytest.mark.parametrize("address", ["éloïse@exemple.fr", "a@рф.香港", "a@b.test", "a..b@x.fr", "ok4@example.fr,x",
                                     "a@x.123", ("x" * 65) + "@x.fr"])
def test_other_addresses_are_left_to_the_library(address: str) -> None:
    assert not _plain_email(address)
