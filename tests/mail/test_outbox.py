"""Without SMTP_URL, a message is written whole to VAR_DIR/outbox/<id>.eml and announced without its address."""

from __future__ import annotations

import email
import email.message
import email.policy
import stat
from collections.abc import Callable
from typing import Any

from app.jobs.testing import run_pending
from tests.mail.conftest import ADDRESS, email_row, queue


def test_without_smtp_url_the_message_is_written_to_the_outbox(make_mail_app: Callable[..., Any],
                                                                raw_log: Any) -> None:
    app = make_mail_app(None)
    email_id = queue(app)
    run_pending(app)
    outbox = app.state.settings.var_dir / "outbox"
    assert sorted(p.name for p in outbox.iterdir()) == [f"{email_id}.eml"]  # nothing half-written left aside
    path = outbox / f"{email_id}.eml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    assert (message["To"], message["Subject"]) == (ADDRESS, "Votre demande « Éveil musical » est bien reçue")
    body = message.get_body(("plain",))
    assert body is not None and "À bientôt, ça avance !" in body.get_content()
    row = email_row(app, email_id)
    assert row is not None and row.state == "sent"
    assert f"email {email_id} written to {path}" in raw_log.text
    assert "@example.fr" not in raw_log.text
