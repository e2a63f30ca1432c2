"""What a result page shows, already chosen and worded (pure): a verification report, a language and a moment in,
a :class:`ResultView` out. The templates only lay it out.

Only safe addresses reach the page: links are ``http(s)`` with a host, images are those or a ``data:image/png``
URL; everything else from the badge is text (escaped by Jinja2).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from app.pages.linkedin import add_to_profile_url, share_url
from app.pages.text import ACTIVE_NOT_REVOKED, CHECK_NAMES, MONTHS, OUTCOME_ICONS, STATUS, TEXT, VERDICTS, Lang
from app.verify.report import CheckId, Endorsement, Outcome, Report, Status
from app.verify.verdict import Verdict, verdict

__all__ = ["INLINE_PNG_BYTES", "CheckView", "EndorsementView", "EvidenceView", "ResultView", "credential_links",
           "human_date", "result_view", "safe_image", "safe_link", "with_uploaded_image"]

INLINE_PNG_BYTES = 1024 * 1024  # an uploaded baked PNG up to this size is shown back (as a data: URL)
_PNG_DATA_URL = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")


@dataclass(frozen=True, slots=True)
class CheckView:
    name: str
    outcome: str  # passed | failed | skipped (the list item's class)
    outcome_label: str
    icon: str
    message: str


@dataclass(frozen=True, slots=True)
class EndorsementView:
    verified: bool
    issuer: str
    issuer_url: str | None
    comment: str | None
    about: str | None = None  # what it endorses, in words ("ce badge décerné", "l'organisme qui le délivre", …)
    reason: str | None = None  # why it is not verified: its first failed check, in one line


@dataclass(frozen=True, slots=True)
class EvidenceView:
    name: str | None
    url: str | None  # a safe http(s) link only
    text: str | None  # the narrative, or the description


@dataclass(frozen=True, slots=True)
class ResultView:
    kind: Verdict
    tone: str  # ok | warn | bad: green, amber, red
    icon: str
    valid: bool
    headline: str
    explanation: str
    caution: str | None  # above the badge's details when they are not guaranteed (None when valid)
    issuer_name: str
    issuer_url: str | None
    name: str
    description: str | None
    image: str | None
    image_alt: str
    criteria: str | None
    criteria_url: str | None
    level: str | None
    narrative: str | None
    issued: str | None
    expires: str | None
    status: str
    hidden_recipient: bool  # an email, phone or URL is in the badge as a hash only
    published_names: tuple[str, ...]  # names in clear in the badge (a person's, or a group's)
    recipient_ids: tuple[str, ...]
    recipient_check: str | None  # passed | failed | None: the outcome of the recipient check
    checks: tuple[CheckView, ...]
    warnings: tuple[str, ...]
    endorsements: tuple[EndorsementView, ...]
    evidence: tuple[EvidenceView, ...]
    format: str
    credential_id: str | None
    fetched: tuple[str, ...]
    revocation_reason: str | None = None  # our own credentials only: the issuer's words when it revoked


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
        return value if _PNG_DATA_URL.fullmatch(value) else None
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


def _endorsement(endorsement: Endorsement, lang: Lang) -> EndorsementView:
    issuer = endorsement.get("issuer") or {}
    verified = bool(endorsement.get("verified"))
    about = endorsement.get("about")
    failed = next((c for c in endorsement.get("checks") or [] if c.get("outcome") == str(Outcome.FAILED)), None)
    reason = None if verified or failed is None else failed["message_en" if lang == "en" else "message_fr"]
    return EndorsementView(verified=verified,
                           issuer=issuer.get("name") or issuer.get("id") or TEXT[lang]["unknown_issuer"],
                           issuer_url=safe_link(issuer.get("url")), comment=endorsement.get("comment"),
                           about=TEXT[lang].get(f"endorsed_{about}") if isinstance(about, str) else None,
                           reason=" ".join(reason.split()) if reason else None)


def result_view(report: Report, lang: Lang, now: datetime | None = None) -> ResultView:
    """The result of ``report`` in ``lang``; its dates are judged at ``now`` (default: when it was checked)."""
    kind = verdict(report, now)
    words = VERDICTS[kind]
    achievement, issuer = report.achievement, report.issuer
    criteria = achievement.get("criteria") or {"narrative": None, "url": None}
    checks = [c for c in report.checks if c.outcome != Outcome.WARNING]
    outcomes = {c.id: c.outcome for c in checks}
    recipient_check = outcomes.get(CheckId.RECIPIENT)
    name = achievement.get("name") or ""
    en = lang == "en"
    caution = None if kind == Verdict.VALID else TEXT[lang][
        "claims_unconfirmed_note" if kind == Verdict.UNCONFIRMED else "claims_unsure_note"]
    return ResultView(
        kind=kind, tone=words.tone, icon=words.icon, valid=kind == Verdict.VALID,
        headline=words.headline(lang), explanation=words.explanation(lang), caution=caution,
        issuer_name=issuer.get("name") or issuer.get("id") or TEXT[lang]["unknown_issuer"],
        issuer_url=safe_link(issuer.get("url")) or safe_link(issuer.get("id")),
        name=name, description=achievement.get("description"), image=safe_image(achievement.get("image")),
        image_alt=TEXT[lang]["image_alt"].format(name=name),
        criteria=criteria.get("narrative"), criteria_url=safe_link(criteria.get("url")),
        level=achievement.get("level"), narrative=achievement.get("narrative"),
        issued=human_date(report.issued, lang), expires=human_date(report.expires, lang),
        status=ACTIVE_NOT_REVOKED[lang] if report.status == Status.ACTIVE and not report.suspension_checked
        else STATUS[lang].get(report.status, str(report.status)),
        hidden_recipient=any(r.get("hashed") for r in report.recipient),
        published_names=tuple(who for r in report.recipient if r.get("identityType") == "name"
                              and not r.get("hashed") and (who := r.get("identityHash"))),
        recipient_ids=tuple(r["id"] for r in report.recipient  # a random urn:uuid means nothing to a person
                            if isinstance(r.get("id"), str) and not r["id"].startswith("urn:uuid:")),
        recipient_check=None if recipient_check is None else str(recipient_check),
        checks=tuple(CheckView(name=CHECK_NAMES[lang].get(c.id, str(c.id)), outcome=str(c.outcome),
                               outcome_label=TEXT[lang][str(c.outcome)], icon=OUTCOME_ICONS.get(c.outcome, "?"),
                               message=c.message_en if en else c.message_fr) for c in checks),
        warnings=tuple(c.message_en if en else c.message_fr for c in report.checks if c.outcome == Outcome.WARNING),
        endorsements=tuple(_endorsement(e, lang) for e in report.endorsements),
        evidence=tuple(EvidenceView(name=e["name"], url=safe_link(e["url"]), text=e["narrative"] or e["description"])
                       for e in report.evidence),
        format=report.format, credential_id=report.credential_id, fetched=tuple(report.fetched),
    )


def with_uploaded_image(view: ResultView, report: Report, upload: bytes) -> ResultView:
    """Show the baked PNG just read (a ``data:`` URL, safe: we decoded it) when the badge names no image."""
    if view.image is None and upload and report.format.endswith("+baked-png") and len(upload) <= INLINE_PNG_BYTES:
        return replace(view, image="data:image/png;base64," + base64.b64encode(upload).decode())
    return view


def credential_links(path: str, credential_url: str, award_id: str, view: ResultView,
                     issued: str | None, expires: str | None = None) -> dict[str, str]:
    """The share and download links of a credential page at ``path`` (LinkedIn share and "add to profile": no
    credential ID, the expiry month when it has one)."""
    issued_on, expires_on = _parse_date(issued), _parse_date(expires)
    add = add_to_profile_url(name=view.name or "Open Badge", organisation=view.issuer_name or "",
                             issued=issued_on.date() if issued_on else None,
                             expires=expires_on.date() if expires_on else None, credential_url=credential_url)
    return {"png": f"{path}/badge.png", "svg": f"{path}/badge.svg", "json": f"{path}?format=json",
            "address": credential_url, "share": share_url(credential_url), "add": add}
