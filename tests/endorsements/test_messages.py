"""The endorser is told by email, with their private link, when the request becomes theirs to answer: at once, or
once the holder of the award agreed; not when the organisation sends the link itself."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.models import OutgoingEmail
from tests.endorsements.conftest import FATOU, ask, token_of


def _mails(app: Any, purpose: str = "endorsement.request") -> list[OutgoingEmail]:
    with app.state.db.sessions() as session:
        return list(session.scalars(select(OutgoingEmail).where(OutgoingEmail.purpose == purpose)))


def test_a_person_gets_her_link_by_email_in_french(client: TestClient, app: Any, key: dict[str, str],
                                                   badge: str) -> None:
    asked = ask(client, key, {"kind": "achievement", "id": badge}, {"name": "Fatou Diallo", "email": FATOU},
                message="Vous avez animé l'atelier avec nous.")
    [mail] = _mails(app)
    assert mail.to_address == FATOU and mail.language == "fr"
    assert mail.subject == "Centre social du Puchot vous demande une recommandation"
    assert "Bonjour Fatou Diallo," in mail.text_body and "le badge « Couture »" in mail.text_body
    assert "Vous avez animé l'atelier avec nous." in mail.text_body
    assert asked["link"] in mail.text_body and "vous confirmerez seulement votre adresse" in mail.text_body


def test_an_organisation_is_told_at_its_contact_address_in_english_when_asked(client: TestClient, app: Any,
                                                                             key: dict[str, str],
                                                                             mairie: dict[str, str]) -> None:
    ask(client, key, {"kind": "organisation"}, {"organisation": "mairie"}, language="en")
    [mail] = _mails(app)
    assert (mail.to_address, mail.language) == ("jeunesse@rouen.example", "en")
    assert "asks you to endorse the organisation “Centre social du Puchot”" in mail.text_body


def test_about_an_award_the_endorser_is_told_only_once_the_holder_agreed(client: TestClient, app: Any,
                                                                         key: dict[str, str], award: str) -> None:
    asked = ask(client, key, {"kind": "award", "id": award}, {"name": "Fatou Diallo", "email": FATOU})
    assert _mails(app) == []
    client.post(f"/api/v1/endorsement-consents/{token_of(asked['link'])}", json={"consent": True})
    [mail] = _mails(app)
    assert mail.to_address == FATOU and "/recommander/" in mail.text_body


def test_no_message_when_the_organisation_sends_the_link_itself(client: TestClient, app: Any, key: dict[str, str],
                                                                badge: str) -> None:
    ask(client, key, {"kind": "achievement", "id": badge}, {"name": "Fatou", "email": FATOU}, send_email=False)
    assert _mails(app) == []
