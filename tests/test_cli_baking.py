"""`savoirs bake` and `savoirs unbake`: every format round-trips through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.badges import baking
from app.badges.default_image import default_png, default_svg
from app.cli import main

OB3 = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2",
                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                  "id": "https://badges.example.org/credentials/1", "type": ["VerifiableCredential"],
                  "name": "Jardin « partagé »"}, ensure_ascii=False)
OB2 = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
                  "id": "https://badges.example.org/ob2/assertions/1"})
OB2_JWS = "eyJhbGciOiJSUzI1NiJ9.eyJAY29udGV4dCI6Imh0dHBzOi8vdzNpZC5vcmcvb3BlbmJhZGdlcy92MiJ9.c2ln"
OB3_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2ln"


@pytest.fixture(params=["png", "svg"])
def image(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"badge.{request.param}"
    path.write_bytes(default_png("x") if request.param == "png" else default_svg("Jardin", "x"))
    return path


@pytest.mark.parametrize(("payload", "version"), [(OB3, "ob3"), (OB2, "ob2"), (OB2_JWS, "ob2"), (OB3_JWT, "ob3")])
def test_bake_then_unbake_round_trips(image: Path, tmp_path: Path, payload: str, version: str) -> None:
    source, out = tmp_path / "payload.txt", tmp_path / f"baked{image.suffix}"
    source.write_text(payload, encoding="utf-8")
    result = CliRunner().invoke(main, ["bake", str(image), str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert baking.unbake(out.read_bytes()).version == version
    unbaked = CliRunner().invoke(main, ["unbake", str(out), "--json"])
    assert unbaked.exit_code == 0, unbaked.output
    report = json.loads(unbaked.output)
    assert report["version"] == version
    if image.suffix == ".svg" and version == "ob2" and payload == OB2:
        assert report["payload"] == "https://badges.example.org/ob2/assertions/1"  # the hosted URL in verify
    else:
        assert report["payload"] == payload


def test_bake_reads_the_payload_from_stdin(image: Path) -> None:
    result = CliRunner().invoke(main, ["bake", str(image), "-"], input=OB3)
    assert result.exit_code == 0
    assert baking.unbake(result.stdout_bytes).payload == OB3


def test_unbake_of_an_unbaked_image_fails_plainly(image: Path) -> None:
    result = CliRunner().invoke(main, ["unbake", str(image)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "badge" in result.output.lower()


def test_bake_refuses_a_payload_that_is_not_a_badge(image: Path, tmp_path: Path) -> None:
    source = tmp_path / "payload.txt"
    source.write_text("bonjour", encoding="utf-8")
    result = CliRunner().invoke(main, ["bake", str(image), str(source)])
    assert result.exit_code == 1 and "Traceback" not in result.output
