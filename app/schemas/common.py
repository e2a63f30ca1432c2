"""Shared pydantic bases: inputs forbid unknown fields (mass assignment is a 422, not a silent drop), and every
text they carry can be signed: whatever is accepted here can go into a credential that verifies."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, field_validator

__all__ = ["EmailText", "HttpUrlText", "InputModel", "LanguageTag", "OutputModel", "Slug", "signable"]


#: control characters that RDFC-1.0 canonicalisation escapes differently across implementations (tab, line feed and
#: carriage return are fine), NUL (which PostgreSQL text refuses) and lone surrogates (not encodable as UTF-8)
_UNSIGNABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def signable(value: Any) -> Any:
    """``value`` unchanged if every text in it (a string, or strings in a list) can be signed and stored.

    :raises ValueError: naming the first refused character.
    """
    texts = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] \
        if isinstance(value, list | tuple) else []
    for text in texts:
        found = _UNSIGNABLE.search(text)
        if found:
            raise ValueError(f"contains a control character (U+{ord(found.group()):04X}) that cannot be published; "
                             "remove it")
    return value


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _signable_text(cls, value: Any) -> Any:
        return signable(value)


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _check_http_url(value: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise ValueError("must be an absolute http(s) URL without credentials")
    return value


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
HttpUrlText = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_check_http_url)]
EmailText = Annotated[str, StringConstraints(max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
LanguageTag = Annotated[str, StringConstraints(max_length=16, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
