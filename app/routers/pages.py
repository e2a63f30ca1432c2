"""Public HTML pages: ``/verify`` (paste a badge address or drop its file, read a plain verdict) and the page a
browser sees at a credential's own URL. French first (``?lang=en`` for English), no JavaScript, strict headers.

Everything shown comes from the verification report and is escaped by Jinja2 (autoescape on): no untrusted markup
is ever rendered, and images are shown only from ``http(s)`` or ``data:image/png`` addresses, through ``<img>``.
"""

from __future__ import annotations

import base64
import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.badges.errors import BadgeInputError
from app.clock import Clock
from app.config import Settings
from app.deps import count_verification
from app.errors import SavoirsError
from app.signing.errors import SigningError
from app.verify.fetch import FetchPolicy
from app.verify.service import verify

__all__ = ["SECURITY_HEADERS", "credential_page", "missing_credential_page", "router"]

log = logging.getLogger("savoirs.pages")
router = APIRouter(include_in_schema=False)

Lang = Literal["fr", "en"]
INLINE_PNG_BYTES = 1024 * 1024  # an uploaded baked PNG up to this size is shown back (as a data: URL)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)

CSP = ("default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'none'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

# --- words ----------------------------------------------------------------------------------------------------

TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "site": "savoirs", "skip": "Aller au contenu", "other_lang": "English", "other_lang_code": "en",
        "title": "Vérifier un badge", "result_title": "Résultat de la vérification",
        "intro": "Vous avez reçu un badge numérique (Open Badge) ? Vérifiez ici qu'il est authentique : "
                 "qu'il vient bien de l'organisme indiqué, qu'il n'a pas été modifié et qu'il n'a pas été retiré.",
        "url_label": "Adresse du badge (URL)", "url_hint": "Par exemple : https://badges.exemple.fr/credentials/…",
        "file_label": "Ou déposez le fichier du badge (image PNG/SVG, JSON ou texte)",
        "file_hint": "Cliquez sur le bouton pour choisir le fichier, ou faites-le glisser dessus.",
        "email_label": "Votre adresse e-mail (pour vérifier que le badge vous a été décerné)",
        "email_hint": "Facultatif. Elle sert seulement à cette vérification : elle n'est pas enregistrée.",
        "submit": "Vérifier le badge", "again": "Vérifier un autre badge", "form_title": "Le badge à vérifier",
        "claims": "Ce que dit le badge", "claims_unsure": "Ce que dit le badge (non garanti)",
        "claims_unsure_note": "Attention : comme le badge n'est pas valide, ces informations ne sont pas garanties.",
        "issuer": "Délivré par", "issuer_site": "Site de l'organisme", "achievement": "Badge",
        "description": "Description", "criteria": "Ce qu'il a fallu faire pour l'obtenir",
        "criteria_link": "Voir les critères", "level": "Niveau", "issued": "Date de délivrance",
        "expires": "Date de fin de validité", "no_expiry": "Aucune (valable sans limite de durée)",
        "status": "État", "recipient": "Décerné à", "recipient_hidden": "Personne protégée : son identité "
        "n'est pas publiée dans le badge.", "recipient_match": "Oui, ce badge a été décerné à l'adresse indiquée.",
        "recipient_nomatch": "Non, ce badge n'a pas été décerné à l'adresse indiquée.",
        "narrative": "Ce que la personne a fait", "image_alt": "Image du badge « {name} »",
        "checks": "Ce qui a été vérifié", "notes": "À noter", "endorsements": "Recommandations",
        "endorsements_intro": "D'autres organismes ou personnes recommandent ce badge.",
        "endorsed_by": "Recommandé par", "endorsement_ok": "Recommandation vérifiée",
        "endorsement_bad": "Recommandation NON vérifiée", "unknown_issuer": "Émetteur inconnu",
        "technical": "Détails techniques", "format": "Format", "credential_id": "Identifiant",
        "fetched": "Documents consultés",
        "share": "Partager ce badge", "share_linkedin": "Partager sur LinkedIn",
        "add_linkedin": "Ajouter à mon profil LinkedIn (rubrique « Licences et certifications »)",
        "download_png": "Télécharger l'image du badge (PNG)", "download_svg": "Télécharger l'image du badge (SVG)",
        "download_note": "L'image téléchargée contient le badge : elle peut être vérifiée sur cette page.",
        "badge_address": "Adresse de ce badge", "json_link": "Version pour les logiciels (JSON)",
        "error_title": "Ce fichier ou cette adresse ne peut pas être vérifié",
        "error_help": "Vérifiez que vous avez donné l'adresse complète du badge, ou son fichier (l'image du badge "
                      "reçue par e-mail, par exemple), puis réessayez.",
        "nothing_given": "Donnez l'adresse du badge, ou choisissez son fichier.",
        "form_unreadable": "Le formulaire n'a pas pu être lu. Réessayez.",
        "too_big": "Le fichier est trop volumineux.",
        "missing": "Ce badge n'existe pas à cette adresse. Vérifiez l'adresse, ou demandez-la à l'organisme qui "
                   "vous l'a délivré.",
        "internal": "Une erreur s'est produite de notre côté. Réessayez plus tard.",
        "footer": "Ce service vérifie les Open Badges 2.0 et 3.0, quel que soit l'organisme qui les a délivrés.",
        "api": "Pour les développeurs : API de vérification",
        "passed": "Réussi", "failed": "Échoué", "skipped": "Sans objet", "warning": "À noter",
        "colon": "\u00a0:", "quote_open": "«\u00a0", "quote_close": "\u00a0»",
    },
    "en": {
        "site": "savoirs", "skip": "Skip to content", "other_lang": "Français", "other_lang_code": "fr",
        "title": "Check a badge", "result_title": "Verification result",
        "intro": "Did you receive a digital badge (Open Badge)? Check here that it is genuine: that it really comes "
                 "from the organisation named on it, that nobody changed it and that it was not withdrawn.",
        "url_label": "Badge address (URL)", "url_hint": "For example: https://badges.example.org/credentials/…",
        "file_label": "Or drop the badge file (PNG/SVG image, JSON or text)",
        "file_hint": "Click the button to choose the file, or drag it onto the button.",
        "email_label": "Your email address (to check that the badge was awarded to you)",
        "email_hint": "Optional. It is used for this check only and is not stored.",
        "submit": "Check the badge", "again": "Check another badge", "form_title": "The badge to check",
        "claims": "What the badge says", "claims_unsure": "What the badge says (not guaranteed)",
        "claims_unsure_note": "Careful: since the badge is not valid, this information is not guaranteed.",
        "issuer": "Issued by", "issuer_site": "Organisation's website", "achievement": "Badge",
        "description": "Description", "criteria": "What it took to earn it", "criteria_link": "See the criteria",
        "level": "Level", "issued": "Date issued", "expires": "Valid until",
        "no_expiry": "No end date (valid indefinitely)", "status": "Status", "recipient": "Awarded to",
        "recipient_hidden": "Protected person: their identity is not published in the badge.",
        "recipient_match": "Yes, this badge was awarded to the address you gave.",
        "recipient_nomatch": "No, this badge was not awarded to the address you gave.",
        "narrative": "What the person did", "image_alt": "Image of the badge “{name}”",
        "checks": "What was checked", "notes": "Good to know", "endorsements": "Endorsements",
        "endorsements_intro": "Other organisations or people endorse this badge.",
        "endorsed_by": "Endorsed by", "endorsement_ok": "Endorsement verified",
        "endorsement_bad": "Endorsement NOT verified", "unknown_issuer": "Unknown issuer",
        "technical": "Technical details", "format": "Format", "credential_id": "Identifier",
        "fetched": "Documents read",
        "share": "Share this badge", "share_linkedin": "Share on LinkedIn",
        "add_linkedin": "Add to my LinkedIn profile (“Licenses & certifications”)",
        "download_png": "Download the badge image (PNG)", "download_svg": "Download the badge image (SVG)",
        "download_note": "The downloaded image contains the badge: it can be checked on this page.",
        "badge_address": "Address of this badge", "json_link": "Version for software (JSON)",
        "error_title": "This file or address cannot be checked",
        "error_help": "Make sure you gave the full address of the badge, or its file (for example the badge image "
                      "you received by email), and try again.",
        "nothing_given": "Give the badge address, or choose its file.",
        "form_unreadable": "The form could not be read. Please try again.",
        "too_big": "The file is too large.",
        "missing": "There is no badge at this address. Check the address, or ask the organisation that issued "
                   "it.",
        "internal": "Something went wrong on our side. Please try again later.",
        "footer": "This service checks Open Badges 2.0 and 3.0, whichever organisation issued them.",
        "api": "For developers: verification API",
        "passed": "Passed", "failed": "Failed", "skipped": "Not applicable", "warning": "Note",
        "colon": ":", "quote_open": "“", "quote_close": "”",
    },
}

# kind: (icon, tone, French headline, French explanation, English headline, English explanation)
VERDICTS: dict[str, tuple[str, str, str, str, str, str]] = {
    "valid": ("✔", "ok", "Ce badge est authentique et valide",
              "Il a bien été délivré par l'organisme indiqué ci-dessous, il n'a pas été modifié et il n'a pas été "
              "retiré.",
              "This badge is genuine and valid",
              "It was really issued by the organisation named below, nobody changed it and it was not withdrawn."),
    "invalid": ("✘", "bad", "Ce badge n'est PAS valide",
                "Il a pu être modifié, ou il ne vient pas de l'organisme qu'il indique. Ne vous y fiez pas. "
                "La liste ci-dessous dit ce qui ne va pas.",
                "This badge is NOT valid",
                "It may have been changed, or it does not come from the organisation it names. Do not rely on it. "
                "The list below says what is wrong."),
    "revoked": ("✘", "bad", "Ce badge a été révoqué",
                "L'organisme qui l'a délivré l'a retiré : il n'est plus valable.",
                "This badge has been revoked",
                "The organisation that issued it has withdrawn it: it is no longer valid."),
    "suspended": ("!", "warn", "Ce badge est suspendu",
                  "L'organisme qui l'a délivré l'a suspendu pour le moment : il n'est pas valable tant que la "
                  "suspension dure.",
                  "This badge is suspended",
                  "The organisation that issued it has suspended it for now: it is not valid while suspended."),
    "expired": ("!", "warn", "Ce badge a expiré",
                "Il est authentique, mais sa date de fin de validité est passée.",
                "This badge has expired",
                "It is genuine, but its end date has passed."),
    "not_yet": ("!", "warn", "Ce badge n'est pas encore valide",
                "Il est authentique, mais sa date de début de validité n'est pas encore arrivée.",
                "This badge is not valid yet",
                "It is genuine, but its start date has not come yet."),
    "recipient": ("✘", "bad", "Ce badge n'a pas été décerné à cette adresse e-mail",
                  "Le badge est authentique, mais il appartient à quelqu'un d'autre (ou à une autre adresse).",
                  "This badge was not awarded to this email address",
                  "The badge is genuine, but it belongs to someone else (or to another address)."),
    "error": ("✘", "bad", "", "", "", ""),
}

STATUS = {
    "fr": {"active": "Actif : ni révoqué ni suspendu", "revoked": "Révoqué (retiré par l'organisme)",
           "suspended": "Suspendu pour le moment", "unknown": "Inconnu : la liste de révocation n'a pas pu être lue",
           "not_checked": "Non vérifié"},
    "en": {"active": "Active: neither revoked nor suspended", "revoked": "Revoked (withdrawn by the organisation)",
           "suspended": "Suspended for now", "unknown": "Unknown: the revocation list could not be read",
           "not_checked": "Not checked"},
}

CHECK_NAMES = {
    "fr": {"format": "Format du badge", "proof": "Signature", "issuer": "Organisme émetteur",
           "validity": "Dates de validité", "status": "Révocation", "hosted_scope": "Adresse d'hébergement",
           "schema": "Structure du badge", "recipient": "Destinataire", "endorsement": "Recommandations",
           "claims": "Contenu du jeton"},
    "en": {"format": "Badge format", "proof": "Signature", "issuer": "Issuing organisation",
           "validity": "Validity dates", "status": "Revocation", "hosted_scope": "Hosting address",
           "schema": "Badge structure", "recipient": "Recipient", "endorsement": "Endorsements",
           "claims": "Token content"},
}

OUTCOME_ICONS = {"passed": "✔", "failed": "✘", "skipped": "–", "warning": "!"}

MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}


def pick_lang(value: Any) -> Lang:
    return "en" if isinstance(value, str) and value.strip().lower() == "en" else "fr"


def _parse_date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def human_date(value: Any, lang: Lang) -> str | None:
    """``2026-11-24T10:00:00Z`` → « 24 novembre 2026 » (« 1er » for the first) or "24 November 2026"."""
    if not value:
        return None
    moment = _parse_date(value)
    if moment is None:
        return str(value)
    day = "1er" if lang == "fr" and moment.day == 1 else str(moment.day)
    return f"{day} {MONTHS[lang][moment.month - 1]} {moment.year}"


def safe_image(value: Any) -> str | None:
    """An image address we may put in ``<img src>``: http(s) or a PNG data URL; anything else is dropped."""
    if not isinstance(value, str) or len(value) > 2_000_000 or any(c in value for c in "\n\r\t\"'<> "):
        return None
    if value.startswith("data:image/png;base64,"):
        return value if re.fullmatch(r"data:image/png;base64,[A-Za-z0-9+/=]+", value) else None
    return safe_link(value)


def safe_link(value: Any) -> str | None:
    """An ``http(s)`` address with a host, or None (no ``javascript:``, ``data:`` or relative links)."""
    if not isinstance(value, str) or len(value) > 4096:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _verdict_kind(report: dict[str, Any], now: datetime) -> str:
    if report["verified"]:
        return "valid"
    if report["status"] == "revoked":
        return "revoked"
    if report["status"] == "suspended":
        return "suspended"
    outcomes = {c["id"]: c["outcome"] for c in report["checks"]}
    failed = {k for k, v in outcomes.items() if v == "failed"}
    if outcomes.get("proof") == "passed":
        if failed == {"validity"}:
            expires, issued = _parse_date(report.get("expires")), _parse_date(report.get("issued"))
            if expires is not None and expires.tzinfo is not None and expires <= now:
                return "expired"
            if issued is not None and issued.tzinfo is not None and issued > now:
                return "not_yet"
        if failed == {"recipient"}:
            return "recipient"
    return "invalid"


def _view(report: dict[str, Any], lang: Lang, now: datetime) -> dict[str, Any]:
    """What the result template shows, already chosen and worded (the template only lays it out)."""
    kind = _verdict_kind(report, now)
    icon, tone, fr, fr_more, en, en_more = VERDICTS[kind]
    achievement = report.get("achievement") or {}
    issuer = report.get("issuer") or {}
    criteria = achievement.get("criteria") or {}
    outcomes = {c["id"]: c["outcome"] for c in report["checks"]}
    message = "message_en" if lang == "en" else "message_fr"
    name = achievement.get("name") or ""
    recipients = report.get("recipient") or []
    return {
        "kind": kind, "tone": tone, "icon": icon, "valid": kind == "valid",
        "headline": en if lang == "en" else fr, "explanation": en_more if lang == "en" else fr_more,
        "issuer_name": issuer.get("name") or issuer.get("id") or TEXT[lang]["unknown_issuer"],
        "issuer_url": safe_link(issuer.get("url")) or safe_link(issuer.get("id")),
        "name": name, "description": achievement.get("description"),
        "image": safe_image(achievement.get("image")),
        "image_alt": TEXT[lang]["image_alt"].format(name=name),
        "criteria": criteria.get("narrative"), "criteria_url": safe_link(criteria.get("url")),
        "level": achievement.get("level"), "narrative": achievement.get("narrative"),
        "issued": human_date(report.get("issued"), lang), "expires": human_date(report.get("expires"), lang),
        "status": STATUS[lang].get(report["status"], report["status"]),
        "hidden_recipient": any(r.get("hashed") for r in recipients),
        "recipient_ids": [r["id"] for r in recipients  # a random urn:uuid means nothing to a person: not shown
                          if isinstance(r.get("id"), str) and not r["id"].startswith("urn:uuid:")],
        "recipient_check": outcomes.get("recipient"),
        "checks": [{"name": CHECK_NAMES[lang].get(c["id"], c["id"]), "outcome": c["outcome"],
                    "outcome_label": TEXT[lang][c["outcome"]], "icon": OUTCOME_ICONS.get(c["outcome"], "?"),
                    "message": c[message]} for c in report["checks"]],
        "warnings": [w[message] for w in report.get("warnings") or []],
        "endorsements": [{"verified": bool(e.get("verified")),
                          "issuer": (e.get("issuer") or {}).get("name") or (e.get("issuer") or {}).get("id")
                          or TEXT[lang]["unknown_issuer"],
                          "issuer_url": safe_link((e.get("issuer") or {}).get("url")),
                          "comment": e.get("comment")} for e in report.get("endorsements") or []],
        "format": report.get("format"), "credential_id": report.get("credential_id"),
        "fetched": report.get("fetched") or [],
    }


# --- rendering ------------------------------------------------------------------------------------------------

def render(template: str, lang: Lang, *, status_code: int = 200, path: str = "/verify",
           headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    context.setdefault("result", None)
    context.setdefault("error", None)
    context.setdefault("form", {"url": "", "recipient": ""})
    context.setdefault("links", None)
    html = _env.get_template(template).render(
        lang=lang, t=TEXT[lang], switch_href=f"{path}?lang={TEXT[lang]['other_lang_code']}",
        lang_query="?lang=en" if lang == "en" else "", **context)
    return HTMLResponse(html, status_code=status_code,
                        headers={**SECURITY_HEADERS, "Cache-Control": "no-store", **(headers or {})})


def _run(request: Request, recipient: str | None, **source: Any) -> tuple[dict[str, Any], datetime]:
    count_verification(request)
    settings: Settings = request.app.state.settings
    clock: Clock = request.app.state.clock
    now = clock.now()
    report = verify(policy=FetchPolicy(allow_loopback=settings.allow_loopback_fetch), now=now,
                    recipient=recipient, **source)
    return report.as_dict(), now


def _error_page(lang: Lang, message: str, *, status_code: int, form: dict[str, str]) -> HTMLResponse:
    return render("verify.html", lang, status_code=status_code, error=message, form=form)


def _address(value: str) -> dict[str, str]:
    """What was typed in the address field: a URL (``https://`` added when only a host was typed), or text."""
    value = value.strip()
    if value.startswith(("https://", "http://")):
        return {"url": value}
    if value.startswith("{") or (value.count(".") in (2, 4) and " " not in value and "/" not in value):
        return {"text": value}  # pasted JSON, or a compact JWS/JWT
    return {"url": "https://" + value}


@router.get("/verify", response_class=HTMLResponse)
def verify_form(lang: str | None = None) -> HTMLResponse:
    return render("verify.html", pick_lang(lang))


@router.post("/verify", response_class=HTMLResponse)
async def verify_submitted(request: Request) -> HTMLResponse:
    lang = pick_lang(request.query_params.get("lang"))
    form_values = {"url": "", "recipient": ""}
    try:
        async with request.form(max_files=1, max_fields=6) as form:
            lang = pick_lang(form.get("lang") or request.query_params.get("lang"))
            url, recipient, upload = form.get("url"), form.get("recipient"), form.get("file")
            form_values = {"url": url[:2048] if isinstance(url, str) else "",
                           "recipient": recipient[:320] if isinstance(recipient, str) else ""}
            data = await upload.read() if isinstance(upload, UploadFile) and upload.filename else b""
    except StarletteHTTPException as exc:
        message = TEXT[lang]["too_big" if exc.status_code == 413 else "form_unreadable"]
        return _error_page(lang, message, status_code=exc.status_code if exc.status_code == 413 else 400,
                           form=form_values)
    address = form_values["url"].strip()
    if not data and not address:
        return _error_page(lang, TEXT[lang]["nothing_given"], status_code=422, form=form_values)
    source: dict[str, Any] = {"data": data} if data else _address(address)
    recipient = form_values["recipient"].strip() or None
    try:
        report, now = await run_in_threadpool(_run, request, recipient, **source)
    except (BadgeInputError, SigningError, SavoirsError) as exc:
        status = exc.status if isinstance(exc, SavoirsError) and exc.status < 500 else 422
        return _error_page(lang, exc.message_en if lang == "en" else exc.message_fr, status_code=status,
                           form=form_values)
    except Exception:  # a friendly page, never a traceback
        log.exception("verification page failed")
        return _error_page(lang, TEXT[lang]["internal"], status_code=500, form=form_values)
    view = _view(report, lang, now)
    if view["image"] is None and data and report["format"].endswith("+baked-png") and len(data) <= INLINE_PNG_BYTES:
        view["image"] = "data:image/png;base64," + base64.b64encode(data).decode()  # the PNG just read: safe
    return render("verify.html", lang, result=view, form=form_values)


def _linkedin(credential_url: str, credential_id: str, view: dict[str, Any], issued: str | None) -> dict[str, str]:
    add = {"startTask": "CERTIFICATION_NAME", "name": view["name"] or "Open Badge",
           "organizationName": view["issuer_name"], "certUrl": credential_url, "certId": credential_id}
    moment = _parse_date(issued)
    if moment is not None:
        add.update(issueYear=str(moment.year), issueMonth=str(moment.month))
    return {"share": "https://www.linkedin.com/sharing/share-offsite/?url=" + quote(credential_url, safe=""),
            "add": "https://www.linkedin.com/profile/add?" + urlencode(add, quote_via=quote)}


def _suspended_by_us(report: dict[str, Any]) -> dict[str, Any]:
    """Our own award is suspended: OB 3.0 credentials carry only their revocation entry (the OB 3.0 schema allows
    one ``credentialStatus``), so the suspension, published in our signed suspension list and in OB 2.0, is
    added here from the issuer's own records."""
    if report["status"] == "revoked":
        return report
    check = {"id": "status", "outcome": "failed",
             "message_en": "The issuer has suspended this badge for now.",
             "message_fr": "L'émetteur a suspendu ce badge pour le moment."}
    checks = [c for c in report["checks"] if c["id"] != "status"] + [check]
    return {**report, "verified": False, "status": "suspended", "checks": checks}


def credential_page(request: Request, award_id: str, credential: dict[str, Any], lang_value: str | None, *,
                    suspended: bool = False) -> HTMLResponse:
    """The page a browser sees at ``/credentials/{award_id}``: this credential verified, with share and download
    links. Synchronous (the caller runs in the threadpool): the verifier fetches the issuer's keys over HTTP."""
    lang = pick_lang(lang_value)
    path = f"/credentials/{quote(award_id, safe='')}"
    credential_url = credential.get("id") if isinstance(credential.get("id"), str) else str(request.url)
    try:
        report, now = _run(request, None, credential=credential)
    except SavoirsError as exc:  # e.g. too many verifications from this client
        return render("credential.html", lang, status_code=exc.status, path=path, links=None,
                      error=exc.message_en if lang == "en" else exc.message_fr,
                      headers={"Vary": "Accept", **exc.headers})
    except Exception:  # our own stored credential: any failure here is ours, shown plainly
        log.exception("credential page verification failed")
        return render("credential.html", lang, status_code=500, path=path, error=TEXT[lang]["internal"],
                      links=None, headers={"Vary": "Accept"})
    if suspended:
        report = _suspended_by_us(report)
    view = _view(report, lang, now)
    view["image"] = view["image"] or f"{path}/badge.png"
    links = {"png": f"{path}/badge.png", "svg": f"{path}/badge.svg", "json": f"{path}?format=json",
             "address": credential_url, **_linkedin(credential_url, award_id, view, report.get("issued"))}
    return render("credential.html", lang, path=path, result=view, links=links, headers={"Vary": "Accept"})


def missing_credential_page(lang_value: str | None) -> HTMLResponse:
    """A browser asked for a credential that does not exist (404, in words)."""
    lang = pick_lang(lang_value)
    return render("verify.html", lang, status_code=404, error=TEXT[lang]["missing"], headers={"Vary": "Accept"})
