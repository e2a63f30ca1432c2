"""The ``savoirs`` command line: serve, migrate, administer organisations."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any, NoReturn

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


@main.command(help="Run background jobs (PostgreSQL) until stopped by SIGINT/SIGTERM; run as many as you like. "
                   "With SQLite, jobs run inside `savoirs serve` and no worker is needed.")
@click.option("--concurrency", default=1, show_default=True, type=int, help="Jobs run at once by this worker")
@click.option("--once", is_flag=True, help="Run the jobs that are due now, then exit")
def worker(concurrency: int, once: bool) -> None:
    from app.jobs.runner import serve
    from app.logging import configure_logging
    from app.services.context import build_context

    settings = _settings()
    configure_logging(settings.log_level)
    ctx = build_context(settings)
    try:
        if ctx.jobs.in_memory:
            raise click.ClickException("With SQLite, jobs run inside `savoirs serve`: no worker is needed.\n"
                                       "Avec SQLite, les tâches tournent dans `savoirs serve` : aucun worker "
                                       "n'est nécessaire.")
        serve(ctx.jobs, ctx, concurrency=concurrency, once=once)
    except SavoirsError as exc:
        _fail(exc)
    finally:
        ctx.db.dispose()


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
@click.option("--status-model", type=click.Choice(["revocation_only", "revocation_and_suspension"]),
              default="revocation_only", show_default=True,
              help="What credentials' credentialStatus carries (see the README)")
def org_create(slug: str, name: str, url: str, email: str, description: str | None, language: str,
               status_model: str) -> None:
    from pydantic import ValidationError

    from app.migrate import upgrade
    from app.schemas.organisations import OrganisationCreate
    from app.services import organisations
    from app.services.context import build_context

    settings = _settings()
    try:
        body = OrganisationCreate.model_validate({
            "slug": slug, "name": name, "url": url, "email": email, "description": description, "language": language,
            "status_model": status_model})
    except ValidationError as exc:
        raise click.ClickException("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                             for e in exc.errors())) from exc
    upgrade(settings.resolved_database_url)
    ctx = build_context(settings)
    try:
        created = organisations.create(ctx, body.model_dump(), actor="cli")
    except SavoirsError as exc:
        _fail(exc)
    finally:
        ctx.db.dispose()
    _print_json(created.model_dump(mode="json"))


@main.command("award", help="Award an achievement to every row of a CSV file (columns: see the API docs).")
@click.option("--csv", "csv_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--achievement", "achievement_id", required=True, help="Id of a published achievement")
@click.option("--org", "org_slug", required=True, help="Slug of the issuing organisation")
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Write one line per row (status, award id, credential URL, claim code) to this CSV file")
@click.option("--chunk", default=500, show_default=True, help="Rows per transaction")
def award(csv_path: Path, achievement_id: str, org_slug: str, output: Path | None, chunk: int) -> None:
    import csv as csvlib
    import hashlib

    from app.migrate import upgrade
    from app.services import awards, bulk, organisations
    from app.services.batch_signing import BatchSigner
    from app.services.context import build_context

    settings = _settings()
    data = csv_path.read_bytes()
    try:
        rows = bulk.parse_csv(data)
    except SavoirsError as exc:
        raise _usage_error(exc) from exc
    digest = hashlib.sha256(data).hexdigest()[:32]
    upgrade(settings.resolved_database_url)
    ctx = build_context(settings)
    lines: list[list[str]] = []
    try:
        org_id = organisations.read(ctx, slug=org_slug).id
        with click.progressbar(length=len(rows), label="Attribution des badges", show_pos=True) as bar, \
                BatchSigner() as signer:
            for start in range(0, len(rows), chunk):
                part = rows[start:start + chunk]
                outcome = awards.issue(ctx, org_id, "cli", achievement_id, awards.BatchRows(part),
                                       idempotency_key=f"cli:{digest}:{achievement_id}:{start}", signer=signer)
                lines.extend(_result_lines(outcome.body, offset=start))
                bar.update(len(part))
    except SavoirsError as exc:
        _fail(exc)
    finally:
        ctx.db.dispose()
    failed = [line for line in lines if line[1] == "error"]
    for line in failed:
        click.echo(f"ligne {line[0]} : {line[5]}", err=True)
    if output is not None:
        with output.open("w", newline="", encoding="utf-8") as handle:
            writer = csvlib.writer(handle)
            writer.writerow(["row", "status", "award_id", "credential", "claim_code", "error"])
            writer.writerows(lines)
    click.echo(f"{len(lines) - len(failed)} badge(s) décerné(s), {len(failed)} ligne(s) en erreur.")
    sys.exit(0 if not failed else 1)


def _result_lines(batch: dict[str, Any], *, offset: int) -> list[list[str]]:
    """One output line per row of a batch answer: row, status, award id, credential, claim code, error."""
    return [[str(offset + r["row"]), r["status"], r.get("award_id") or "", r.get("credential") or "",
             r.get("claim_code") or "", r.get("message_fr") or ""] for r in batch["results"]]


def _fail(exc: SavoirsError) -> NoReturn:
    """Print one of our errors in both languages and exit 1."""
    click.echo(f"error: {exc.message_en}\nerreur : {exc.message_fr}", err=True)
    sys.exit(1)


def _read_input(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    path = Path(source)
    if not path.is_file():
        raise click.ClickException(f"no such file: {source}")
    return path.read_bytes()


def _usage_error(exc: SavoirsError) -> click.ClickException:
    """One of our errors as a command-line error (exit 1), in both languages."""
    return click.ClickException(f"{exc.message_en}\n{exc.message_fr}")


def _not_utf8() -> click.ClickException:
    return click.ClickException("The payload is not UTF-8 text.\nLe contenu n'est pas du texte UTF-8.")


@main.command(help="Bake a badge (OB 2.0 or 3.0; JSON or compact JWS/JWT in PAYLOAD, '-' for stdin) into a PNG "
                   "or SVG IMAGE; writes the baked image to --output (stdout by default).")
@click.argument("image", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("payload")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None)
def bake(image: Path, payload: str, output: Path | None) -> None:
    from app.badges import baking

    try:
        baked = baking.bake(image.read_bytes(), _read_input(payload).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _not_utf8() from exc
    except SavoirsError as exc:
        raise _usage_error(exc) from exc
    if output is None:
        sys.stdout.buffer.write(baked)
    else:
        output.write_bytes(baked)
        click.echo(f"badge écrit dans {output}", err=True)


@main.command(help="Print the badge baked into a PNG or SVG file ('-' for stdin): the JSON or JWS as it is.")
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print {version, media_type, payload} as JSON")
def unbake(source: str, as_json: bool) -> None:
    from app.badges import baking

    try:
        found = baking.unbake(_read_input(source))
    except SavoirsError as exc:
        raise _usage_error(exc) from exc
    if as_json:
        _print_json({"version": found.version, "media_type": found.media_type, "payload": found.payload})
    else:
        click.echo(found.payload)


_VERDICTS = {"confirmed": "VALIDE / VALID",
             "unconfirmed": "SIGNATURE AUTHENTIQUE, ÉMETTEUR NON CONFIRMÉ / SIGNATURE VALID, ISSUER NOT CONFIRMED",
             "invalid": "NON VALIDE / NOT VALID"}
#: exit codes of ``savoirs verify`` by trust state (2 is unusable input)
_EXIT = {"confirmed": 0, "invalid": 1, "unconfirmed": 3}


def _print_report(report: dict[str, object]) -> None:
    verdict = _VERDICTS[str(report["trust"])]
    click.echo(f"{verdict}  ({report['format']})")
    issuer = report.get("issuer") or {}
    achievement = report.get("achievement") or {}
    if isinstance(achievement, dict) and achievement.get("name"):
        level = f" — {achievement['level']}" if achievement.get("level") else ""
        click.echo(f"Badge : {achievement['name']}{level}")
    if isinstance(issuer, dict) and (issuer.get("name") or issuer.get("id")):
        click.echo(f"Émetteur / issuer : {issuer.get('name') or ''} {issuer.get('id') or ''}".rstrip())
    click.echo(f"Statut / status : {report['status']}")
    marks = {"passed": "✓", "failed": "✗", "warning": "!", "skipped": "–"}
    for check in [*report["checks"], *report["warnings"]]:  # type: ignore[misc]
        click.echo(f"  {marks.get(check['outcome'], '?')} {check['message_fr']}")


@main.command(help="Verify a badge: a file (JSON, JWS/JWT, baked PNG/SVG), a URL, or '-' for stdin. "
                   "Exit code 0 valid and issuer confirmed, 1 not valid (or revoked), 2 unusable input, "
                   "3 signature valid but issuer not confirmed.")
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON")
@click.option("--recipient", default=None, help="Check that the badge was awarded to this email or identifier")
def verify(source: str, as_json: bool, recipient: str | None) -> None:
    from app.services.context import build_context
    from app.services.verification import verify_badge

    settings = _settings()
    ctx = build_context(settings)  # our own documents are read from this database, not fetched
    try:
        if source.startswith(("https://", "http://")):
            report = verify_badge(ctx, settings, url=source, recipient=recipient)
        else:
            report = verify_badge(ctx, settings, data=_read_input(source), recipient=recipient)
    except (SavoirsError, click.ClickException) as exc:
        message = exc.format_message() if isinstance(exc, click.ClickException) else \
            f"{exc.message_fr}\n{exc.message_en}"
        click.echo(f"entrée inutilisable / unusable input: {message}", err=True)
        sys.exit(2)
    finally:
        ctx.db.dispose()
    out = report.as_dict()
    if as_json:
        _print_json(out)
    else:
        _print_report(out)
    sys.exit(_EXIT[str(report.trust)])
