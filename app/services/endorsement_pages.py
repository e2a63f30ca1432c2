"""What the endorsement pages read and do, beyond the endorsement API's use cases (:mod:`app.services.endorsements`):

* :func:`endorser_page`: the endorser's private link, with what they vouch for in full (a badge's criteria, an
  award's holder) and whether the person signed in is the endorser asked;
* :func:`holder_page`: the award's holder's consent link, with their award in full;
* :func:`give`: the endorser's words from a page (checked as the API checks them), then
  :func:`answering.accept_by_link`;
* :func:`offer_page`, :func:`offer`, :func:`offer_sent`: a visitor offers an endorsement from a public page (what
  they would endorse; their name and words checked as :func:`give` checks words, then :func:`offering.offer`; the
  private link of their offer, right after);
* :func:`achievement_page`: a published badge as a person reads it, with the endorsements of the badge and of its
  organisation that stand (accepted, not revoked), oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput, NotFound
from app.models import Achievement, Award, Endorsement
from app.schemas.endorsements import EndorsementOffer, EndorsementOffered, EndorsementView, OfferAbout
from app.services import achievements, organisations
from app.services.context import ServiceContext
from app.services.endorsements import answering, offering
from app.services.endorsements.common import by_digest, endorser_address, expire, link_url, view
from app.services.endorsements.subjects import name_published, subject_of

__all__ = ["MAX_NAME", "MAX_WORDS", "AchievementPage", "Endorsed", "LevelLine", "LinkPage", "OfferPage", "OfferSent",
           "Voucher", "achievement_page", "endorser_page", "give", "holder_page", "offer", "offer_page", "offer_sent"]

#: the endorsement's words, at most (as the API's ``EndorsementGive.comment``)
MAX_WORDS = 2000
#: an offering visitor's name, as it will be published, at most (as the API's ``EndorsementOffer.name``)
MAX_NAME = 200

SubjectKind = Literal["organisation", "achievement", "award"]

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
class OfferPage:
    """What a visitor may offer to endorse, as its own page shows it, and the organisation that decides."""

    endorsed: Endorsed
    org_name: str


@dataclass(frozen=True, slots=True)
class OfferSent:
    """An offer right after it was made: the endorsement as its private link shows it, and that link in full."""

    view: EndorsementView
    endorsed: Endorsed
    link: str


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
    endorsable: bool = False  # published (not archived): a visitor may offer to endorse it


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


def _endorsed(session: Session, row: Endorsement) -> Endorsed:
    return _endorsed_subject(session, row.subject_kind, row.subject_id, row.org_id)


def _endorsed_subject(session: Session, kind: str, subject_id: str, org_id: str) -> Endorsed:
    if kind == "organisation":
        org = organisations.get_by_id(session, org_id)
        return Endorsed("organisation", org.name, org.description, None, None, None, None, _language(org.language),
                        None)
    holder = None
    if kind == "award":
        award = session.get_one(Award, subject_id)
        badge = session.get_one(Achievement, award.achievement_id)
        holder = award.display_name if award.display_name and name_published(award) else None
        page = f"/credentials/{award.id}"
    else:
        badge = session.get_one(Achievement, subject_id)
        page = f"/achievements/{badge.id}"
    return Endorsed(kind, badge.name, badge.description, badge.criteria_narrative, badge.criteria_url, holder,
                    _image(badge), _language(badge.language), page)


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
    return answering.accept_by_link(ctx, token, address, _words(comment))


def _words(comment: str) -> str:
    """An endorsement's words as a form sends them, checked. :raises InvalidInput: empty, or too long."""
    words = comment.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not words:
        raise InvalidInput("Write your endorsement: a few words are enough.",
                           "Écrivez votre recommandation : quelques mots suffisent.", code="comment_required")
    if len(words) > MAX_WORDS:
        most, count = f"{MAX_WORDS:,}", f"{len(words):,}"
        raise InvalidInput(f"Your endorsement is too long: at most {most} characters (it has {count}).",
                           f"Votre recommandation est trop longue : {_french(most)} caractères au plus (elle en a "
                           f"{_french(count)}).", code="comment_too_long")
    return words


# ------------------------------------------------------------------------------------------------ a visitor's offer


def offer_page(ctx: ServiceContext, kind: SubjectKind, given: str) -> OfferPage:
    """What a visitor would endorse: an organisation (``given``: its slug), a published badge or an award (its id).

    :raises NotFound: nothing public by that name. :raises Conflict: it can no longer be endorsed (a suspended or
        revoked award).
    """
    with ctx.db.sessions() as session:
        org_id, subject_id = offering.public_owner(session, kind, given)
        subject = subject_of(session, ctx.urls, org_id, kind, subject_id)
        return OfferPage(_endorsed_subject(session, kind, subject.id, org_id), subject.org_name)


def offer(ctx: ServiceContext, address: str, kind: SubjectKind, given: str, name: str, comment: str,
          language: Literal["fr", "en"]) -> EndorsementOffered:
    """The visitor signed in with ``address`` offers, from the page's form, their ``name`` (white space as one
    space, at most :data:`MAX_NAME` characters) and their words (as :func:`give` reads them); the organisation
    decides.

    :raises InvalidInput: ``name_required``, ``name_too_long``, ``comment_required``, ``comment_too_long`` (nothing
        stored). :raises NotFound: nothing public by that name.
    """
    published = " ".join(name.split())
    if not published:
        raise InvalidInput("Write your name: it will be published with your endorsement.",
                           "Écrivez votre nom : il sera publié avec votre recommandation.", code="name_required")
    if len(published) > MAX_NAME:
        count = f"{len(published):,}"
        raise InvalidInput(f"Your name is too long: at most {MAX_NAME} characters (it has {count}).",
                           f"Votre nom est trop long : {MAX_NAME} caractères au plus (il en a {_french(count)}).",
                           code="name_too_long")
    words = _words(comment)
    if len(given) > 64:
        raise offering.nothing_public()
    return offering.offer(ctx, address, EndorsementOffer(about=OfferAbout(kind=kind, id=given), name=published,
                                                         comment=words, language=language))


def offer_sent(ctx: ServiceContext, token: str) -> OfferSent:
    """An offer's private link, right after the offer. :raises NotFound: ``unknown_link`` (or not an offer)."""
    with ctx.db.sessions() as session:
        row = by_digest(session, Endorsement.link_sha256, token, lock=False)
        if row.origin != "offered":
            raise NotFound("This link does not lead to any endorsement.", "Ce lien ne mène à aucune recommandation.",
                           code="unknown_link")
        expire(row, ctx.clock.now())
        return OfferSent(view(ctx, session, row), _endorsed(session, row), link_url(ctx, token))


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
            org_endorsements=_vouchers(session, "organisation", org.id), endorsable=row.state == "published")
