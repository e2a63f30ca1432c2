"""A JSON body the verifier cannot read is a 422 that says which field and why, in French and English, in the
problem's documented shape (found by the schema-driven tests: a control character in ``recipient``)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_control_character_in_the_recipient_is_said_in_both_languages(client: TestClient) -> None:
    refused = client.post("/api/v1/verify", json={"url": "https://example.org/badge", "recipient": "sylvie\x1d"})
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["field"] == "recipient" and error["type"] == "value_error"
    assert "U+001D" in error["message_en"] and "U+001D" in error["message_fr"]
    assert refused.json()["message_fr"].startswith("recipient : contient un caractère de contrôle (U+001D)")


def test_an_unknown_field_is_named(client: TestClient) -> None:
    refused = client.post("/api/v1/verify", json={"url": "https://example.org/badge", "color": "red"})
    assert refused.status_code == 422
    assert [(e["field"], e["type"]) for e in refused.json()["errors"]] == [("color", "extra_forbidden")]
