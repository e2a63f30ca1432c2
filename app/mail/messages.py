"""Message builders: one function per message, returning the :class:`Email` to give :func:`app.mail.send_later`.

Each renders its template (``app/templates/mail/<name>.<language>.txt``) in the recipient's language. To add one:
write the French and the English template (blocks ``subject``, ``body``, ``action_label``; see ``layout.txt``),
then a builder here naming its ``purpose``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.mail.message import Email
from app.mail.render import render

if TYPE_CHECKING:
    from app.mail.message import Language

__all__ = ["request_received"]


def request_received(*, to: str, language: Language, org_id: str, org_name: str, badge_name: str,
                     follow_url: str) -> Email:
    """"Your badge request was received": sent to the person who asked ``org_name`` for the badge ``badge_name``,
    with a link to follow the request."""
    body = render("request_received", language, org_name=org_name, action_url=follow_url, badge_name=badge_name)
    return Email(to=to, subject=body.subject, text=body.text, html=body.html, language=language, org_id=org_id,
                 purpose="request.received")
