"""The one error tree: every error class we raise, with its HTTP status and code; our own failures are 5xx."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

import app
from app.errors import SavoirsError
from app.models import Award, SigningKey
from tests.conftest import bearer

#: class name → (status, code). A new error class fails this table until it is listed here.
TABLE: dict[str, tuple[int, str]] = {
    "SavoirsError": (500, "internal_error"),
    "BadRequest": (400, "bad_request"),
    "InvalidInput": (422, "invalid_input"),
    "IdempotencyMismatch": (422, "idempotency_key_reused"),
    "UnsupportedMediaType": (415, "unsupported_media_type"),
    "Unauthorised": (401, "unauthorised"),
    "Forbidden": (403, "forbidden"),
    "NotFound": (404, "not_found"),
    "CredentialPrivate": (404, "credential_private"),
    "NotAcceptable": (406, "not_acceptable"),
    "Conflict": (409, "conflict"),
    "Gone": (410, "gone"),
    "BackpackAddressInvalid": (400, "backpack_address_invalid"),
    "BackpackUnreachable": (502, "backpack_unreachable"),
    "BackpackRefused": (502, "backpack_refused"),
    "Busy": (503, "verifier_busy"),
    "BackpacksBusy": (503, "backpacks_busy"),
    "RegistrationUnknown": (502, "backpack_refused"),
    "PayloadTooLarge": (413, "payload_too_large"),
    "TooManyRequests": (429, "too_many_requests"),
    "ServiceUnavailable": (503, "service_unavailable"),
    "SigningUnavailable": (503, "signing_unavailable"),
    "Misconfigured": (503, "misconfigured"),
    "NotAnImage": (422, "invalid_image"),
    # the caller's badge data: images, baked badges, status lists, input the verifier cannot read
    "BadgeInputError": (422, "invalid_badge_input"),
    "ImageRejected": (422, "invalid_image"),
    "BakingError": (422, "invalid_baked_badge"),
    "BitstringError": (422, "status_list_error"),
    "UnusableInput": (422, "unusable_input"),
    "StepFailed": (422, "check_failed"),
    "KeyNotFound": (422, "check_failed"),
    # a fetch of someone else's document failed
    "FetchError": (502, "fetch_failed"),
    # signing and proof errors escaping to a caller are our own failure (the verifier reports them as checks)
    "SigningError": (500, "signing_error"),
    "UnsupportedAlgorithmError": (500, "unsupported_algorithm"),
    "UnknownContextError": (500, "unknown_context"),
    "UndefinedTermError": (500, "undefined_term"),
    "CanonicalisationLimitError": (500, "canonicalisation_limit"),
    "InvalidKeyError": (500, "invalid_key"),
    "MalformedProofError": (500, "malformed_proof"),
    "MalformedTokenError": (500, "malformed_token"),
    "BadSignatureError": (500, "bad_signature"),
    "InvalidJsonLdError": (500, "invalid_jsonld"),
    "UnportableOrderError": (500, "unportable_order"),
    "UnsealError": (500, "unseal_failed"),
    # evidence files (a resident's upload we refuse)
    "UploadRejected": (422, "invalid_upload"),
    # sending email: a job's temporary failure, or a refusal for good (never an answer to a caller)
    "MailNotSent": (503, "mail_not_sent"),
    "PermanentJobError": (500, "job_failed_for_good"),
    "MailRefused": (500, "mail_refused"),
    # a browser without a session is sent to the sign-in page
    "SigninRedirect": (303, "signin_required"),
}


def _subclasses(cls: type[SavoirsError]) -> Iterator[type[SavoirsError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _every_error_class() -> dict[str, type[SavoirsError]]:
    for module in pkgutil.walk_packages(app.__path__, "app."):
        if module.name != "app.asgi":  # builds the application from the environment
            importlib.import_module(module.name)
    classes = {SavoirsError, *_subclasses(SavoirsError)}
    return {cls.__name__: cls for cls in classes if cls.__module__.startswith("app.")}


def test_every_error_class_is_in_the_table() -> None:
    assert sorted(_every_error_class()) == sorted(TABLE)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_error_class_has_its_status_code_and_both_messages(name: str) -> None:
    cls = _every_error_class()[name]
    assert (cls.status, cls.code) == TABLE[name]
    assert cls.message_en and cls.message_fr and cls.message_en != cls.message_fr


def test_an_error_is_ours_exactly_when_it_answers_5xx() -> None:
    from app.errors import InvalidInput, SigningUnavailable
    from app.signing.sealing import UnsealError

    assert [e.is_ours for e in (SavoirsError(), SigningUnavailable(), UnsealError(), InvalidInput())] == \
        [True, True, True, False]


BADGE = {"name": "Radio", "description": "Animer une émission.", "criteria": {"narrative": "A animé."}}


def test_a_corrupted_signing_key_is_our_failure_500_not_the_callers_and_stores_nothing(
        client: TestClient, make_org: Any, app: Any) -> None:
    token = make_org("puchot")["api_key"]["token"]
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    with app.state.db.transaction() as session:
        session.execute(update(SigningKey).where(SigningKey.algorithm == "Ed25519")
                        .values(sealed_private_key=b"\0" * 64))
    response = client.post(f"/api/v1/achievements/{created['id']}/awards", json={"recipient": {"email": "a@b.fr"}},
                           headers=bearer(token))
    assert response.status_code == 500
    assert response.json()["code"] == "unseal_failed"
    assert response.headers["content-type"] == "application/problem+json"
    with app.state.db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Award)) == 0


def _failing_client(settings: Any) -> TestClient:
    """The application with one extra route that fails in a way nobody foresaw."""
    from app.main import create_app
    from tests.conftest import BASE_URL

    application = create_app(settings)

    def broken() -> None:
        raise RuntimeError("secret detail /srv/app.py")

    application.add_api_route("/broken", broken)
    return TestClient(application, base_url=BASE_URL, raise_server_exceptions=False)


def test_an_unforeseen_failure_is_a_500_problem_without_details(settings: Any) -> None:
    response = _failing_client(settings).get("/broken")
    assert response.status_code == 500 and response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "internal_error" and "secret" not in response.text


def test_an_unforeseen_failure_shows_browsers_a_plain_french_page(settings: Any) -> None:
    response = _failing_client(settings).get("/broken", headers={"Accept": "text/html"})
    assert response.status_code == 500 and response.headers["content-type"].startswith("text/html")
    assert "de notre côté" in response.text and "secret" not in response.text
