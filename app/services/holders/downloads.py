"""What a holder sees of their space and takes away from it: the list, one badge, its files (the credential as
JSON and as a VC-JWT, the baked PNG or SVG, a one-page PDF certificate with a QR code to its verification page),
a "CV" PDF of the badges they choose, and an archive of everything that verifies without us."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from app.documents.certificate import CertificateBadge, certificate_pdf, cv_pdf
from app.errors import InvalidInput
from app.models import Achievement, Award, Holder, Organisation
from app.pages.linkedin import add_to_profile_url
from app.services import baking, publication
from app.services.context import ServiceContext
from app.services.holders.backpacks import ConnectionView, connections
from app.services.holders.privacy import shown_name
from app.services.holders.received import ReceivedView, received_views
from app.services.holders.spaces import HolderKey, holder_of, owned_award, space_awards

__all__ = ["BadgeView", "SpaceView", "archive", "badge", "baked", "certificate", "credential_json",
           "credential_jwt", "cv", "space"]

Lang = Literal["fr", "en"]
Status = Literal["active", "revoked", "suspended", "expired"]
#: at most this many badges in one CV
CV_MAX = 50


@dataclass(frozen=True, slots=True)
class BadgeView:
    """One award as its holder sees it."""

    award_id: str
    name: str
    description: str
    criteria: str | None
    level: str | None
    issuer: str
    issued_on: date
    valid_until: date | None
    status: Status
    public: bool
    shown_name: str | None
    #: the name the organisation recorded, offered as the name to show
    suggested_name: str | None
    credential_url: str
    linkedin: str
    endorsed_by: tuple[str, ...]
    #: the badge's image as its credential names it (an address of ours, or None)
    image: str | None
    #: the backpacks elsewhere the space is connected to (filled on the badge's own page)
    backpacks: tuple[ConnectionView, ...] = ()


@dataclass(frozen=True, slots=True)
class SpaceView:
    badges: tuple[BadgeView, ...]
    #: signed in with an address (else: a space opened with a claim code)
    by_address: bool
    #: credentials other applications put in the space, with their verdicts
    received: tuple[ReceivedView, ...] = ()


def _status(award: Award, now: datetime) -> Status:
    if award.status in ("revoked", "suspended"):
        return "revoked" if award.status == "revoked" else "suspended"
    if award.valid_until is not None and award.valid_until <= now:
        return "expired"
    return "active"


def _level(achievement: Achievement, key: str | None) -> str | None:
    return next((str(lvl["name"]) for lvl in achievement.levels if lvl.get("key") == key), None) if key else None


def _endorsers(award: Award) -> tuple[str, ...]:
    names: list[str] = []
    found = award.credential.get("endorsement")
    subject = award.credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    carried = achievement.get("endorsement") if isinstance(achievement, dict) else None
    for item in [*(found if isinstance(found, list) else []), *(carried if isinstance(carried, list) else [])]:
        issuer = item.get("issuer") if isinstance(item, dict) else None
        name = issuer.get("name") if isinstance(issuer, dict) else None
        if isinstance(name, str) and name not in names:
            names.append(name)
    return tuple(names)


def _image(credential: dict[str, Any]) -> str | None:
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    image = achievement.get("image") if isinstance(achievement, dict) else None
    found = image.get("id") if isinstance(image, dict) else image
    return found if isinstance(found, str) and found.startswith(("https://", "http://")) else None


def _view(ctx: ServiceContext, session: Session, award: Award, now: datetime) -> BadgeView:
    achievement = session.get_one(Achievement, award.achievement_id)
    org = session.get_one(Organisation, award.org_id)
    url = ctx.urls.credential(award.id)
    issued, until = award.created_at.date(), award.valid_until.date() if award.valid_until else None
    return BadgeView(
        award_id=award.id, name=achievement.name, description=achievement.description,
        criteria=achievement.criteria_narrative, level=_level(achievement, award.level_id), issuer=org.name,
        issued_on=issued, valid_until=until, status=_status(award, now), public=award.visibility == "public",
        shown_name=shown_name(award.credential), suggested_name=award.display_name, credential_url=url,
        linkedin=add_to_profile_url(name=achievement.name, organisation=org.name, issued=issued, expires=until,
                                    credential_url=url),
        endorsed_by=_endorsers(award), image=_image(award.credential))


def space(ctx: ServiceContext, who: HolderKey) -> SpaceView:
    """The badges of the space of whoever asks (the awards issued to their address are claimed on the way)."""
    with ctx.db.transaction() as session:
        now = ctx.clock.now()
        holder = holder_of(ctx, session, who, now)
        views = tuple(_view(ctx, session, award, now) for award in space_awards(session, holder))
        return SpaceView(views, by_address=holder.email_key is not None, received=received_views(session, holder))


def _owned(ctx: ServiceContext, who: HolderKey, award_id: str) -> tuple[Holder, Award, BadgeView]:
    with ctx.db.transaction() as session:
        now = ctx.clock.now()
        holder = holder_of(ctx, session, who, now)
        award = owned_award(session, holder, award_id)
        view = _view(ctx, session, award, now)
        session.expunge_all()
        return holder, award, view


def badge(ctx: ServiceContext, who: HolderKey, award_id: str) -> BadgeView:
    """One badge of the space, with the backpacks it can be sent to. :raises NotFound: not in this space."""
    with ctx.db.transaction() as session:
        now = ctx.clock.now()
        holder = holder_of(ctx, session, who, now)
        view = _view(ctx, session, owned_award(session, holder, award_id), now)
        return replace(view, backpacks=connections(session, holder))


def credential_json(ctx: ServiceContext, who: HolderKey, award_id: str) -> bytes:
    """The signed OB 3.0 credential (JSON-LD with its proof), public or not."""
    _owned(ctx, who, award_id)
    return json.dumps(publication.servable_award(ctx, award_id, public=False).credential, ensure_ascii=False,
                      indent=2).encode("utf-8")


def credential_jwt(ctx: ServiceContext, who: HolderKey, award_id: str) -> bytes:
    """The credential as a VC-JWT (RS256, its key named by URL), public or not."""
    _owned(ctx, who, award_id)
    return publication.credential_token(ctx, award_id, "RS256", public=False).encode("ascii")


def baked(ctx: ServiceContext, who: HolderKey, award_id: str, extension: baking.Extension) -> bytes:
    """The badge image with the credential baked in, public or not."""
    _owned(ctx, who, award_id)
    return baking.credential_image(ctx, award_id, extension, public=False)


def _certificate_badge(ctx: ServiceContext, view: BadgeView) -> CertificateBadge:
    with ctx.db.sessions() as session:
        award = session.get_one(Award, view.award_id)
        image = baking.base_image(session, session.get_one(Achievement, award.achievement_id), "png")
    return CertificateBadge(
        name=view.name, description=view.description, criteria=view.criteria, level=view.level, issuer=view.issuer,
        holder_name=view.shown_name, issued_on=view.issued_on, valid_until=view.valid_until,
        endorsed_by=view.endorsed_by, image_png=image, verify_url=view.credential_url, status=view.status)


def certificate(ctx: ServiceContext, who: HolderKey, award_id: str, lang: Lang) -> bytes:
    """A one-page PDF certificate of one badge, with a QR code to its verification page."""
    view = _owned(ctx, who, award_id)[2]
    return certificate_pdf(_certificate_badge(ctx, view), lang, created=ctx.clock.now())


def cv(ctx: ServiceContext, who: HolderKey, award_ids: Sequence[str], lang: Lang) -> bytes:
    """A PDF of the badges chosen (in the order of the space), with the name the holder shows, if one.

    :raises InvalidInput: ``cv_empty``: no badge chosen (or none of the space)."""
    chosen = set(award_ids[:CV_MAX * 4])
    views = [v for v in space(ctx, who).badges if v.award_id in chosen][:CV_MAX]
    if not views:
        raise InvalidInput("Choose at least one badge for your CV.", "Choisissez au moins un badge pour votre CV.",
                           code="cv_empty")
    name = next((v.shown_name for v in views if v.shown_name), None)
    return cv_pdf(name, [_certificate_badge(ctx, v) for v in views], lang, created=ctx.clock.now())


_README = {
    "fr": ("Vos badges\n==========\n\nChaque badge est ici deux fois : le fichier .json (le badge signé, au format "
           "Open Badges 3.0) et l'image .png qui le contient. Gardez-les : ils restent vérifiables même si le site "
           "qui les a émis disparaît, car la signature se vérifie avec la clé publique de l'organisme.\n\n"
           "Pour vérifier un badge, déposez le fichier .png ou .json sur une page de vérification Open Badges, ou "
           "ajoutez-le à un sac à badges (Open Badge Passport, par exemple).\n"),
    "en": ("Your badges\n===========\n\nEach badge is here twice: the .json file (the signed badge, Open Badges 3.0) "
           "and the .png image that carries it. Keep them: they stay verifiable even if the site that issued them "
           "disappears, as the signature is checked with the organisation's public key.\n\nTo check a badge, drop "
           "the .png or .json file on an Open Badges verification page, or add it to a backpack (Open Badge "
           "Passport, for example).\n"),
}


def archive(ctx: ServiceContext, who: HolderKey, lang: Lang) -> bytes:
    """A ZIP of every badge of the space: its signed credential (JSON) and its baked PNG, with a plain README."""
    badges = space(ctx, who).badges
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("LISEZ-MOI.txt" if lang == "fr" else "README.txt", _README[lang])
        for number, view in enumerate(badges, start=1):
            stem = f"{number:02d}-{view.award_id}"
            award = publication.servable_award(ctx, view.award_id, public=False)  # read (and re-signed) once
            package.writestr(f"{stem}.json", json.dumps(award.credential, ensure_ascii=False, indent=2))
            with ctx.db.sessions() as session:
                package.writestr(f"{stem}.png", baking.baked_credential(session, award, "png"))
    return out.getvalue()
