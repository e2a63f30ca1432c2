"""What a holder takes away: the PDF certificate (its text, and a QR code that leads to the badge's verification
page), a CV of the badges they choose, the credential as JSON and as a VC-JWT, the baked images, LinkedIn's "add to
profile" link, and an archive of everything that our verifier accepts again with nothing but its files."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from tests.documents.conftest import Reader, flat
from tests.documents.conftest import reader as reader
from tests.endorsements.conftest import verify
from tests.holders.conftest import give, press, type_claim_code

BASE = "https://badges.example.org"


def _page(award: dict[str, Any]) -> str:
    return f"/mon-espace/badges/{award['id']}"


def test_the_certificate_says_what_the_badge_is_and_its_qr_code_leads_to_its_page(
        client: TestClient, reader: Reader, printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    press(client, _page(printed), f"{_page(printed)}/nom", action="show", name="Malik")
    answer = client.get(f"{_page(printed)}/attestation.pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == f'attachment; filename="attestation-{printed["id"]}.pdf"'
    text = flat(reader.text(answer.content))
    assert "Attestation de badge" in text and "Cuisine du monde" in text and "J'agis" in text
    assert "Malik" in text and "Centre social" in text
    [[code]] = reader.codes(answer.content)
    assert code.text == f"{BASE}/credentials/{printed['id']}"


def test_the_certificate_in_english_names_no_one_by_default(client: TestClient, reader: Reader,
                                                            printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    text = flat(reader.text(client.get(f"{_page(printed)}/attestation.pdf?lang=en").content))
    assert "Badge certificate" in text and "The holder chose not to show their name." in text
    assert "Malik" not in text


def test_the_cv_holds_the_badges_chosen_with_their_codes(client: TestClient, reader: Reader, key: dict[str, str],
                                                         badge: str, printed: dict[str, Any]) -> None:
    other = give(client, key, badge, level="J'explore", recipient={"display_name": "Malik"})
    left_out = give(client, key, badge, level="Je soutiens", recipient={"display_name": "Malik"})
    for award in (printed, other, left_out):
        type_claim_code(client, award["claim_code"])
    assert client.get("/mon-espace/cv").text.count('name="badge"') == 3
    answer = client.get("/mon-espace/cv.pdf", params={"badge": [printed["id"], other["id"]]})
    assert answer.status_code == 200
    found = sorted(code.text for page in reader.codes(answer.content) for code in page)
    assert found == sorted(f"{BASE}/credentials/{a['id']}" for a in (printed, other))
    text = flat(reader.text(answer.content))
    assert "J'agis" in text and "J'explore" in text and "Je soutiens" not in text


def test_a_cv_of_no_badge_is_refused(client: TestClient, printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    answer = client.get("/mon-espace/cv.pdf")
    assert answer.status_code == 422 and answer.json()["code"] == "cv_empty"


def test_the_files_of_a_badge_verify(client: TestClient, printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    page = _page(printed)
    token = client.get(f"{page}/credential.jwt")
    assert token.status_code == 200 and token.headers["content-type"] == "application/jwt"
    checked = client.post("/api/v1/verify", content=token.text, headers={"Content-Type": "application/jwt"})
    assert checked.status_code == 200 and checked.json()["verified"] is True, checked.text
    for extension, media in (("png", "image/png"), ("svg", "image/svg+xml")):
        image = client.get(f"{page}/badge.{extension}")
        assert image.status_code == 200 and image.headers["content-disposition"].startswith("attachment;")
        assert "sandbox" in image.headers["content-security-policy"]
        report = client.post("/api/v1/verify", files={"file": (f"badge.{extension}", image.content, media)})
        assert report.status_code == 200 and report.json()["verified"] is True, report.text


def test_linkedin_gets_the_fields_it_reads_once_the_badge_is_public(client: TestClient,
                                                                    printed: dict[str, Any]) -> None:
    type_claim_code(client, printed["claim_code"])
    page = _page(printed)
    assert "linkedin.com" not in client.get(page).text
    press(client, page, f"{page}/visibilite", choice="public")
    shown = client.get(page).text
    start = shown.index("https://www.linkedin.com/profile/add?")
    link = shown[start:shown.index('"', start)].replace("&amp;", "&")
    fields = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert fields["name"] == "Cuisine du monde" and fields["organizationName"].startswith("Centre social")
    assert fields["certUrl"] == f"{BASE}/credentials/{printed['id']}" and "certId" not in fields
    assert fields["issueYear"] == "2026" and fields["issueMonth"] == "12"


def test_the_archive_verifies_again_from_its_files_alone(client: TestClient, key: dict[str, str], badge: str,
                                                         printed: dict[str, Any]) -> None:
    other = give(client, key, badge, level="J'explore", recipient={"display_name": "Malik"})
    type_claim_code(client, printed["claim_code"])
    type_claim_code(client, other["claim_code"])
    answer = client.get("/mon-espace/badges.zip")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as package:
        names = package.namelist()
        assert "LISEZ-MOI.txt" in names
        credentials = [package.read(n) for n in names if n.endswith(".json")]
        images = [package.read(n) for n in names if n.endswith(".png")]
    assert len(credentials) == 2 and len(images) == 2
    client.cookies.clear()  # nothing of the space: only the files
    for content in credentials:
        assert verify(client, json.loads(content))["verified"] is True
    for image in images:
        report = client.post("/api/v1/verify", files={"file": ("badge.png", image, "image/png")})
        assert report.json()["verified"] is True, report.text
