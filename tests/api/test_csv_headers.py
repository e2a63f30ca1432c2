"""CSV headers as facilitators type them (issue 12): French names, capitals, accents, spaces, dashes or underscores
name the same columns; an unknown one is refused with the list of names, French first."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.errors import InvalidInput
from app.services.bulk import parse_csv
from tests.conftest import bearer


@pytest.mark.parametrize(("header", "column"), [
    ("Courriel", "email"), (" E-mail ", "email"), ("EMAIL", "email"), ("Téléphone", "phone"), ("Nom", "display_name"),
    ("Niveau", "level"), ("Date de début", "valid_from"), ("date_de_debut", "valid_from"),
    ("Date de fin", "valid_until"),
    ("Lien de la preuve", "evidence_url"), ("Clé", "idempotency_key"), ("Display Name", "display_name"),
])
def test_a_header_typed_in_french_or_otherwise_names_its_column(header: str, column: str) -> None:
    value = {"email": "a@b.fr", "phone": "0612345678", "display_name": "Awa", "level": "J'agis",
             "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z",
             "evidence_url": "https://x.example/photo", "idempotency_key": "ligne-1"}[column]
    (row,) = parse_csv(f"{header}\n{value}\n".encode())
    assert value in str(row), row


def test_an_unknown_header_is_refused_with_the_french_names_first(client: TestClient, token: str) -> None:
    created = client.post("/api/v1/achievements", json={"name": "Radio", "description": "Animer.",
                                                        "criteria": {"narrative": "A animé."}}, headers=bearer(token))
    achievement = created.json()["id"]
    client.post(f"/api/v1/achievements/{achievement}/publish", headers=bearer(token))
    response = client.post(f"/api/v1/achievements/{achievement}/awards:batch",
                           content="Courriel;Couleur\na@b.fr;bleu\n",
                           headers={**bearer(token), "Content-Type": "text/csv"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_csv"
    assert "Colonnes CSV inconnues : Couleur. Colonnes possibles : courriel" in response.json()["message_fr"]


def test_a_file_with_french_headers_is_issued(client: TestClient, token: str) -> None:
    created = client.post("/api/v1/achievements", json={"name": "Radio", "description": "Animer.",
                                                        "criteria": {"narrative": "A animé."},
                                                        "levels": [{"name": "J'agis"}]}, headers=bearer(token))
    achievement = created.json()["id"]
    client.post(f"/api/v1/achievements/{achievement}/publish", headers=bearer(token))
    csv = "Courriel;Nom;Niveau\nawa@example.fr;Awa;J’agis\nnathan@example.fr;Nathan;j'agis\n"
    response = client.post(f"/api/v1/achievements/{achievement}/awards:batch", content=csv.encode(),
                           headers={**bearer(token), "Content-Type": "text/csv"})
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["issued", "issued"]


def test_lines_ended_by_a_carriage_return_alone_are_rows() -> None:
    """Found by fuzzing (fuzz/targets.py, csv_rows): a bare CR raised the csv module's own error, a 500."""
    rows = parse_csv(b"courriel;nom\rsylvie@exemple.fr;Sylvie\rawa@exemple.fr;Awa\r")
    assert [row["recipient"]["email"] for row in rows] == ["sylvie@exemple.fr", "awa@exemple.fr"]


def test_a_file_the_csv_reader_cannot_read_is_refused_in_both_languages() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_csv(b'email\n"' + b"a" * 200_000 + b'"\n')  # beyond the csv module's field limit
    assert refused.value.code == "invalid_csv" and "illisible" in refused.value.message_fr
