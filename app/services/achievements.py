"""Achievements: drafts, publication, immutable published versions, archiving."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import presenters
from app.badges import images
from app.badges.default_image import default_svg
from app.badges.ob3 import AchievementDoc, Level, achievement_document
from app.errors import Conflict, InvalidInput, NotFound
from app.models import Achievement, StoredImage
from app.models.base import new_id
from app.schemas.achievements import AchievementOut
from app.services import audit
from app.urls import PublicUrls

if TYPE_CHECKING:
    from app.principal import Principal
    from app.services.context import ServiceContext

__all__ = ["ImageFile", "NotAnImage", "archive", "archive_version", "create", "create_draft", "generated_image",
           "get_image", "get_owned", "get_public", "image_file", "image_url", "list_owned", "publish",
           "publish_version", "public_document", "public_version", "read", "set_image", "to_doc", "update",
           "update_draft", "upload_image"]

_FIELDS = {"name": "name", "description": "description", "achievementType": "achievement_type",
           "image": "image_url", "tags": "tags", "alignments": "alignments", "language": "language"}


def _without_nulls(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _apply(row: Achievement, data: dict[str, Any]) -> None:
    for api_name, column in _FIELDS.items():
        if api_name in data:
            setattr(row, column, data[api_name])
    if "alignments" in data:
        row.alignments = [_without_nulls(a) for a in data["alignments"]]
    if "image" in data:  # an image URL replaces an uploaded image, and the other way round
        row.image_id = None
    if "image_id" in data:
        row.image_id, row.image_url = data["image_id"], None
    if "criteria" in data:
        row.criteria_narrative = data["criteria"].get("narrative")
        row.criteria_url = data["criteria"].get("url")
    if "levels" in data:
        row.levels = [{"key": f"level-{i}", **{k: v for k, v in lvl.items() if v is not None}}
                      for i, lvl in enumerate(data["levels"], start=1)]


def create(session: Session, org_id: str, data: dict[str, Any], *, actor: str) -> Achievement:
    achievement_id = new_id()
    row = Achievement(id=achievement_id, org_id=org_id, lineage_id=achievement_id, version=1, state="draft",
                      tags=[], alignments=[], levels=[])
    _apply(row, data)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="achievement.create", target_type="achievement",
                 target_id=row.id, org_id=org_id)
    return row


def get_owned(session: Session, org_id: str, achievement_id: str, *, for_update: bool = False) -> Achievement:
    query = select(Achievement).where(Achievement.id == achievement_id, Achievement.org_id == org_id)
    if for_update:
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        raise NotFound("No such achievement.", "Badge introuvable.")
    return row


def get_public(session: Session, achievement_id: str) -> Achievement:
    row = session.get(Achievement, achievement_id)
    if row is None or row.state == "draft":
        raise NotFound("No such achievement.", "Badge introuvable.")
    return row


def public_version(session: Session, achievement_id: str) -> datetime:
    """When a published (or archived) version last changed, without reading it: its public documents (OB 3.0
    Achievement, OB 2.0 BadgeClass) are built from that row alone, which never changes once published."""
    found = session.execute(select(Achievement.state, Achievement.updated_at)
                            .where(Achievement.id == achievement_id)).first()
    if found is None or found.state == "draft":
        raise NotFound("No such achievement.", "Badge introuvable.")
    updated: datetime = found.updated_at
    return updated


def list_owned(session: Session, org_id: str, state: str | None = None) -> list[Achievement]:
    query = select(Achievement).where(Achievement.org_id == org_id)
    if state:
        query = query.where(Achievement.state == state)
    return list(session.scalars(query.order_by(Achievement.created_at, Achievement.version)))


def update(session: Session, org_id: str, achievement_id: str, data: dict[str, Any], *, actor: str
           ) -> tuple[Achievement, bool]:
    """Edit a draft in place, or derive a new draft version from a published one. Returns (row, is_new)."""
    row = get_owned(session, org_id, achievement_id, for_update=True)
    if row.state == "archived":
        raise Conflict("An archived achievement cannot change.", "Un badge archivé ne peut plus changer.",
                       code="achievement_archived")
    if row.state == "draft":
        _apply(row, data)
        audit.record(session, actor=actor, action="achievement.update", target_type="achievement",
                     target_id=row.id, org_id=org_id, details={"fields": sorted(data)})
        session.flush()
        return row, False
    latest = session.scalar(select(func.max(Achievement.version)).where(Achievement.lineage_id == row.lineage_id))
    copy = Achievement(id=new_id(), org_id=org_id, lineage_id=row.lineage_id, version=(latest or 0) + 1,
                       state="draft", name=row.name, description=row.description,
                       criteria_narrative=row.criteria_narrative, criteria_url=row.criteria_url,
                       achievement_type=row.achievement_type, image_url=row.image_url, image_id=row.image_id,
                       tags=list(row.tags), alignments=list(row.alignments), levels=list(row.levels),
                       language=row.language)
    _apply(copy, data)
    session.add(copy)
    session.flush()
    audit.record(session, actor=actor, action="achievement.new_version", target_type="achievement",
                 target_id=copy.id, org_id=org_id, details={"from": row.id, "version": copy.version})
    return copy, True


def set_image(session: Session, org_id: str, achievement_id: str, media_type: str, content: bytes, *, actor: str
              ) -> tuple[Achievement, bool]:
    """Attach an already checked image (PNG walked, SVG sanitised). A published achievement gets a new draft
    version, as for any other change. Returns (row, is_new)."""
    image = StoredImage(id=new_id(), org_id=org_id, media_type=media_type, content=content,
                  sha256=hashlib.sha256(content).hexdigest())
    session.add(image)
    session.flush()
    return update(session, org_id, achievement_id, {"image_id": image.id}, actor=actor)


def get_image(session: Session, image_id: str) -> StoredImage:
    image = session.get(StoredImage, image_id)
    if image is None:
        raise NotFound("No such image.", "Image introuvable.")
    return image


def publish(session: Session, org_id: str, achievement_id: str, *, now: datetime, actor: str) -> Achievement:
    """Freeze a draft. The lineage's previously published version is archived (its credentials stay valid)."""
    row = get_owned(session, org_id, achievement_id, for_update=True)
    if row.state != "draft":
        raise Conflict("Only a draft can be published.", "Seul un brouillon peut être publié.",
                       code="achievement_not_draft")
    for older in session.scalars(select(Achievement).where(
            Achievement.lineage_id == row.lineage_id, Achievement.state == "published")):
        older.state = "archived"
    row.state, row.published_at = "published", now
    audit.record(session, actor=actor, action="achievement.publish", target_type="achievement",
                 target_id=row.id, org_id=org_id)
    session.flush()
    return row


def archive(session: Session, org_id: str, achievement_id: str, *, actor: str) -> Achievement:
    row = get_owned(session, org_id, achievement_id, for_update=True)
    if row.state == "archived":
        return row
    row.state = "archived"
    audit.record(session, actor=actor, action="achievement.archive", target_type="achievement",
                 target_id=row.id, org_id=org_id)
    session.flush()
    return row


def image_url(row: Achievement, urls: PublicUrls) -> str | None:
    if row.image_id:
        return urls.image(row.image_id)
    return row.image_url


def to_doc(row: Achievement, urls: PublicUrls) -> AchievementDoc:
    """The pure document view of a stored achievement version."""
    return AchievementDoc(
        id=urls.achievement(row.id), name=row.name, description=row.description,
        criteria_narrative=row.criteria_narrative, criteria_url=row.criteria_url,
        achievement_type=row.achievement_type, image=image_url(row, urls), tags=tuple(row.tags),
        alignments=tuple(_without_nulls(a) for a in row.alignments), language=row.language, version=row.version,
        levels=tuple(Level(key=lvl["key"], name=lvl["name"], description=lvl.get("description"),
                           criteria=lvl.get("criteria")) for lvl in row.levels),
    )


# ------------------------------------------------------------------------------------------------ use cases


class NotAnImage(InvalidInput):
    code = "invalid_image"
    message_en = "Send a PNG or SVG image, as the request body (Content-Type image/png or image/svg+xml) or as " \
                 "the 'file' field of a multipart form."
    message_fr = "Envoyez une image PNG ou SVG, comme corps de la requête (Content-Type image/png ou " \
                 "image/svg+xml) ou dans le champ « file » d'un formulaire multipart."


def create_draft(ctx: ServiceContext, principal: Principal, data: dict[str, Any]) -> AchievementOut:
    with ctx.db.transaction() as session:
        return presenters.achievement_out(create(session, principal.org_id, data, actor=principal.actor), ctx.urls)



def read(ctx: ServiceContext, principal: Principal, achievement_id: str) -> AchievementOut:
    with ctx.db.sessions() as session:
        return presenters.achievement_out(get_owned(session, principal.org_id, achievement_id), ctx.urls)


def update_draft(ctx: ServiceContext, principal: Principal, achievement_id: str, changes: dict[str, Any]
                 ) -> tuple[AchievementOut, bool]:
    """Edit a draft, or derive a new draft version of a published achievement: (achievement, is_new)."""
    with ctx.db.transaction() as session:
        row, is_new = update(session, principal.org_id, achievement_id, changes, actor=principal.actor)
        return presenters.achievement_out(row, ctx.urls), is_new


def publish_version(ctx: ServiceContext, principal: Principal, achievement_id: str) -> AchievementOut:
    with ctx.db.transaction() as session:
        row = publish(session, principal.org_id, achievement_id, now=ctx.clock.now(), actor=principal.actor)
        return presenters.achievement_out(row, ctx.urls)


def archive_version(ctx: ServiceContext, principal: Principal, achievement_id: str) -> AchievementOut:
    with ctx.db.transaction() as session:
        return presenters.achievement_out(archive(session, principal.org_id, achievement_id, actor=principal.actor),
                                          ctx.urls)


def public_document(ctx: ServiceContext, achievement_id: str) -> dict[str, Any]:
    """The OB 3.0 Achievement of a published (or archived) version."""
    with ctx.db.sessions() as session:
        return achievement_document(to_doc(get_public(session, achievement_id), ctx.urls), with_context=True)


def upload_image(ctx: ServiceContext, principal: Principal, achievement_id: str, declared: str | None,
                 data: bytes) -> tuple[AchievementOut, bool]:
    """Check (PNG walked, SVG sanitised) and attach an uploaded image: (achievement, is_new version)."""
    sniffed = images.sniff(data)
    if declared not in (None, "application/octet-stream", sniffed):
        raise NotAnImage()
    content = images.check_image(data, sniffed)
    with ctx.db.transaction() as session:
        row, is_new = set_image(session, principal.org_id, achievement_id, sniffed, content, actor=principal.actor)
        return presenters.achievement_out(row, ctx.urls), is_new


class ImageFile:
    """Bytes to serve as an image, with their type and a strong validator."""

    __slots__ = ("content", "etag", "media_type")

    def __init__(self, content: bytes, media_type: str, digest: str) -> None:
        self.content, self.media_type, self.etag = content, media_type, f'"{digest[:32]}"'


def image_file(ctx: ServiceContext, image_id: str) -> ImageFile:
    with ctx.db.sessions() as session:
        image = get_image(session, image_id)
        return ImageFile(image.content, image.media_type, image.sha256)


def generated_image(ctx: ServiceContext, achievement_id: str) -> ImageFile:
    """The generated SVG of a published badge that has no image of its own."""
    with ctx.db.sessions() as session:
        row = get_public(session, achievement_id)
        content = default_svg(row.name, row.id)
    return ImageFile(content, "image/svg+xml", hashlib.sha256(content).hexdigest())
