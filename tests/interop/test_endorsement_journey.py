"""Endorsements end to end (issue 15), as the people in them live it, against a served instance whose messages go
through a real SMTP server: nothing is read from the database.

The Centre social du Puchot asks the town hall (Mairie de Rouen, another organisation of the service) to endorse its
badge "Couture", and Fatou, a resident, to endorse the centre. Each receives an email with a private link, opens it,
signs in with the code the next email brings (the town hall with its contact address), writes a few words and
confirms on the page. The badge's public page then shows both, with the endorsers' names and words; Digital Bazaar
``vc`` and DCC ``verifier-core`` verify both EndorsementCredentials. Fatou takes hers back on her page: it leaves the
public page, the town hall's stays.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.interop.test_ob3_verifiers import LD_VERIFIERS, _assert_accepted, _verify
from tests.journeys import CODE, Mail, Mailbox, code_in, read, submit, title
from tests.live_server import LiveService, live_service
from tests.mail.conftest import Recorder, SmtpServer, free_port

pytestmark = pytest.mark.interop

BADGE = {"name": "Couture", "description": "Coudre ensemble, à l'atelier du jeudi.",
         "criteria": {"narrative": "Avoir cousu au moins trois fois avec le groupe."}}
TOWN_HALL = "jeunesse@rouen.example"
FATOU = "fatou.journee@exemple.fr"
TOWN_HALL_SAYS = "La mairie soutient les ateliers couture du Puchot depuis 2024."
FATOU_SAYS = "Le Puchot m'a appris à coudre, et à transmettre à mon tour."
HTML = {"Accept": "text/html"}


def _org(live: LiveService, slug: str, name: str, address: str) -> dict[str, str]:
    created = live.http.post("/api/v1/orgs", headers=live.admin(), json={
        "slug": slug, "name": name, "url": f"https://{slug}.example", "email": address})
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['api_key']['token']}"}


def _endorse_by_link(live: LiveService, mailbox: Mailbox, address: str, words: str) -> dict[str, Any]:
    """From the request email to the published endorsement, in a browser of their own."""
    asked = mailbox.wait(address, where=lambda m: "recommandation" in m.subject)
    [link] = [u for u in asked.links(live.base) if "/recommander/" in u]
    seen: dict[str, Any] = {"asked": asked, "link": link}
    with httpx.Client(timeout=30, headers=HTML) as browser:
        first = browser.get(link)
        seen["first_title"] = title(first)
        [sign_in] = [a["href"] for a in read(first).links if a.get("id") == "se-connecter"]
        start = browser.get(httpx.URL(link).join(sign_in))
        already = len([m for m in mailbox.all() if address in m.to])
        code_page = submit(browser, start, {"email": address})
        assert code_page.status_code == 200, code_page.text
        code = code_in(mailbox.wait(address, already, where=lambda m: CODE.search(m.text) is not None))
        signed_in = submit(browser, code_page, {"email": address, "code": code})
        assert signed_in.status_code == 303, signed_in.text
        page = browser.get(httpx.URL(link).join(signed_in.headers["location"]))
        assert str(page.url).split("?")[0] == link, page.url
        given = submit(browser, page, {"comment": words})
        assert given.status_code == 303, given.text
        thanks = browser.get(httpx.URL(link).join(given.headers["location"]))
        seen["thanks_title"], seen["thanks"] = title(thanks), html.unescape(thanks.text)
        seen["document"] = [a["href"] for a in read(thanks).links if "/endorsements/" in a["href"]]
    return seen


def _take_back(live: LiveService, mailbox: Mailbox, link: str, address: str) -> str:
    """Sign in again (a new browser), open the link, take the endorsement back after the confirmation."""
    with httpx.Client(timeout=30, headers=HTML) as browser:
        first = browser.get(link)
        [sign_in] = [a["href"] for a in read(first).links if "/connexion" in a["href"]]
        start = browser.get(httpx.URL(link).join(sign_in))
        already = len([m for m in mailbox.all() if address in m.to])
        code_page = submit(browser, start, {"email": address})
        code = code_in(mailbox.wait(address, already, where=lambda m: CODE.search(m.text) is not None))
        signed_in = submit(browser, code_page, {"email": address, "code": code})
        page = browser.get(httpx.URL(link).join(signed_in.headers["location"]))
        [sure] = [a["href"] for a in read(page).links if a["href"].split("?")[0].endswith("/retirer")]
        confirm = browser.get(httpx.URL(link).join(sure))
        done = submit(browser, confirm, {})
        assert done.status_code == 303, done.text
        return title(browser.get(httpx.URL(link).join(done.headers["location"])))


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    smtp = SmtpServer("127.0.0.1", free_port(), Recorder())
    smtp.start()
    tmp: Path = tmp_path_factory.mktemp("endorsement-journey")
    try:
        with live_service(tmp, smtp_url=smtp.url, mail_from="savoirs <ne-pas-repondre@savoirs.example>") as live:
            mailbox = Mailbox(smtp.handler)
            centre = _org(live, "puchot", "Centre social du Puchot", "contact@puchot.example")
            _org(live, "mairie", "Mairie de Rouen", TOWN_HALL)
            draft = live.http.post("/api/v1/achievements", json=BADGE, headers=centre).json()
            badge = live.http.post(f"/api/v1/achievements/{draft['id']}/publish", headers=centre).json()["id"]
            for about, endorser in (({"kind": "achievement", "id": badge}, {"organisation": "mairie"}),
                                    ({"kind": "organisation"}, {"name": "Fatou Diallo", "email": FATOU})):
                asked = live.http.post("/api/v1/endorsements", headers=centre, json={
                    "about": about, "endorser": endorser, "message": "Votre avis compte pour nous."})
                assert asked.status_code == 201, asked.text
            steps: dict[str, Any] = {"town_hall": _endorse_by_link(live, mailbox, TOWN_HALL, TOWN_HALL_SAYS),
                                     "fatou": _endorse_by_link(live, mailbox, FATOU, FATOU_SAYS)}
            steps["credentials"] = {who: live.http.get(steps[who]["document"][0],
                                                       headers={"Accept": "application/ld+json"}).json()
                                    for who in ("town_hall", "fatou")}
            steps["page_before"] = html.unescape(live.http.get(f"/achievements/{badge}", headers=HTML).text)
            steps["taken_back_title"] = _take_back(live, mailbox, steps["fatou"]["link"], FATOU)
            steps["page_after"] = html.unescape(live.http.get(f"/achievements/{badge}", headers=HTML).text)
            steps["profile_after"] = live.http.get("/orgs/puchot/profile").json()
            yield steps
    finally:
        smtp.stop()


@pytest.mark.parametrize("who", ["town_hall", "fatou"])
def test_each_endorser_is_emailed_their_link_signs_in_and_gives_their_words(journey: dict[str, Any],
                                                                            who: str) -> None:
    seen = journey[who]
    asked: Mail = seen["asked"]
    assert asked.subject == "Centre social du Puchot vous demande une recommandation"
    assert "Votre avis compte pour nous." in asked.text
    assert seen["document"], "the thanks page links the published endorsement"
    assert (TOWN_HALL_SAYS if who == "town_hall" else FATOU_SAYS) in seen["thanks"]


def test_the_badge_s_public_page_shows_both_endorsers_and_their_words(journey: dict[str, Any]) -> None:
    page = journey["page_before"]
    for name, words in (("Mairie de Rouen", TOWN_HALL_SAYS), ("Fatou Diallo", FATOU_SAYS)):
        assert name in page and words in page, name


def test_taken_back_an_endorsement_leaves_the_pages_and_the_other_stays(journey: dict[str, Any]) -> None:
    page = journey["page_after"]
    assert FATOU_SAYS not in page and TOWN_HALL_SAYS in page
    assert "endorsement" not in journey["profile_after"]


@pytest.mark.parametrize("who", ["town_hall", "fatou"])
def test_independent_verifiers_accept_each_endorsement(node: str, journey: dict[str, Any], who: str) -> None:
    results = _verify(node, [{"id": f"{who}:{v}", "verifier": v, "credential": journey["credentials"][who]}
                             for v in LD_VERIFIERS])
    for result in results.values():
        _assert_accepted(result)
