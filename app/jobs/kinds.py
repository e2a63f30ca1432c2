"""The kinds of job (``jobs.kind``; procrastinate task ``savoirs.<kind>``). Importing this imports nothing else."""

from __future__ import annotations

__all__ = ["KINDS", "LOCKED_BY", "PURGE_PERSONAL_DATA", "RESIGN_CREDENTIALS", "SEND_EMAIL"]

#: re-sign every credential a compromised Ed25519 key signed (:mod:`app.jobs.resign`)
RESIGN_CREDENTIALS = "resign_credentials"
#: send one email message (:mod:`app.mail.sending`)
SEND_EMAIL = "send_email"
#: erase what the retention rules say is due: closed requests' evidence and personal fields, old messages'
#: addresses, finished sign-ins (:mod:`app.jobs.purge`, :mod:`app.services.recognition.purge`)
PURGE_PERSONAL_DATA = "purge_personal_data"
KINDS = (RESIGN_CREDENTIALS, SEND_EMAIL, PURGE_PERSONAL_DATA)

#: what jobs of a kind are serialised by (procrastinate ``lock``): the task argument whose value names the lock, or
#: None for one lock for the whole kind. Re-signing runs one job at a time per organisation; an email is locked on
#: its own, so messages never wait behind one another (nor behind their organisation's other jobs), and one message
#: is never sent by two runs at once; the purge runs one at a time, whatever the number of workers.
LOCKED_BY: dict[str, str | None] = {RESIGN_CREDENTIALS: "org_id", SEND_EMAIL: "email_id", PURGE_PERSONAL_DATA: None}
