"""Building messages: the templates in French and English, escaped in HTML only; an Email that cannot be sent as
it is (a second address, a header in the subject) is refused before anything is stored."""

from __future__ import annotations

from typing import Any

import pytest

from app.mail.messages import request_received
from app.mail.render import render
from tests.mail.conftest import ADDRESS, an_email

LINK = "https://badges.example.org/demandes/3Fq?suivi=1&lang=fr"


def _received(language: Any) -> Any:
    return request_received(to=ADDRESS, language=language, org_id="org-1", org_name="Café <des> Savoirs & Co",
                            badge_name="J’agis", follow_url=LINK)


def test_request_received_speaks_french_with_the_link_as_a_button_and_in_clear() -> None:
    message = _received("fr")
    assert (message.subject, message.language, message.purpose) == ("Votre demande de badge est bien reçue", "fr",
                                                                     "request.received")
    assert "Café <des> Savoirs & Co a bien reçu votre demande pour le badge « J’agis »." in message.text
    assert f"Suivre ma demande :\n{LINK}\n" in message.text
    assert message.html is not None
    assert "Café &lt;des&gt; Savoirs &amp; Co a bien reçu" in message.html
    assert message.html.count('href="https://badges.example.org/demandes/3Fq?suivi=1&amp;lang=fr"') == 1
    assert "https://badges.example.org/demandes/3Fq?suivi=1&amp;lang=fr</span>" in message.html


def test_request_received_speaks_english() -> None:
    message = _received("en")
    assert message.subject == "We have received your badge request"
    assert "has received your request for the badge “J’agis”" in message.text
    assert f"Follow my request:\n{LINK}\n" in message.text
    assert message.html is not None and '<html lang="en">' in message.html


def test_the_html_body_loads_nothing_from_elsewhere() -> None:
    html = _received("fr").html
    assert html is not None
    assert "<img" not in html and "<script" not in html and "src=" not in html
    assert html.count("href=") == 1


def test_an_action_link_must_be_http() -> None:
    with pytest.raises(ValueError, match="action_url"):
        render("request_received", "fr", org_name="Centre", action_url="javascript:alert(1)", badge_name="X")


@pytest.mark.parametrize("fields", [
    {"to": f"{ADDRESS}, autre@example.fr"},
    {"to": f"Sylvie <{ADDRESS}>"},
    {"to": f"{ADDRESS}\r\nBcc: autre@example.fr"},
    {"subject": "Bonjour\r\nBcc: autre@example.fr"},
    {"language": "de"},
    {"purpose": "sylvie@example.fr"},
    {"text": " "},
])
def test_an_email_that_cannot_be_sent_as_it_is_is_refused_without_quoting_it(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as refused:
        an_email(**fields)
    assert "example.fr" not in str(refused.value) and "Bcc" not in str(refused.value)


def test_an_email_shows_no_address_or_body_in_its_repr() -> None:
    shown = repr(an_email())
    assert "@" not in shown and "Bonjour" not in shown
