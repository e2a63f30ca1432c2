"""The ``savoirs`` command line: serve, migrate, administer organisations."""

from __future__ import annotations

import json
import logging
import sys

import click

from app.config import Settings, load_settings
from app.errors import SavoirsError

__all__ = ["main"]


def _settings() -> Settings:
    try:
        return load_settings()
    except Exception as exc:  # pydantic ValidationError: show it plainly
        raise click.ClickException(f"invalid configuration: {exc}") from exc


def _print_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(help="savoirs — issue, revoke and verify Open Badges 2.0 and 3.0.")
def main() -> None:
    pass


@main.command(help="Migrate the database, then serve the API (http://127.0.0.1:8000 by default).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    import uvicorn

    from app.logging import configure_logging
    from app.migrate import upgrade

    settings = _settings()
    configure_logging(settings.log_level)
    log = logging.getLogger("savoirs")
    if settings.is_development:
        log.warning(
            "DEVELOPMENT MODE: signing keys are sealed with a generated key-encryption key in %s and the "
            "admin token is in %s. Never use these for real badges: set ENVIRONMENT=production, KEK_FILE "
            "(or KEK) and ADMIN_TOKEN.", settings.kek_file, settings.var_dir / "admin-token")
    upgrade(settings.resolved_database_url)
    uvicorn.run("app.asgi:app", host=host, port=port, workers=workers, log_config=None,
                proxy_headers=True, server_header=False)


@main.group(help="Database maintenance.")
def db() -> None:
    pass


@db.command("upgrade", help="Apply every pending migration.")
def db_upgrade() -> None:
    from app.migrate import upgrade

    upgrade(_settings().resolved_database_url)
    click.echo("database is up to date")


@main.group(help="Organisations (issuers).")
def org() -> None:
    pass


@org.command("create", help="Create an organisation; prints it and its first API key as JSON.")
@click.option("--slug", required=True, help="Short id used in URLs, e.g. centre-social-puchot")
@click.option("--name", required=True)
@click.option("--url", required=True, help="The organisation's website")
@click.option("--email", required=True)
@click.option("--description", default=None)
@click.option("--language", default="fr", show_default=True)
def org_create(slug: str, name: str, url: str, email: str, description: str | None, language: str) -> None:
    from pydantic import ValidationError

    from app.db import Database
    from app.migrate import upgrade
    from app.schemas.organisations import ApiKeyOut, OrganisationCreate, organisation_out
    from app.services import organisations
    from app.services.keys import KeyVault
    from app.urls import PublicUrls

    settings = _settings()
    try:
        body = OrganisationCreate(slug=slug, name=name, url=url, email=email, description=description,
                                  language=language)
    except ValidationError as exc:
        raise click.ClickException("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                             for e in exc.errors())) from exc
    upgrade(settings.resolved_database_url)
    database = Database(settings.resolved_database_url)
    try:
        with database.transaction() as session:
            created = organisations.create_organisation(session, KeyVault(settings.read_kek()),
                                                        body.model_dump(), actor="cli")
            out = {
                "organisation": organisation_out(created.organisation, PublicUrls(settings.public_base_url))
                .model_dump(mode="json"),
                "api_key": {**ApiKeyOut.model_validate(created.api_key).model_dump(mode="json"),
                            "token": created.api_key_token},
            }
    except SavoirsError as exc:
        click.echo(f"error: {exc.message_en}\nerreur : {exc.message_fr}", err=True)
        sys.exit(1)
    finally:
        database.dispose()
    _print_json(out)
