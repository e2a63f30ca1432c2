"""The three states on the live pages, as a person sees them after sending a badge: valid and issuer confirmed
(green), a genuine signature whose issuer is not confirmed (amber: a VC-JWT whose key is only in its ``jwk`` header),
not valid (red: a tampered copy). The verdict takes the focus on load and the page title says it."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.live_server import LiveService
from tests.pages.conftest import fetch, tampered_json, unconfirmed_jwt

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _post(live: LiveService, file: tuple[str, bytes, str], lang: str | None = None) -> httpx.Response:
    response = live.http.post("/verify" + ("?lang=en" if lang == "en" else ""), data={"url": "", "recipient": ""},
                              files={"file": file}, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html") and "Traceback" not in response.text
    return response


def _verdict(html: str) -> tuple[str, str, str]:
    """(the verdict box's tone, its title's text, the page title) of a result page."""
    box = re.search(r'<section class="verdict verdict-(\w+)" aria-labelledby="verdict-title" tabindex="-1" '
                    r'autofocus>\s*<div role="status">\s*<h2 id="verdict-title"[^>]*>(.*?)</h2>', html, re.S)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert box is not None and title is not None, html[:3000]
    return box.group(1), re.sub(r"<[^>]+>", "", box.group(2)).strip(), title.group(1)


def test_the_three_states_in_french(live: LiveService, award: dict[str, Any]) -> None:
    confirmed = _post(live, ("badge.png", fetch(live, award["links"]["baked_png"]), "image/png")).text
    unconfirmed = _post(live, ("badge.jwt", unconfirmed_jwt(), "text/plain")).text
    invalid = _post(live, ("badge.json", tampered_json(live, award), "application/json")).text
    assert _verdict(confirmed) == ("ok", "✔ Ce badge est authentique et valide",
                                   "Ce badge est authentique et valide — Résultat de la vérification — savoirs")
    assert _verdict(unconfirmed) == ("warn", "? Signature authentique, mais organisme non confirmé",
                                     "Signature authentique, mais organisme non confirmé — Résultat de la vérification "
                                     "— savoirs")
    assert _verdict(invalid)[:2] == ("bad", "✘ Ce badge n&#39;est PAS valide")
    for expected in ("La signature est authentique, mais nous n&#39;avons pas pu vérifier qu&#39;elle vient bien de "
                     "l&#39;organisation indiquée. Demandez-lui de confirmer",
                     "Attention : comme l&#39;organisme n&#39;est pas confirmé, ces informations ne sont pas "
                     "garanties.",
                     "Repair Café de la Croix-Rousse", "Réparer ensemble", "La signature du JWT (EdDSA) est valide.",
                     "Rien ne montre que la clé de signature appartient à l&#39;émetteur",
                     "n&#39;a pas pu être rattachée à l&#39;émetteur", "Non consulté"):
        assert expected in unconfirmed, expected
    assert "authentique et valide" not in unconfirmed and "n&#39;est PAS valide" not in unconfirmed


def test_the_amber_state_in_english(live: LiveService) -> None:
    html = _post(live, ("badge.jwt", unconfirmed_jwt(), "text/plain"), lang="en").text
    assert '<html lang="en">' in html
    assert _verdict(html)[:2] == ("warn", "? Genuine signature, but the organisation is not confirmed")
    assert "Ask them to confirm" in html and "could not be tied to the issuer" in html
    assert "Signature authentique" not in html


def test_our_own_credential_page_is_confirmed_and_says_so_in_its_title(live: LiveService,
                                                                       award: dict[str, Any]) -> None:
    response = live.http.get(award["links"]["credential"], headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert _verdict(response.text) == ("ok", "✔ Ce badge est authentique et valide",
                                       "Ce badge est authentique et valide — Cuisine du monde — savoirs")
