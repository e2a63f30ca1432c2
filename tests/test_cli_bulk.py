"""`savoirs award --csv`: each row at most once, however often the file is run; refused before signing anything
under another PUBLIC_BASE_URL than the organisation's; progress row by row."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner, Result

from app.cli import main
from tests.cli_support import BASE, cli_env, count_awards, published_achievement, scalar

SIX = ["sylvie@example.fr", "nathan@example.fr", "pas-un-email", "helene@example.fr", "karim@example.fr",
       "lea@example.fr"]


def _write(path: Path, header: str, lines: list[str]) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _award(database_url: str, tmp_path: Path, source: Path, achievement_id: str, *extra: str,
           **env: str) -> Result:
    return CliRunner().invoke(main, ["award", "--csv", str(source), "--achievement", achievement_id, "--org",
                                     "puchot", "--chunk", "4", *extra], env=cli_env(database_url, tmp_path, **env))


def _statuses(output: Path) -> list[tuple[str, str]]:
    """(status, award id) of each row of an --output file."""
    with output.open(encoding="utf-8", newline="") as handle:
        return [(line["status"], line["award_id"]) for line in csv.DictReader(handle)]


def test_running_a_corrected_file_again_issues_only_the_rows_that_were_missing(database_url: str,
                                                                              tmp_path: Path) -> None:
    _, achievement_id = published_achievement(database_url, tmp_path)
    source = _write(tmp_path / "atelier.csv", "email;level", [f"{e};J'agis" for e in SIX])
    first = _award(database_url, tmp_path, source, achievement_id)
    assert first.exit_code == 1, first.output
    assert "5 badge(s) décerné(s), 0 déjà décerné(s), 1 ligne(s) en erreur." in first.output
    _write(source, "email;level", [f"{e.replace('pas-un-email', 'ines@example.fr')};J'agis" for e in SIX])
    again = _award(database_url, tmp_path, source, achievement_id)
    assert again.exit_code == 0, again.output
    assert "1 badge(s) décerné(s), 5 déjà décerné(s), 0 ligne(s) en erreur." in again.output
    assert count_awards(database_url) == 6


def test_the_output_file_gives_each_row_its_status_and_the_award_it_already_had(database_url: str,
                                                                                tmp_path: Path) -> None:
    _, achievement_id = published_achievement(database_url, tmp_path)
    source = _write(tmp_path / "atelier.csv", "email", SIX)
    first, second = tmp_path / "premier.csv", tmp_path / "second.csv"
    _award(database_url, tmp_path, source, achievement_id, "--output", str(first))
    _award(database_url, tmp_path, source, achievement_id, "--output", str(second))
    assert [s for s, _ in _statuses(first)] == ["issued", "issued", "error", "issued", "issued", "issued"]
    assert _statuses(second) == [("already_issued", a) if s == "issued" else (s, a) for s, a in _statuses(first)]


def test_two_identical_rows_are_two_awards_and_a_second_run_issues_neither_again(database_url: str,
                                                                              tmp_path: Path) -> None:
    _, achievement_id = published_achievement(database_url, tmp_path)
    source = _write(tmp_path / "atelier.csv", "email;narrative", ["sylvie@example.fr;Deux ateliers"] * 2)
    _award(database_url, tmp_path, source, achievement_id)
    again = _award(database_url, tmp_path, source, achievement_id)
    assert "0 badge(s) décerné(s), 2 déjà décerné(s), 0 ligne(s) en erreur." in again.output
    assert count_awards(database_url) == 2


def test_rows_named_by_a_key_column_are_issued_once_even_when_moved(database_url: str, tmp_path: Path) -> None:
    _, achievement_id = published_achievement(database_url, tmp_path)
    lines = ["atelier-1;sylvie@example.fr", "atelier-2;nathan@example.fr"]
    source = _write(tmp_path / "atelier.csv", "cle;email", lines)
    _award(database_url, tmp_path, source, achievement_id)
    _write(source, "cle;email", [*reversed(lines), "atelier-3;lea@example.fr"])
    again = _award(database_url, tmp_path, source, achievement_id)
    assert "1 badge(s) décerné(s), 2 déjà décerné(s), 0 ligne(s) en erreur." in again.output
    assert count_awards(database_url) == 3


def test_a_key_kept_on_a_row_whose_content_changed_is_refused_on_its_row(database_url: str, tmp_path: Path) -> None:
    _, achievement_id = published_achievement(database_url, tmp_path)
    source = _write(tmp_path / "atelier.csv", "idempotency_key;email", ["a-1;sylvie@example.fr"])
    _award(database_url, tmp_path, source, achievement_id)
    _write(source, "idempotency_key;email", ["a-1;nathan@example.fr"])
    again = _award(database_url, tmp_path, source, achievement_id)
    assert again.exit_code == 1
    assert "ligne 1 : La clé 'a-1' a déjà servi pour une ligne au contenu différent" in again.output
    assert count_awards(database_url) == 1


def test_another_public_base_url_is_refused_before_anything_is_signed(database_url: str, tmp_path: Path) -> None:
    _, achievement_id = published_achievement(database_url, tmp_path)
    source = _write(tmp_path / "atelier.csv", "email", SIX)
    result = _award(database_url, tmp_path, source, achievement_id, PUBLIC_BASE_URL="http://localhost:8000")
    assert result.exit_code == 1
    assert (f"error: PUBLIC_BASE_URL is http://localhost:8000 here, but the identifiers of organisation 'puchot' "
            f"were published under {BASE}") in result.output
    assert "erreur : PUBLIC_BASE_URL vaut http://localhost:8000 ici" in result.output
    assert f"Réglez PUBLIC_BASE_URL={BASE}" in result.output
    assert count_awards(database_url) == 0


def test_an_organisation_created_before_its_base_was_recorded_is_checked_against_its_credentials(
        database_url: str, tmp_path: Path) -> None:
    _, achievement_id = published_achievement(database_url, tmp_path, base=None)
    source = _write(tmp_path / "atelier.csv", "email", SIX[:2])
    _award(database_url, tmp_path, source, achievement_id)  # under BASE, which the first run records
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE organisations SET public_base_url = NULL"))
    engine.dispose()
    result = _award(database_url, tmp_path, source, achievement_id, PUBLIC_BASE_URL="https://autre.example.org")
    assert result.exit_code == 1 and f"published under {BASE}" in result.output
    assert count_awards(database_url) == 2


def test_an_organisation_without_credentials_nor_recorded_base_records_this_one(database_url: str,
                                                                               tmp_path: Path) -> None:
    _, achievement_id = published_achievement(database_url, tmp_path, base=None)
    source = _write(tmp_path / "atelier.csv", "email", SIX[:1])
    result = _award(database_url, tmp_path, source, achievement_id, PUBLIC_BASE_URL="https://autre.example.org")
    assert result.exit_code == 0, result.output
    assert scalar(database_url, "SELECT public_base_url FROM organisations") == "https://autre.example.org"


def test_progress_advances_once_per_row_whether_issued_refused_or_already_issued(database_url: str,
                                                                                tmp_path: Path) -> None:
    from app.config import Settings
    from app.services import bulk, bulk_file
    from app.services.context import build_context

    _, achievement_id = published_achievement(database_url, tmp_path)
    rows = bulk.parse_csv("\n".join(["email", *SIX]).encode())
    ctx = build_context(Settings(**{k.lower(): v for k, v in cli_env(database_url, tmp_path).items()}))
    runs: list[list[int]] = [[], []]
    try:
        for ticks in runs:
            bulk_file.award_file(ctx, "puchot", achievement_id, rows, actor="test", chunk=4, progress=ticks.append)
    finally:
        ctx.db.dispose()
    assert runs == [[1] * len(SIX)] * 2
