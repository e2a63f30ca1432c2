"""Verifying OB 3.0 credentials (and VC Data Model 1.1 envelopes): Data Integrity proofs and VC-JWT.

Order matters (T6): the proof is checked first, fetching only the key; then the issuer's own document, which must
list that key (:mod:`app.verify.binding`); status lists and endorsements are fetched only once the signature holds
with the issuer's key. A signature that holds with a key no document of the issuer lists (a ``jwk`` header, the
``issuer#z6Mk…`` form, a ``kid`` elsewhere) makes an *unconfirmed* report: its dates, claims, schema and recipient
are checked (nothing fetched), its status is not looked up. A key that cannot be fetched fails the proof as a fetch
failure, never as a bad signature. Everything the report shows is read from the signed payload. Each endorsement (of
the credential, of its achievement, of its issuer's profile) is verified in a report of its own and must be about
the object that carries it; a broken one never fails the badge.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from app.badges import identity
from app.signing.data_integrity import canonical_unsigned, list_proofs, verify_proof
from app.signing.ecdsa_sd import CRYPTOSUITE as SD_SUITE
from app.signing.ecdsa_sd import verify_derived_proof
from app.signing.errors import InvalidKeyError, SigningError
from app.signing.fast_canon import ShapeCanonicalizer
from app.signing.jose_verify import parse_compact, verify_signature
from app.signing.loader import make_loader
from app.verify.binding import Binding, issuer_binding, record_binding
from app.verify.dates import parse_datetime
from app.verify.documents import evidence_of, member, objects, strings, types_of
from app.verify.documents import text as _text
from app.verify.endorsement_subjects import carried_endorsements, check_subject
from app.verify.errors import StepFailed
from app.verify.fetch import SafeFetcher
from app.verify.keys import as_ed25519, as_p256, key_failure, resolve_jwt_key, resolve_verification_method
from app.verify.report import CheckId, Outcome, Report, Trust
from app.verify.schema import check_schema
from app.verify.status import check_status

__all__ = ["Verification", "verify_credential", "verify_vc_jwt"]

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
_JWT_CLAIMS = frozenset({"iss", "jti", "sub", "nbf", "exp", "iat", "aud"})
_SUITES = frozenset({"eddsa-rdfc-2022", "eddsa-2022", "Ed25519Signature2020", SD_SUITE})
_BADGE_TYPES = ("OpenBadgeCredential", "AchievementCredential", "EndorsementCredential")
_MAX_ENDORSEMENTS = 20


@dataclass(frozen=True, slots=True)
class Verification:
    """What one verification may do: its fetcher, its clock, the recipient to check, how deep it may recurse."""

    fetcher: SafeFetcher
    now: datetime
    recipient: str | None = None
    depth: int = 0


def _contexts(document: dict[str, Any]) -> list[str]:
    return strings(document.get("@context", []))


def _issuer(document: dict[str, Any]) -> dict[str, Any]:
    issuer = document.get("issuer")
    return issuer if isinstance(issuer, dict) else {"id": issuer}


def _image(value: Any) -> str | None:
    return _text(value.get("id")) if isinstance(value, dict) else _text(value)


def _is_v1(document: dict[str, Any]) -> bool:
    return VC_V1 in _contexts(document)


# --- what the credential says ----------------------------------------------------------------------------------

def _level(subject: dict[str, Any], achievement: dict[str, Any]) -> str | None:
    levels = {lvl["id"]: _text(lvl.get("name"))
              for rd in objects(achievement.get("resultDescription"))
              for lvl in objects(rd.get("rubricCriterionLevel")) if isinstance(lvl.get("id"), str)}
    for result in objects(subject.get("result")):
        achieved = result.get("achievedLevel")
        if isinstance(achieved, str) and achieved in levels:
            return levels[achieved]
    return None


def _describe(credential: dict[str, Any], report: Report) -> None:
    issuer = _issuer(credential)
    report.credential_id = _text(credential.get("id"))
    report.evidence = evidence_of(credential.get("evidence"))
    report.issuer = {"id": _text(issuer.get("id")), "name": _text(issuer.get("name")),
                     "url": _text(issuer.get("url")), "image": _image(issuer.get("image"))}
    report.issued = _text(credential.get("validFrom") or credential.get("issuanceDate"))
    report.expires = _text(credential.get("validUntil") or credential.get("expirationDate"))
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if not isinstance(subject, dict):
        return
    achievement = member(subject, "achievement")
    criteria = member(achievement, "criteria")
    report.achievement = {
        "id": _text(achievement.get("id")), "name": _text(achievement.get("name")) or _text(credential.get("name")),
        "description": _text(achievement.get("description")),
        "image": _image(achievement.get("image")) or _image(credential.get("image")),
        "criteria": {"narrative": _text(criteria.get("narrative")), "url": _text(criteria.get("id"))},
        "level": _level(subject, achievement), "narrative": _text(subject.get("narrative")),
    }
    report.recipient = [{"identityType": _text(i.get("identityType")), "hashed": i.get("hashed") is True,
                         "identityHash": _text(i.get("identityHash"))} for i in objects(subject.get("identifier"))]
    if isinstance(subject.get("id"), str):
        report.recipient.append({"id": subject["id"]})


def _check_format(credential: dict[str, Any], report: Report) -> bool:
    types, contexts = types_of(credential), _contexts(credential)
    if "VerifiableCredential" not in types or not ({VC_V2, VC_V1} & set(contexts)):
        report.failed(CheckId.FORMAT, "Not a Verifiable Credential (type and @context).",
                      "Ce n'est pas une attestation vérifiable (type et @context).")
        return False
    version = "VC Data Model 1.1" if _is_v1(credential) else "VC Data Model 2.0"
    kind = next((t for t in types if t in _BADGE_TYPES), None)
    if kind is None:
        report.warning(CheckId.FORMAT, f"A Verifiable Credential ({version}), but not an Open Badge: only its "
                       "signature, dates and status are checked.", f"Une attestation vérifiable ({version}), mais "
                       "pas un Open Badge : seules sa signature, ses dates et son statut sont vérifiés.")
        return True
    report.passed(CheckId.FORMAT, f"Open Badges 3.0 {kind} ({version}).", f"{kind} Open Badges 3.0 ({version}).")
    return True


def _check_dates(credential: dict[str, Any], report: Report, now: datetime) -> None:
    start_key, end_key = ("issuanceDate", "expirationDate") if _is_v1(credential) else ("validFrom", "validUntil")
    start = parse_datetime(credential.get(start_key))
    if start is None:
        report.failed(CheckId.VALIDITY, f"{start_key} is missing or has no time zone.",
                      f"{start_key} manque ou n'a pas de fuseau horaire.")
        return
    end = parse_datetime(credential.get(end_key)) if credential.get(end_key) is not None else None
    if credential.get(end_key) is not None and end is None:
        report.failed(CheckId.VALIDITY, f"{end_key} is not a date with a time zone.",
                      f"{end_key} n'est pas une date avec fuseau horaire.")
    elif start > now:
        report.failed(CheckId.VALIDITY, "The badge is not valid yet.", "Le badge n'est pas encore valide.")
    elif end is not None and end < now:
        report.failed(CheckId.VALIDITY, f"The badge expired on {end:%Y-%m-%d}.",
                      f"Le badge a expiré le {end:%d/%m/%Y}.")
    else:
        report.passed(CheckId.VALIDITY, "The badge is within its validity dates.",
                      "Le badge est dans sa période de validité.")


def _check_recipient(credential: dict[str, Any], report: Report, candidate: str | None) -> None:
    if not candidate:
        return
    subject = member(credential, "credentialSubject")
    for item in objects(subject.get("identifier")):
        stored = _text(item.get("identityHash"))
        if stored and identity.recipient_matches(stored, candidate, _text(item.get("salt")),
                                                 hashed=item.get("hashed") is True):
            report.passed(CheckId.RECIPIENT, "The badge was awarded to this person.",
                          "Le badge a été décerné à cette personne.")
            return
    if subject.get("id") == candidate.strip():
        report.passed(CheckId.RECIPIENT, "The badge was awarded to this identifier.",
                      "Le badge a été décerné à cet identifiant.")
        return
    report.failed(CheckId.RECIPIENT, "The badge was not awarded to this person.",
                  "Le badge n'a pas été décerné à cette personne.")


# --- Data Integrity --------------------------------------------------------------------------------------------

_SHAPES = ShapeCanonicalizer(make_loader(), strict=True, compile_after=2)


def _canonical(document: dict[str, Any]) -> str:
    """Strict canonical N-Quads, byte-identical to the general path; documents of a shape seen before (every badge
    of one achievement, their proof configurations) reuse its JSON-LD work."""
    return _SHAPES.canonicalize(document)


def _di_proofs(document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    for ref in list_proofs(document):
        if ref.suite in _SUITES:
            yield ref.proof, ref.verification_method


def _verify_proofs(document: dict[str, Any], report: Report, ctx: Verification) -> Trust:
    """Record the ``proof`` and ``issuer`` checks: confirmed when a proof by the issuer's key holds, unconfirmed when
    one holds only with a key the issuer's document does not list, invalid when none holds."""
    issuer_id = _issuer(document).get("id")
    try:
        proofs = list(_di_proofs(document))
        if not proofs:
            report.failed(CheckId.PROOF, "The badge is not signed (no supported proof): it proves nothing.",
                          "Le badge n'est pas signé (aucune preuve reconnue) : il ne prouve rien.")
            return Trust.INVALID
        # before fetching anything (T5, S5, S6)
        canonical = canonical_unsigned(document, make_loader(), canonicalizer=_canonical)
    except SigningError as exc:
        report.failed(CheckId.PROOF, f"The badge cannot be checked: {exc.message_en}",
                      f"Le badge ne peut pas être vérifié : {exc.message_fr}")
        return Trust.INVALID
    reason = ("", "")
    held: tuple[str, Binding] | None = None  # a proof that holds with a key not tied to the issuer, and why
    for proof, method in proofs:
        try:
            key = resolve_verification_method(method, ctx.fetcher)
            if proof.get("cryptosuite") == SD_SUITE:  # a derived (selectively disclosed) proof, P-256
                verify_derived_proof(document, proof, public_key=as_p256(key.public_key), loader=make_loader())
            else:
                verify_proof(document, proof, public_key=as_ed25519(key.public_key), loader=make_loader(),
                             canonical_document=canonical, canonicalizer=_canonical)
        except StepFailed as exc:
            reason = key_failure(exc)
            continue
        except InvalidKeyError as exc:
            reason = (f"The signing key cannot be used for this proof: {exc.message_en}",
                      f"La clé de signature ne convient pas à cette preuve : {exc.message_fr}")
            continue
        except SigningError as exc:
            reason = (f"The signature does not hold: {exc.message_en}", f"La signature n'est pas valide : "
                      f"{exc.message_fr}")
            continue
        suite = str(proof.get("cryptosuite") or proof.get("type"))
        binding = issuer_binding(key, issuer_id, ctx.fetcher)
        if binding.confirmed or held is None:
            held = (suite, binding)
        if binding.confirmed:
            break
    if held is None:
        report.failed(CheckId.PROOF, *reason)
        return Trust.INVALID
    suite, binding = held
    report.passed(CheckId.PROOF, f"The signature ({suite}) is valid.", f"La signature ({suite}) est valide.")
    return record_binding(binding, report)


def _list_verifier(ctx: Verification) -> Any:
    def verify_list(document: dict[str, Any]) -> str:
        inner = Report()
        if _verify_proofs(document, inner, replace(ctx, depth=ctx.depth + 1)) is not Trust.CONFIRMED:
            failed = next(c for c in inner.checks if c.outcome == Outcome.FAILED)
            raise StepFailed(failed.message_en, failed.message_fr)
        return str(_issuer(document).get("id"))
    return verify_list


def _endorsements(credential: dict[str, Any], report: Report, ctx: Verification) -> None:
    """Verify every endorsement the credential carries (at most ``_MAX_ENDORSEMENTS``, their own not followed), each
    in a report of its own: a broken one is shown as such and never fails the badge (a warning at worst)."""
    if ctx.depth > 0:
        return
    inner_ctx = replace(ctx, depth=1, recipient=None)
    found = carried_endorsements(credential, _issuer(credential))
    for carried in found[:_MAX_ENDORSEMENTS]:
        sub = Report()
        item = carried.item
        signed = _verify_jwt(item, sub, inner_ctx) if isinstance(item, str) else _verify_document(item, sub, inner_ctx)
        shown = signed if signed is not None else item if isinstance(item, dict) else {}
        about = carried.about[0][0]
        if signed is not None and sub.outcome(CheckId.PROOF) == Outcome.PASSED:
            about = check_subject(signed, sub, carried)
        subjects = objects(shown.get("credentialSubject"))
        report.endorsements.append({
            "verified": sub.verified, "about": about, "issuer": sub.issuer,
            "comment": _text(subjects[0].get("endorsementComment")) if subjects else None,
            "checks": [c.as_dict() for c in sub.checks]})
        report.fetched.extend(u for u in sub.fetched if u not in report.fetched)
    if report.endorsements:
        good = sum(1 for e in report.endorsements if e["verified"])
        count = len(report.endorsements)
        left = len(found) - count
        more_en = f" {left} more not checked (at most {_MAX_ENDORSEMENTS})." if left else ""
        more_fr = f" {left} autre(s) non vérifiée(s) (au plus {_MAX_ENDORSEMENTS})." if left else ""
        (report.passed if good == count and not left else report.warning)(
            CheckId.ENDORSEMENT, f"{good} of {count} endorsement(s) verified.{more_en}",
            f"{good} recommandation(s) vérifiée(s) sur {count}.{more_fr}")


def _after_proof(credential: dict[str, Any], report: Report, ctx: Verification, trust: Trust) -> None:
    """The checks after a signature that holds; with an unconfirmed issuer, only those that fetch nothing."""
    _check_dates(credential, report, ctx.now)
    if trust is Trust.CONFIRMED:
        check_status(credential, report, ctx.fetcher, _list_verifier(ctx), ctx.now)
    else:
        report.status_not_looked_up()
    types = types_of(credential)
    if "EndorsementCredential" in types:
        check_schema(credential, report, "endorsementcredential", v1=_is_v1(credential))
    elif {"OpenBadgeCredential", "AchievementCredential"} & set(types):
        check_schema(credential, report, "achievementcredential", v1=_is_v1(credential))
    if trust is Trust.CONFIRMED:
        _endorsements(credential, report, ctx)
    _check_recipient(credential, report, ctx.recipient)


def verify_credential(credential: dict[str, Any], report: Report, ctx: Verification) -> None:
    """Verify an OB 3.0 credential with embedded (Data Integrity) proofs into ``report``."""
    _verify_document(credential, report, ctx)


def _verify_document(credential: dict[str, Any], report: Report, ctx: Verification) -> dict[str, Any] | None:
    """:func:`verify_credential`, returning the credential when one of its proofs holds (None otherwise)."""
    report.format = "ob3-data-integrity" if not _is_v1(credential) else "vc11-data-integrity"
    if not _check_format(credential, report):
        return None
    _describe(credential, report)
    trust = _verify_proofs(credential, report, ctx)
    if trust is Trust.INVALID:
        return None
    _after_proof(credential, report, ctx, trust)
    return credential


# --- VC-JWT ----------------------------------------------------------------------------------------------------

def _numeric(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_claims(payload: dict[str, Any], credential: dict[str, Any], report: Report, now: datetime) -> bool:
    issuer_id = _issuer(credential).get("id")
    subject = credential.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, dict) else None
    start = parse_datetime(credential.get("issuanceDate" if _is_v1(credential) else "validFrom"))
    end = parse_datetime(credential.get("expirationDate" if _is_v1(credential) else "validUntil"))
    problems = []
    if payload.get("iss") != issuer_id:
        problems.append("iss")
    if "jti" in payload and payload.get("jti") != credential.get("id"):
        problems.append("jti")
    if subject_id is not None and "sub" in payload and payload.get("sub") != subject_id:
        problems.append("sub")
    nbf, exp = _numeric(payload.get("nbf")), _numeric(payload.get("exp"))
    if "nbf" in payload and (nbf is None or (start is not None and nbf != int(start.timestamp()))):
        problems.append("nbf")
    if "exp" in payload and (exp is None or (end is not None and exp != int(end.timestamp()))):
        problems.append("exp")
    if problems:
        report.failed(CheckId.CLAIMS, f"The JWT claims contradict the credential: {', '.join(problems)}.",
                      f"Les revendications du JWT contredisent l'attestation : {', '.join(problems)}.")
        return False
    if nbf is not None and nbf > now.timestamp() + 60:
        report.failed(CheckId.CLAIMS, "The token is not valid yet (nbf).", "Le jeton n'est pas encore valide (nbf).")
        return False
    if exp is not None and exp < now.timestamp() - 60:
        report.failed(CheckId.CLAIMS, "The token has expired (exp).", "Le jeton a expiré (exp).")
        return False
    report.passed(CheckId.CLAIMS, "The JWT claims match the credential (OB 3.0 §8.2).",
                  "Les revendications du JWT correspondent à l'attestation (OB 3.0 §8.2).")
    return True


def verify_vc_jwt(token: str, report: Report, ctx: Verification) -> None:
    """Verify an OB 3.0 VC-JWT (payload = the credential + claims; or a VCDM 1.1 ``vc`` claim) into ``report``."""
    _verify_jwt(token, report, ctx)


def _verify_jwt(token: str, report: Report, ctx: Verification) -> dict[str, Any] | None:
    """:func:`verify_vc_jwt`, returning the credential it carries when its signature holds (None otherwise)."""
    report.format = "ob3-vc-jwt"
    try:
        jws = parse_compact(token)
        payload = jws.payload_json()
    except SigningError as exc:
        report.failed(CheckId.PROOF, f"The token is refused: {exc.message_en}",
                      f"Le jeton est refusé : {exc.message_fr}")
        return None
    legacy = isinstance(payload.get("vc"), dict)
    credential = payload["vc"] if legacy else {k: v for k, v in payload.items() if k not in _JWT_CLAIMS}
    if legacy:
        report.format = "vc11-jwt"
    if not _check_format(credential, report):
        return None
    _describe(credential, report)
    issuer_id = _issuer(credential).get("id")
    if not isinstance(issuer_id, str):
        report.failed(CheckId.ISSUER, "The credential names no issuer.", "L'attestation ne nomme pas d'émetteur.")
        return None
    try:
        key = resolve_jwt_key(jws.kid, jws.jwk, issuer_id, jws.alg, ctx.fetcher)
        verify_signature(jws, key.public_key)
    except StepFailed as exc:
        report.failed(CheckId.PROOF, *key_failure(exc))
        return None
    except SigningError as exc:
        report.failed(CheckId.PROOF, f"The signature does not hold: {exc.message_en}",
                      f"La signature n'est pas valide : {exc.message_fr}")
        return None
    report.passed(CheckId.PROOF, f"The JWT signature ({jws.alg}) is valid.",
                  f"La signature du JWT ({jws.alg}) est valide.")
    trust = record_binding(issuer_binding(key, issuer_id, ctx.fetcher), report)
    if _check_claims(payload, credential, report, ctx.now):
        _after_proof(credential, report, ctx, trust)
    return credential
