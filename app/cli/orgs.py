"""``savoirs org create`` and ``savoirs org key create``."""

from __future__ import annotations

import click
from pydantic import ValidationError

from app.cli.common import fail, print_json, settings
from app.errors import SavoirsError
from app.principal import Scope

__all__ = ["org"]


@click.group(help="Organisations (issuers).")
def org() -> None:
    pass


def _invalid(exc: ValidationError) -> click.ClickException:
    return click.ClickException("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()))


@org.command("create", help="Create an organisation; prints it and its first API key as JSON.")
@click.option("--slug", required=True, help="Short id used in URLs, e.g. centre-social-puchot")
@click.option("--name", required=True)
@click.option("--url", required=True, help="The organisation's website")
@click.option("--email", required=True)
@click.option("--description", default=None)
@click.option("--language", default="fr", show_default=True)
@click.option("--status-model", type=click.Choice(["revocation_only", "revocation_and_suspension"]),
              default="revocation_only", show_default=True,
              help="What credentials' credentialStatus carries (see the README)")
def org_create(slug: str, name: str, url: str, email: str, description: str | None, language: str,
               status_model: str) -> None:
    from app.migrate import upgrade
    from app.schemas.organisations import OrganisationCreate
    from app.services import organisations
    from app.services.context import build_context

    config = settings()
    try:
        body = OrganisationCreate.model_validate({
            "slug": slug, "name": name, "url": url, "email": email, "description": description, "language": language,
            "status_model": status_model})
    except ValidationError as exc:
        raise _invalid(exc) from exc
    upgrade(config.resolved_database_url)
    ctx = build_context(config)
    try:
        created = organisations.create(ctx, body.model_dump(), actor="cli")
    except SavoirsError as exc:
        fail(exc)
    finally:
        ctx.db.dispose()
    print_json(created.model_dump(mode="json"))


@org.group("key", help="An organisation's API keys.")
def org_key() -> None:
    pass


@org_key.command("create", help="Create an API key for an organisation, even one that lost all its keys; prints "
                                "it as JSON, with its secret (`token`), shown this once.")
@click.option("--org", "org_slug", required=True, help="Slug of the organisation")
@click.option("--scope", "scopes", multiple=True, type=click.Choice([s.value for s in Scope]),
              default=[Scope.admin.value], show_default=True, help="A scope of the key; repeat for several")
@click.option("--label", default=None, help="What the key is for, e.g. 'poste accueil'")
def org_key_create(org_slug: str, scopes: tuple[str, ...], label: str | None) -> None:
    from app.migrate import upgrade
    from app.schemas.organisations import ApiKeyCreate
    from app.services import api_keys
    from app.services.context import build_context

    config = settings()
    try:
        body = ApiKeyCreate.model_validate({"scopes": list(scopes), "label": label})
    except ValidationError as exc:
        raise _invalid(exc) from exc
    upgrade(config.resolved_database_url)
    ctx = build_context(config)
    try:
        created = api_keys.create_for_slug(ctx, org_slug, body.scopes, label=body.label, actor="cli")
    except SavoirsError as exc:
        fail(exc)
    finally:
        ctx.db.dispose()
    print_json(created.model_dump(mode="json"))
