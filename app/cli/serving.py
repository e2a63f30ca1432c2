"""``savoirs serve``, ``savoirs db upgrade`` and ``savoirs worker``."""

from __future__ import annotations

import logging
from typing import Any

import click

from app.cli.common import fail, settings
from app.config import Settings
from app.errors import SavoirsError

__all__ = ["db", "proxy_options", "serve", "worker"]


@click.command(help="Migrate the database, then serve the API (http://127.0.0.1:8000 by default).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    import uvicorn

    from app.logging import configure_logging
    from app.migrate import upgrade

    config = settings()
    configure_logging(config.log_level)
    log = logging.getLogger("savoirs")
    if config.is_development:
        log.warning(
            "DEVELOPMENT MODE: signing keys are sealed with a generated key-encryption key in %s and the "
            "admin token is in %s. Never use these for real badges: set ENVIRONMENT=production, KEK_FILE "
            "(or KEK) and ADMIN_TOKEN.", config.kek_file, config.var_dir / "admin-token")
    if not config.trusted_proxies and not config.is_development:
        log.warning("TRUSTED_PROXIES is not set: X-Forwarded-For is not believed, so behind a reverse proxy every "
                    "client would count as the proxy's address (throttles, logs) and the scheme as http. Set it to "
                    "the proxy's address if there is one.")
    upgrade(config.resolved_database_url)
    uvicorn.run("app.asgi:app", host=host, port=port, workers=workers, log_config=None, server_header=False,
                **proxy_options(config))


def proxy_options(config: Settings) -> dict[str, Any]:
    """uvicorn's proxy options: ``X-Forwarded-For`` (the client address every throttle keys on) and
    ``X-Forwarded-Proto`` believed only from ``TRUSTED_PROXIES``; without any, not at all (a client could otherwise
    send a new address with each request and never be throttled)."""
    trusted = [address.strip() for address in config.trusted_proxies.split(",") if address.strip()]
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


@click.group(help="Database maintenance.")
def db() -> None:
    pass


@db.command("upgrade", help="Apply every pending migration.")
def db_upgrade() -> None:
    from app.migrate import upgrade

    upgrade(settings().resolved_database_url)
    click.echo("database is up to date")


@click.command(help="Run background jobs (PostgreSQL) until stopped by SIGINT/SIGTERM; run as many as you like. "
                    "With SQLite, jobs run inside `savoirs serve` and no worker is needed.")
@click.option("--concurrency", default=1, show_default=True, type=int, help="Jobs run at once by this worker")
@click.option("--once", is_flag=True, help="Run the jobs that are due now, then exit")
def worker(concurrency: int, once: bool) -> None:
    from app.jobs.runner import serve as serve_jobs
    from app.logging import configure_logging
    from app.services.context import build_context

    config = settings()
    configure_logging(config.log_level)
    ctx = build_context(config)
    try:
        if ctx.jobs.in_memory:
            raise click.ClickException("With SQLite, jobs run inside `savoirs serve`: no worker is needed.\n"
                                       "Avec SQLite, les tâches tournent dans `savoirs serve` : aucun worker "
                                       "n'est nécessaire.")
        serve_jobs(ctx.jobs, ctx, concurrency=concurrency, once=once)
    except SavoirsError as exc:
        fail(exc)
    finally:
        ctx.db.dispose()
