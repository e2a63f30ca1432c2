"""The transport settings: credentials never go in clear text to a server that is not on this machine, and a bad
SMTP_URL is refused without being quoted (it may hold a password)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest

from app.jobs.testing import run_pending
from app.mail.smtp import is_loopback
from app.mail.transport import transport_from_url
from tests.mail.conftest import SmtpServer, email_row, queue


def _this_hosts_address() -> str:
    """A non-loopback address of this machine (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            pytest.skip("this machine has no non-loopback IPv4 address")
        address = str(probe.getsockname()[0])
    if is_loopback(address):
        pytest.skip("this machine has no non-loopback IPv4 address")
    return address


def test_credentials_are_not_sent_to_a_remote_server_without_tls(make_mail_app: Callable[..., Any],
                                                                 make_smtp_server: Callable[..., SmtpServer]) -> None:
    server = make_smtp_server(_this_hosts_address())  # offers no STARTTLS
    app = make_mail_app(f"smtp://savoirs:secret@{server.host}:{server.port}")
    email_id = queue(app)
    run_pending(app)
    row = email_row(app, email_id)
    assert row is not None and row.state == "queued"
    assert row.last_error is not None and row.last_error.startswith("mail_insecure: ")
    assert server.handler.received == []


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://relay.example.org", ("relay.example.org", 587, None, None, False)),
    ("smtps://bot%40asso.fr:p%C3%A0ss%3A@mail.example.org", ("mail.example.org", 465, "bot@asso.fr", "pàss:", True)),
    ("smtp://u:p@127.0.0.1:2525", ("127.0.0.1", 2525, "u", "p", False)),
])
def test_smtp_urls_are_read_with_default_ports_and_decoded_credentials(url: str, expected: tuple[Any, ...]) -> None:
    transport = transport_from_url(url)
    assert (transport.host, transport.port, transport.username, transport.password,
            transport.implicit_tls) == expected
    assert "secret" not in repr(transport_from_url("smtps://u:secret@mail.example.org"))


@pytest.mark.parametrize("url", ["http://u:secret@mail.example.org", "smtp://u:secret@", "smtp://u:secret@h:99999",
                                 "smtp://u:secret@h/path"])
def test_an_unusable_smtp_url_is_refused_without_quoting_it(url: str) -> None:
    with pytest.raises(ValueError, match="SMTP_URL") as refused:
        transport_from_url(url)
    assert "secret" not in str(refused.value)
