"""What the verifier accepts as input, whatever its form: a badge URL answering a baked image or 410 Gone, files and
text that are no badge at all (refused as unusable input, in both languages), and exactly one input at a time."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.badges.baking import bake
from app.badges.default_image import default_png
from app.signing.data_integrity import create_proof
from app.signing.loader import make_loader
from app.signing.multikey import encode_public_key
from app.verify.errors import UnusableInput
from app.verify.fetch import FetchPolicy
from app.verify.service import verify
from tests.verify.conftest import Site

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
LOOPBACK = FetchPolicy(allow_loopback=True, timeout=3.0)
V2 = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def _report(**source: Any) -> dict[str, Any]:
    return verify(policy=LOOPBACK, now=NOW, **source).as_dict()


def _unusable(en: str, fr: str, **source: Any) -> None:
    with pytest.raises(UnusableInput) as refused:
        _report(**source)
    assert en in refused.value.message_en and fr in refused.value.message_fr


def _signed_credential() -> dict[str, Any]:
    key = Ed25519PrivateKey.generate()
    did = "did:key:" + encode_public_key(key.public_key())
    credential = {"@context": V2, "id": "urn:uuid:1b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
                  "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Jardin partagé",
                  "issuer": {"id": did, "type": ["Profile"], "name": "Association du quartier"},
                  "validFrom": "2025-01-01T00:00:00Z",
                  "credentialSubject": {"id": "did:example:123", "type": ["AchievementSubject"],
                                        "achievement": {"id": "urn:uuid:2b0a0a4e-1111-4b6e-9a3c-2f4c8f3c1a11",
                                                        "type": ["Achievement"], "name": "Jardin partagé",
                                                        "description": "Cultiver ensemble.",
                                                        "criteria": {"narrative": "Une saison."}}}}
    return create_proof(credential, private_key=key, verification_method=f"{did}#{did.removeprefix('did:key:')}",
                        created=NOW, loader=make_loader())


def test_badge_url_serving_a_baked_image_verifies_the_badge_inside(site: Site) -> None:
    image = bake(default_png("Jardin"), json.dumps(_signed_credential()))
    report = _report(url=site.put("/badge.png", image, content_type="image/png"))
    assert report["verified"] is True, report["checks"]
    assert report["format"] == "ob3-data-integrity+baked-png"


@pytest.mark.parametrize(("content_type", "body"), [
    ("text/html", b"<html>Ce badge n'existe plus.</html>"),
    ("application/json", b"Gone"),
], ids=["html-body", "json-typed-garbage"])
def test_badge_url_answering_410_with_any_body_is_revoked(site: Site, content_type: str, body: bytes) -> None:
    report = _report(url=site.put("/a", body, status=410, content_type=content_type))
    assert report["status"] == "revoked" and report["verified"] is False
    (status,) = [c for c in report["checks"] if c["id"] == "status"]
    assert status["outcome"] == "failed"
    assert status["message_en"] == "The issuer has revoked this badge."
    assert status["message_fr"] == "L'émetteur a révoqué ce badge."


def test_badge_url_serving_text_that_is_not_utf8_is_unusable(site: Site) -> None:
    url = site.put("/badge.txt", "Réussite".encode("latin-1"), content_type="text/plain")
    _unusable("not UTF-8 text", "n'est pas du texte UTF-8", url=url)


def test_text_that_looks_like_json_but_is_not_is_unusable() -> None:
    _unusable("The JSON cannot be read.", "Le JSON est illisible.", text='{"@context": "https://w3id.org/openbadges/v2",')


def test_file_larger_than_5_mib_is_unusable() -> None:
    _unusable("larger than 5 MiB", "dépasse 5 Mio", data=b" " * (5 * 1024 * 1024 + 1))


def test_file_that_is_neither_an_image_nor_utf8_text_is_unusable() -> None:
    _unusable("not an Open Badge we can read", "pas un Open Badge lisible", data=b"\xff\xfe\x00badge\x80")


def test_two_inputs_at_once_are_unusable() -> None:
    _unusable("exactly one badge", "exactement un badge", url="https://badges.example/a",
              text="https://badges.example/a")
