"""Sending through a real SMTP server: once, with the right headers and parts, only after the transaction commits;
retried after a temporary refusal or an outage, failed at once after a permanent one, never leaking the address."""

from __future__ import annotations

import email
import email.message
import email.policy
import email.utils
from collections.abc import Callable
from typing import Any

import pytest

from app.jobs.testing import run_pending
from tests.mail.conftest import ADDRESS, NOW, SmtpServer, an_email, email_row, job_of, procrastinate_jobs, queue


def parsed(envelope: Any) -> email.message.EmailMessage:
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def test_a_message_arrives_once_with_its_headers_and_both_parts(mail_app: Any, smtp_server: SmtpServer) -> None:
    email_id = queue(mail_app)
    run_pending(mail_app)
    run_pending(mail_app, due_now=True)
    (envelope,) = smtp_server.handler.received
    assert (envelope.mail_from, envelope.rcpt_tos) == ("ne-pas-repondre@puchot.example", [ADDRESS])
    message = parsed(envelope)
    assert message["From"] == "Centre social du Puchot <ne-pas-repondre@puchot.example>"
    assert message["To"] == ADDRESS
    assert message["Subject"] == "Votre demande « Éveil musical » est bien reçue"
    assert message["Message-ID"] == f"<{email_id}@puchot.example>"
    assert email.utils.parsedate_to_datetime(message["Date"]) == NOW
    assert (message["Content-Language"], message["Auto-Submitted"]) == ("fr", "auto-generated")
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.iter_parts()
    text = "Bonjour Sylvie,\r\n\r\nLe comité l’examinera très bientôt. À bientôt, ça avance !\r\n"  # SMTP's CRLF
    assert plain.get_content() == text
    assert "<p>Le comité l’examinera très bientôt. À bientôt, ça avance !</p>" in html.get_content()
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert plain.get_content_charset() == "utf-8"


def test_a_sent_message_is_recorded_as_sent_and_its_bodies_forgotten(mail_app: Any, smtp_server: SmtpServer) -> None:
    email_id = queue(mail_app)
    run_pending(mail_app)
    row = email_row(mail_app, email_id)
    assert row is not None
    assert (row.state, row.attempts, row.sent_at, row.last_error) == ("sent", 1, NOW, None)
    assert (row.text_body, row.html_body) == ("", None)  # a body may hold a sign-in link
    assert (job_of(mail_app, email_id).state, job_of(mail_app, email_id).org_id) == ("succeeded", None)


def test_nothing_is_sent_when_the_transaction_rolls_back(mail_app: Any, smtp_server: SmtpServer) -> None:
    from app.mail import send_later

    ctx = mail_app.state.ctx
    with pytest.raises(RuntimeError), ctx.db.transaction() as session:
        email_id = send_later(ctx, session, an_email(), now=ctx.clock.now())
        raise RuntimeError("the change fails after the message was queued")
    run_pending(mail_app)
    assert email_row(mail_app, email_id) is None
    assert procrastinate_jobs(mail_app) == []
    assert smtp_server.handler.received == []


def test_a_temporary_refusal_is_recorded_then_retried(mail_app: Any, smtp_server: SmtpServer) -> None:
    smtp_server.handler.answers.append("451 4.3.0 Mailbox busy, try again later")
    email_id = queue(mail_app)
    run_pending(mail_app)
    row = email_row(mail_app, email_id)
    assert row is not None and (row.state, row.attempts) == ("queued", 1)
    assert row.last_error == "mail_deferred: The mail server asked to try again later (451 4.3.0)."
    assert job_of(mail_app, email_id).state == "queued"
    assert smtp_server.handler.received == []
    run_pending(mail_app, due_now=True)
    row = email_row(mail_app, email_id)
    assert row is not None and (row.state, row.attempts, row.last_error) == ("sent", 2, None)
    assert len(smtp_server.handler.received) == 1


def test_a_permanent_refusal_fails_at_once_and_is_not_retried(mail_app: Any, smtp_server: SmtpServer,
                                                               raw_log: Any) -> None:
    smtp_server.handler.answers.append(f"550 5.1.1 <{ADDRESS}>: Recipient address rejected: unknown user")
    email_id = queue(mail_app)
    run_pending(mail_app)
    run_pending(mail_app, due_now=True)  # nothing is due any more
    row = email_row(mail_app, email_id)
    assert row is not None and (row.state, row.attempts, row.text_body) == ("failed", 1, "")
    assert row.last_error == "mail_refused: The mail server refused the recipient for good (550 5.1.1)."
    job = job_of(mail_app, email_id)
    assert (job.state, job.attempts, job.last_error) == ("failed", 1, row.last_error)
    assert [j["status"] for j in procrastinate_jobs(mail_app)] == ["failed"]
    assert smtp_server.handler.received == []
    assert "550 5.1.1" in raw_log.text and "@example.fr" not in raw_log.text


def test_an_unreachable_server_is_retried_and_nothing_names_the_address(
        make_mail_app: Callable[..., Any], make_smtp_server: Callable[..., SmtpServer], raw_log: Any) -> None:
    down = make_smtp_server(start=False)  # nothing listens on its port yet
    app = make_mail_app(down.url)
    email_id = queue(app)
    run_pending(app)
    row = email_row(app, email_id)
    assert row is not None and (row.state, row.attempts) == ("queued", 1)
    assert row.last_error == ("mail_unreachable: The mail server could not be reached or dropped the connection "
                              "(ConnectionRefusedError).")
    assert job_of(app, email_id).last_error == row.last_error
    assert "mail_unreachable" in raw_log.text and "@example.fr" not in raw_log.text
    down.start()  # the server is back
    run_pending(app, due_now=True)
    row = email_row(app, email_id)
    assert row is not None and (row.state, row.attempts) == ("sent", 2)
    assert len(down.handler.received) == 1
