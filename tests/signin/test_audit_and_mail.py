"""What sign-in leaves behind: audit events without the address or the code, a message with everything a person
needs, stored for the mail job (which writes it to the outbox without SMTP_URL), and digests only."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from fastapi.testclient import TestClient

from app.jobs.testing import run_pending
from app.signin.service import revoke_sessions
from tests.signin.conftest import (
    SYLVIE,
    ask,
    audit_events,
    challenges,
    csrf_of,
    last_message,
    press_link_button,
    sessions,
    sign_in,
    type_code,
)


def test_sign_ins_failures_sign_outs_and_revocations_are_audited(client: TestClient, app: Any) -> None:
    ask(client)
    code = last_message(app).code
    type_code(client, "000000" if code != "000000" else "111111")
    type_code(client, code)
    client.post("/deconnexion", data={"csrf": csrf_of(client.get("/moi"))})
    sign_in(client, app)
    client.post("/api/v1/signin/signout-everywhere")
    sign_in(client, app)
    revoke_sessions(app.state.ctx, SYLVIE, actor="staff:test")
    actions = [e.action for e in audit_events(app)]
    assert actions == ["signin.failure", "signin.success", "signin.signout", "signin.success",
                       "signin.signout_everywhere", "signin.success", "signin.revoke"]
    failure = audit_events(app)[0]
    assert failure.details == {"method": "code", "reason": "wrong_code", "attempts": 1}


def test_the_audit_trail_holds_neither_the_address_nor_the_code(client: TestClient, app: Any) -> None:
    ask(client)
    message = last_message(app)
    type_code(client, "000000" if message.code != "000000" else "111111")
    press_link_button(client, message.token)
    trail = repr([(e.actor, e.target_id, e.details) for e in audit_events(app)])
    assert "sylvie" not in trail.lower() and "@" not in trail and message.code not in trail
    assert message.token not in trail
    assert all(e.actor == f"person:{challenges(app)[0].email_key}" for e in audit_events(app))


def test_only_digests_of_the_secrets_are_stored(client: TestClient, app: Any) -> None:
    ask(client)
    message = last_message(app)
    press_link_button(client, message.token)
    stored = repr([{k: v for k, v in vars(row).items() if not k.startswith("_")}
                   for row in [*challenges(app), *sessions(app)]])
    assert message.token not in stored and message.code not in stored.replace(challenges(app)[0].code_hmac, "")
    assert client.cookies.get("savoirs_session") not in stored


def test_the_message_in_french(client: TestClient, app: Any, settings: Any) -> None:
    ask(client)
    message = last_message(app)
    assert message.subject == "Votre lien pour vous connecter à savoirs" and message.language == "fr"
    assert message.link.startswith("https://badges.example.org/connexion/lien?token=")
    assert f"    {message.code[:3]} {message.code[3:]}" in message.text
    assert f"pendant {settings.signin_link_minutes} minutes" in message.text
    assert "Si vous n’avez pas demandé à vous connecter, ignorez ce message" in message.text
    assert message.html is not None and "font-size:34px" in message.html and message.link in message.html


def test_the_message_in_english(client: TestClient, app: Any) -> None:
    ask(client, lang="en")
    message = last_message(app)
    assert message.language == "en" and "type this 6-digit code" in message.text
    assert "If you did not ask to sign in, ignore this message" in message.text


def test_the_mail_job_writes_the_message_to_the_outbox(client: TestClient, app: Any, settings: Any) -> None:
    ask(client)
    code = last_message(app).code
    run_pending(app)
    (written,) = (settings.var_dir / "outbox").glob("*.eml")
    parsed = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage) and parsed["To"] == SYLVIE
    text = parsed.get_body(preferencelist=("plain",))
    assert text is not None and f"{code[:3]} {code[3:]}" in text.get_content()
    assert type_code(client, code).status_code == 303
