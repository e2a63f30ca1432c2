"""``savoirs award --csv``: award an achievement to every row of a file, each row at most once."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import click

from app.cli.common import fail, settings, usage_error
from app.errors import SavoirsError
from app.schemas.awards import BatchRowResult

__all__ = ["award"]

#: the columns of ``--output``, one line per row of the file
OUTPUT_COLUMNS = ("row", "status", "award_id", "credential", "claim_code", "error")


@click.command("award", help="Award an achievement to every row of a CSV file (columns: see the API docs; "
                             "idempotency_key or cle names each row). A row already issued by an earlier run of the "
                             "file (same key, or same content when there is no key) is reported as already issued, "
                             "never issued twice. Exit code 0 when no row is in error, 1 otherwise.")
@click.option("--csv", "csv_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--achievement", "achievement_id", required=True, help="Id of a published achievement")
@click.option("--org", "org_slug", required=True, help="Slug of the issuing organisation")
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Write one line per row (status: issued, already_issued or error; award id, credential URL, "
                   "claim code, error) to this CSV file")
@click.option("--chunk", default=500, show_default=True, help="Rows per transaction")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes signing at once (default: one per core)")
def award(csv_path: Path, achievement_id: str, org_slug: str, output: Path | None, chunk: int,
          workers: int | None) -> None:
    from app.migrate import upgrade
    from app.services import bulk, bulk_file
    from app.services.batch_signing import BatchSigner
    from app.services.context import build_context

    config = settings()
    try:
        rows = bulk.parse_csv(csv_path.read_bytes())
    except SavoirsError as exc:
        raise usage_error(exc) from exc
    with BatchSigner(workers) as signer:
        signer.start(len(rows))  # the workers are forked before any database connection exists: they hold none
        upgrade(config.resolved_database_url)
        ctx = build_context(config)
        try:
            with click.progressbar(length=len(rows), label="Attribution des badges", show_pos=True) as bar:
                results = bulk_file.award_file(ctx, org_slug, achievement_id, rows, actor="cli", chunk=chunk,
                                               signer=signer, progress=bar.update)
        except SavoirsError as exc:
            fail(exc)
        finally:
            ctx.db.dispose()
    _report(results, output)


def _report(results: list[BatchRowResult], output: Path | None) -> None:
    """The rows in error, the output file, the summary; exit 1 when a row is in error."""
    for result in results:
        if result.status == "error":
            click.echo(f"ligne {result.row} : {result.message_fr}", err=True)
    if output is not None:
        with output.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(OUTPUT_COLUMNS)
            writer.writerows([str(r.row), r.status, r.award_id or "", r.credential or "", r.claim_code or "",
                              r.message_fr or ""] for r in results)
    counts = Counter(r.status for r in results)
    click.echo(f"{counts['issued']} badge(s) décerné(s), {counts['already_issued']} déjà décerné(s), "
               f"{counts['error']} ligne(s) en erreur.")
    sys.exit(1 if counts["error"] else 0)
