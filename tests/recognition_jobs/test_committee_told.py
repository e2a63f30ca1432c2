"""The committee is told (issue 14): each active member gets a message, in their language, when a request or a
proposal awaits their vote (new, or back after the committee asked for more), with a link that signs them in as a
member and opens it; a member who asked themselves is not told."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from app.jobs.testing import run_pending
from tests.conftest import BASE_URL
from tests.mail.conftest import procrastinate_jobs
from tests.recognition_jobs.conftest import ask, emails, png, vote
from tests.signin.conftest import ask as ask_to_sign_in
from tests.signin.conftest import messages, type_code

PROPOSAL = {"name": "Cuisine du monde", "description": "Partager une recette de son pays avec le quartier.",
            "criteria": "Avoir animé un atelier cuisine.", "proposers": ["Awa"], "email": "awa@exemple.fr"}


def _link_of(text: str) -> str:
    (link,) = [line for line in text.splitlines() if line.startswith(f"{BASE_URL}/connexion?")]
    return link


def test_each_member_is_told_of_a_new_request_in_their_language_with_its_link(
        client: TestClient, app: Any, badge: str, members: dict[str, str]) -> None:
    request_id = ask(client, badge)["id"]
    told = {e.to_address: e for e in emails(app, "request.review")}
    assert sorted(told) == ["fatou@exemple.fr", "karim@exemple.fr", "lise@exemple.fr"]
    link = f"{BASE_URL}/connexion?audience=committee&next=/comite/puchot/demandes/{request_id}"
    fatou, karim = told["fatou@exemple.fr"], told["karim@exemple.fr"]
    assert (fatou.language, fatou.subject) == ("fr", "Une demande de badge attend le comité")
    assert "Bonjour Fatou," in fatou.text_body and "le badge « Couture » attend l’avis du comité" in fatou.text_body
    assert _link_of(fatou.text_body) == link and fatou.html_body and "Voir la demande" in fatou.html_body
    assert (karim.language, karim.subject) == ("en", "A badge request awaits the committee")
    assert "Hello Karim," in karim.text_body and _link_of(karim.text_body) == link
    assert all("Sylvie" not in e.text_body and "atelier" not in e.text_body for e in told.values())  # sign in to read


def test_a_member_who_asked_is_not_told_and_members_who_left_are_not_either(
        client: TestClient, app: Any, key: dict[str, str], badge: str, members: dict[str, str]) -> None:
    assert client.delete(f"/api/v1/committee/members/{members['Lise']}", headers=key).status_code == 204
    ask(client, badge, email="Fatou@Exemple.fr")  # Fatou asks for the badge herself
    assert [e.to_address for e in emails(app, "request.review")] == ["karim@exemple.fr"]
    ask(client, badge, email=None, group_name="Les couturières du jeudi",
        members=[{"name": "Karim", "email": "karim@exemple.fr"}, {"name": "Inès"}])  # Karim is in the group
    assert sorted(e.to_address for e in emails(app, "request.review")) == ["fatou@exemple.fr", "karim@exemple.fr"]


def test_a_request_back_after_more_information_is_announced_again(
        client: TestClient, app: Any, key: dict[str, str], badge: str, members: dict[str, str]) -> None:
    received = ask(client, badge)
    vote(client, key, received["id"], members["Fatou"], "more", "Une photo de l'atelier ?")
    vote(client, key, received["id"], members["Karim"], "more", "Et une date ?")
    assert emails(app, "request.review_again") == []
    added = client.post(f"/api/v1/request-links/{received['follow_token']}/evidence", data={"text": "La voici."},
                        files=[("evidence", ("atelier.png", png(), "image/png"))])
    assert added.status_code == 200 and added.json()["state"] == "received"
    again = {e.to_address: e for e in emails(app, "request.review_again")}
    assert sorted(again) == ["fatou@exemple.fr", "karim@exemple.fr", "lise@exemple.fr"]
    assert again["lise@exemple.fr"].subject == "Une demande de badge complétée attend le comité"
    assert again["karim@exemple.fr"].subject == "A completed badge request awaits the committee"
    assert _link_of(again["lise@exemple.fr"].text_body).endswith(f"/comite/puchot/demandes/{received['id']}")
    client.post(f"/api/v1/request-links/{received['follow_token']}/evidence", data={"text": "Et encore une."})
    assert len(emails(app, "request.review_again")) == 3  # still awaiting votes: nothing comes back, nobody told


def test_a_proposal_is_announced_when_new_and_when_revised(client: TestClient, app: Any, key: dict[str, str],
                                                           members: dict[str, str]) -> None:
    received = client.post("/api/v1/orgs/puchot/proposals", json={**PROPOSAL, "email": "Lise@exemple.fr"}).json()
    told = {e.to_address: e for e in emails(app, "proposal.review")}
    assert sorted(told) == ["fatou@exemple.fr", "karim@exemple.fr"]  # Lise proposed it
    assert told["fatou@exemple.fr"].subject == "Une proposition de badge attend le comité"
    assert "« Cuisine du monde »" in told["fatou@exemple.fr"].text_body
    assert _link_of(told["karim@exemple.fr"].text_body) == (
        f"{BASE_URL}/connexion?audience=committee&next=/comite/puchot/propositions/{received['id']}")
    for member in ("Fatou", "Karim"):
        client.post(f"/api/v1/proposals/{received['id']}/votes", headers=key,
                    json={"choice": "more", "member_id": members[member], "comment": "Quels plats ?"})
    revised = client.put(f"/api/v1/proposal-links/{received['follow_token']}",
                         json={**PROPOSAL, "criteria": "Avoir cuisiné un plat de son pays avec trois voisins."})
    assert revised.json()["state"] == "received"
    again = {e.to_address: e for e in emails(app, "proposal.review_again")}
    assert sorted(again) == ["fatou@exemple.fr", "karim@exemple.fr"]  # still not Lise: she proposed it
    assert again["karim@exemple.fr"].subject == "A revised badge proposal awaits the committee"


def test_the_link_signs_a_member_in_and_leads_to_the_request(client: TestClient, app: Any, badge: str,
                                                             members: dict[str, str]) -> None:
    request_id = ask(client, badge)["id"]
    (told,) = [e for e in emails(app, "request.review") if e.to_address == "fatou@exemple.fr"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(_link_of(told.text_body)).query).items()}
    assert query == {"audience": "committee", "next": f"/comite/puchot/demandes/{request_id}"}
    assert ask_to_sign_in(client, "fatou@exemple.fr", **query).status_code == 200
    (code,) = [m.code for m in messages(app, "fatou@exemple.fr") if m.purpose == "signin"]
    signed_in = type_code(client, code, "fatou@exemple.fr")
    assert signed_in.status_code == 303 and signed_in.headers["location"] == f"/comite/puchot/demandes/{request_id}"


def test_the_messages_are_sent_by_the_jobs_and_nothing_personal_is_in_their_parameters(
        client: TestClient, app: Any, badge: str, members: dict[str, str]) -> None:
    ask(client, badge)
    parameters = json.dumps([j["args"] for j in procrastinate_jobs(app)])
    assert parameters.count("email_id") == 4 and "@" not in parameters and "Sylvie" not in parameters
    run_pending(app)
    assert {(e.purpose, e.state) for e in emails(app)} == {("request.received", "sent"), ("request.review", "sent")}
    assert len(emails(app, "request.review")) == 3
