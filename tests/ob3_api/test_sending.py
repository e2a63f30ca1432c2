"""Sending a badge to a backpack elsewhere: two savoirs instances on two ports, each over real HTTP. The issuing one
(A: the conftest's application, on SQLite or PostgreSQL) is the client; the other (B, on SQLite) is the holder's
backpack. Sylvie has a browser on each (two TestClients, each signed in there).

A reads B's service description, registers there, sends Sylvie to B's consent page, exchanges the code (PKCE),
pushes the credential; B verifies it (fetching A's documents over HTTP) and shows it in her space there."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.clock import FixedClock
from app.config import Settings
from app.main import create_app
from app.models import BackpackConnection, OAuthClient, OAuthToken
from app.signing.sealing import SealedKey, unseal
from tests.conftest import admin_headers
from tests.live_server import free_port, serve
from tests.ob3_api.conftest import START, SYLVIE, consent, give
from tests.signin.conftest import csrf_of, sign_in


@dataclass
class Other:
    """The holder's backpack: another savoirs, and Sylvie's browser there (signed in)."""

    base: str
    app: Any
    browser: TestClient


@pytest.fixture
def other(settings_factory: Callable[..., Settings], sqlite_template: Path, tmp_path: Path) -> Iterator[Other]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    path = tmp_path / "backpack.db"
    shutil.copyfile(sqlite_template, path)
    settings = settings_factory(public_base_url=base, database_url=f"sqlite:///{path}", allow_loopback_fetch=True,
                                service_name="Sac à badges de Rouen", var_dir=tmp_path / "backpack-var")
    application = create_app(settings, clock=FixedClock(START), jobs_in_process=False)
    with serve(application, port, lifespan="off"), TestClient(application, base_url=base) as browser:
        sign_in(browser, application, SYLVIE)
        yield Other(base, application, browser)
    application.state.db.dispose()


@pytest.fixture
def award(client: TestClient, key: dict[str, str], badge: str) -> str:
    return str(give(client, key, badge)["id"])


def _send(holder: TestClient, award: str, **fields: str) -> Any:
    page = holder.get(f"/mon-espace/badges/{award}")
    assert page.status_code == 200
    form = {"csrf": csrf_of(page), "lang": "fr", "address": "", "connection": "", **fields}
    return holder.post(f"/mon-espace/badges/{award}/sac", data=form, follow_redirects=False)


def _link_to_backpack(page: Any) -> str:
    """The page that sends the holder on to her backpack: 200 with the link to follow (not a redirect)."""
    assert page.status_code == 200, page.text
    found = re.search(r'<a class="button" id="continuer" href="([^"]+)"', page.text)
    assert found, page.text
    return html.unescape(found.group(1))


def _come_back(holder: TestClient, location: str) -> Any:
    parts = urlsplit(location)
    return holder.get(f"{parts.path}?{parts.query}", follow_redirects=False)


def _connect_and_send(holder: TestClient, other: Other, award: str, decision: str = "allow") -> Any:
    link = _link_to_backpack(_send(holder, award, address=other.base))
    assert link.startswith(f"{other.base}/ims/ob/v3p0/authorize?")
    back = consent(other.browser, link, decision)
    assert back.startswith(f"{holder.base_url}/mon-espace/sac/retour?")
    return _come_back(holder, back)


def test_a_badge_sent_to_another_savoirs_arrives_verified_in_the_space_there(holder: TestClient, other: Other,
                                                                              award: str) -> None:
    done = _connect_and_send(holder, other, award)
    assert done.status_code == 303 and done.headers["location"] == f"/mon-espace/badges/{award}?fait=sent"
    assert "Votre badge a été envoyé à votre sac à badges." in holder.get(done.headers["location"]).text
    there = other.browser.get("/mon-espace").text
    received = there[there.index('id="recus"'):]
    assert "Cuisine du monde" in received and "Vérifié : authentique" in received


def test_a_connected_backpack_takes_the_next_badge_without_asking_again(holder: TestClient, other: Other,
                                                                        award: str, client: TestClient,
                                                                        key: dict[str, str], badge: str) -> None:
    _connect_and_send(holder, other, award)
    second = str(give(client, key, badge)["id"])
    page = holder.get(f"/mon-espace/badges/{second}").text
    assert "Envoyer à Sac à badges de Rouen" in page
    connection = page.split('name="connection" value="')[1].split('"')[0]
    sent = _send(holder, second, connection=connection)
    assert sent.status_code == 303 and sent.headers["location"] == f"/mon-espace/badges/{second}?fait=sent"
    assert other.browser.get("/mon-espace").text.count('class="item received"') == 2


def test_the_tokens_and_secrets_kept_for_a_backpack_are_sealed(holder: TestClient, other: Other, award: str,
                                                               app: Any) -> None:
    _connect_and_send(holder, other, award)
    with app.state.db.sessions() as session:
        row = session.scalars(select(BackpackConnection)).one()
    assert row.connected_at is not None and row.state_sha256 is None and row.name == "Sac à badges de Rouen"
    with other.app.state.db.sessions() as there:
        assert there.scalars(select(OAuthClient.id)).one() == row.client_id
    assert b"access_token" not in row.sealed_secrets
    kept = json.loads(unseal(SealedKey(row.sealed_secrets, row.wrapped_key, row.kek_id),
                             kek=app.state.ctx.vault.require_kek(), org_id="backpack", key_id=row.id))
    assert {"client_secret", "access_token", "refresh_token"} <= set(kept) and "code_verifier" not in kept


def test_refusing_at_the_backpack_sends_nothing_and_says_so(holder: TestClient, other: Other, award: str) -> None:
    refused = _connect_and_send(holder, other, award, decision="deny")
    assert refused.status_code == 400
    assert "Vous n'avez pas autorisé l'envoi" in html.unescape(refused.text)
    assert f'href="/mon-espace/badges/{award}"' in refused.text
    assert 'id="recus"' not in other.browser.get("/mon-espace").text


def test_a_return_is_used_once(holder: TestClient, other: Other, award: str) -> None:
    back = consent(other.browser, _link_to_backpack(_send(holder, award, address=other.base)))
    assert _come_back(holder, back).status_code == 303
    again = _come_back(holder, back)
    assert again.status_code == 400 and "Retour trop ancien" in again.text


def test_a_return_with_an_unknown_state_is_refused(holder: TestClient) -> None:
    answer = holder.get("/mon-espace/sac/retour", params={"state": "inventé", "code": "x"}, follow_redirects=False)
    assert answer.status_code == 400 and "<title>Erreur : Retour trop ancien" in answer.text


def test_an_address_that_is_no_web_address_is_refused_with_the_form_again(holder: TestClient, award: str) -> None:
    answer = _send(holder, award, address="mon sac")
    assert answer.status_code == 400
    assert "Adresse à corriger" in answer.text and 'aria-invalid="true"' in answer.text
    assert 'value="mon sac"' in answer.text


def test_a_site_that_is_not_a_backpack_is_unreachable_and_nothing_is_kept(holder: TestClient, award: str,
                                                                          app: Any, base: str) -> None:
    answer = _send(holder, award, address=f"{base}/pas-un-sac")
    assert answer.status_code == 502 and "Sac à badges injoignable" in answer.text
    with app.state.db.sessions() as session:
        assert session.scalars(select(BackpackConnection)).all() == []


def test_a_private_address_is_not_fetched(holder: TestClient, award: str) -> None:
    answer = _send(holder, award, address="https://10.1.2.3/")
    assert answer.status_code == 502 and "injoignable" in answer.text


def test_someone_elses_badge_cannot_be_sent(holder: TestClient, other: Other, client: TestClient, award: str,
                                            key: dict[str, str], badge: str) -> None:
    elses = str(give(client, key, badge, "karim@exemple.fr")["id"])
    page = holder.get(f"/mon-espace/badges/{award}")
    answer = holder.post(f"/mon-espace/badges/{elses}/sac", follow_redirects=False,
                         data={"csrf": csrf_of(page), "lang": "fr", "address": other.base, "connection": ""})
    assert answer.status_code == 404


def test_the_page_on_the_way_names_the_backpack_and_its_consent_page_may_send_her_back(holder: TestClient,
                                                                                       other: Other,
                                                                                       award: str) -> None:
    going = _send(holder, award, address=other.base)
    assert "Continuer sur Sac à badges de Rouen" in going.text and "Dernière étape" in going.text
    consent_page = other.browser.get(urlsplit(_link_to_backpack(going))._replace(scheme="", netloc="").geturl())
    assert consent_page.status_code == 200
    policy = consent_page.headers["content-security-policy"]
    assert f"form-action 'self' {holder.base_url}" in policy  # a browser holds the redirect after a submit to it


def _tokens_issued(other: Other) -> int:
    with other.app.state.db.sessions() as there:
        return len(there.scalars(select(OAuthToken.id)).all())


def _connection_of(holder: TestClient, award: str) -> str:
    page = holder.get(f"/mon-espace/badges/{award}").text
    return page.split('name="connection" value="')[1].split('"')[0]


def test_an_expired_access_token_is_refreshed_before_the_next_badge_goes(holder: TestClient, other: Other,
                                                                         award: str, clock: FixedClock,
                                                                         client: TestClient, key: dict[str, str],
                                                                         badge: str) -> None:
    _connect_and_send(holder, other, award)
    assert _tokens_issued(other) == 1
    clock.at += timedelta(hours=2)  # our access token (an hour) is over; the refresh token (90 days) is not
    second = str(give(client, key, badge)["id"])
    sent = _send(holder, second, connection=_connection_of(holder, second))
    assert sent.status_code == 303 and sent.headers["location"].endswith("?fait=sent")
    assert _tokens_issued(other) == 2
    assert other.browser.get("/mon-espace").text.count('class="item received"') == 2


def test_a_backpack_that_revoked_us_is_asked_again_with_a_new_registration(holder: TestClient, other: Other,
                                                                           award: str) -> None:
    _connect_and_send(holder, other, award)
    with other.app.state.db.sessions() as there:
        first = there.scalars(select(OAuthClient.id)).one()
    revoked = other.browser.post(f"/api/v1/oauth-clients/{first}/revoke", headers=admin_headers())
    assert revoked.status_code == 200, revoked.text
    again = _send(holder, award, connection=_connection_of(holder, award))
    link = _link_to_backpack(again)
    assert "client_id=" in link and first not in link
    back = consent(other.browser, link)
    assert _come_back(holder, back).status_code == 303
    with other.app.state.db.sessions() as there:
        assert len(there.scalars(select(OAuthClient.id)).all()) == 2


def test_a_badge_erased_while_she_was_at_the_backpack_is_not_sent(holder: TestClient, other: Other, award: str,
                                                                  client: TestClient, key: dict[str, str],
                                                                  badge: str) -> None:
    give(client, key, badge)  # another badge: her space stays when this one is erased
    link = _link_to_backpack(_send(holder, award, address=other.base))
    erased = client.post("/api/v1/residents/erase", headers=key,
                         json={"award_ids": [award], "credentials": "revoke"})
    assert erased.status_code == 200, erased.text
    answer = _come_back(holder, consent(other.browser, link))
    assert answer.status_code == 404
    assert 'id="recus"' not in other.browser.get("/mon-espace").text
