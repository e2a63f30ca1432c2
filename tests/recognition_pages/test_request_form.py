"""The request form, ``/demander/{slug}/{achievement_id}``: what it shows, what it sends, and how it says no."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.recognition_pages.conftest import (
    ASK_TITLE,
    BADGE,
    GOOD,
    ask,
    csrf_of,
    evidence_of,
    gif,
    mails_to,
    phone_photo,
    publish,
    read,
    send,
    stored_requests,
    token_of,
    words,
)
from tests.uploads.samples import PDF, gps_of


def _path(badge: str) -> str:
    return f"/demander/puchot/{badge}"


def test_the_form_shows_the_badge_and_asks_in_plain_french(client: TestClient, badge: str) -> None:
    page = client.get(_path(badge))
    form, text = read(page), words(page)
    assert page.status_code == 200 and '<html lang="fr">' in page.text
    assert form.title == f"{ASK_TITLE} — savoirs"
    for shown in ("Coudre ensemble, à l'atelier du jeudi.", "Avoir cousu au moins trois fois avec le groupe.",
                  "J'aide les autres à l'atelier.", "Votre prénom ou un pseudo", "Ce que j'ai fait", "Par e-mail",
                  "Par téléphone", "Pas de contact",
                  "Gardez bien le lien de votre demande et son code", "Pour moi", "Pour un groupe"):
        assert shown in text, shown
    levels = [f for f in form.fields() if f.get("name") == "level"]
    assert [(f["type"], f["value"], "required" in f) for f in levels] == [
        ("radio", "level-1", True), ("radio", "level-2", True), ("radio", "level-3", True)]
    assert [form.labels[f["id"]] for f in levels] == ["Je soutiens", "J'explore", "J'agis"]
    assert form.checked("level") == [] and form.checked("kind") == ["individual"] and form.checked("contact") == []
    assert form.by_id("narrative")["name"] == "narrative" and "required" in form.by_id("narrative")
    evidence = form.by_id("evidence")
    assert evidence["type"] == "file" and "multiple" in evidence and evidence["accept"] == "image/*,application/pdf"
    for consent in ("publish_evidence", "publish_name"):
        assert form.by_id(consent)["type"] == "checkbox" and "checked" not in form.by_id(consent)
    assert page.headers["cache-control"] == "no-store" and page.headers["x-robots-tag"] == "noindex"


def test_every_field_has_a_label_and_the_page_has_no_script_nor_outside_asset(client: TestClient,
                                                                               badge: str) -> None:
    page = client.get(_path(badge))
    form = read(page)
    unlabelled = [f.get("id") or f.get("name") for f in form.fields() if f.get("id") not in form.labels]
    assert unlabelled == []
    assert "<script" not in page.text and " style=" not in page.text and " on" + "click" not in page.text
    assert "script-src 'none'" in page.headers["content-security-policy"]
    assets = [attrs.get("src") or attrs.get("href") or "" for tag, attrs in form.elements if tag in ("img", "link")]
    assert assets and all(a.startswith("/") or a.startswith("data:") for a in assets), assets


def test_the_trap_field_is_out_of_reach_and_the_form_carries_its_csrf_token(client: TestClient, badge: str) -> None:
    page = client.get(_path(badge))
    form = read(page)
    trap = form.by_id("site_web")
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off" and trap["value"] == ""
    assert form.labels["site_web"] == "Laissez ce champ vide"
    assert '<div class="trap" aria-hidden="true">' in page.text
    assert len(csrf_of(page)) >= 40 and csrf_of(page) in page.headers["set-cookie"]


def test_the_form_speaks_english_when_asked(client: TestClient, badge: str) -> None:
    page = client.get(_path(badge), params={"lang": "en"})
    form = read(page)
    assert '<html lang="en">' in page.text and form.title == "Ask for the badge “Couture” — savoirs"
    assert form.labels["narrative"].startswith("What I did") and form.value("lang") == "en"
    assert 'lang="fr" hreflang="fr">Français</a>' in page.text  # the switch back, marked as French


def test_a_request_is_sent_and_the_private_link_is_shown_in_full(client: TestClient, app: Any, badge: str,
                                                                 key: dict[str, str]) -> None:
    sent = ask(client, badge, {"name": "Sylvie"}, files=[("IMG_2031.jpg", phone_photo(), "image/jpeg")])
    token = token_of(sent)
    page = client.get(sent.headers["location"])
    text = words(page)
    assert page.status_code == 200 and read(page).title == "Votre demande est envoyée — savoirs"
    assert f'<p class="private-link" id="lien">https://badges.example.org/suivi/{token}</p>' in page.text
    assert "Vous n'avez pas donné de contact : ce lien est le seul moyen de revenir ici." in text
    assert "imprimez cette page" in text and "@media print" in client.get("/static/savoirs.css").text
    assert 'id="message"' in page.text and "autofocus" in read(page).by_id("message")
    [row] = stored_requests(app)
    assert (row.level, row.requester_name, row.contact_kind, row.kind) == ("level-2", "Sylvie", "none", "individual")
    assert (row.narrative, row.publish_evidence, row.publish_name) == (GOOD["narrative"], False, False)
    [photo] = evidence_of(app, row.id)
    assert photo.media_type == "image/jpeg" and gps_of(photo.content) == {}  # the GPS position never reached us
    assert client.get(f"/suivi/{token}").text.count("Demande reçue") >= 1


def test_with_an_email_the_link_is_also_sent_by_email(client: TestClient, app: Any, badge: str) -> None:
    sent = ask(client, badge, {"contact": "email", "email": "sylvie@exemple.fr", "phone": "06 12 34 56 78"})
    token = token_of(sent)
    page = words(client.get(sent.headers["location"]))
    assert "Nous vous avons aussi envoyé ce lien par e-mail." in page
    [row] = stored_requests(app)
    assert (row.contact_kind, row.contact) == ("email", "sylvie@exemple.fr")  # the phone typed, then left, is not kept
    [mail] = mails_to(app, "sylvie@exemple.fr")
    assert f"/suivi/{token}" in mail.text_body


def test_a_phone_number_is_kept_as_the_contact(client: TestClient, app: Any, badge: str) -> None:
    token_of(ask(client, badge, {"contact": "phone", "phone": "06 12 34 56 78"}))
    [row] = stored_requests(app)
    assert (row.contact_kind, row.contact) == ("phone", "+33612345678")


def test_consents_are_given_only_by_ticking_them(client: TestClient, app: Any, badge: str) -> None:
    token_of(ask(client, badge, {"name": "Sylvie", "publish_evidence": "oui", "publish_name": "oui"}))
    [row] = stored_requests(app)
    assert (row.publish_evidence, row.publish_name) == (True, True)


def test_a_badge_without_levels_asks_for_none(client: TestClient, app: Any, key: dict[str, str]) -> None:
    plain = publish(client, key, {"name": "Accueil", "description": "Accueillir.", "criteria": {"narrative": "A."}})
    form = read(client.get(_path(plain)))
    assert [f for f in form.fields() if f.get("name") == "level"] == []
    token_of(ask(client, plain, {"level": ""}))
    assert stored_requests(app)[0].level is None


def test_without_what_was_done_the_form_comes_back_with_what_was_typed(client: TestClient, app: Any,
                                                                       badge: str) -> None:
    typed = {"name": "Sylvie", "contact": "email", "email": "sylvie@exemple.fr", "narrative": "",
             "text_evidence": "Fatou peut en parler.", "publish_evidence": "oui"}
    page = ask(client, badge, typed, files=[("IMG_2031.jpg", phone_photo(), "image/jpeg")])
    form, text = read(page), words(page)
    assert page.status_code == 422 and stored_requests(app) == []
    assert form.title == f"Erreur : Une chose à corriger — {ASK_TITLE} — savoirs"
    summary = form.by_id("erreur")
    assert "autofocus" in summary and summary["tabindex"] == "-1" and '<div role="alert">' in page.text
    assert '<a href="#narrative">Ce que j&#39;ai fait\u00a0: Écrivez ce que vous avez fait.</a>' in page.text
    narrative = form.by_id("narrative")
    assert narrative["aria-describedby"] == "narrative-hint narrative-error" and narrative["aria-invalid"] == "true"
    assert form.by_id("narrative-error")["class"] == "field-error"
    assert form.value("name") == "Sylvie" and form.value("email") == "sylvie@exemple.fr"
    assert form.checked("level") == ["level-2"] and form.checked("contact") == ["email"]
    assert form.checked("publish_evidence") == ["oui"] and form.checked("publish_name") == []
    assert form.textareas["text_evidence"] == "Fatou peut en parler."
    assert "Les fichiers choisis n'ont pas été gardés : choisissez-les à nouveau." in text
    assert "evidence-dropped" in form.by_id("evidence")["aria-describedby"]
    assert len(form.with_attribute("autofocus")) == 1


def test_every_missing_choice_is_said_in_the_order_of_the_page(client: TestClient, app: Any, badge: str) -> None:
    page = send(client, _path(badge), {"narrative": "", "name": "", "publish_name": "oui"})
    form = read(page)
    assert form.title.startswith("Erreur : 4 choses à corriger — ")
    links = [attrs["href"] for tag, attrs in form.elements if tag == "a" and attrs.get("href", "").startswith("#")]
    assert links == ["#contenu", "#level-1", "#contact-email", "#narrative", "#publish_name"]
    text = words(page)
    for said in ("Choisissez un niveau.", "Choisissez comment vous prévenir.",
                 "Pour écrire votre nom dans le badge, écrivez d'abord votre prénom ou un pseudo."):
        assert said in text
    assert form.by_id("publish_name")["aria-describedby"] == "publish_name-error"
    assert stored_requests(app) == []


def test_a_level_the_badge_does_not_have_is_refused(client: TestClient, app: Any, badge: str) -> None:
    page = ask(client, badge, {"level": "level-9"})
    assert page.status_code == 422 and "Choisissez un niveau." in words(page) and stored_requests(app) == []


def test_the_chosen_contact_must_be_written_and_valid(client: TestClient, app: Any, badge: str) -> None:
    cases = {("email", ""): "Écrivez votre adresse e-mail, ou choisissez « Pas de contact ».",
             ("email", "sylvie@"): "Cette adresse e-mail n'est pas valide.",
             ("phone", ""): "Écrivez votre numéro de téléphone, ou choisissez « Pas de contact ».",
             ("phone", "+0 12 34"): "Ce numéro n'est pas valide."}
    for (contact, value), said in cases.items():
        page = ask(client, badge, {"contact": contact, contact: value})
        assert page.status_code == 422 and said in words(page), (contact, value)
        assert read(page).by_id(contact)["aria-invalid"] == "true"
    assert stored_requests(app) == []


def test_a_text_too_long_says_by_how_much(client: TestClient, badge: str) -> None:
    page = ask(client, badge, {"narrative": "é" * 5003})
    assert page.status_code == 422 and "Ce texte est trop long : 5\u202f000 caractères au plus (il en a 5\u202f003)." \
        in words(page)
    assert read(page).textareas["narrative"] == "é" * 5003


def test_a_refused_file_is_named_and_said_in_french(client: TestClient, app: Any, badge: str) -> None:
    files = [("IMG_2031.jpg", phone_photo(), "image/jpeg"), ("anim.gif", gif(), "image/gif")]
    page = ask(client, badge, files=files)
    assert page.status_code == 422 and stored_requests(app) == []
    assert ("«\u00a0anim.gif\u00a0» : Les fichiers GIF ne sont pas acceptés : envoyez une photo (JPEG, PNG, WebP ou "
            "HEIC), un PDF ou un texte brut.") in words(page)
    assert read(page).by_id("evidence")["aria-invalid"] == "true"
    english = send(client, _path(badge), {**GOOD, "lang": "en"}, files=files)
    assert "“anim.gif”: GIF files are not accepted" in words(english)


def test_a_pdf_and_a_short_text_are_evidence_too(client: TestClient, app: Any, badge: str) -> None:
    token_of(ask(client, badge, {"text_evidence": "Fatou, de l'atelier, peut en parler."},
                 files=[("affiche.pdf", PDF, "application/pdf")]))
    kinds = sorted(e.kind for e in evidence_of(app, stored_requests(app)[0].id))
    assert kinds == ["pdf", "text"]


def test_more_than_eight_files_are_refused_in_words(client: TestClient, app: Any, badge: str) -> None:
    photo = phone_photo()
    page = ask(client, badge, files=[(f"photo-{n}.jpg", photo, "image/jpeg") for n in range(9)])
    assert page.status_code == 422 and "8 fichiers au plus à la fois." in words(page) and stored_requests(app) == []


def test_a_collective_request_names_its_group_and_members(client: TestClient, app: Any, badge: str,
                                                         key: dict[str, str]) -> None:
    token_of(ask(client, badge, {"kind": "collective", "group_name": "Les couturières du jeudi",
                                 "members": "Awa\r\n\r\n  Inès <ines@exemple.fr>  \r\nSylvie <>\r\n"}))
    [row] = stored_requests(app)
    assert (row.kind, row.group_name) == ("collective", "Les couturières du jeudi")
    assert row.members == [{"name": "Awa"}, {"name": "Inès", "email": "ines@exemple.fr"}, {"name": "Sylvie"}]
    review = client.get(f"/api/v1/requests/{row.id}", headers=key).json()
    assert review["members"] == ["Awa", "Inès", "Sylvie"]


def test_a_collective_request_needs_a_group_name_and_valid_members(client: TestClient, app: Any,
                                                                   badge: str) -> None:
    page = ask(client, badge, {"kind": "collective", "group_name": "", "members": ""})
    text = words(page)
    assert page.status_code == 422 and "Écrivez le nom du groupe." in text
    assert "Écrivez les membres du groupe, un par ligne." in text and read(page).checked("kind") == ["collective"]
    page = ask(client, badge, {"kind": "collective", "group_name": "Atelier", "members": "Awa\n\nInès <ines@>"})
    assert "Ligne 3 : cette adresse e-mail n'est pas valide." in words(page)
    assert read(page).textareas["members"] == "Awa\n\nInès <ines@>"
    assert stored_requests(app) == []


def test_group_fields_left_filled_do_not_make_a_request_collective(client: TestClient, app: Any,
                                                                  badge: str) -> None:
    token_of(ask(client, badge, {"kind": "individual", "group_name": "Atelier", "members": "Awa"}))
    [row] = stored_requests(app)
    assert (row.kind, row.group_name, row.members) == ("individual", None, [])


def test_a_missing_badge_or_organisation_is_said_in_words(client: TestClient, key: dict[str, str],
                                                          badge: str) -> None:
    draft = client.post("/api/v1/achievements", json={**BADGE, "name": "Brouillon"}, headers=key).json()["id"]
    for path in (_path("x" * 22), _path(draft), f"/demander/ailleurs/{badge}"):
        page = client.get(path)
        assert page.status_code == 404 and read(page).title == "Erreur : Page introuvable — savoirs", path
        assert "Vérifiez le lien reçu." in words(page) and 'role="alert"' in page.text


def test_a_closed_form_says_so_plainly_and_takes_nothing(client: TestClient, app: Any, badge: str,
                                                         key: dict[str, str]) -> None:
    form_page = client.get(_path(badge))
    assert client.patch("/api/v1/committee/settings", json={"requests_open": False}, headers=key).status_code == 200
    page = client.get(_path(badge))
    assert page.status_code == 200 and read(page).title == "Les demandes sont fermées — savoirs"
    assert "Centre social du Puchot ne reçoit pas de demandes en ce moment." in words(page)
    assert "<form" not in page.text
    late = ask(client, badge, page=form_page)  # the form was open when the page was opened
    assert late.status_code == 409 and "ne reçoit pas de demandes en ce moment" in words(late)
    assert stored_requests(app) == []


def test_a_badge_written_in_another_language_is_marked_as_such(client: TestClient, key: dict[str, str]) -> None:
    english = publish(client, key, {"name": "Sewing", "description": "Sewing together.", "language": "en",
                                    "criteria": {"narrative": "Sewed three times."}, "levels": [{"name": "I act"}]})
    page = client.get(_path(english))
    assert '<p class="badge-name" lang="en">Sewing</p>' in page.text
    assert '<p class="text" lang="en">Sewing together.</p>' in page.text and 'lang="en">I act</label>' in page.text
    assert 'lang="en"' not in client.get(_path(english), params={"lang": "en"}).text.split("<main")[1]


def test_control_characters_nobody_types_are_left_out(client: TestClient, app: Any, badge: str) -> None:
    token_of(ask(client, badge, {"name": "Syl\x00vie", "narrative": "J'ai cousu\x07 des rideaux.\r\nEt des nappes."}))
    [row] = stored_requests(app)
    assert (row.requester_name, row.narrative) == ("Sylvie", "J'ai cousu des rideaux.\nEt des nappes.")
