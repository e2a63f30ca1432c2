"""A `savoirs award --csv` killed with SIGKILL in the middle of a run leaves nothing behind: its signing workers die
with it, no transaction stays open (the organisation issues at once), and running the file again completes it,
each row issued exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import create_engine, text

from app.cli import main
from app.config import Settings
from app.schemas.awards import AwardCreate
from app.services import awards
from app.services.context import build_context
from tests.cli_support import children_of, cli_env, count_awards, published_achievement

ROOT = Path(__file__).resolve().parent.parent
ROWS, CHUNK = 1000, 250



def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _award_command(source: Path, achievement_id: str) -> list[str]:
    return [sys.executable, "-m", "app.cli", "award", "--csv", str(source), "--achievement", achievement_id,
            "--org", "puchot", "--chunk", str(CHUNK), "--workers", "2"]


def test_a_killed_run_leaves_no_worker_no_lock_and_a_second_run_completes_it_once(database_url: str,
                                                                                 tmp_path: Path) -> None:
    org_id, achievement_id = published_achievement(database_url, tmp_path)
    source = tmp_path / "grand-atelier.csv"
    source.write_text("email\n" + "".join(f"personne.{i}@example.fr\n" for i in range(ROWS)), encoding="utf-8")
    env = {**os.environ, **cli_env(database_url, tmp_path)}
    run = subprocess.Popen(_award_command(source, achievement_id), cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    engine = create_engine(database_url)
    try:
        def first_chunk_committed() -> bool:
            with engine.connect() as conn:
                return bool(conn.execute(text("SELECT count(*) FROM awards")).scalar_one() >= CHUNK)
        assert _wait_for(lambda: len(children_of(run.pid)) == 2 and first_chunk_committed(), 120)
        workers = children_of(run.pid)
    finally:
        run.kill()  # SIGKILL
        run.wait()
        engine.dispose()
    try:
        assert _wait_for(lambda: not any(_alive(w) for w in workers), 5), "signing workers outlived their parent"
    finally:
        for worker in filter(_alive, workers):  # a failure here must not leave them running
            os.kill(worker, signal.SIGKILL)
    committed = count_awards(database_url)
    assert CHUNK <= committed < ROWS

    if database_url.startswith("postgresql"):  # nothing of the killed run holds a transaction, hence no lock
        engine = create_engine(database_url)
        with engine.connect() as conn:
            leftovers = conn.execute(text(
                "SELECT pid, state FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'")).all()
        engine.dispose()
        assert leftovers == [], f"sessions of the killed run still hold a transaction: {leftovers}"
    ctx = build_context(Settings(**{k.lower(): v for k, v in cli_env(database_url, tmp_path).items()}))
    try:  # the organisation issues at once (a lock would make this wait, then fail)
        outcome = awards.issue(ctx, org_id, "test", achievement_id,
                               AwardCreate.model_validate({"recipient": {"email": "apres@example.fr"}}))
        assert outcome.status == 201
    finally:
        ctx.db.dispose()

    again = CliRunner().invoke(main, _award_command(source, achievement_id)[3:], env=cli_env(database_url, tmp_path))
    assert again.exit_code == 0, again.output
    assert (f"{ROWS - committed} badge(s) décerné(s), {committed} déjà décerné(s), 0 ligne(s) en erreur."
            in again.output)
    assert count_awards(database_url) == ROWS + 1
