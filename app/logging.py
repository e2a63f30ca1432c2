"""Structured (JSON lines) logging. Log records carry no secrets and no personal data.

Every record goes through :class:`PersonalDataFilter` before it is written: the access log's query strings lose the
values of the parameters that name a person or a secret (``recipient=sylvie@example.fr`` becomes
``recipient=[masqué]``), and any email address left in a message is masked too, whatever logged it.
"""

from __future__ import annotations

import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO
from urllib.parse import parse_qsl, urlencode

import orjson

__all__ = ["PersonalDataFilter", "configure_logging", "redact"]

MASK = "[masqué]"
#: query parameters whose values are personal data or secrets
_PRIVATE_PARAMETERS = frozenset({"recipient", "email", "phone", "code", "claim_code", "token", "access_token"})
_EMAIL = re.compile(r"[^\s\"'<>(),;:/?&=@%]+(?:@|%40)[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


def _redact_query(path: str) -> str:
    head, separator, query = path.partition("?")
    if not separator:
        return path
    pairs = parse_qsl(query, keep_blank_values=True)
    return head + "?" + urlencode([(k, MASK if k.lower() in _PRIVATE_PARAMETERS else v) for k, v in pairs],
                                  safe="/:[]")


def redact(text: str) -> str:
    """``text`` with every email address masked."""
    return _EMAIL.sub(MASK, text)


class PersonalDataFilter(logging.Filter):
    """Masks personal data in a record (it never drops one). The record leaves with its message formatted once."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == 5:
            client, method, path, version, status = args
            record.args = (client, method, _redact_query(str(path)), version, status)
        record.msg, record.args = redact(record.getMessage()), ()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return orjson.dumps(entry).decode("utf-8")


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """One JSON-lines handler on the root logger (``stream``: standard error by default), masking personal data;
    returns it."""
    # nothing written needs the caller's frame, thread or process: LogRecord skips finding them (the access log
    # writes a record per request)
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    return handler
