"""``savoirs purge``: the retention purge, now, for operators (workers run it every hour by themselves)."""

from __future__ import annotations

import click

from app.cli.common import fail, print_json, settings
from app.errors import SavoirsError

__all__ = ["purge"]


@click.command(help="Erase now what the retention rules say is due: the evidence and personal data of declined and "
                    "withdrawn requests, and the personal data of closed proposals, past their organisation's "
                    "retention; the person's data of endorsements never given, 90 days on; the addresses of messages "
                    "sent or failed "
                    "over 30 days ago, sign-ins finished over a day ago. Prints the counts as JSON. Safe to run at "
                    "any time, beside running workers: what is done is never done twice. Workers (and `savoirs "
                    "serve` on SQLite) do this every hour by themselves.")
def purge() -> None:
    from app.services.context import build_context
    from app.services.recognition.purge import purge as purge_now

    ctx = build_context(settings())
    try:
        purged = purge_now(ctx, actor="cli")
    except SavoirsError as exc:
        fail(exc)
    finally:
        ctx.db.dispose()
    print_json(purged.counts())
