"""The one strict reader for JSON we did not write: request bodies, JWS/JWT segments, baked payloads, fetched
documents. Dependency-free, so every layer uses it.

Refused: invalid UTF-8, duplicate object keys (two readers could disagree on which one counts), ``NaN`` and
``Infinity``, numbers that overflow to infinity, lone surrogates, and nesting deep enough to exhaust the stack.
"""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["JSONRefused", "loads"]


class JSONRefused(ValueError):
    """The text is not JSON we accept; the message says why (in English, for logs and problem details)."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JSONRefused(f"duplicate key {key[:64]!r}")
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise JSONRefused(f"{name} is not valid JSON")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        raise JSONRefused("number out of range")
    return value


def loads(data: bytes | str) -> Any:
    """Parse ``data`` strictly (see the module docstring).

    :raises JSONRefused: for every refusal, including syntax errors (``json.JSONDecodeError`` is a ``ValueError``,
        re-raised as ``JSONRefused`` with the same message).
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant,
                           parse_float=_finite_float)
        if "\\ud" in text.lower():  # an escaped surrogate: only a valid pair decodes to encodable text
            json.dumps(value, ensure_ascii=False).encode("utf-8")
    except JSONRefused:
        raise
    except UnicodeError as exc:
        raise JSONRefused("not UTF-8 text") from exc
    except RecursionError as exc:
        raise JSONRefused("nesting too deep") from exc
    except ValueError as exc:
        raise JSONRefused(str(exc)) from exc
    return value

