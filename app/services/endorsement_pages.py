"""What the endorsement pages read and do, beyond the endorsement API's use cases (:mod:`app.services.endorsements`):

* :func:`endorser_page`: the endorser's private link, with what they vouch for in full (a badge's criteria, an
  award's holder) and whether the person signed in is the endorser asked;
* :func:`holder_page`: the award's holder's consent link, with their award in full;
* :func:`give`: the endorser's words from a page (checked as the API checks them), then
  :func:`answering.accept_by_link`;
* :func:`achievement_page`: a published badge as a person reads it, with the endorsements of the badge and of its
  organisation that stand (accepted, not revoked), oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.models import Achievement, Award, Endorsement
from app.schemas.endorsements import EndorsementView
from app.services import achievements, organisations
from app.services.context import ServiceContext
from app.services.endorsements import answering
from app.services.endorsements.common import by_digest, endorser_address, expire, view

__all__ = ["MAX_WORDS", "AchievementPage", "Endorsed", "LevelLine", "LinkPage", "Voucher", "achievement_page",
           "endorser_page", "give", "holder_page"]

#: the endorsement's words, at most (as the API's ``EndorsementGive.comment``)
MAX_WORDS = 2000

SignedIn = Literal["no", "endorser", "other"]


@dataclass(frozen=True, slots=True)
class Endorsed:
    """What is vouched for, as its own page shows it; ``language`` is the language of its texts."""

    kind: str  # organisation | achievement | award
    name: str
    description: str | None
    criteria: str | None
    criteria_url: str | None
    holder: str | None  # an award's holder, when their name is published in it
    image: str | None  # a path of ours, or an https address
    language: str
    page: str | None  # its public page (a badge, an award); None for an organisation


@dataclass(frozen=True, slots=True)
class LinkPage:
    """A private link's page: the endorsement as its API shows it, what it is about, the language the organisation
    wrote its message in, and who is signed in (for the endorser's link)."""

    view: EndorsementView
    endorsed: Endorsed
    language: str
    origin: str  # requested | offered
    signed_in: SignedIn = "no"


@dataclass(frozen=True, slots=True)
class Voucher:
    """One endorsement that stands, as published: its endorser's name, their words, the day it was given."""

    name: str
    comment: str | None
    given: datetime
    language: str


@dataclass(frozen=True, slots=True)
class LevelLine:
    name: str
    description: str | None


@dataclass(frozen=True, slots=True)
class AchievementPage:
    id: str
    name: str
    description: str
    criteria: str | None
    criteria_url: str | None
    image: str
    levels: tuple[LevelLine, ...]
    language: str
    org_name: str
    org_url: str | None
    org_description: str | None
    org_language: str
    endorsements: tuple[Voucher, ...]
    org_endorsements: tuple[Voucher, ...]


def _language(value: str | None) -> str:
    return (value or "fr").split("-")[0].lower()


def _image(row: Achievement) -> str:
    """The badge's image: uploaded, its own https address, or the one generated for a badge without one."""
    if row.image_id:
        return f"/images/{row.image_id}"
    if row.image_url and row.image_url.startswith("https://"):
        return row.image_url
    return f"/achievements/{row.id}/image.svg"


def _french(number: str) -> str:
    """``2,000`` written the French way: ``2\u202f000``."""
    return number.replace(",", "\u202f")


def _name_published(award: Award) -> bool:
    subject = award.credential.get("credentialSubject", {})
    return any(isinstance(i, dict) and i.get("identityType") == "name" for i in subject.get("identifier", []))


def _endorsed(session: Session, row: Endorsement) -> Endorsed:
    if row.subject_kind == "organisation":
        org = organisations.get_by_id(session, row.org_id)
        return Endorsed("organisation", org.name, org.description, None, None, None, None, _language(org.language),
                        None)
    holder = None
    if row.subject_kind == "award":
        award = session.get_one(Award, row.subject_id)
        badge = session.get_one(Achievement, award.achievement_id)
        holder = award.display_name if award.display_name and _name_published(award) else None
        page = f"/credentials/{award.id}"
    else:
        badge = session.get_one(Achievement, row.subject_id)
        page = f"/achievements/{badge.id}"
    return Endorsed(row.subject_kind, badge.name, badge.description, badge.criteria_narrative, badge.criteria_url,
                    holder, _image(badge), _language(badge.language), page)


def endorser_page(ctx: ServiceContext, token: str, address: str | None) -> LinkPage:
    """The endorser's link, read by the person signed in with ``address`` (None: nobody is).

    :raises NotFound: ``unknown_link``.
    """
    with ctx.db.sessions() as session:
        row = by_digest(session, Endorsement.link_sha256, token, lock=False)
        expire(row, ctx.clock.now())
        signed_in: SignedIn = "no" if address is None else \
            "endorser" if address.casefold() == endorser_address(session, row).casefold() else "other"
        return LinkPage(view(ctx, session, row), _endorsed(session, row), _language(row.language), row.origin,
                        signed_in)


def holder_page(ctx: ServiceContext, token: str) -> LinkPage:
    """The award's holder's consent link. :raises NotFound: ``unknown_link``."""
    with ctx.db.sessions() as session:
        row = by_digest(session, Endorsement.consent_sha256, token, lock=False)
        expire(row, ctx.clock.now())
        return LinkPage(view(ctx, session, row, needs_sign_in=False), _endorsed(session, row),
                        _language(row.language), row.origin)


def give(ctx: ServiceContext, token: str, address: str, comment: str) -> EndorsementView:
    """The endorser's words from the page's form: line breaks as one character each (as the form counted them),
    some words, at most :data:`MAX_WORDS` characters; then signed and published.

    :raises InvalidInput: ``comment_required``, ``comment_too_long`` (nothing stored).
    """
    words = comment.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not words:
        raise InvalidInput("Write your endorsement: a few words are enough.",
                           "Écrivez votre recommandation : quelques mots suffisent.", code="comment_required")
    if len(words) > MAX_WORDS:
        most, count = f"{MAX_WORDS:,}", f"{len(words):,}"
        raise InvalidInput(f"Your endorsement is too long: at most {most} characters (it has {count}).",
                           f"Votre recommandation est trop longue : {_french(most)} caractères au plus (elle en a "
                           f"{_french(count)}).", code="comment_too_long")
    return answering.accept_by_link(ctx, token, address, words)


# ------------------------------------------------------------------------------------------------ a badge's page


def _vouchers(session: Session, kind: str, subject_id: str) -> tuple[Voucher, ...]:
    rows = session.scalars(select(Endorsement).where(
        Endorsement.subject_kind == kind, Endorsement.subject_id == subject_id, Endorsement.state == "accepted")
        .order_by(Endorsement.decided_at, Endorsement.id))
    found = []
    for row in rows:
        credential: dict[str, Any] = row.credential or {}
        issuer, subject = credential.get("issuer") or {}, credential.get("credentialSubject") or {}
        name = issuer.get("name") if isinstance(issuer, dict) else None
        comment = subject.get("endorsementComment") if isinstance(subject, dict) else None
        found.append(Voucher(str(name or row.invited_name or "—"), comment if isinstance(comment, str) else
                             row.comment, row.decided_at or row.updated_at, _language(row.language)))
    return tuple(found)


def achievement_page(ctx: ServiceContext, achievement_id: str) -> AchievementPage:
    """A published (or archived) badge, its organisation, and the endorsements of both that stand.

    :raises NotFound: no such badge, or a draft.
    """
    with ctx.db.sessions() as session:
        row = achievements.get_public(session, achievement_id[:32])
        org = organisations.get_by_id(session, row.org_id)
        return AchievementPage(
            id=row.id, name=row.name, description=row.description, criteria=row.criteria_narrative,
            criteria_url=row.criteria_url, image=_image(row),
            levels=tuple(LevelLine(str(level["name"]), level.get("description")) for level in row.levels),
            language=_language(row.language), org_name=org.name, org_url=org.url, org_description=org.description,
            org_language=_language(org.language), endorsements=_vouchers(session, "achievement", row.id),
            org_endorsements=_vouchers(session, "organisation", org.id))
