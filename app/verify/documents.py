"""Reading untrusted JSON documents defensively: every accessor returns the expected shape or nothing.

Badges, DID documents, key documents and status lists come from anyone; a value of the wrong type (a number where
a list is expected, an object where a string is) must never raise: it is simply not what we look for.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from app import strict_json
from app.verify.errors import StepFailed
from app.verify.report import Evidence

__all__ = ["evidence_of", "json_object", "member", "objects", "origin", "strings", "text", "types_of"]


def json_object(content: bytes | str, what_en: str, what_fr: str) -> dict[str, Any]:
    """Parse a JSON object strictly (:func:`app.strict_json.loads`); anything else (not JSON, not UTF-8, nested too
    deeply, duplicate keys, not an object) is refused.

    :raises StepFailed: naming ``what_en`` / ``what_fr`` (e.g. "DID document", "Le document DID").
    """
    try:
        document = strict_json.loads(content)
    except strict_json.JSONRefused as exc:
        raise StepFailed(f"The {what_en} is not readable JSON.", f"{what_fr} n'est pas du JSON lisible.") from exc
    if not isinstance(document, dict):
        raise StepFailed(f"The {what_en} is not a JSON object.", f"{what_fr} n'est pas un objet JSON.")
    return document


def member(document: dict[str, Any], key: str) -> dict[str, Any]:
    """The JSON object at ``document[key]``, or an empty one when it is absent or not an object."""
    value = document.get(key)
    return value if isinstance(value, dict) else {}


def text(value: Any) -> str | None:
    """A string, or the string ``@value`` of a JSON-LD value object; otherwise None."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("@value"), str):
        return str(value["@value"])
    return None


def objects(value: Any) -> list[dict[str, Any]]:
    """The JSON objects of a value that may be one object or a list of them (anything else is dropped)."""
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)]


def strings(value: Any) -> list[str]:
    """The strings of a value that may be one string or a list of them."""
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


def types_of(document: dict[str, Any]) -> list[str]:
    return strings(document.get("type", []))


def origin(url: Any) -> tuple[str, str | None, int | None] | None:
    """(scheme, host, port with the scheme's default) of a URL, or None when it is not a well-formed URL."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # an out-of-range or non-numeric port
        return None
    return parts.scheme, parts.hostname, port or {"https": 443, "http": 80}.get(parts.scheme)


def evidence_of(value: Any) -> list[Evidence]:
    """The evidence a badge cites (OB 3.0 ``evidence`` objects, OB 2.0 objects or plain URLs), at most 20, each as
    ``{"name", "url", "narrative", "description"}``."""
    found: list[Evidence] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            found.append({"name": None, "url": item, "narrative": None, "description": None})
        elif isinstance(item, dict):
            found.append({"name": text(item.get("name")), "url": text(item.get("id")),
                          "narrative": text(item.get("narrative")), "description": text(item.get("description"))})
    return [item for item in found if any(item.values())][:20]
