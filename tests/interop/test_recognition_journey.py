"""The recognition process end to end, as the people in it live it (issue 14), against a served instance whose
messages go through a real SMTP server (aiosmtpd on a loopback port): nothing is read from the database.

Sylvie opens the request form of her centre, asks for the badge "Couture" at the level "J'explore", gives her email
address, writes what she did, attaches a photo as her phone took it (with its GPS position) and agrees to publish her
evidence and her name (so her badge's page is public). Both members of the committee receive an email; each follows
its link, signs in for the committee with the code the next email brings, reads the request (the photo without its
position) and accepts it on the page. Sylvie receives the decision by email with the link of her badge; the badge
carries the level and her consented evidence, the published photo has no position either, and Digital Bazaar ``vc``
and DCC ``verifier-core`` verify it.

Then two more requests, decided through the API (the pages' votes are the ones above): Malik's, on which the
committee asks a question; Malik receives it by email, answers from his private link with a photo; the members are
told by email that the request is back; the second round accepts it. Nadia's request is declined: her email carries
the committee's reason.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from PIL import Image

from tests.interop.test_ob3_verifiers import LD_VERIFIERS, _assert_accepted, _show, _verify
from tests.journeys import CODE, Mail, Mailbox, form_to, read, submit, title
from tests.live_server import LiveService, live_service
from tests.mail.conftest import Recorder, SmtpServer, free_port
from tests.uploads.samples import encode, exif_with_gps, gps_of, picture

pytestmark = pytest.mark.interop

MAIL_FROM = "Centre social du Puchot <ne-pas-repondre@puchot.example>"
SYLVIE = "sylvie.journee@exemple.fr"
MEMBERS = {"Fatou": "fatou.journee@exemple.fr", "Karim": "karim.journee@exemple.fr"}
BADGE = {"name": "Couture", "description": "Coudre ensemble, à l'atelier du jeudi.",
         "criteria": {"narrative": "Avoir cousu au moins trois fois avec le groupe."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}
NARRATIVE = "J'ai animé l'atelier couture tout l'hiver, et appris à trois voisines à se servir de la machine."
THANKS = "Merci Sylvie pour les ourlets !"
QUESTION = "Pouvez-vous nous montrer une photo de l'atelier ?"
ANSWER = "La voici, prise le dernier jeudi."
REASON = "Le badge demande trois ateliers : revenez nous voir après le troisième !"


# ------------------------------------------------------------------------------------------------ the journey


@dataclass
class Journey:
    live: LiveService
    mailbox: Mailbox
    steps: dict[str, Any]


def _resident_opens_her_badge(live: LiveService, mailbox: Mailbox, link: str) -> dict[str, Any]:
    """The decision's link, in her browser: the sign-in page, the code by email, her badge in her space; the
    credential she downloads there, and the badge's public page (she agreed to a public badge with her name)."""
    with httpx.Client(timeout=30, follow_redirects=True) as browser:
        start = browser.get(link)
        seen: dict[str, Any] = {"badge_start_title": title(start)}
        already = len([m for m in mailbox.all() if SYLVIE in m.to])
        asked = submit(browser, start, {"email": SYLVIE})
        assert asked.status_code == 200, asked.text
        code_mail = mailbox.wait(SYLVIE, already, where=lambda m: CODE.search(m.text) is not None)
        code = "".join(CODE.search(code_mail.text).groups())  # type: ignore[union-attr]
        signed_in = submit(browser, asked, {"email": SYLVIE, "code": code})
        page = browser.get(httpx.URL(link).join(signed_in.headers["location"]))
        seen["space_badge_url"], seen["space_badge_title"] = str(page.url), title(page)
        seen["credential"] = browser.get(f"{link}/credential.json").json()
    seen["badge_page"] = live.http.get(seen["credential"]["id"], headers={"Accept": "text/html"})
    return seen


def _member_signs_in_and_accepts(live: LiveService, mailbox: Mailbox, address: str) -> dict[str, Any]:
    """From the review email to the counted vote, in a browser of their own."""
    review = mailbox.wait(address, where=lambda m: "attend le comité" in m.subject)
    [link] = review.links(live.base)
    seen: dict[str, Any] = {"review": review}
    with httpx.Client(timeout=30) as browser:
        start = browser.get(link)
        seen["start_title"] = title(start)
        already = len([m for m in mailbox.all() if address in m.to])
        asked = submit(browser, start, {"email": address})
        assert asked.status_code == 200, asked.text
        seen["code_mail"] = code_mail = mailbox.wait(address, already, where=lambda m: CODE.search(m.text) is not None)
        code = "".join(CODE.search(code_mail.text).groups())  # type: ignore[union-attr]
        signed_in = submit(browser, asked, {"email": address, "code": code})
        assert signed_in.status_code == 303, signed_in.text
        request_page = browser.get(httpx.URL(link).join(signed_in.headers["location"]))
        seen["request_url"] = str(request_page.url)
        seen["request_title"] = title(request_page)
        seen["request_text"] = request_page.text
        seen["thumbnails"] = [browser.get(request_page.url.join(img["src"])) for img in read(request_page).images
                              if "/evidence/" in img.get("src", "") or "/preuves/" in img.get("src", "")]
        forms = read(request_page).forms
        [vote_form] = [i for i, (_, hidden) in enumerate(forms) if "csrf" in hidden and "lang" in hidden]
        voted = submit(browser, request_page, {"choice": "accept", "comment": ""}, form=vote_form)
        if voted.status_code == 303:
            voted = browser.get(request_page.url.join(voted.headers["location"]))
        seen["voted_status"] = voted.status_code
        seen["voted_title"] = title(voted)
    return seen


def _api_request(live: LiveService, badge_id: str, name: str, address: str) -> str:
    body = {"achievement_id": badge_id, "name": name, "email": address, "level": "J'agis", "narrative": NARRATIVE}
    received = live.http.post("/api/v1/orgs/journee/requests", json=body)
    assert received.status_code == 201, received.text
    return str(received.json()["id"])


def _api_vote(live: LiveService, key: dict[str, str], request_id: str, member: str, choice: str,
              comment: str | None = None) -> dict[str, Any]:
    members = live.http.get("/api/v1/committee/members", headers=key).json()
    [member_id] = [m["id"] for m in members if m["name"] == member]
    voted = live.http.post(f"/api/v1/requests/{request_id}/votes", headers=key, json={
        "choice": choice, "member_id": member_id, **({"comment": comment} if comment else {})})
    assert voted.status_code == 200, voted.text
    return dict(voted.json())


def _a_question_then_a_second_round(live: LiveService, mailbox: Mailbox, key: dict[str, str],
                                    badge_id: str) -> dict[str, Any]:
    malik = "malik.journee@exemple.fr"
    request_id = _api_request(live, badge_id, "Malik", malik)
    seen: dict[str, Any] = {"receipt": mailbox.wait(malik)}
    told = {a: len([m for m in mailbox.all() if a in m.to]) for a in MEMBERS.values()}
    _api_vote(live, key, request_id, "Fatou", "more", QUESTION)
    seen["after_question"] = _api_vote(live, key, request_id, "Karim", "more", QUESTION)
    seen["question"] = question = mailbox.wait(malik, 1)
    [follow] = [u for u in question.links(live.base) if "/suivi/" in u]
    with httpx.Client(timeout=30) as resident:
        page = resident.get(follow)
        answered = submit(resident, page, {"text": ANSWER},
                          form=form_to(page, "/preuves"),
                          files=[("evidence", ("atelier.jpg", encode(picture(80, 60), "JPEG"), "image/jpeg"))])
        assert answered.status_code == 303, answered.text
    seen["told_again"] = {a: mailbox.wait(a, told[a], where=lambda m: "complétée" in m.subject)
                          for a in MEMBERS.values()}
    _api_vote(live, key, request_id, "Fatou", "accept")
    seen["decided"] = _api_vote(live, key, request_id, "Karim", "accept")
    seen["decision"] = mailbox.wait(malik, 2)
    return seen


def _a_decline_with_its_reason(live: LiveService, mailbox: Mailbox, key: dict[str, str],
                               badge_id: str) -> dict[str, Any]:
    nadia = "nadia.journee@exemple.fr"
    request_id = _api_request(live, badge_id, "Nadia", nadia)
    mailbox.wait(nadia)
    _api_vote(live, key, request_id, "Fatou", "decline", REASON)
    decided = _api_vote(live, key, request_id, "Karim", "decline", REASON)
    return {"decided": decided, "decision": mailbox.wait(nadia, 1)}


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journey]:
    smtp = SmtpServer("127.0.0.1", free_port(), Recorder())
    smtp.start()
    tmp: Path = tmp_path_factory.mktemp("journey")
    try:
        with live_service(tmp, smtp_url=smtp.url, mail_from=MAIL_FROM) as live:
            mailbox = Mailbox(smtp.handler)
            key = {"Authorization": f"Bearer {live.org('journee')}"}
            badge = live.http.post("/api/v1/achievements", json=BADGE, headers=key)
            assert badge.status_code == 201, badge.text
            badge_id = badge.json()["id"]
            assert live.http.post(f"/api/v1/achievements/{badge_id}/publish", headers=key).status_code == 200
            for name, address in MEMBERS.items():
                added = live.http.post("/api/v1/committee/members", headers=key, json={"name": name, "email": address})
                assert added.status_code == 201, added.text
            steps: dict[str, Any] = {}
            with httpx.Client(timeout=30) as resident:
                form = resident.get(f"{live.base}/demander/journee/{badge_id}")
                steps["form_title"] = title(form)
                photo = encode(picture(160, 120), "JPEG", exif=exif_with_gps())
                assert gps_of(photo) != {}, "the phone photo of the test carries a position"
                sent = submit(resident, form, {
                    "name": "Sylvie", "level": "level-2", "contact": "email", "email": SYLVIE, "narrative": NARRATIVE,
                    "text_evidence": THANKS, "publish_evidence": "oui", "publish_name": "oui"},
                    files=[("evidence", ("IMG_2031.jpg", photo, "image/jpeg"))])
                assert sent.status_code == 303, sent.text
                steps["sent_title"] = title(resident.get(form.url.join(sent.headers["location"])))
            steps["receipt"] = mailbox.wait(SYLVIE)
            for name, address in MEMBERS.items():
                steps[name] = _member_signs_in_and_accepts(live, mailbox, address)
            steps["decision"] = decision = mailbox.wait(SYLVIE, 1)
            [badge_link] = [u for u in decision.links(live.base) if "/mon-espace/badges/" in u]
            steps.update(_resident_opens_her_badge(live, mailbox, badge_link))
            steps["second_round"] = _a_question_then_a_second_round(live, mailbox, key, badge_id)
            steps["declined"] = _a_decline_with_its_reason(live, mailbox, key, badge_id)
            yield Journey(live, mailbox, steps)
    finally:
        smtp.stop()


# ------------------------------------------------------------------------------------------------ what each saw


def test_the_resident_sends_the_form_and_gets_her_private_link_by_email(journey: Journey) -> None:
    steps = journey.steps
    assert steps["form_title"] == "Demander le badge «\u00a0Couture\u00a0» — savoirs"
    assert steps["sent_title"] == "Votre demande est envoyée — savoirs"
    receipt: Mail = steps["receipt"]
    assert receipt.message["From"] == MAIL_FROM and receipt.message["Content-Language"] == "fr"
    assert [u for u in receipt.links(journey.live.base) if "/suivi/" in u], receipt.text
    assert receipt.html.count("/suivi/") >= 1  # plain text and HTML both carry it


@pytest.mark.parametrize("member", sorted(MEMBERS))
def test_each_member_is_emailed_signs_in_with_the_emailed_code_and_accepts(journey: Journey, member: str) -> None:
    seen = journey.steps[member]
    review: Mail = seen["review"]
    assert review.subject == "Une demande de badge attend le comité"
    assert "Couture" in review.text and "Sylvie" not in review.text  # nothing about the person in a message
    assert seen["start_title"] == "Me connecter — savoirs"
    assert CODE.search(seen["code_mail"].text)
    assert urlsplit(seen["request_url"]).path.startswith("/comite/journee/demandes/")
    assert seen["request_title"] == "Demande de badge : Couture — savoirs"
    assert NARRATIVE.replace("'", "&#39;") in seen["request_text"] or NARRATIVE in seen["request_text"]
    assert seen["voted_status"] == 200 and seen["voted_title"].startswith("Vote compté")


def test_the_committee_sees_the_photo_without_its_position(journey: Journey) -> None:
    thumbnails = journey.steps["Fatou"]["thumbnails"]
    assert thumbnails, "the request page shows the photo"
    for shown in thumbnails:
        assert shown.status_code == 200 and shown.headers["content-type"].startswith("image/")
        assert gps_of(shown.content) == {}


def test_the_resident_is_told_by_email_with_her_badge_s_link(journey: Journey) -> None:
    decision: Mail = journey.steps["decision"]
    assert decision.subject == "Votre badge « Couture » est prêt"
    assert "le comité de Centre social du Puchot a accepté votre demande" in decision.text
    assert journey.steps["badge_start_title"] == "Me connecter — savoirs"  # her link asks her to sign in first
    assert journey.steps["space_badge_title"] == "Couture — savoirs"  # then opens her badge in her space
    assert journey.steps["badge_page"].status_code == 200 and "Sylvie" in journey.steps["badge_page"].text


def test_the_badge_carries_the_level_and_the_consented_evidence_without_a_position(journey: Journey) -> None:
    credential = journey.steps["credential"]
    subject = credential["credentialSubject"]
    assert "J'explore" in str(subject), subject
    evidence = credential["evidence"]
    assert NARRATIVE in [e.get("narrative") for e in evidence] and THANKS in [e.get("narrative") for e in evidence]
    [photo] = [e for e in evidence if e.get("genre") == "Photo"]
    published = journey.live.http.get(photo["id"])
    assert published.status_code == 200
    with Image.open(io.BytesIO(published.content)) as image:
        assert image.format == "JPEG"
    assert gps_of(published.content) == {}


@pytest.mark.parametrize("verifier", LD_VERIFIERS)
def test_independent_verifiers_accept_the_badge_the_committee_gave(node: str, journey: Journey,
                                                                  verifier: str) -> None:
    result = _verify(node, [{"id": verifier, "verifier": verifier, "credential": journey.steps["credential"]}])
    _assert_accepted(result[verifier])
    assert result[verifier]["verified"] is True, _show(result[verifier])


def test_a_question_reaches_the_resident_whose_answer_opens_a_second_round(journey: Journey) -> None:
    seen = journey.steps["second_round"]
    assert seen["after_question"]["state"] == "more_info"
    question: Mail = seen["question"]
    assert question.subject == "Le comité a une question sur votre demande"
    assert QUESTION in question.text and "Vous pouvez répondre et ajouter des preuves" in question.text
    for again in seen["told_again"].values():
        assert again.subject == "Une demande de badge complétée attend le comité"
    decided = seen["decided"]
    assert (decided["state"], decided["round"]) == ("accepted", 2) and decided["award_id"]
    assert seen["decision"].subject == "Votre badge « Couture » est prêt"
    assert f"/mon-espace/badges/{decided['award_id']}" in seen["decision"].text


def test_a_decline_reaches_the_resident_with_the_committee_s_reason(journey: Journey) -> None:
    seen = journey.steps["declined"]
    assert seen["decided"]["state"] == "declined" and seen["decided"]["award_id"] is None
    decision: Mail = seen["decision"]
    assert decision.subject == "Votre demande de badge n’a pas été acceptée"
    assert "Ce que le comité vous dit :" in decision.text and REASON in decision.text
    assert "/suivi/" in decision.text
