"""Logs are JSON lines on stderr: one object per record, the error's type but never its traceback or message."""

from __future__ import annotations

import json
import logging

import pytest

from app.logging import JsonFormatter, configure_logging


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
