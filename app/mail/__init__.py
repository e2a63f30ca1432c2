"""Email: the one way the service sends a message, by a background job, never while a request waits.

A use case builds an :class:`Email` (often with a builder of :mod:`app.mail.messages`, whose bodies come from the
templates of ``app/templates/mail/``) and calls :func:`send_later` inside its transaction::

    from app.mail import Email, send_later

    with ctx.db.transaction() as session:
        ...
        send_later(ctx, session, Email(to=address, subject=..., text=..., html=..., language="fr",
                                       org_id=org_id, purpose="request.received"), now=ctx.clock.now())

The message is stored (``emails``) and its job (``send_email``) queued with the change: both exist if and only if
the transaction commits. The job sends it through ``SMTP_URL`` (``smtp://`` with STARTTLS when offered,
``smtps://``), or, without one, writes it to ``VAR_DIR/outbox/<id>.eml``; it is retried on temporary failures
(4xx, server unreachable) and fails at once when the server refuses the message for good (5xx).

Modules: :mod:`.message` (:class:`Email`), :mod:`.queueing` (:func:`send_later`), :mod:`.render` (bodies from
templates), :mod:`.messages` (message builders), :mod:`.compose` (the MIME message), :mod:`.transport` (choosing
:mod:`.smtp` or :mod:`.outbox`), :mod:`.errors`, :mod:`.sending` (the job). Nothing connects at import.
"""

from app.mail.message import Email, Language
from app.mail.queueing import send_later

__all__ = ["Email", "Language", "send_later"]
