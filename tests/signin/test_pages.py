"""The sign-in pages in French (first) and English: one action per screen, labels tied to their fields, the
autocomplete hints phones and password managers read, errors that say themselves in the title and take the focus."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.signin.conftest import SYLVIE, ask, last_message, press_link_button, type_code


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html)
    assert found, html
    return found.group(1)


def _fields(html: str) -> dict[str, str]:
    """Each visible field's id and the text of its label."""
    labels = dict(re.findall(r'<label for="([^"]+)">([^<]+)</label>', html))
    inputs = re.findall(r'<input id="([^"]+)"', html)
    assert set(inputs) == set(labels), (inputs, labels)
    return labels


@pytest.mark.parametrize(("lang", "h1", "label", "button"), [
    ("fr", "Me connecter", "Votre adresse e-mail", "Recevoir mon code"),
    ("en", "Sign in", "Your email address", "Get my code")])
def test_the_sign_in_page_in_both_languages(client: TestClient, lang: str, h1: str, label: str,
                                            button: str) -> None:
    page = client.get("/connexion", params={"lang": lang} if lang == "en" else {})
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert f"<h1>{h1}</h1>" in page.text and _title(page.text) == f"{h1} — savoirs"
    assert _fields(page.text) == {"email": label} and page.text.count("<button") == 1 and button in page.text
    assert 'type="email" autocomplete="email" required' in page.text
    assert page.headers["cache-control"] == "no-store" and "form-action 'self'" in \
        page.headers["content-security-policy"]


def test_the_language_switch_keeps_where_to_go(client: TestClient) -> None:
    page = client.get("/connexion", params={"next": "/moi", "audience": "organisation"})
    assert 'href="/connexion?next=%2Fmoi&amp;audience=organisation&amp;lang=en"' in page.text


@pytest.mark.parametrize(("lang", "h1", "label"), [("fr", "Tapez le code reçu", "Code à 6 chiffres"),
                                                  ("en", "Type the code you received", "6-digit code")])
def test_the_code_page_in_both_languages(client: TestClient, lang: str, h1: str, label: str) -> None:
    page = ask(client, lang=lang)
    assert page.status_code == 200 and f"<h1>{h1}</h1>" in page.text and f'<html lang="{lang}">' in page.text
    assert _fields(page.text) == {"code": label}
    assert 'inputmode="numeric" autocomplete="one-time-code"' in page.text
    assert SYLVIE in page.text and 'role="status"' in page.text and page.text.count("<button") == 1


def test_after_a_wrong_code_the_error_is_in_the_title_announced_and_focused(client: TestClient, app: Any) -> None:
    page = ask(client)
    answer = type_code(client, "000000" if last_message(app).code != "000000" else "111111", page=page)
    assert _title(answer.text) == "Code refusé — Tapez le code reçu — savoirs"
    error = re.search(r'<section class="verdict verdict-bad" id="erreur"[^>]*>', answer.text)
    assert error and 'tabindex="-1"' in error.group() and "autofocus" in error.group()
    assert '<div role="alert">' in answer.text and answer.text.count("autofocus") == 1
    assert 'aria-invalid="true"' in answer.text and 'aria-describedby="code-hint erreur-message"' in answer.text


def test_the_code_page_in_english_after_a_wrong_code(client: TestClient, app: Any) -> None:
    ask(client, lang="en")
    answer = type_code(client, "000000" if last_message(app).code != "000000" else "111111", lang="en")
    assert _title(answer.text) == "Code refused — Type the code you received — savoirs"
    assert "This code is not the right one" in answer.text


@pytest.mark.parametrize(("lang", "title", "button"), [("fr", "Me connecter", "Me connecter"),
                                                      ("en", "Sign in", "Sign in")])
def test_the_link_page_in_both_languages(client: TestClient, app: Any, lang: str, title: str, button: str) -> None:
    ask(client, lang=lang)
    message = last_message(app)
    assert message.link.endswith("&lang=en") == (lang == "en")
    page = client.get(message.link)
    assert f'<html lang="{lang}">' in page.text and _title(page.text) == f"{title} — savoirs"
    assert f'<button type="submit">{button}</button>' in page.text
    switch = re.search(r'<a class="lang" href="([^"]+)"', page.text)
    assert switch and f"token={message.token}" in switch.group(1)


def test_the_signed_in_page_in_english(client: TestClient, app: Any) -> None:
    ask(client, lang="en")
    answer = press_link_button(client, last_message(app).token)
    assert answer.headers["location"] == "/moi?lang=en"
    page = client.get("/moi?lang=en")
    assert "<h1>Signed in</h1>" in page.text and "Sign out on all my devices" in page.text and "(Paris time)" in \
        page.text


def test_the_signed_in_page_in_french(client: TestClient, app: Any) -> None:
    ask(client)
    press_link_button(client, last_message(app).token)
    page = client.get("/moi")
    assert "<h1>Connexion réussie</h1>" in page.text and "3 décembre 2026 à 22 h 00 (heure de Paris)" in page.text
    assert '<button type="submit">Me déconnecter</button>' in page.text


def test_nothing_the_person_typed_is_rendered_unescaped(client: TestClient) -> None:
    page = ask(client, '"><script>alert(1)</script>@example.fr')
    assert "<script>" not in page.text and "&lt;script&gt;" in page.text
