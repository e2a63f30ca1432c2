"""Verifying Open Badges 2.0 assertions: hosted (the issuer's own copy, inside its verification scope) and signed
(a JWS checked with a CryptographicKey the issuer lists), with revocation (410 Gone, RevocationList).

The issuer profile that vouches for a signing key (``publicKey``) or widens the hosted verification scope
(``verification``) is always the document served at the issuer's own http(s) id (threat T3): an embedded copy is
re-fetched from its id, as the 1EdTech validator does, and a document whose ``id`` is not the address it is served
at is never taken as the issuer's own.

A signed assertion whose signature holds with the key it names, but which the issuer's profile does not declare
(or whose profile cannot be read), is *unconfirmed*: its dates and recipient are checked, its revocation list is not
looked up. A signing key that cannot be fetched is a fetch failure, never a bad signature.

Unlike the 1EdTech validator, a 410 or a ``revoked`` body is reported as revoked, and a RevocationList with a
single (compacted) entry is read correctly.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from app.badges import identity
from app.signing.errors import SigningError
from app.signing.jose_verify import parse_compact, verify_signature
from app.signing.keys import load_public_key_pem
from app.verify.dates import parse_datetime
from app.verify.documents import evidence_of, json_object, member, objects, origin, strings, text, types_of
from app.verify.errors import StepFailed
from app.verify.fetch import Fetched, FetchError
from app.verify.keys import key_unavailable
from app.verify.ob3 import Verification
from app.verify.report import CheckId, Outcome, Report, Status

__all__ = ["OB2_CONTEXTS", "describe_gone", "is_ob2", "verify_ob2_document", "verify_ob2_jws"]

OB2_CONTEXTS = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")
JSON_TYPES = ("application/ld+json", "application/json")
_SKEW = timedelta(minutes=5)


def is_ob2(document: dict[str, Any]) -> bool:
    context = document.get("@context")
    return any(c in OB2_CONTEXTS for c in (context if isinstance(context, list) else [context]))


def _get_json(ctx: Verification, url: Any, what_en: str, what_fr: str, *, allow_gone: bool = False,
              key: bool = False) -> tuple[dict[str, Any], int]:
    """The JSON object at ``url``; ``key``: it is the signing key, whose fetch failure is worded as such."""
    if not isinstance(url, str):
        raise StepFailed(f"The {what_en} has no URL.", f"{what_fr} n'a pas d'adresse.")
    try:
        fetched: Fetched = ctx.fetcher.get(url, accept=", ".join(JSON_TYPES), allowed_types=JSON_TYPES,
                                           allow_gone=allow_gone)
    except FetchError as exc:
        if key:
            raise key_unavailable(url, exc, what_en) from exc
        raise StepFailed(f"The {what_en} could not be fetched: {exc.message_en}",
                         f"{what_fr} n'a pas pu être récupéré(e) : {exc.message_fr}") from exc
    return (json_object(fetched.content, what_en, what_fr) if fetched.content else {}), fetched.status


def _node(ctx: Verification, value: Any, kind: str, what_en: str, what_fr: str) -> dict[str, Any]:
    """A linked node: embedded object or URL to fetch; its type must be ``kind``."""
    document = value if isinstance(value, dict) else _get_json(ctx, value, what_en, what_fr)[0]
    if kind not in types_of(document) and not (kind == "Issuer" and "Profile" in types_of(document)):
        raise StepFailed(f"The {what_en} is not of type {kind}.", f"{what_fr} n'est pas de type {kind}.")
    return document


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def _issuer_profile(ctx: Verification, value: Any, report: Report) -> dict[str, Any]:
    """The issuer profile as its issuer publishes it: the document served at the profile's own http(s) id.

    An embedded profile with an http(s) id is re-fetched from that id. A URL serving a document with another
    http(s) id is a copy: the profile at that id is fetched instead. The document fetched from the id must carry
    that very id, or it is refused. An embedded profile without an http(s) id is only shown: it vouches for no key
    and widens no verification scope.
    """
    what_en, what_fr = "issuer profile", "Le profil de l'émetteur"
    if isinstance(value, dict) and not _is_url(value.get("id")):
        shown = {k: v for k, v in value.items() if k not in ("publicKey", "verification")}
        return _node(ctx, shown, "Issuer", what_en, what_fr)
    served_at = value.get("id") if isinstance(value, dict) else value
    document, _ = _get_json(ctx, served_at, what_en, what_fr)
    if isinstance(value, str) and document.get("id") != value and _is_url(document.get("id")):
        report.warning(CheckId.ISSUER, "The issuer profile was given at another address than its id: the profile "
                       "published at its id was used.", "Le profil de l'émetteur a été donné à une autre adresse que "
                       "son identifiant : le profil publié à son identifiant a été utilisé.")
        served_at = document["id"]
        document, _ = _get_json(ctx, served_at, what_en, what_fr)
    if document.get("id") != served_at:
        raise StepFailed("The issuer profile's id is not the address it is served at: it is not the issuer's own.",
                         "L'identifiant du profil de l'émetteur n'est pas l'adresse où il est publié : ce n'est pas "
                         "celui de l'émetteur.")
    return _node(ctx, document, "Issuer", what_en, what_fr)


def _image(value: Any) -> str | None:
    return text(value.get("id")) if isinstance(value, dict) else text(value)


def _describe(assertion: dict[str, Any], badge: dict[str, Any], issuer: dict[str, Any], report: Report) -> None:
    criteria = badge.get("criteria")
    criteria = criteria if isinstance(criteria, dict) else {"id": criteria}
    report.credential_id = text(assertion.get("id"))
    report.evidence = evidence_of(assertion.get("evidence"))
    report.issuer = {"id": text(issuer.get("id")), "name": text(issuer.get("name")), "url": text(issuer.get("url")),
                     "image": _image(issuer.get("image"))}
    report.achievement = {"id": text(badge.get("id")), "name": text(badge.get("name")),
                          "description": text(badge.get("description")), "image": _image(badge.get("image")),
                          "criteria": {"narrative": text(criteria.get("narrative")), "url": text(criteria.get("id"))},
                          "level": None, "narrative": text(assertion.get("narrative"))}
    recipient = assertion.get("recipient")
    if isinstance(recipient, dict):
        report.recipient = [{"identityType": text(recipient.get("type")), "hashed": recipient.get("hashed") is True,
                             "identityHash": text(recipient.get("identity"))}]
    report.issued, report.expires = text(assertion.get("issuedOn")), text(assertion.get("expires"))


def _check_dates(assertion: dict[str, Any], report: Report, now: datetime) -> None:
    issued = parse_datetime(assertion.get("issuedOn"))
    expires_raw = assertion.get("expires")
    expires = parse_datetime(expires_raw)
    if issued is None:
        report.failed(CheckId.VALIDITY, "issuedOn is missing or has no time zone.",
                      "issuedOn manque ou n'a pas de fuseau horaire.")
    elif issued > now + _SKEW:
        report.failed(CheckId.VALIDITY, "The badge is dated in the future.", "Le badge est daté dans le futur.")
    elif expires_raw is not None and expires is None:
        report.failed(CheckId.VALIDITY, "expires is not a date with a time zone.",
                      "expires n'est pas une date avec fuseau horaire.")
    elif expires is not None and expires < now:
        report.failed(CheckId.VALIDITY, f"The badge expired on {expires:%Y-%m-%d}.",
                      f"Le badge a expiré le {expires:%d/%m/%Y}.")
    else:
        report.passed(CheckId.VALIDITY, "The badge is within its validity dates.",
                      "Le badge est dans sa période de validité.")


def _check_recipient(assertion: dict[str, Any], report: Report, candidate: str | None) -> None:
    recipient = assertion.get("recipient")
    if not candidate or not isinstance(recipient, dict) or not isinstance(recipient.get("identity"), str):
        return
    if identity.recipient_matches(recipient["identity"], candidate, text(recipient.get("salt")),
                                  hashed=recipient.get("hashed") is True):
        report.passed(CheckId.RECIPIENT, "The badge was awarded to this person.",
                      "Le badge a été décerné à cette personne.")
    else:
        report.failed(CheckId.RECIPIENT, "The badge was not awarded to this person.",
                      "Le badge n'a pas été décerné à cette personne.")


def _in_scope(assertion_id: str, issuer: dict[str, Any]) -> bool:
    """OB 2.0 hosted verification scope: the issuer's origin by default, or its VerificationObject's rules."""
    policy = member(issuer, "verification")
    starts = policy.get("startsWith")
    if starts is not None and not any(assertion_id.startswith(p) for p in strings(starts)):
        return False
    allowed = policy.get("allowedOrigins")
    if allowed is not None:
        try:
            return urlsplit(assertion_id).netloc in strings(allowed)
        except ValueError:  # not a well-formed URL ("https://[…"): not in any allowed origin
            return False
    own = origin(assertion_id)
    return own is not None and own == origin(issuer.get("id")) if starts is None else True


def describe_gone(url: str, body: dict[str, Any], report: Report) -> None:
    """A hosted assertion that answers 410 Gone: revoked, with the reason if given."""
    report.format = "ob2-hosted"
    report.credential_id = url
    report.status = Status.REVOKED
    reason = body.get("revocationReason") if isinstance(body.get("revocationReason"), str) else None
    report.passed(CheckId.FORMAT, "Open Badges 2.0 hosted assertion.", "Assertion Open Badges 2.0 hébergée.")
    report.failed(CheckId.STATUS, "The issuer has revoked this badge" + (f": {reason}" if reason else "."),
                  "L'émetteur a révoqué ce badge" + (f" : {reason}" if reason else "."))


def _finish(assertion: dict[str, Any], badge: dict[str, Any], issuer: dict[str, Any], report: Report,
            ctx: Verification) -> None:
    _describe(assertion, badge, issuer, report)
    _check_dates(assertion, report, ctx.now)
    _check_recipient(assertion, report, ctx.recipient)


def _verify_hosted(url: str, report: Report, ctx: Verification, *, preloaded: dict[str, Any] | None = None) -> None:
    if preloaded is not None:
        assertion, status = preloaded, 200
    else:
        assertion, status = _get_json(ctx, url, "hosted assertion", "L'assertion hébergée", allow_gone=True)
    if status == 410 or assertion.get("revoked") is True:
        describe_gone(url, assertion, report)
        return
    if "Assertion" not in types_of(assertion):
        raise StepFailed("The document is not an Open Badges 2.0 Assertion.",
                         "Le document n'est pas une assertion Open Badges 2.0.")
    if assertion.get("id") != url:
        raise StepFailed("The hosted assertion's id is not the address it is served at.",
                         "L'identifiant de l'assertion hébergée n'est pas l'adresse où elle est publiée.")
    report.passed(CheckId.FORMAT, "Open Badges 2.0 hosted assertion.", "Assertion Open Badges 2.0 hébergée.")
    badge = _node(ctx, assertion.get("badge"), "BadgeClass", "badge class", "La classe de badge")
    _describe(assertion, badge, member(badge, "issuer"), report)  # what the badge says, until its issuer confirms
    try:
        issuer = _issuer_profile(ctx, badge.get("issuer"), report)
    except StepFailed as exc:
        raise StepFailed(f"The issuer's verification scope cannot be checked: {exc.en}",
                         f"Le périmètre de vérification de l'émetteur ne peut pas être contrôlé : {exc.fr}") from exc
    _describe(assertion, badge, issuer, report)
    if not _in_scope(url, issuer):
        report.failed(CheckId.PROOF, "The assertion is not hosted within the issuer's verification scope: anyone could "
                      "have published it.", "L'assertion n'est pas hébergée chez l'émetteur : n'importe qui a pu la "
                      "publier.")
        return
    report.passed(CheckId.PROOF, "Hosted by the issuer itself: its own copy is authoritative.",
                  "Hébergé par l'émetteur lui-même : sa propre copie fait foi.")
    report.passed(CheckId.ISSUER, "The assertion is served from the issuer's own site.",
                  "L'assertion est publiée sur le site de l'émetteur.")
    report.status = Status.ACTIVE
    report.passed(CheckId.STATUS, "The issuer still publishes this badge (not revoked).",
                  "L'émetteur publie toujours ce badge (non révoqué).")
    _finish(assertion, badge, issuer, report, ctx)


def verify_ob2_document(document: dict[str, Any], report: Report, ctx: Verification, *,
                        url: str | None = None) -> None:
    """An OB 2.0 assertion given as JSON (re-fetched at its id: the issuer's copy is the truth), or ``document`` as
    just fetched from ``url``."""
    report.format = "ob2-hosted"
    try:
        target = document.get("id") if url is None or document.get("id") != url else url
        if url is not None and target != url:
            report.warning(CheckId.FORMAT,
                           "The badge was fetched from another address than its id: its id was checked.",
                           "Le badge a été obtenu à une autre adresse que son identifiant : l'identifiant a été "
                           "vérifié.")
        verification = member(document, "verification")
        kind = verification.get("type")
        if kind in ("SignedBadge", "signed") and url is None:
            raise StepFailed("A signed OB 2.0 assertion can only be checked from its JWS (the signed form).",
                             "Une assertion OB 2.0 signée se vérifie à partir de son JWS (la forme signée).")
        if not isinstance(target, str) or not target.startswith(("https://", "http://")):
            raise StepFailed("A hosted assertion needs its URL as id.",
                             "Une assertion hébergée doit avoir son adresse comme identifiant.")
        _verify_hosted(target, report, ctx, preloaded=document if target == url else None)
    except StepFailed as exc:
        check = CheckId.PROOF if report.outcome(CheckId.FORMAT) == Outcome.PASSED else CheckId.FORMAT
        report.failed(check, exc.en, exc.fr)


def _listed(key_id: str, issuer: dict[str, Any]) -> bool:
    keys = issuer.get("publicKey", [])
    return key_id in strings(keys) or key_id in [k.get("id") for k in objects(keys)]


def _revoked_entry(revocation_list: dict[str, Any], assertion_id: Any) -> tuple[bool, str | None]:
    entries = revocation_list.get("revokedAssertions", [])  # one entry may be compacted to a bare object
    if assertion_id in strings(entries):
        return True, None
    for entry in objects(entries):
        if (entry.get("id") or entry.get("uid")) == assertion_id:
            return True, text(entry.get("revocationReason"))
    return False, None


def verify_ob2_jws(token: str, report: Report, ctx: Verification) -> None:
    """A signed OB 2.0 assertion (compact JWS): key from ``verification.creator``, listed by the issuer."""
    report.format = "ob2-signed"
    try:
        jws = parse_compact(token)
        assertion = jws.payload_json()
    except SigningError as exc:
        report.failed(CheckId.PROOF, f"The signed badge is refused: {exc.message_en}",
                      f"Le badge signé est refusé : {exc.message_fr}")
        return
    if "Assertion" not in types_of(assertion):
        report.failed(CheckId.FORMAT, "The JWS does not carry an Open Badges 2.0 Assertion.",
                      "Le JWS ne contient pas d'assertion Open Badges 2.0.")
        return
    report.passed(CheckId.FORMAT, "Open Badges 2.0 signed assertion (JWS).", "Assertion Open Badges 2.0 signée (JWS).")
    try:
        verification = member(assertion, "verification")
        creator = verification.get("creator")
        key_doc, _ = _get_json(ctx, creator, "signing key", "La clé de signature", key=True)
        pem = key_doc.get("publicKeyPem")
        if key_doc.get("id") != creator or not isinstance(pem, str):
            raise StepFailed("The signing key document is not a CryptographicKey with publicKeyPem.",
                             "Le document de clé n'est pas une CryptographicKey avec publicKeyPem.")
        verify_signature(jws, load_public_key_pem(pem))
    except StepFailed as exc:
        report.failed(CheckId.PROOF, exc.en, exc.fr)
        return
    except SigningError as exc:
        report.failed(CheckId.PROOF, f"The signature does not hold: {exc.message_en}",
                      f"La signature n'est pas valide : {exc.message_fr}")
        return
    report.passed(CheckId.PROOF, f"The signature ({jws.alg}) is valid.", f"La signature ({jws.alg}) est valide.")
    try:
        badge = _node(ctx, assertion.get("badge"), "BadgeClass", "badge class", "La classe de badge")
    except StepFailed as exc:
        report.failed(CheckId.ISSUER, exc.en, exc.fr)
        return
    _describe(assertion, badge, member(badge, "issuer"), report)  # what the badge says, until its issuer confirms
    try:
        issuer = _issuer_profile(ctx, badge.get("issuer"), report)
    except StepFailed as exc:
        report.unconfirmed(f"The signing key could not be tied to the issuer: {exc.en} The signature itself holds.",
                           f"La clé de signature n'a pas pu être rattachée à l'émetteur : {exc.fr} La signature "
                           "elle-même est valide.")
    else:
        _describe(assertion, badge, issuer, report)
        if key_doc.get("owner") == issuer.get("id") and _listed(str(creator), issuer):
            report.passed(CheckId.ISSUER, "The signing key belongs to the issuer.",
                          "La clé de signature appartient à l'émetteur.")
            _check_revocation_list(assertion, issuer, report, ctx)
            _finish(assertion, badge, issuer, report, ctx)
            return
        report.unconfirmed("The signing key is not one the issuer lists as its own: the issuer's profile does not "
                           "declare it. The signature itself holds, but the key could not be tied to the issuer.",
                           "La clé de signature n'est pas l'une de celles que l'émetteur déclare : son profil ne la "
                           "mentionne pas. La signature elle-même est valide, mais la clé n'a pas pu être rattachée "
                           "à l'émetteur.")
    report.status_not_looked_up()
    _check_dates(assertion, report, ctx.now)
    _check_recipient(assertion, report, ctx.recipient)


def _check_revocation_list(assertion: dict[str, Any], issuer: dict[str, Any], report: Report,
                           ctx: Verification) -> None:
    if issuer.get("revocationList") is None:
        report.status = Status.ACTIVE
        report.skipped(CheckId.STATUS, "The issuer publishes no revocation list.",
                       "L'émetteur ne publie pas de liste de révocation.")
        return
    try:
        revocations = _node(ctx, issuer["revocationList"], "RevocationList", "revocation list",
                            "La liste de révocation")
    except StepFailed as exc:
        report.status = Status.UNKNOWN
        report.failed(CheckId.STATUS, exc.en, exc.fr)
        return
    revoked, reason = _revoked_entry(revocations, assertion.get("id"))
    if revoked:
        report.status = Status.REVOKED
        report.failed(CheckId.STATUS, "The issuer has revoked this badge" + (f": {reason}" if reason else "."),
                      "L'émetteur a révoqué ce badge" + (f" : {reason}" if reason else "."))
    else:
        report.status = Status.ACTIVE
        report.passed(CheckId.STATUS, "The badge is not in the issuer's revocation list.",
                      "Le badge n'est pas dans la liste de révocation de l'émetteur.")
