"""``savoirs bake``, ``savoirs unbake`` and ``savoirs verify``: badges as files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli.common import not_utf8, print_json, read_input, settings, usage_error
from app.errors import SavoirsError

__all__ = ["bake", "unbake", "verify"]


@click.command(help="Bake a badge (OB 2.0 or 3.0; JSON or compact JWS/JWT in PAYLOAD, '-' for stdin) into a PNG "
                   "or SVG IMAGE; writes the baked image to --output (stdout by default).")
@click.argument("image", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("payload")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None)
def bake(image: Path, payload: str, output: Path | None) -> None:
    from app.badges import baking

    try:
        baked = baking.bake(image.read_bytes(), read_input(payload).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise not_utf8() from exc
    except SavoirsError as exc:
        raise usage_error(exc) from exc
    if output is None:
        sys.stdout.buffer.write(baked)
    else:
        output.write_bytes(baked)
        click.echo(f"badge écrit dans {output}", err=True)


@click.command(help="Print the badge baked into a PNG or SVG file ('-' for stdin): the JSON or JWS as it is.")
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print {version, media_type, payload} as JSON")
def unbake(source: str, as_json: bool) -> None:
    from app.badges import baking

    try:
        found = baking.unbake(read_input(source))
    except SavoirsError as exc:
        raise usage_error(exc) from exc
    if as_json:
        print_json({"version": found.version, "media_type": found.media_type, "payload": found.payload})
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


@click.command(help="Verify a badge: a file (JSON, JWS/JWT, baked PNG/SVG), a URL, or '-' for stdin. "
                   "Exit code 0 valid and issuer confirmed, 1 not valid (or revoked), 2 unusable input, "
                   "3 signature valid but issuer not confirmed.")
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON")
@click.option("--recipient", default=None, help="Check that the badge was awarded to this email or identifier")
def verify(source: str, as_json: bool, recipient: str | None) -> None:
    from app.services.context import build_context
    from app.services.verification import verify_badge

    config = settings()
    ctx = build_context(config)  # our own documents are read from this database, not fetched
    try:
        if source.startswith(("https://", "http://")):
            report = verify_badge(ctx, config, url=source, recipient=recipient)
        else:
            report = verify_badge(ctx, config, data=read_input(source), recipient=recipient)
    except (SavoirsError, click.ClickException) as exc:
        message = exc.format_message() if isinstance(exc, click.ClickException) else \
            f"{exc.message_fr}\n{exc.message_en}"
        click.echo(f"entrée inutilisable / unusable input: {message}", err=True)
        sys.exit(2)
    finally:
        ctx.db.dispose()
    out = report.as_dict()
    if as_json:
        print_json(out)
    else:
        _print_report(out)
    sys.exit(_EXIT[str(report.trust)])
