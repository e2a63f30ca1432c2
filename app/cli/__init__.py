"""The ``savoirs`` command line: serve, migrate, administer organisations, award in bulk, bake and verify badges,
purge what the retention rules say is due.

One module per family of commands; each imports what it needs when it runs, so ``savoirs --help`` stays quick.
"""

from __future__ import annotations

import click

from app.cli.badges import bake, unbake, verify
from app.cli.bulk import award
from app.cli.maintenance import purge
from app.cli.orgs import org
from app.cli.serving import db, serve, worker

__all__ = ["main"]


@click.group(help="savoirs — issue, revoke and verify Open Badges 2.0 and 3.0.")
def main() -> None:
    pass


for _command in (serve, db, worker, org, award, bake, unbake, verify, purge):
    main.add_command(_command)
