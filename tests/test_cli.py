"""The `savoirs` command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from app.cli import main
from tests.cli_support import cli_env as _env
from tests.cli_support import count_awards, published_achievement


def test_org_create_prints_the_organisation_and_its_first_key(database_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["org", "create", "--slug", "puchot", "--name", "Centre social du Puchot",
                                       "--url", "https://puchot.example", "--email", "contact@puchot.example"],
                                env=_env(database_url, tmp_path))
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["organisation"]["slug"] == "puchot"
    assert out["organisation"]["links"]["did"] == "did:web:badges.example.org:orgs:puchot"
    assert out["api_key"]["token"].startswith(out["api_key"]["prefix"] + ".")


def test_org_create_refuses_a_taken_slug(database_url: str, tmp_path: Path) -> None:
    args = ["org", "create", "--slug", "puchot", "--name", "P", "--url", "https://p.example", "--email", "a@p.example"]
    CliRunner().invoke(main, args, env=_env(database_url, tmp_path))
    result = CliRunner().invoke(main, args, env=_env(database_url, tmp_path))
    assert result.exit_code == 1
    assert "déjà utilisé" in result.output


def test_org_create_reports_invalid_input_plainly(database_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["org", "create", "--slug", "Pas Bon", "--name", "P", "--url",
                                       "https://p.example", "--email", "a@p.example"],
                                env=_env(database_url, tmp_path))
    assert result.exit_code != 0
    assert "slug" in result.output
    assert "Traceback" not in result.output


def test_development_settings_generate_their_secrets_once(tmp_path: Path) -> None:
    from app.config import load_settings

    first = load_settings(var_dir=tmp_path / "var")
    second = load_settings(var_dir=tmp_path / "var")
    assert first.read_kek() is not None and len(first.read_kek() or b"") == 32
    assert first.read_kek() == second.read_kek()
    assert first.admin_token is not None and second.admin_token is not None
    assert first.admin_token.get_secret_value() == second.admin_token.get_secret_value()


def test_production_settings_never_generate_secrets(tmp_path: Path) -> None:
    from app.config import load_settings

    settings = load_settings(environment="production", var_dir=tmp_path / "var")
    assert settings.read_kek() is None and settings.admin_token is None
    assert not (tmp_path / "var").exists()


def test_db_upgrade_migrates_and_says_so(database_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["db", "upgrade"], env=_env(database_url, tmp_path))
    assert result.exit_code == 0, result.output
    assert "database is up to date" in result.output


def test_award_csv_with_unknown_columns_is_refused_in_both_languages(database_url: str, tmp_path: Path) -> None:
    source = tmp_path / "atelier.csv"
    source.write_text("email;couleur\nsylvie@example.fr;bleu\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["award", "--csv", str(source), "--achievement", "x", "--org", "puchot"],
                                env=_env(database_url, tmp_path))
    assert result.exit_code == 1
    assert "Unknown CSV columns: couleur" in result.output
    assert "Colonnes CSV inconnues : couleur" in result.output


def test_award_for_an_unknown_organisation_says_so_and_issues_nothing(database_url: str, tmp_path: Path) -> None:
    _, achievement_id = published_achievement(database_url, tmp_path)
    source = tmp_path / "atelier.csv"
    source.write_text("email\nsylvie@example.fr\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["award", "--csv", str(source), "--achievement", achievement_id,
                                       "--org", "personne"], env=_env(database_url, tmp_path))
    assert result.exit_code == 1
    assert "erreur : Organisation introuvable." in result.output and "Traceback" not in result.output
    assert count_awards(database_url) == 0


def test_award_csv_reports_each_row_some_verifiers_would_read_otherwise(database_url: str, tmp_path: Path) -> None:
    """An achievement saved before tags were checked, whose tags rdf-canonize sorts otherwise: every row is refused
    with the reason, nothing is stored, and the file is still read to its end."""
    _, achievement_id = published_achievement(database_url, tmp_path, tags=["ﬁlm", "🎬 cinéma"])
    source = tmp_path / "atelier.csv"
    source.write_text("email\nsylvie@example.fr\nnathan@example.fr\n", encoding="utf-8")
    output = tmp_path / "resultats.csv"
    result = CliRunner().invoke(main, ["award", "--csv", str(source), "--achievement", achievement_id, "--org",
                                       "puchot", "--output", str(output)], env=_env(database_url, tmp_path))
    assert result.exit_code == 1, result.output
    assert "0 badge(s) décerné(s), 0 déjà décerné(s), 2 ligne(s) en erreur." in result.output
    lines = output.read_text(encoding="utf-8").splitlines()
    assert [(line.split(",")[1], "autre ordre" in line and "ﬁlm" in line) for line in lines[1:]] == \
        [("error", True)] * 2


VECTOR = Path(__file__).resolve().parent / "vectors" / "ob3-impl-guide" / "signed-credential.json"


def test_verify_exits_3_when_the_signature_holds_but_the_issuer_is_not_confirmed(database_url: str,
                                                                                  tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["verify", str(VECTOR)], env=_env(database_url, tmp_path))
    assert result.exit_code == 3, result.output
    assert "ÉMETTEUR NON CONFIRMÉ" in result.output


def test_verify_exits_1_for_a_tampered_copy(database_url: str, tmp_path: Path) -> None:
    tampered = tmp_path / "tampered.json"
    tampered.write_text(VECTOR.read_text(encoding="utf-8").replace("Teamwork Badge", "Teamwork Badge!"),
                        encoding="utf-8")
    assert tampered.read_text(encoding="utf-8") != VECTOR.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(tampered)], env=_env(database_url, tmp_path))
    assert result.exit_code == 1, result.output
    assert "NON VALIDE" in result.output


def _authenticate(database_url: str, token: str) -> frozenset[str] | None:
    """The scopes the service grants ``token``, or None when it refuses it."""
    from app.db import Database
    from app.services import api_keys

    db = Database(database_url)
    try:
        principal = db.read(lambda connection: api_keys.authenticate(connection, token))
    finally:
        db.dispose()
    return None if principal is None else frozenset(s.value for s in principal.scopes)


def test_org_key_create_lets_an_organisation_without_any_key_back_in(database_url: str, tmp_path: Path) -> None:
    published_achievement(database_url, tmp_path)
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as conn:  # every key revoked, as an organisation could before the last one was protected
        conn.execute(text("UPDATE api_keys SET revoked_at = CURRENT_TIMESTAMP"))
    engine.dispose()
    result = CliRunner().invoke(main, ["org", "key", "create", "--org", "puchot", "--label", "secours"],
                                env=_env(database_url, tmp_path))
    assert result.exit_code == 0, result.output
    created = json.loads(result.output)
    assert (created["scopes"], created["label"]) == (["admin"], "secours")
    assert _authenticate(database_url, created["token"]) == {"admin"}


def test_org_key_create_gives_the_scopes_asked_for(database_url: str, tmp_path: Path) -> None:
    published_achievement(database_url, tmp_path)
    result = CliRunner().invoke(main, ["org", "key", "create", "--org", "puchot", "--scope", "issue",
                                       "--scope", "read"], env=_env(database_url, tmp_path))
    assert result.exit_code == 0, result.output
    assert _authenticate(database_url, json.loads(result.output)["token"]) == {"issue", "read"}


def test_org_key_create_for_an_unknown_organisation_says_so_in_both_languages(database_url: str,
                                                                              tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["org", "key", "create", "--org", "personne"], env=_env(database_url, tmp_path))
    assert result.exit_code == 1
    assert "error: No such organisation." in result.output and "erreur : Organisation introuvable." in result.output
