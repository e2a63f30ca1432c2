"""Mail tests: a real SMTP server (aiosmtpd) on a free local port, the application pointed at it, and the jobs run
with ``run_pending`` (the application does not run its SQLite worker thread)."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select, text

from app.clock import FixedClock
from app.config import Settings
from app.mail import Email, send_later
from app.main import create_app
from app.models import Job, OutgoingEmail

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
ADDRESS = "sylvie.martin@example.fr"
MAIL_FROM = "Centre social du Puchot <ne-pas-repondre@puchot.example>"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@dataclass
class Recorder:
    """An aiosmtpd handler: answers each RCPT TO with the next of ``answers`` (then accepts), keeps what it got."""

    answers: list[str] = field(default_factory=list)
    received: list[Envelope] = field(default_factory=list)

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if self.answers:
            return self.answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append(envelope)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: Recorder
    controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def quiet_smtp_server_log() -> Iterator[None]:
    """aiosmtpd logs every command it reads (addresses included) at INFO: not ours, and not useful here."""
    logger = logging.getLogger("mail.log")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


@pytest.fixture
def make_smtp_server(quiet_smtp_server_log: None) -> Iterator[Callable[..., SmtpServer]]:
    """Start real SMTP servers (``host``, ``port``: a free one by default); all are stopped at the end."""
    started: list[SmtpServer] = []

    def make(host: str = "127.0.0.1", port: int | None = None, *, start: bool = True) -> SmtpServer:
        server = SmtpServer(host, port or free_port(host), Recorder())
        started.append(server)
        if start:
            server.start()
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def smtp_server(make_smtp_server: Callable[..., SmtpServer]) -> SmtpServer:
    return make_smtp_server()


@pytest.fixture
def make_mail_app(settings_factory: Callable[..., Settings]) -> Iterator[Callable[..., Any]]:
    """An application sending through ``smtp_url`` (None: the outbox), whose jobs the test runs itself."""
    apps: list[Any] = []

    def make(smtp_url: str | None) -> Any:
        application = create_app(settings_factory(smtp_url=smtp_url, mail_from=MAIL_FROM), clock=FixedClock(NOW),
                                  jobs_in_process=False)
        apps.append(application)
        return application

    yield make
    for application in apps:
        application.state.db.dispose()


@pytest.fixture
def mail_app(make_mail_app: Callable[..., Any], smtp_server: SmtpServer) -> Any:
    return make_mail_app(smtp_server.url)


class RawLog(logging.Handler):
    """Every record as logged, before the service's filter masks addresses (a masked address is still a leak)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("mail.log"):  # the test SMTP server's own log
            return
        line = f"{record.name}: {record.getMessage()}"
        if record.exc_info:
            line += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(line)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def raw_log(quiet_smtp_server_log: None) -> Iterator[RawLog]:
    handler = RawLog()
    root = logging.getLogger()
    root.handlers.insert(0, handler)  # before the personal-data filter of the session's own handler
    yield handler
    root.removeHandler(handler)


def an_email(**fields: Any) -> Email:
    values: dict[str, Any] = {
        "to": ADDRESS,
        "subject": "Votre demande « Éveil musical » est bien reçue",
        "text": "Bonjour Sylvie,\n\nLe comité l’examinera très bientôt. À bientôt, ça avance !\n",
        "html": "<p>Bonjour Sylvie,</p><p>Le comité l’examinera très bientôt. À bientôt, ça avance !</p>",
        "language": "fr",
        "org_id": None,
        "purpose": "request.received",
    }
    values.update(fields)
    return Email(**values)


def queue(app: Any, email: Email | None = None) -> str:
    """``email`` sent later, from a transaction that commits; its id."""
    ctx = app.state.ctx
    with ctx.db.transaction() as session:
        return send_later(ctx, session, email or an_email(), now=ctx.clock.now())


def email_row(app: Any, email_id: str) -> OutgoingEmail | None:
    with app.state.db.sessions() as session:
        return session.get(OutgoingEmail, email_id)


def job_of(app: Any, email_id: str) -> Job:
    with app.state.db.sessions() as session:
        (job,) = [j for j in session.scalars(select(Job)) if j.params.get("email_id") == email_id]
        return job


def procrastinate_jobs(app: Any) -> list[dict[str, Any]]:
    """procrastinate's own jobs (task, status, arguments, lock), whatever the backend."""
    queue_ = app.state.ctx.jobs
    if queue_.in_memory:
        return [{"task_name": j["task_name"], "status": j["status"], "args": j["args"], "lock": j["lock"]}
                for j in queue_.connector.jobs.values()]
    with app.state.db.sessions() as session:
        rows = session.execute(text("SELECT task_name, status::text AS status, args, lock FROM procrastinate_jobs "
                                    "ORDER BY id"))
        return [dict(r._mapping) for r in rows]


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """``savoirs worker`` configures the process's logging, as a command does: put it back for the next tests."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level
