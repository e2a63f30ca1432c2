"""Logs are JSON lines on stderr: one object per record, the error's type but never its traceback or message."""

from __future__ import annotations

import io
import json
import logging
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

from app.logging import MASK, JsonFormatter, PersonalDataFilter, configure_logging
from tests.live_server import live_service


def _record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("savoirs.test", logging.ERROR, __file__, 1, message, args, exc_info)


def test_a_record_is_one_json_object_on_one_line() -> None:
    line = JsonFormatter().format(_record("signing key %s rotated", "ed25519-x"))
    assert "\n" not in line
    entry = json.loads(line)
    assert (entry["level"], entry["logger"]) == ("error", "savoirs.test")
    assert entry["message"] == "signing key ed25519-x rotated"
    assert entry["at"].endswith("+00:00")


def test_an_exception_is_logged_by_its_type_only() -> None:
    try:
        raise ValueError("sylvie@example.fr is not valid")
    except ValueError as exc:
        line = JsonFormatter().format(_record("refused", exc=exc))
    assert json.loads(line)["error"] == "ValueError"
    assert "sylvie@example.fr" not in line and "Traceback" not in line


def test_configure_logging_writes_json_lines_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("warning")
        logging.getLogger("savoirs.test").warning("plain %s", "words")
        logging.getLogger("savoirs.test").info("not shown")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    lines = capsys.readouterr().err.splitlines()
    assert [json.loads(line)["message"] for line in lines] == ["plain words"]


def _access(path: str) -> logging.LogRecord:
    """A record as uvicorn's access logger makes it."""
    return logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                             ("127.0.0.1:5000", "GET", path, "1.1", 200), None)


def test_the_access_log_masks_the_recipient_and_keeps_the_rest_of_the_query() -> None:
    record = _access("/api/v1/verify?url=https://badges.example.org/credentials/x&recipient=sylvie%40example.fr")
    PersonalDataFilter().filter(record)
    message = record.getMessage()
    assert "sylvie" not in message and f"recipient={MASK}" in unquote(message)
    assert "url=https://badges.example.org/credentials/x" in message


@pytest.mark.parametrize("parameter", ["recipient", "email", "phone", "code", "token"])
def test_every_parameter_naming_a_person_or_a_secret_is_masked(parameter: str) -> None:
    record = _access(f"/verify?{parameter}=0612345678")
    PersonalDataFilter().filter(record)
    assert "0612345678" not in record.getMessage()


def test_an_email_address_in_any_message_is_masked() -> None:
    record = _record("could not send to %s", "nathan.dupont+atelier@quartier.example.org")
    PersonalDataFilter().filter(record)
    assert record.getMessage() == f"could not send to {MASK}"


def test_the_served_access_log_holds_no_recipient(tmp_path: Path) -> None:
    """``savoirs serve`` logs every request (uvicorn's access log) through the JSON handler: a verification with a
    recipient in its query string leaves the path in the log, not the email."""
    stream = io.StringIO()
    root, access = logging.getLogger(), logging.getLogger("uvicorn.access")
    saved = root.handlers[:], root.level
    saved_access = access.handlers[:], access.propagate, access.disabled
    # as `savoirs serve` leaves it (log_config=None); a uvicorn.Config made with access_log=False (other live
    # servers of this test process) empties its handlers and stops its propagation for the whole process
    access.handlers[:], access.propagate, access.disabled = [], True, False
    configure_logging("info", stream=stream)
    try:
        with live_service(tmp_path, access_log=True) as live:
            live.http.get("/api/v1/verify", params={"url": "https://badges.example.org/x",
                                                    "recipient": "sylvie.martin@example.fr"})
            for _ in range(200):  # uvicorn writes the access line once the answer is sent: wait for it
                if '"uvicorn.access"' in stream.getvalue():
                    break
                time.sleep(0.05)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        access.handlers[:], access.propagate, access.disabled = saved_access
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert any(e["logger"] == "uvicorn.access" and "GET /api/v1/verify?url=" in e["message"] for e in lines), lines
    assert "sylvie.martin" not in stream.getvalue()


def test_a_served_worker_takes_its_log_level_from_the_settings(tmp_path: Path) -> None:
    """``uvicorn app.asgi:app`` (each of ``savoirs serve --workers N``) applies ``LOG_LEVEL``: WARNING silences the
    access log of every request."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "LOG_LEVEL": "WARNING", "VAR_DIR": str(tmp_path), "ENVIRONMENT": "development"}
    env.pop("DATABASE_URL", None)
    probe = "import logging, app.asgi; print(logging.getLogger().getEffectiveLevel())"
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120,
                          check=True)
    assert done.stdout.strip() == str(logging.WARNING)
