"""The message a use case wants sent: one recipient, a subject, a text body and (optionally) an HTML one.

Checked when it is built, so that nothing invalid is ever stored or queued. The checks never quote the values they
refuse: a refusal may be logged, and an address is personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, get_args

__all__ = ["MAX_BODY", "MAX_SUBJECT", "Email", "Language"]

Language = Literal["fr", "en"]

MAX_ADDRESS = 254  # RFC 5321: the longest forward-path
MAX_SUBJECT = 300
MAX_BODY = 200_000  # characters, each of the text and the HTML body
MAX_PURPOSE = 64

_ADDRESS = re.compile(r"[^\s\x00-\x1f\x7f@,;<>()\[\]\\\"]+@[^\s\x00-\x1f\x7f@,;<>()\[\]\\\"]+\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PURPOSE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*\Z")


@dataclass(frozen=True, slots=True, kw_only=True)
class Email:
    """One message to one person, in one language.

    :param to: one address (``sylvie@example.fr``), without a display name.
    :param subject: one line.
    :param text: the plain-text body, always sent.
    :param html: the HTML body, sent beside the text one (``multipart/alternative``), or None.
    :param language: ``fr`` or ``en`` (the ``Content-Language`` header).
    :param org_id: the organisation on whose behalf it is sent, or None (e.g. a holder's sign-in link).
    :param purpose: a short code for logs and tests (``signin``, ``request.received``), never personal data.
    :raises ValueError: a value that cannot be sent as it is (the message names the field, never its value).
    """

    to: str = field(repr=False)
    subject: str
    text: str = field(repr=False)
    html: str | None = field(default=None, repr=False)
    language: Language = "fr"
    org_id: str | None
    purpose: str

    def __post_init__(self) -> None:
        if len(self.to) > MAX_ADDRESS or not _ADDRESS.match(self.to):
            raise ValueError("Email.to must be one address (local-part@domain), without a display name")
        if not self.subject.strip() or len(self.subject) > MAX_SUBJECT or _CONTROL.search(self.subject):
            raise ValueError(f"Email.subject must be one non-empty line of at most {MAX_SUBJECT} characters")
        if not self.text.strip() or len(self.text) > MAX_BODY:
            raise ValueError(f"Email.text must be non-empty and at most {MAX_BODY} characters")
        if self.html is not None and (not self.html.strip() or len(self.html) > MAX_BODY):
            raise ValueError(f"Email.html must be None, or non-empty and at most {MAX_BODY} characters")
        if self.language not in get_args(Language):
            raise ValueError("Email.language must be 'fr' or 'en'")
        if self.org_id is not None and not 0 < len(self.org_id) <= 32:
            raise ValueError("Email.org_id must be an organisation id or None")
        if len(self.purpose) > MAX_PURPOSE or not _PURPOSE.match(self.purpose):
            raise ValueError("Email.purpose must be a short code such as 'signin' or 'request.received'")
