"""A resident's side of a request: send it (with evidence), follow it on a private link, add evidence, withdraw it.

No account: the private link's token (shown once, stored hashed) is the resident's only key to their request. Every
file is cleaned (:func:`app.uploads.clean_upload`: images decoded and re-encoded without metadata) before the
transaction opens; a refused file refuses the whole request, and nothing is stored.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.badges.identity import normalise_email, normalise_phone
from app.errors import Conflict, InvalidInput, NotFound
from app.mail import send_later
from app.mail.messages import request_received
from app.models import Achievement, BadgeRequest, Organisation, RequestEvidence
from app.models.base import new_id
from app.schemas.recognition import RequestIn, RequestOut, RequestReceived
from app.services import audit, organisations
from app.services.context import ServiceContext
from app.services.recognition.common import (
    EvidenceFile,
    digest,
    evidence_file_of,
    find_level,
    follow_url,
    private_link,
    purge_date,
    request_out,
    settings_of,
)
from app.services.recognition.review import requesters, tell_the_committee
from app.uploads import CleanFile, clean_upload

__all__ = ["MAX_FILES", "Upload", "add_evidence", "follow", "published_evidence", "submit",
           "withdraw"]

#: evidence files a request may carry in one round (a round starts again when the committee asks for more)
MAX_FILES = 8
_OPEN = ("received", "more_info")


@dataclass(frozen=True, slots=True)
class Upload:
    """One file as the form sent it: nothing in it is trusted."""

    filename: str | None
    content_type: str | None
    data: bytes


#: images decoded at once in this process (a 50-megapixel photo takes a few hundred MB while it is re-encoded)
_DECODING = threading.BoundedSemaphore(2)


def _clean(files: Sequence[Upload], text: str | None) -> list[CleanFile]:
    if len(files) > MAX_FILES:
        raise InvalidInput(f"At most {MAX_FILES} files at a time.", f"{MAX_FILES} fichiers au plus à la fois.",
                           code="too_many_files")
    cleaned = []
    for f in files:
        if f.data:
            with _DECODING:
                cleaned.append(clean_upload(f.data, filename=f.filename, declared_type=f.content_type))
    if text:
        cleaned.append(clean_upload(text.encode("utf-8"), filename="texte.txt", declared_type="text/plain"))
    return cleaned


def _store(session: Session, request_id: str, round_: int, files: list[CleanFile]) -> None:
    session.add_all([RequestEvidence(request_id=request_id, round=round_, kind=f.kind, media_type=f.media_type,
                                     sha256=f.sha256, size=f.size, width=f.width, height=f.height, content=f.data)
                     for f in files])


def _contact(form: RequestIn) -> tuple[str, str | None]:
    if form.email:
        return "email", normalise_email(form.email)
    if form.phone:
        try:
            return "phone", normalise_phone(form.phone)
        except ValueError:
            raise InvalidInput("This phone number cannot be read: give it as 06 12 34 56 78 or +33 6 12 34 56 78.",
                               "Ce numéro de téléphone est illisible : écrivez-le comme 06 12 34 56 78 ou "
                               "+33 6 12 34 56 78.", code="invalid_phone") from None
    return "none", None


def _published_badge(session: Session, org: Organisation, achievement_id: str) -> Achievement:
    achievement = session.get(Achievement, achievement_id)
    if achievement is None or achievement.org_id != org.id or achievement.state != "published":
        raise NotFound("This organisation has no such published badge.",
                       "Cette organisation n'a pas de badge publié de ce nom.")
    return achievement


def _level(achievement: Achievement, typed: str | None) -> str | None:
    key = find_level(achievement, typed)
    if achievement.levels and key is None:
        names = ", ".join(str(lvl["name"]) for lvl in achievement.levels)
        raise InvalidInput(f"Choose one of this badge's levels: {names}.",
                           f"Choisissez un des niveaux de ce badge : {names}.", code="level_required")
    if not achievement.levels and typed:
        raise InvalidInput("This badge has no levels.", "Ce badge n'a pas de niveaux.", code="no_levels")
    return key


def submit(ctx: ServiceContext, slug: str, form: RequestIn, files: Sequence[Upload]) -> RequestReceived:
    """Record a resident's request for a published badge of the organisation ``slug``, with its evidence; tell the
    resident (an email with the private link, when they gave an address) and each member of the committee (but a
    member who asked themselves), in the same transaction.

    :raises UploadRejected: a file is not an image, PDF or text we accept (nothing is stored).
    :raises Conflict: ``requests_closed``, the organisation does not take requests now.
    """
    cleaned = _clean(files, form.text_evidence)
    kind, contact = _contact(form)
    request_id = new_id()
    token, hashed = private_link(ctx.vault, "request", request_id)
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        org = organisations.get_by_slug(session, slug)
        if not settings_of(session, org.id).requests_open:
            raise Conflict("This organisation does not take requests at the moment.",
                           "Cette organisation ne reçoit pas de demandes en ce moment.", code="requests_closed")
        achievement = _published_badge(session, org, form.achievement_id)
        row = BadgeRequest(
            id=request_id, org_id=org.id, achievement_id=achievement.id, level=_level(achievement, form.level),
            kind="collective" if form.group_name else "individual", requester_name=form.name, contact_kind=kind,
            contact=contact, language=form.language, narrative=form.narrative,
            publish_evidence=form.publish_evidence, publish_name=form.publish_name, group_name=form.group_name,
            members=[{"name": m.name, **({"email": normalise_email(m.email)} if m.email else {})}
                     for m in form.members],
            state="received", round=1, follow_sha256=hashed, claim_codes=[], created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        _store(session, row.id, 1, cleaned)
        audit.record(session, actor="resident", action="request.create", target_type="request", target_id=row.id,
                     org_id=org.id, details={"achievement": achievement.id, "kind": row.kind, "files": len(cleaned)})
        tell_the_committee(ctx, session, org.id, "request", row.id, badge_name=achievement.name, again=False,
                           asked_by=requesters(row), now=now)
        link = follow_url(ctx.urls, token)
        if kind == "email" and contact:
            send_later(ctx, session, request_received(to=contact, language=form.language, org_id=org.id,
                                                      org_name=org.name, badge_name=achievement.name,
                                                      follow_url=link), now=now)
        return RequestReceived(id=row.id, state=row.state, follow_url=link, follow_token=token)


def _by_token(session: Session, token: str, *, lock: bool = False) -> BadgeRequest:
    query = select(BadgeRequest).where(BadgeRequest.follow_sha256 == digest(token))
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFound("No request behind this link.", "Aucune demande derrière ce lien.")
    return row


def follow(ctx: ServiceContext, token: str) -> RequestOut:
    """The request behind a private link, as its resident sees it."""
    with ctx.db.sessions() as session:
        return request_out(session, ctx.urls, _by_token(session, token))


def add_evidence(ctx: ServiceContext, token: str, files: Sequence[Upload], text: str | None) -> RequestOut:
    """Add evidence to an open request; when the committee had asked for more, the request goes back to it (a new
    round of votes) and its members are told.

    :raises Conflict: ``request_closed``, the request was decided or withdrawn.
    """
    cleaned = _clean(files, text)
    if not cleaned:
        raise InvalidInput("Add a file or a text.", "Ajoutez un fichier ou un texte.", code="nothing_to_add")
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = _by_token(session, token, lock=True)
        if row.state not in _OPEN:
            raise Conflict("This request is closed.", "Cette demande est close.", code="request_closed")
        answered = row.state == "more_info"
        if answered:
            row.state, row.round = "received", row.round + 1
        _store(session, row.id, row.round, cleaned)
        row.updated_at = now
        audit.record(session, actor="resident", action="request.evidence", target_type="request", target_id=row.id,
                     org_id=row.org_id, details={"files": len(cleaned), "round": row.round})
        if answered:
            badge = session.get(Achievement, row.achievement_id)
            tell_the_committee(ctx, session, row.org_id, "request", row.id, badge_name=badge.name if badge else "",
                               again=True, asked_by=requesters(row), now=now)
        session.flush()
        return request_out(session, ctx.urls, row)


def withdraw(ctx: ServiceContext, token: str) -> RequestOut:
    """Withdraw an open request: its evidence and the resident's contact are deleted at once.

    :raises Conflict: ``request_closed``, the request was already decided or withdrawn.
    """
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = _by_token(session, token, lock=True)
        if row.state not in _OPEN:
            raise Conflict("This request is closed.", "Cette demande est close.", code="request_closed")
        session.execute(delete(RequestEvidence).where(RequestEvidence.request_id == row.id))
        row.state, row.contact, row.updated_at, row.decided_at = "withdrawn", None, now, now
        row.purge_after = purge_date(settings_of(session, row.org_id), now)
        audit.record(session, actor="resident", action="request.withdraw", target_type="request",
                     target_id=row.id, org_id=row.org_id)
        session.flush()
        return request_out(session, ctx.urls, row)


def published_evidence(ctx: ServiceContext, evidence_id: str) -> EvidenceFile:
    """A file of an accepted request whose resident agreed to publish their evidence (anything else: not found)."""
    with ctx.db.sessions() as session:
        found = session.execute(select(RequestEvidence, BadgeRequest)
                                .join(BadgeRequest, BadgeRequest.id == RequestEvidence.request_id)
                                .where(RequestEvidence.id == evidence_id)).first()
        if found is None or found[1].state != "accepted" or not found[1].publish_evidence:
            raise NotFound("No such evidence.", "Preuve introuvable.")
        return evidence_file_of(found[0])
