"""What a result page shows, without HTTP: a typed report, a language and a moment in, a view (or a page) out.

Three states a person must tell apart: valid and issuer confirmed (green), a genuine signature whose issuer is not
confirmed (amber), not valid (red); each page's verdict takes the focus on load and its title says the verdict.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from app.errors import SavoirsError
from app.pages.render import failure_page, render
from app.pages.view import ResultView, result_view, with_uploaded_image
from app.signing.errors import SigningError
from app.verify.errors import UnusableInput
from app.verify.report import Check, CheckId, Outcome, Report, Status, Trust
from app.verify.verdict import Verdict

NOW = datetime(2026, 12, 1, tzinfo=UTC)
PASSED, FAILED, WARNING = Outcome.PASSED, Outcome.FAILED, Outcome.WARNING
GENUINE = {CheckId.FORMAT: PASSED, CheckId.PROOF: PASSED, CheckId.ISSUER: PASSED, CheckId.VALIDITY: PASSED,
           CheckId.STATUS: PASSED}
FORM = {"url": "", "recipient": ""}


def _report(outcomes: dict[CheckId, Outcome] | None = None, **fields: Any) -> Report:
    """A report of an OB 3.0 badge issued on 24 November 2026, valid until 24 November 2027."""
    checks = [Check(check, outcome, f"{check} in English.", f"{check} en français.")
              for check, outcome in (GENUINE if outcomes is None else outcomes).items()]
    base: dict[str, Any] = {
        "format": "ob3-data-integrity", "credential_id": "https://x.example/c/1", "status": Status.ACTIVE,
        "issuer": {"id": "did:web:x.example", "name": "Centre social du Puchot", "url": "https://puchot.example",
                   "image": None},
        "achievement": {"id": "https://x.example/a/1", "name": "Cuisine du monde", "description": "Partager.",
                        "image": "https://x.example/a/1.png", "criteria": {"narrative": "A agi.", "url": None},
                        "level": "J'agis", "narrative": None},
        "issued": "2026-11-24T10:00:00Z", "expires": "2027-11-24T10:00:00Z", "checks": checks,
    }
    return Report(**{**base, **fields})


def _unconfirmed(**fields: Any) -> Report:
    """A genuine signature with a key no document of the issuer lists (e.g. a VC-JWT ``jwk`` header)."""
    report = _report({CheckId.FORMAT: PASSED, CheckId.PROOF: PASSED}, **fields)
    report.unconfirmed("The signing key could not be tied to the issuer.",
                       "La clé de signature n'a pas pu être rattachée à l'émetteur.")
    report.checks += [Check(CheckId.VALIDITY, PASSED, "Within its dates.", "Dans sa période de validité."),
                      Check(CheckId.STATUS, Outcome.SKIPPED, "Not looked up.", "Non consulté.")]
    return report


def _failing(check: CheckId) -> dict[CheckId, Outcome]:
    return {**GENUINE, check: FAILED}


def _view(report: Report, lang: str = "fr") -> ResultView:
    return result_view(report, "en" if lang == "en" else "fr", NOW)


def test_a_valid_badge_is_genuine_with_its_details_in_words() -> None:
    view = _view(_report())
    assert (view.kind, view.tone, view.icon, view.valid) == (Verdict.VALID, "ok", "✔", True)
    assert view.headline == "Ce badge est authentique et valide"
    assert (view.name, view.issuer_name, view.issuer_url) == ("Cuisine du monde", "Centre social du Puchot",
                                                              "https://puchot.example")
    assert (view.issued, view.expires) == ("24 novembre 2026", "24 novembre 2027")
    assert view.status == "Actif : non révoqué (l'organisme ne publie pas de suspension)"
    assert [(c.name, c.outcome_label, c.icon) for c in view.checks][:2] == [("Format du badge", "Réussi", "✔"),
                                                                            ("Signature", "Réussi", "✔")]
    assert view.checks[1].message == "proof en français."
    assert view.caution is None


def test_a_tampered_badge_is_not_valid_and_says_which_check_failed() -> None:
    view = _view(_report(_failing(CheckId.PROOF)))
    assert (view.kind, view.tone, view.valid) == (Verdict.INVALID, "bad", False)
    assert view.headline == "Ce badge n'est PAS valide"
    assert [(c.name, c.outcome, c.outcome_label, c.icon) for c in view.checks if c.outcome == "failed"] == [
        ("Signature", "failed", "Échoué", "✘")]
    assert view.caution == "Attention : comme le badge n'est pas valide, ces informations ne sont pas garanties."


def test_a_genuine_signature_whose_issuer_is_not_confirmed_is_amber_and_says_to_ask_them() -> None:
    report = _unconfirmed()
    assert report.trust == Trust.UNCONFIRMED and report.verified is False
    view = _view(report)
    assert (view.kind, view.tone, view.icon, view.valid) == (Verdict.UNCONFIRMED, "warn", "?", False)
    assert view.headline == "Signature authentique, mais organisme non confirmé"
    assert view.explanation.startswith("La signature est authentique, mais nous n'avons pas pu vérifier qu'elle "
                                       "vient bien de l'organisation indiquée. Demandez-lui de confirmer")
    assert view.caution == "Attention : comme l'organisme n'est pas confirmé, ces informations ne sont pas garanties."
    assert [(c.name, c.outcome_label, c.message) for c in view.checks if c.outcome == "failed"] == [
        ("Organisme émetteur", "Échoué", "La clé de signature n'a pas pu être rattachée à l'émetteur.")]
    assert ("Signature", "passed") in [(c.name, c.outcome) for c in view.checks]
    assert (view.name, view.issuer_name, view.status) == ("Cuisine du monde", "Centre social du Puchot", "Actif : "
                                                          "non révoqué (l'organisme ne publie pas de suspension)")


def test_a_genuine_signature_whose_issuer_is_not_confirmed_in_english() -> None:
    view = _view(_unconfirmed(), "en")
    assert (view.kind, view.tone) == (Verdict.UNCONFIRMED, "warn")
    assert view.headline == "Genuine signature, but the organisation is not confirmed"
    assert view.explanation.startswith("The signature is genuine, but we could not check that it really comes from "
                                       "the organisation named. Ask them to confirm")
    assert view.caution == "Careful: since the organisation is not confirmed, this information is not guaranteed."
    assert [c.message for c in view.checks if c.outcome == "failed"] == [
        "The signing key could not be tied to the issuer."]


def test_revocation_and_expiry_still_win_over_an_unconfirmed_issuer() -> None:
    assert _view(_unconfirmed(status=Status.ACTIVE).with_issuer_suspension()).kind == Verdict.SUSPENDED
    expired = _unconfirmed(expires="2026-11-30T10:00:00Z")
    expired.checks.append(Check(CheckId.VALIDITY, FAILED, "Expired.", "Expiré."))
    assert (_view(expired).kind, _view(expired).headline) == (Verdict.EXPIRED, "Ce badge a expiré")


def _html(view: ResultView, lang: str = "fr") -> str:
    return bytes(render("verify.html", "en" if lang == "en" else "fr", result=view).body).decode()


@pytest.mark.parametrize(("state", "lang", "tone", "icon", "headline"), [
    ("confirmed", "fr", "ok", "✔", "Ce badge est authentique et valide"),
    ("unconfirmed", "fr", "warn", "?", "Signature authentique, mais organisme non confirmé"),
    ("invalid", "fr", "bad", "✘", "Ce badge n&#39;est PAS valide"),
    ("confirmed", "en", "ok", "✔", "This badge is genuine and valid"),
    ("unconfirmed", "en", "warn", "?", "Genuine signature, but the organisation is not confirmed"),
    ("invalid", "en", "bad", "✘", "This badge is NOT valid"),
])
def test_each_state_has_its_colour_its_words_the_focus_and_the_title(state: str, lang: str, tone: str, icon: str,
                                                                     headline: str) -> None:
    report = {"confirmed": _report(), "unconfirmed": _unconfirmed(), "invalid": _report(_failing(CheckId.PROOF))}[
        state]
    assert report.trust == state
    html = _html(_view(report, lang), lang)
    assert f'<html lang="{lang}">' in html
    assert (f'<section class="verdict verdict-{tone}" aria-labelledby="verdict-title" tabindex="-1" autofocus>'
            in html)  # the verdict takes the focus when the page loads (no script)
    verdict_title = re.search(r'<h2 id="verdict-title"[^>]*>(.*?)</h2>', html, re.S)
    assert verdict_title is not None and f'aria-hidden="true">{icon}</span>' in verdict_title.group(1)
    assert f'<span class="verdict-text">{headline}</span>' in verdict_title.group(1)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None and title.group(1).startswith(headline + " — "), title
    assert html.index('role="status"') < html.index('<h2 id="verdict-title"')  # announced as a status


def test_a_revoked_badge_says_it_was_withdrawn() -> None:
    view = _view(_report(_failing(CheckId.STATUS), status=Status.REVOKED))
    assert (view.kind, view.tone) == (Verdict.REVOKED, "bad")
    assert view.headline == "Ce badge a été révoqué"
    assert view.status == "Révoqué (retiré par l'organisme)"


def test_a_badge_its_issuer_suspended_says_so_until_lifted() -> None:
    view = _view(_report().with_issuer_suspension())
    assert (view.kind, view.tone, view.valid) == (Verdict.SUSPENDED, "warn", False)
    assert view.headline == "Ce badge est suspendu"
    assert view.status == "Suspendu pour le moment"
    assert view.checks[-1].message == "L'émetteur a suspendu ce badge pour le moment."


def test_an_expired_genuine_badge_says_it_expired() -> None:
    view = _view(_report(_failing(CheckId.VALIDITY), expires="2026-11-30T10:00:00Z"))
    assert (view.kind, view.tone) == (Verdict.EXPIRED, "warn")
    assert view.headline == "Ce badge a expiré"


def test_a_genuine_badge_not_valid_yet_says_so() -> None:
    view = _view(_report(_failing(CheckId.VALIDITY), issued="2027-01-01T00:00:00Z"))
    assert (view.kind, view.headline) == (Verdict.NOT_YET, "Ce badge n'est pas encore valide")


def test_a_genuine_badge_of_someone_else_says_it_was_not_awarded_to_this_address() -> None:
    view = _view(_report(_failing(CheckId.RECIPIENT)))
    assert (view.kind, view.recipient_check) == (Verdict.RECIPIENT, "failed")
    assert view.headline == "Ce badge n'a pas été décerné à cette adresse e-mail"


def test_dates_are_judged_when_the_badge_was_checked_unless_told_otherwise() -> None:
    report = _report(_failing(CheckId.VALIDITY), expires="2026-11-30T10:00:00Z", checked_at=NOW)
    assert result_view(report, "fr").kind == Verdict.EXPIRED
    assert result_view(report, "fr", datetime(2026, 11, 28, tzinfo=UTC)).kind == Verdict.INVALID


def test_unusable_input_shows_its_reason_with_422() -> None:
    page = failure_page("fr", UnusableInput(), form=FORM)
    assert page.status_code == 422
    assert "Ce n&#39;est pas un Open Badge lisible" in bytes(page.body).decode()


def test_our_own_failure_is_a_friendly_500_without_details() -> None:
    for exc in (SigningError("secret detail", "détail secret"), SavoirsError()):
        page = failure_page("fr", exc, form=FORM)
        html = bytes(page.body).decode()
        assert page.status_code == 500
        assert "Une erreur s&#39;est produite de notre côté. Réessayez plus tard." in html
        assert "secret" not in html and "Traceback" not in html


def test_english() -> None:
    view = _view(_report(), "en")
    assert view.headline == "This badge is genuine and valid"
    assert (view.issued, view.status) == ("24 November 2026",
                                          "Active: not revoked (the organisation publishes no suspension)")
    assert (view.checks[0].name, view.checks[0].outcome_label, view.checks[0].message) == (
        "Badge format", "Passed", "format in English.")


def test_warnings_are_notes_not_checks() -> None:
    view = _view(_report({**GENUINE, CheckId.SCHEMA: WARNING}))
    assert (view.kind, view.warnings) == (Verdict.VALID, ("schema en français.",))
    assert "Structure du badge" not in [c.name for c in view.checks]


def test_unsafe_image_addresses_are_not_shown_but_an_uploaded_baked_png_is() -> None:
    report = _report(format="ob3-data-integrity+baked-png",
                     achievement={"name": "Cuisine du monde", "image": "javascript:alert(1)"})
    view = _view(report)
    assert view.image is None
    assert with_uploaded_image(view, report, b"\x89PNG").image == "data:image/png;base64,iVBORw=="


def test_an_active_badge_whose_suspension_was_read_says_neither_revoked_nor_suspended() -> None:
    from dataclasses import replace

    view = _view(replace(_report(), suspension_checked=True))
    assert view.status == "Actif : ni révoqué ni suspendu"
