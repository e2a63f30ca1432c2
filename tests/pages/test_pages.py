"""The public HTML pages without a browser: /verify (form and results, French and English) and the page a browser
gets at a credential's URL. Badges are issued by a live served instance, whose did.json the verifier fetches."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest

from app.pages.legal_text import LEGAL_TEXT
from app.pages.render import render
from app.pages.view import human_date, result_view, safe_image
from app.services.recognition.purge import EMAIL_RETENTION, ENDORSEMENT_RETENTION, SIGNIN_GRACE
from app.verify.report import Check, CheckId, Outcome, Report, Status
from tests.live_server import LiveService
from tests.pages.conftest import fetch, tampered_json
from tests.pages.png import contrast

ROOT = Path(__file__).resolve().parents[2]
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
FRENCH_DATE = re.compile(r"\b(1er|[12]?\d|3[01]) (janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
                         r"octobre|novembre|décembre) 20\d\d\b")


class Page(HTMLParser):
    """What matters in a page: headings, labels, fields, links, images and the verdict's text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.headings: list[tuple[int, str]] = []
        self.labels: dict[str, str] = {}
        self.fields: list[dict[str, str | None]] = []
        self.links: list[tuple[str, str]] = []
        self.images: list[dict[str, str | None]] = []
        self.scripts = 0
        self.verdict = ""
        self._stack: list[tuple[str, dict[str, str | None]]] = []
        self._text: dict[int, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        elif tag in ("input", "button", "select", "textarea"):
            self.fields.append({"tag": tag, **attributes})
        elif tag == "img":
            self.images.append(attributes)
        elif tag == "script":
            self.scripts += 1
        if tag not in ("input", "img", "meta", "link", "br"):
            self._stack.append((tag, attributes))
            self._text[len(self._stack)] = []

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            depth = len(self._stack)
            open_tag, attributes = self._stack.pop()
            text = " ".join("".join(self._text.pop(depth, [])).split())
            if self._stack:
                self._text[len(self._stack)].append(" " + text + " ")
            if open_tag in ("h1", "h2", "h3", "h4"):
                self.headings.append((int(open_tag[1]), text))
            elif open_tag == "label" and attributes.get("for"):
                self.labels[str(attributes["for"])] = text
            elif open_tag == "a":
                self.links.append((str(attributes.get("href")), text))
            if attributes.get("role") == "status":
                self.verdict = text
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack:
            self._text[len(self._stack)].append(data)

    def link(self, text: str) -> str:
        found = [href for href, label in self.links if text in label]
        assert found, f"no link {text!r} in {self.links}"
        return found[0]


def _page(response: httpx.Response, status: int = 200) -> Page:
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    return Page(response.text)


def _post(live: LiveService, *, file: tuple[str, bytes, str] | None = None, lang: str | None = None,
          **fields: str) -> httpx.Response:
    data = {**fields, **({"lang": lang} if lang else {})}
    files = {"file": file} if file else {"file": ("", b"", "application/octet-stream")}  # like a browser
    return live.http.post("/verify", data=data, files=files, headers={"Accept": BROWSER_ACCEPT})


def _assert_accessible(page: Page) -> None:
    """One h1, heading levels never skip, every field labelled, no script needed."""
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1 and levels[0] == 1, page.headings
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), page.headings
    for field in page.fields:
        if field.get("type") in ("hidden", "submit") or field["tag"] == "button":
            continue
        assert field.get("id") in page.labels, f"unlabelled field {field}"
    assert page.scripts == 0


def _assert_security_headers(response: httpx.Response) -> None:
    csp = {d.strip().split(" ", 1)[0]: d.strip() for d in response.headers["content-security-policy"].split(";")}
    assert csp["default-src"] == "default-src 'self'"
    assert csp["img-src"] == "img-src 'self' https: data:"
    assert csp["style-src"] == "style-src 'self'"
    assert csp["script-src"] in ("script-src 'none'", "script-src 'self'")
    assert csp["form-action"] == "form-action 'self'"
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


# --- the form ---------------------------------------------------------------------------------------------------

def test_form_is_french_by_default(live: LiveService) -> None:
    response = live.http.get("/verify", headers={"Accept": BROWSER_ACCEPT})
    page = _page(response)
    assert page.lang == "fr"
    assert set(page.labels.values()) == {
        "Adresse du badge (URL)", "Ou déposez le fichier du badge (image PNG/SVG, JSON ou texte)",
        "Votre adresse e-mail (pour vérifier que le badge vous a été décerné)"}
    assert {page.labels["url"], page.labels["file"], page.labels["recipient"]} == set(page.labels.values())
    assert [f for f in page.fields if f["tag"] == "button"][0]["type"] == "submit"
    assert "Vérifier le badge" in response.text
    assert page.link("English") == "/verify?lang=en"
    assert page.headings[0] == (1, "Vérifier un badge")
    _assert_accessible(page)
    _assert_security_headers(response)
    form = re.search(r'<form method="post" action="/verify" enctype="multipart/form-data">', response.text)
    assert form, "a plain HTML form posts the badge: no JavaScript needed"


def test_form_in_english(live: LiveService) -> None:
    response = live.http.get("/verify", params={"lang": "en"})
    page = _page(response)
    assert page.lang == "en"
    assert page.labels["url"] == "Badge address (URL)"
    assert page.labels["file"].startswith("Or drop the badge file")
    assert "Check the badge" in response.text and "Vérifier le badge" not in response.text
    assert page.link("Français") == "/verify?lang=fr"
    assert 'action="/verify?lang=en"' in response.text and 'name="lang" value="en"' in response.text
    _assert_accessible(page)


def test_the_home_page_is_french_by_default_and_leads_to_the_check_and_the_docs(live: LiveService) -> None:
    response = live.http.get("/", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = _page(response)
    assert page.lang == "fr" and page.headings[0] == (1, "Des badges pour reconnaître les savoirs")
    assert page.link("Vérifier un badge") == "/verify" and page.link("Documentation de l'API") == "/docs"
    assert page.link("English") == "/?lang=en"
    _assert_accessible(page)
    _assert_security_headers(response)


def test_the_home_page_in_english_keeps_english_on_the_way_to_the_check(live: LiveService) -> None:
    page = _page(live.http.get("/", params={"lang": "en"}))
    assert page.lang == "en" and page.headings[0] == (1, "Badges that recognise what people know")
    assert page.link("Check a badge") == "/verify?lang=en" and page.link("Français") == "/?lang=fr"


@pytest.mark.parametrize(("path", "title", "english"), [
    ("/conditions", "Conditions d'utilisation", "Terms of use"),
    ("/confidentialite", "Confidentialité", "Privacy"),
])
def test_the_terms_and_privacy_pages_that_backpacks_link_to_are_served_in_both_languages(
        live: LiveService, path: str, title: str, english: str) -> None:
    response = live.http.get(path, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    page = _page(response)
    assert page.lang == "fr" and page.headings[0] == (1, title) and len(page.headings) >= 4
    assert page.link(title) == path  # the footer of every page leads here
    _assert_accessible(page)
    in_english = _page(live.http.get(path, params={"lang": "en"}))
    assert in_english.lang == "en" and in_english.headings[0] == (1, english)


def test_the_privacy_page_states_the_retention_periods_the_purge_applies() -> None:
    said = " ".join(p for _, ps in LEGAL_TEXT["fr"]["privacy"]["sections"] for p in ps)
    assert f"{EMAIL_RETENTION.days} jours" in said and f"{ENDORSEMENT_RETENTION.days} jours" in said
    assert SIGNIN_GRACE.days == 1 and "un jour" in said


def test_the_stylesheet_is_served_and_large(live: LiveService) -> None:
    response = live.http.get("/static/savoirs.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    css = response.text
    assert "font-size: 112.5%" in css  # 18 px
    assert ":focus-visible" in css and "outline: 3px solid" in css
    assert "@import" not in css and "url(" not in css  # no external fonts or images


def test_colour_pairs_have_enough_contrast() -> None:
    css = (ROOT / "app" / "static" / "savoirs.css").read_text()
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6});", css))
    white = "#ffffff"
    pairs = [("text", white), ("muted", white), ("link", white), ("ok-text", "ok-bg"), ("bad-text", "bad-bg"),
             ("warn-text", "warn-bg"), ("ok", white), ("bad", white), ("warn", white), ("muted", "#f6f6f6"),
             (white, "brand"), (white, "link"), (white, "ok"), (white, "bad"), (white, "warn")]
    for fg, bg in pairs:
        ratio = contrast(var.get(fg, fg), var.get(bg, bg))
        assert ratio >= 4.5, f"{fg} on {bg}: {ratio:.2f}"


# --- results ----------------------------------------------------------------------------------------------------

def test_valid_baked_badge_shows_the_verdict_and_details(live: LiveService, award: dict[str, Any]) -> None:
    image = fetch(live, award["links"]["baked_png"])
    response = _post(live, file=("badge.png", image, "image/png"))
    page = _page(response)
    assert page.verdict.startswith("✔ Ce badge est authentique et valide")
    text = response.text
    for expected in ("Cuisine du monde", "Centre social du Puchot", "Partager une recette avec le quartier.",
                     "A animé un atelier cuisine.", "J&#39;agis",
                     "Actif : non révoqué (l&#39;organisme ne publie pas de suspension)",
                     "La signature (eddsa-rdfc-2022) est valide."):
        assert expected in text, expected
    assert FRENCH_DATE.search(text)
    assert 'class="verdict verdict-ok"' in text
    (img,) = page.images
    assert str(img["src"]).startswith("data:image/png;base64,") and img["referrerpolicy"] == "no-referrer"
    assert img["alt"] == "Image du badge « Cuisine du monde »"
    assert page.link("Site de l'organisme") == "https://puchot.example"
    _assert_accessible(page)
    _assert_security_headers(response)
    assert response.headers["cache-control"] == "no-store"


def test_valid_badge_by_its_address(live: LiveService, award: dict[str, Any]) -> None:
    page = _page(_post(live, url=award["links"]["credential"]))
    assert page.verdict.startswith("✔ Ce badge est authentique et valide")


def test_tampered_badge_is_not_valid(live: LiveService, award: dict[str, Any]) -> None:
    response = _post(live, file=("badge.json", tampered_json(live, award), "application/json"))
    page = _page(response)
    assert page.verdict.startswith("✘ Ce badge n'est PAS valide")
    assert "authentique et valide" not in response.text
    assert "Ce que dit le badge (non garanti)" in response.text and 'class="verdict verdict-bad"' in response.text
    assert "Échoué" in response.text and "Signature" in response.text
    _assert_accessible(page)


def test_tampered_badge_in_english(live: LiveService, award: dict[str, Any]) -> None:
    response = _post(live, file=("badge.json", tampered_json(live, award), "application/json"), lang="en")
    page = _page(response)
    assert page.lang == "en" and page.verdict.startswith("✘ This badge is NOT valid")
    assert "Failed" in response.text and "Échoué" not in response.text


def test_recipient_email_is_checked(live: LiveService, award: dict[str, Any]) -> None:
    image = fetch(live, award["links"]["baked_png"])
    right = _page(_post(live, file=("badge.png", image, "image/png"), recipient="sylvie@example.fr"))
    assert right.verdict.startswith("✔ Ce badge est authentique et valide")
    wrong = _post(live, file=("badge.png", image, "image/png"), recipient="nathan@example.fr")
    assert _page(wrong).verdict.startswith("✘ Ce badge n'a pas été décerné à cette adresse e-mail")
    assert 'value="nathan@example.fr"' in wrong.text  # the form keeps what was typed


def test_revoked_badge(live: LiveService, auth: dict[str, str], make_award: Callable[..., dict[str, Any]]) -> None:
    revoked = make_award(level="Je soutiens")
    response = live.http.post(f"/api/v1/awards/{revoked['id']}/revoke", json={"reason": "Erreur"}, headers=auth)
    assert response.status_code == 200, response.text
    page = _page(_post(live, url=revoked["links"]["credential"]))
    assert page.verdict.startswith("✘ Ce badge a été révoqué")
    browser = _page(live.http.get(revoked["links"]["credential"], headers={"Accept": BROWSER_ACCEPT}))
    assert browser.verdict.startswith("✘ Ce badge a été révoqué")


@pytest.mark.parametrize(("file", "message"), [
    (("notes.txt", b"ceci n'est pas un badge", "text/plain"), "Ce n'est pas un Open Badge lisible"),
    (("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"), ""),
    (("data.json", b"{pas du json", "application/json"), "Le JSON est illisible."),
])
def test_garbage_is_a_friendly_422(live: LiveService, file: tuple[str, bytes, str], message: str) -> None:
    response = _post(live, file=file, recipient="sylvie@example.fr")
    page = _page(response, 422)
    assert page.verdict.startswith("✘ Ce fichier ou cette adresse ne peut pas être vérifié")
    assert message in page.verdict
    assert "Traceback" not in response.text and "File \"" not in response.text and "app/" not in page.verdict
    assert 'value="sylvie@example.fr"' in response.text
    _assert_accessible(page)
    _assert_security_headers(response)


def test_empty_form_says_what_to_give(live: LiveService) -> None:
    page = _page(_post(live), 422)
    assert "Donnez l'adresse du badge, ou choisissez son fichier." in page.verdict
    english = _page(_post(live, lang="en"), 422)
    assert "Give the badge address, or choose its file." in english.verdict and english.lang == "en"


def test_unreachable_address_is_a_not_valid_verdict(live: LiveService) -> None:
    response = _post(live, url="http://127.0.0.1:9/badge.json")
    assert _page(response).verdict.startswith("✘ Ce badge n'est PAS valide")
    assert "Le badge n&#39;a pas pu être récupéré" in response.text


def test_untrusted_content_is_escaped_and_never_rendered(live: LiveService, award: dict[str, Any]) -> None:
    credential = json.loads(fetch(live, award["links"]["credential"]))
    achievement = credential["credentialSubject"]["achievement"]
    achievement["name"] = "<script>alert(1)</script>"
    achievement["criteria"]["narrative"] = "**gras** <img src=x onerror=alert(1)> [lien](javascript:alert(1))"
    achievement["image"] = {"id": "data:image/svg+xml;base64,PHN2Zy8+", "type": "Image"}
    credential["issuer"]["url"] = "javascript:alert(1)"
    response = _post(live, file=("badge.json", json.dumps(credential).encode(), "application/json"))
    page = _page(response)
    assert page.verdict.startswith("✘ Ce badge n'est PAS valide")
    text = response.text
    assert "<script" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "**gras**" in text and "<strong>gras" not in text
    assert "javascript:" not in "".join(href for href, _ in page.links)
    assert page.images == []  # an SVG data URL is never shown


def test_image_addresses_are_filtered() -> None:
    assert safe_image("https://puchot.example/badge.png") == "https://puchot.example/badge.png"
    assert safe_image("data:image/png;base64,iVBORw0KGgo=") == "data:image/png;base64,iVBORw0KGgo="
    for bad in ("javascript:alert(1)", "data:image/svg+xml;base64,PHN2Zy8+", "/relative.png", "ftp://x/y.png",
                'https://x.example/a.png" onerror="alert(1)', "data:image/png;base64,<svg>", None, 42):
        assert safe_image(bad) is None, bad


def test_dates_in_plain_words() -> None:
    assert human_date("2026-11-24T10:00:00Z", "fr") == "24 novembre 2026"
    assert human_date("2026-12-01T00:00:00+01:00", "fr") == "1er décembre 2026"
    assert human_date("2026-08-03T10:00:00Z", "en") == "3 August 2026"
    assert human_date("pas une date", "fr") == "pas une date"
    assert human_date(None, "fr") is None


def _report(**changes: Any) -> Report:
    """A report as the API would show it (``changes`` replace its members), typed for the view."""
    report: dict[str, Any] = {
        "verified": True, "format": "ob3-data-integrity", "credential_id": "https://x.example/c/1",
        "issuer": {"id": "did:web:x.example", "name": "Régie de quartier Diagonales", "url": "https://diag.example",
                   "image": None},
        "achievement": {"id": "https://x.example/a/1", "name": "Place aux jeunes", "description": "S'impliquer.",
                        "image": "https://x.example/a/1.png", "criteria": {"narrative": "A agi.", "url": None},
                        "level": "J'agis, je sais faire", "narrative": None},
        "recipient": [], "issued": "2026-11-24T10:00:00Z", "expires": "2027-11-24T10:00:00Z", "status": "active",
        "checks": [{"id": "proof", "outcome": "passed", "message_en": "ok", "message_fr": "La signature est valide."},
                   {"id": "endorsement", "outcome": "passed", "message_en": "ok", "message_fr": "1 sur 1."}],
        "warnings": [{"id": "schema", "outcome": "warning", "message_en": "w", "message_fr": "Un détail."}],
        "endorsements": [{"verified": True, "issuer": {"id": "did:web:mairie", "name": "Mairie de La Rochelle",
                                                       "url": "https://mairie.example"},
                          "comment": "Un badge reconnu par la ville.", "checks": []},
                         {"verified": False, "issuer": {"id": "did:web:autre"}, "comment": None, "checks": []}],
        "fetched": [],
    }
    report.update(changes)
    return Report(format=report["format"], credential_id=report["credential_id"], issuer=report["issuer"],
                  achievement=report["achievement"], recipient=report["recipient"], issued=report["issued"],
                  expires=report["expires"], status=Status(report["status"]), endorsements=report["endorsements"],
                  fetched=report["fetched"],
                  checks=[Check(CheckId(c["id"]), Outcome(c["outcome"]), c["message_en"], c["message_fr"])
                          for c in [*report["checks"], *report["warnings"]]])


NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_endorsements_expiry_and_notes_are_shown() -> None:
    response = render("verify.html", "fr", result=result_view(_report(), "fr", NOW))
    html = response.body.decode()
    page = Page(html)
    assert page.verdict.startswith("✔ Ce badge est authentique et valide")
    assert (2, "Recommandations") in page.headings and (3, "À noter") in page.headings
    assert "Recommandé par\u00a0: Mairie de La Rochelle" in html
    assert "«\u00a0Un badge reconnu par la ville.\u00a0»" in html
    assert "Recommandation vérifiée" in html and "Recommandation NON vérifiée" in html and "did:web:autre" in html
    assert "24 novembre 2027" in html and "J&#39;agis, je sais faire" in html and "Un détail." in html
    assert page.images[0]["src"] == "https://x.example/a/1.png"
    _assert_accessible(page)


@pytest.mark.parametrize(("changes", "verdict"), [
    ({"verified": False, "status": "suspended", "checks": [
        {"id": "proof", "outcome": "passed", "message_en": "", "message_fr": ""},
        {"id": "status", "outcome": "failed", "message_en": "", "message_fr": "Suspendu."}]}, "Ce badge est suspendu"),
    ({"verified": False, "expires": "2026-11-30T10:00:00Z", "checks": [
        {"id": "proof", "outcome": "passed", "message_en": "", "message_fr": ""},
        {"id": "validity", "outcome": "failed", "message_en": "", "message_fr": "Expiré."}]}, "Ce badge a expiré"),
    ({"verified": False, "checks": [
        {"id": "proof", "outcome": "failed", "message_en": "", "message_fr": ""},
        {"id": "validity", "outcome": "failed", "message_en": "", "message_fr": ""}]}, "Ce badge n'est PAS valide"),
])
def test_other_verdicts(changes: dict[str, Any], verdict: str) -> None:
    page = Page(render("verify.html", "fr", result=result_view(_report(**changes), "fr", NOW)).body.decode())
    assert verdict in page.verdict


# --- the credential's own URL in a browser ----------------------------------------------------------------------

def test_credential_url_in_a_browser_is_the_verification_page(live: LiveService, award: dict[str, Any]) -> None:
    url = award["links"]["credential"]
    response = live.http.get(url, headers={"Accept": BROWSER_ACCEPT})
    page = _page(response)
    assert page.lang == "fr" and page.headings[0] == (1, "Cuisine du monde")
    assert page.verdict.startswith("✔ Ce badge est authentique et valide")
    assert page.link("Partager sur LinkedIn") == "https://www.linkedin.com/sharing/share-offsite/?url=" + quote(
        url, safe="")
    add = urlsplit(page.link("Ajouter à mon profil LinkedIn"))
    assert (add.scheme, add.netloc, add.path) == ("https", "www.linkedin.com", "/profile/add")
    query = {k: v[0] for k, v in parse_qs(add.query).items()}
    assert query["startTask"] == "CERTIFICATION_NAME" and query["name"] == "Cuisine du monde"
    assert query["certUrl"] == url and "certId" not in query  # LinkedIn's credential ID stays empty
    assert query["organizationName"] == "Centre social du Puchot"
    path = urlsplit(url).path
    assert page.link("Télécharger l'image du badge (PNG)") == f"{path}/badge.png"
    assert page.link("Télécharger l'image du badge (SVG)") == f"{path}/badge.svg"
    png = live.http.get(f"{path}/badge.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert page.images[0]["src"] == f"{path}/badge.png"
    assert page.link("Version pour les logiciels (JSON)") == f"{path}?format=json"
    assert page.link("English") == f"{path}?lang=en"
    assert "Accept" in response.headers["vary"].split(", ")  # (and Origin: CORS)
    _assert_accessible(page)
    _assert_security_headers(response)


def test_credential_page_in_english(live: LiveService, award: dict[str, Any]) -> None:
    page = _page(live.http.get(award["links"]["credential"], params={"lang": "en"}, headers={"Accept": "text/html"}))
    assert page.lang == "en" and page.verdict.startswith("✔ This badge is genuine and valid")
    assert page.link("Share on LinkedIn").startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    assert page.link("Download the badge image (PNG)").endswith("/badge.png")


@pytest.mark.parametrize(("accept", "media"), [
    ("application/ld+json", "application/ld+json"), ("application/json", "application/json"),
    ("*/*", "application/ld+json"), ("application/json, text/html;q=0.5", "application/json"),
])
def test_credential_url_still_serves_json(live: LiveService, award: dict[str, Any], accept: str, media: str
                                          ) -> None:
    response = live.http.get(award["links"]["credential"], headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert response.json()["id"] == award["links"]["credential"]
    forced = live.http.get(award["links"]["credential"], params={"format": "json"},
                           headers={"Accept": BROWSER_ACCEPT})
    assert forced.headers["content-type"].startswith("application/ld+json")
    jwt = live.http.get(award["links"]["credential"], headers={"Accept": "application/jwt"})
    assert jwt.headers["content-type"].startswith("application/jwt") and jwt.text.count(".") == 2


def test_missing_credential_in_a_browser(live: LiveService) -> None:
    page = _page(live.http.get("/credentials/nothing-here", headers={"Accept": BROWSER_ACCEPT}), 404)
    assert "Ce badge n'existe pas à cette adresse." in page.verdict
    assert live.http.get("/credentials/nothing-here").json()["code"] == "not_found"


def test_suspended_award_page_says_it_is_suspended_until_lifted(live: LiveService, auth: dict[str, str],
                                                                make_award: Callable[..., dict[str, Any]]) -> None:
    award = make_award()
    live.http.post(f"/api/v1/awards/{award['id']}/suspend", json={}, headers=auth).raise_for_status()
    page = _page(live.http.get(award["links"]["credential"], headers={"Accept": BROWSER_ACCEPT}))
    assert "suspendu" in page.verdict.lower()
    live.http.post(f"/api/v1/awards/{award['id']}/unsuspend", json={}, headers=auth).raise_for_status()
    page = _page(live.http.get(award["links"]["credential"], headers={"Accept": BROWSER_ACCEPT}))
    assert page.verdict.startswith("✔ Ce badge est authentique et valide")
