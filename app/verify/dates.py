"""XML Schema dateTime values as verifiers must read them: a time zone is required."""

from __future__ import annotations

from datetime import datetime
from typing import Any

__all__ = ["parse_datetime"]


def parse_datetime(value: Any) -> datetime | None:
    """An aware datetime, or None when ``value`` is absent, not a string, or has no time zone."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
