"""One entry point for every badge: a URL, a JSON document, a compact JWS/JWT, or a baked PNG/SVG file.

The input's form is detected, the matching verifier runs with one :class:`SafeFetcher` (every URL it fetched goes
into the report), and one normalised :class:`Report` comes back. Input that is no badge at all raises
:class:`UnusableInput`; a badge that fails a check is a report with ``verified: false``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app import strict_json
from app.badges import baking
from app.badges.errors import BadgeInputError
from app.badges.images import sniff
from app.verify.documents import json_object
from app.verify.errors import StepFailed, UnusableInput
from app.verify.fetch import FetchError, FetchPolicy, SafeFetcher
from app.verify.ob2 import describe_gone, is_ob2, verify_ob2_document, verify_ob2_jws
from app.verify.ob3 import Verification, verify_credential, verify_vc_jwt
from app.verify.report import CheckId, Report

__all__ = ["verify"]

INPUT_TYPES = ("application/ld+json", "application/json", "application/vc+ld+json", "application/vc",
               "application/jwt", "application/vc+jwt", "text/plain", "image/png", "image/svg+xml")
MAX_INPUT_BYTES = 5 * 1024 * 1024


def _json_object(text: str) -> dict[str, Any]:
    try:
        document = strict_json.loads(text)
    except strict_json.JSONRefused as exc:
        raise UnusableInput("The JSON cannot be read.", "Le JSON est illisible.") from exc
    if not isinstance(document, dict):
        raise UnusableInput("The JSON is not an object.", "Le JSON n'est pas un objet.")
    return document


def _document(document: dict[str, Any], report: Report, ctx: Verification, *, url: str | None = None) -> None:
    if is_ob2(document):
        verify_ob2_document(document, report, ctx, url=url)
    else:
        verify_credential(document, report, ctx)


def _token(token: str, report: Report, ctx: Verification) -> None:
    try:
        version, _ = baking.payload_version(token)
    except BadgeInputError as exc:
        raise UnusableInput() from exc
    if version == "ob2":
        verify_ob2_jws(token, report, ctx)
    else:
        verify_vc_jwt(token, report, ctx)


def _text(text: str, report: Report, ctx: Verification) -> None:
    value = text.strip()
    if value.startswith("{"):
        _document(_json_object(value), report, ctx)
    elif value.startswith(("https://", "http://")):
        _url(value, report, ctx)
    elif value.count(".") in (2, 4) and len(value) > 10:
        _token(value, report, ctx)
    else:
        raise UnusableInput()


def _baked(data: bytes, report: Report, ctx: Verification) -> None:
    found = baking.unbake(data)  # ImageRejected / BakingError: 422 with the reason
    _text(found.payload, report, ctx)
    report.format += "+baked-" + ("png" if found.media_type == "image/png" else "svg")


def _url(url: str, report: Report, ctx: Verification) -> None:
    try:
        fetched = ctx.fetcher.get(url, accept="application/ld+json, application/json;q=0.9, application/jwt;q=0.8, "
                                  "image/png;q=0.5, image/svg+xml;q=0.5, text/plain;q=0.3",
                                  allowed_types=INPUT_TYPES, allow_gone=True)
    except FetchError as exc:
        report.format = "url"
        report.failed(CheckId.FORMAT, f"The badge could not be fetched: {exc.message_en}",
                      f"Le badge n'a pas pu être récupéré : {exc.message_fr}")
        return
    if fetched.status == 410:
        try:
            body = json_object(fetched.content, "revoked assertion", "L'assertion révoquée")
        except StepFailed:
            body = {}  # a 410 with any body: revoked
        describe_gone(url, body, report)
        return
    if fetched.media_type in ("image/png", "image/svg+xml"):
        _baked(fetched.content, report, ctx)
        return
    try:
        text = fetched.content.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise UnusableInput("The document at this address is not UTF-8 text.",
                            "Le document à cette adresse n'est pas du texte UTF-8.") from exc
    if text.startswith("{"):
        _document(_json_object(text), report, ctx, url=url)
    else:
        _token(text, report, ctx)


def _file(data: bytes, report: Report, ctx: Verification) -> None:
    if len(data) > MAX_INPUT_BYTES:
        raise UnusableInput("The file is larger than 5 MiB.", "Le fichier dépasse 5 Mio.")
    try:
        sniff(data)
    except BadgeInputError:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnusableInput() from exc
        _text(text, report, ctx)
        return
    _baked(data, report, ctx)


def verify(*, url: str | None = None, credential: dict[str, Any] | None = None, text: str | None = None,
           data: bytes | None = None, policy: FetchPolicy, now: datetime, recipient: str | None = None,
           fetcher: SafeFetcher | None = None) -> Report:
    """Verify exactly one input.

    :param url: a badge URL (OB 2.0 hosted assertion, OB 3.0 credential, or a baked image).
    :param credential: a JSON document (OB 2.0 assertion or OB 3.0 credential).
    :param text: JSON, a compact JWS/JWT, or a URL, as text.
    :param data: a file: baked PNG/SVG, or JSON/JWS text.
    :param policy: the outbound fetch policy (loopback allowed only in tests and development).
    :param now: the moment validity dates are judged at.
    :param recipient: an email or identifier to check against the recipient's published (hashed) identity.
    :param fetcher: the outbound client to use (default: a fresh one for ``policy``; tests route hosts with it).
    :returns: the report, its ``checked_at`` set to ``now``.
    :raises UnusableInput: not a badge in any form we read; ``ImageRejected``/``BakingError`` for bad images.
    """
    if sum(v is not None for v in (url, credential, text, data)) != 1:
        raise UnusableInput("Give exactly one badge to verify.", "Donnez exactement un badge à vérifier.")
    report = Report(checked_at=now)
    with fetcher or SafeFetcher(policy) as client:
        ctx = Verification(client, now, recipient)
        try:
            if url is not None:
                _url(url, report, ctx)
            elif credential is not None:
                _document(credential, report, ctx)
            elif text is not None:
                _text(text, report, ctx)
            elif data is not None:
                _file(data, report, ctx)
        finally:
            report.fetched = list(dict.fromkeys([*report.fetched, *client.fetched]))
    return report
