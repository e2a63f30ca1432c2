"""What the residents' pages read and do (``/demander/…``, ``/suivi/…``, ``/proposer/…``, ``/proposition/…``).

A form arrives as typed. Its fields are checked in the order the page shows them, each refusal naming its field and
a code the page puts in words (what the API's schema or the upload cleaner refuse keeps their own words); a form that
passes goes through the API's one way in, so a page never takes what the API refuses. A page may refuse a submit
before reading it (an expired form, too many requests, the trap field filled): it passes that as ``stop``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, fields
from dataclasses import field as dc_field
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import select

from app.badges.identity import normalise_phone
from app.errors import Conflict, InvalidInput, NotFound, SavoirsError
from app.models import Achievement, BadgeProposal, BadgeRequest
from app.schemas.recognition import ProposalIn, ProposalOut, RequestIn, RequestOut
from app.services import organisations
from app.services.context import ServiceContext
from app.services.recognition import proposals, requests
from app.services.recognition.common import digest, follow_url, settings_of
from app.services.recognition.requests import Upload
from app.uploads import UploadRejected, clean_upload
from app.validation_messages import describe

__all__ = ["BadgeView", "FollowAttempt", "LevelView", "ProposalAttempt", "Refusal",
           "RequestAttempt", "SentView", "TypedProposal", "TypedRequest", "add_evidence", "proposal_form",
           "read_typed", "request_form", "revise_proposal", "send_proposal", "send_request", "sent"]

_MEMBER = re.compile(r"^(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>$")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # nobody types them; PostgreSQL refuses NUL
_RECHECK = threading.BoundedSemaphore(1)  # naming a refused file decodes the others again: one at a time


@dataclass(frozen=True, slots=True)
class Refusal:
    """One refused field (``field`` "" for the whole form): a ``code`` the page words with ``params``, or, when the
    code is "", the words of the check that refused it."""
    field: str
    code: str
    message_en: str = ""
    message_fr: str = ""
    params: dict[str, Any] = dc_field(default_factory=dict)

    @classmethod
    def of(cls, exc: SavoirsError, field: str = "", **params: Any) -> Refusal:
        return cls(field, "", exc.message_en, exc.message_fr, params)


@dataclass(frozen=True, slots=True)
class LevelView:
    key: str
    name: str
    description: str | None


@dataclass(frozen=True, slots=True)
class BadgeView:
    """What the request form shows of a published badge, and whether its organisation takes requests now."""
    org_name: str
    achievement_id: str
    name: str
    description: str
    criteria: str | None
    criteria_url: str | None
    levels: tuple[LevelView, ...]
    image: str
    open: bool
    language: str  # the badge's own texts' (name, description, criteria, levels)


@dataclass(frozen=True, slots=True)
class TypedRequest:
    """The request form as typed (``kind``: ``individual`` or ``collective``; ``contact``: ``email``, ``phone``,
    ``none`` or not chosen; ``members``: one per line, "Prénom" or "Prénom <email>"; a checkbox: sent or not)."""
    kind: str = "individual"
    level: str = ""
    name: str = ""
    contact: str = ""
    email: str = ""
    phone: str = ""
    narrative: str = ""
    text_evidence: str = ""
    publish_evidence: str = ""
    publish_name: str = ""
    group_name: str = ""
    members: str = ""


@dataclass(frozen=True, slots=True)
class TypedProposal:
    """The proposal form as typed (``levels`` and ``proposers``: one per line)."""
    name: str = ""
    description: str = ""
    criteria: str = ""
    levels: str = ""
    proposers: str = ""
    email: str = ""


Typed = TypeVar("Typed", TypedRequest, TypedProposal)
Checked = TypeVar("Checked", RequestIn, ProposalIn)


def read_typed(kind: type[Typed], values: dict[str, str]) -> Typed:
    """A form as typed, from its fields (line breaks as ``\\n``, spaces around each field removed)."""
    return kind(**{f.name: _text(values.get(f.name, "")) for f in fields(kind)})


@dataclass(frozen=True, slots=True, kw_only=True)
class Attempt:
    """A submitted form, refused (``refused``; ``stopped``: refused by the page before it was read, or closed
    meanwhile) or taken (``done``; ``token``: the private link's, for a new request or proposal)."""
    refused: tuple[Refusal, ...] = ()
    stopped: SavoirsError | None = None
    done: bool = False
    token: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestAttempt(Attempt):
    badge: BadgeView
    typed: TypedRequest


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowAttempt(Attempt):
    """The evidence form of a request's private page, with the request as it now stands."""
    request: RequestOut
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProposalAttempt(Attempt):
    """A proposal form, new (``org_name``) or changed (``proposal``, as it now stands)."""
    typed: TypedProposal
    org_name: str = ""
    proposal: ProposalOut | None = None


@dataclass(frozen=True, slots=True)
class SentView:
    """Right after a request or a proposal was sent: its private link, its contact (``email``, ``phone``, ``none``)."""
    link: str
    contact: str
    name: str


def _text(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _closed() -> Conflict:
    return Conflict("This organisation does not take requests at the moment.",
                    "Cette organisation ne reçoit pas de demandes en ce moment.", code="requests_closed")


def _lines(value: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(value.split("\n"), 1) if line.strip()]


_CODES = {"missing": "required", "string_too_short": "required", "too_short": "required",
          "string_too_long": "too_long", "too_long": "too_many"}


def _schema_refusal(error: Any, lines: dict[str, list[int]]) -> Refusal:
    """A refusal of the API's schema on the form's field; in a list typed one a line, on its line."""
    loc, kind, context = [str(part) for part in error.get("loc", ())], error.get("type"), error.get("ctx") or {}
    if len(loc) > 1 and loc[1].isdigit() and loc[0] in lines:
        return Refusal(loc[0], "line_email" if loc[-1] == "email" else "line",
                       params={"line": lines[loc[0]][int(loc[1])]})
    if loc in (["email"], ["phone"]):
        return Refusal(loc[0], loc[0])
    if loc and kind in _CODES:
        return Refusal(loc[0], _CODES[kind], params={"max": context.get("max_length"),
                                                     "count": len(error.get("input") or "")})
    said = describe(error)
    return Refusal(loc[0] if loc else "", "", said["message_en"], said["message_fr"])


def _checked(model: type[Checked], body: dict[str, Any], refused: list[Refusal], lines: dict[str, list[int]]
             ) -> Checked | None:
    """``body`` as the API takes it, or None with every refusal added to ``refused`` (the form's own first)."""
    try:
        found = model.model_validate(body)
    except ValidationError as error:
        taken = {r.field for r in refused}
        refused += [r for r in (_schema_refusal(e, lines) for e in error.errors())
                    if r.field not in taken and (r.field or not refused)]
        return None
    return None if refused else found


def _file_refusal(exc: UploadRejected, files: Sequence[Upload], field: str, text_field: str) -> Refusal:
    """An evidence file refused, named: the cleaner stops at the first file it refuses, so when several were sent each
    is checked again alone (after a refusal only) to find it; when none fails alone, it was the text."""
    sent = [f for f in files if f.data]
    culprit = sent[0] if len(sent) == 1 and not str(exc.extra.get("reason", "")).startswith("text_") else None
    if culprit is None and sent:
        with _RECHECK:
            for candidate in sent:
                try:
                    clean_upload(candidate.data, filename=candidate.filename, declared_type=candidate.content_type)
                except UploadRejected:
                    culprit = candidate
                    break
    if culprit is None:
        return Refusal.of(exc, text_field)
    return Refusal.of(exc, field, file=(culprit.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:100])


# ------------------------------------------------------------------------------------------------ the request form


def request_form(ctx: ServiceContext, slug: str, achievement_id: str) -> BadgeView:
    """The published badge the form asks for. :raises NotFound: no such organisation or published badge."""
    with ctx.db.sessions() as session:
        org = organisations.get_by_slug(session, slug)
        row = session.get(Achievement, achievement_id[:32])
        if row is None or row.org_id != org.id or row.state != "published":
            raise NotFound("This organisation has no such published badge.",
                           "Cette organisation n'a pas de badge publié à cette adresse.")
        image = f"/achievements/{row.id}/image.svg"  # generated, for a badge without an image of its own
        if row.image_id:
            image = f"/images/{row.image_id}"
        elif row.image_url and row.image_url.startswith("https://"):
            image = row.image_url
        return BadgeView(org.name, row.id, row.name, row.description, row.criteria_narrative, row.criteria_url,
                         tuple(LevelView(str(lvl["key"]), str(lvl["name"]), lvl.get("description"))
                               for lvl in row.levels), image, settings_of(session, org.id).requests_open,
                         row.language.split("-")[0].lower())


def _contact(typed: TypedRequest, refused: list[Refusal]) -> str:
    chosen = typed.contact if typed.contact in ("email", "phone", "none") else \
        "email" if typed.email else "phone" if typed.phone else ""
    if not chosen:
        refused.append(Refusal("contact", "required"))
    elif chosen != "none" and not getattr(typed, chosen):
        refused.append(Refusal(chosen, "required"))
    elif chosen == "phone":
        try:
            normalise_phone(typed.phone)
        except ValueError:
            refused.append(Refusal("phone", "phone"))
    return chosen


def _members(typed: TypedRequest) -> list[tuple[int, str, str]]:
    """The group's members, one a line: (line number, name, address or "")."""
    members = []
    for number, line in _lines(typed.members):
        found = _MEMBER.match(line)
        members.append((number, *((found["name"].strip(), found["email"].strip()) if found else (line, ""))))
    return members


def _request_in(badge: BadgeView, typed: TypedRequest, lang: str) -> tuple[RequestIn | None, list[Refusal]]:
    refused: list[Refusal] = []
    collective = typed.kind == "collective"
    if badge.levels and typed.level not in {level.key for level in badge.levels}:
        refused.append(Refusal("level", "required"))
    contact = _contact(typed, refused)
    if typed.publish_name and not typed.name:
        refused.append(Refusal("publish_name", "publish_name"))
    members = _members(typed) if collective else []
    if collective and not members:
        refused.append(Refusal("members", "required"))
    return _checked(RequestIn, {
        "achievement_id": badge.achievement_id, "level": typed.level or None, "name": typed.name or None,
        "email": typed.email if contact == "email" else None, "language": lang,
        "phone": typed.phone if contact == "phone" else None, "narrative": typed.narrative,
        "text_evidence": typed.text_evidence or None, "publish_evidence": bool(typed.publish_evidence),
        "publish_name": bool(typed.publish_name), "group_name": typed.group_name if collective else None,
        "members": [{"name": name, "email": email or None} for _, name, email in members]},
        refused, {"members": [number for number, _, _ in members]}), refused


def send_request(ctx: ServiceContext, slug: str, achievement_id: str, typed: TypedRequest, files: Sequence[Upload],
                 lang: str, *, stop: SavoirsError | None = None) -> RequestAttempt:
    """Send the request form, or say why not (fields or a file refused, ``stop``). :raises NotFound: no such
    organisation or published badge. :raises Conflict: ``requests_closed``."""
    badge = request_form(ctx, slug, achievement_id)
    if not badge.open:
        raise _closed()
    if stop is not None:
        return RequestAttempt(badge=badge, typed=typed, refused=(Refusal.of(stop),), stopped=stop)
    body, refused = _request_in(badge, typed, lang)
    if body is None:
        return RequestAttempt(badge=badge, typed=typed, refused=tuple(refused))
    try:
        received = requests.submit(ctx, slug, body, files)
    except UploadRejected as exc:
        refused = [_file_refusal(exc, files, "evidence", "text_evidence")]
    except InvalidInput as exc:  # too many files; a level removed meanwhile
        refused = [Refusal.of(exc, "evidence" if exc.code == "too_many_files" else "")]
    else:
        return RequestAttempt(badge=badge, typed=typed, done=True, token=received.follow_token)
    return RequestAttempt(badge=badge, typed=typed, refused=tuple(refused))


def sent(ctx: ServiceContext, kind: str, token: str) -> SentView:
    """The page right after a ``request`` or a ``proposal`` was sent. :raises NotFound: nothing behind this link."""
    with ctx.db.sessions() as session:
        model = BadgeRequest if kind == "request" else BadgeProposal
        row = session.scalar(select(model).where(model.follow_sha256 == digest(token)))
        if isinstance(row, BadgeRequest):
            badge = session.get(Achievement, row.achievement_id)
            return SentView(follow_url(ctx.urls, token), row.contact_kind, badge.name if badge else "")
        if isinstance(row, BadgeProposal):
            return SentView(f"{ctx.urls.base}/proposition/{token}", "email" if row.contact else "none", row.name)
        raise NotFound("Nothing behind this link.", "Rien derrière ce lien.")


# ------------------------------------------------------------------------------------------------ a request's page


def add_evidence(ctx: ServiceContext, token: str, files: Sequence[Upload], text: str, *,
                 stop: SavoirsError | None = None) -> FollowAttempt:
    """Add evidence (the answer to the committee's question, if any). :raises NotFound: no request behind the link."""
    refused: Refusal | None = None
    text = _text(text)
    if stop is not None:
        refused = Refusal.of(stop)
    elif len(text) > 5000:
        refused = Refusal("text", "too_long", params={"max": 5000, "count": len(text)})
    else:
        try:
            return FollowAttempt(request=requests.add_evidence(ctx, token, files, text or None), done=True)
        except UploadRejected as exc:
            refused = _file_refusal(exc, files, "evidence", "text")
        except (InvalidInput, Conflict) as exc:  # nothing to add, too many files; closed meanwhile
            refused = Refusal.of(exc, "evidence" if exc.code in ("nothing_to_add", "too_many_files") else "")
            stop = exc if isinstance(exc, Conflict) else None
    return FollowAttempt(request=requests.follow(ctx, token), text=text, refused=(refused,), stopped=stop)


# ------------------------------------------------------------------------------------------------ proposals


def proposal_form(ctx: ServiceContext, slug: str) -> tuple[str, bool]:
    """The organisation's name; whether it takes proposals now (with requests). :raises NotFound: no organisation."""
    with ctx.db.sessions() as session:
        org = organisations.get_by_slug(session, slug)
        return org.name, settings_of(session, org.id).requests_open


def _proposal_in(typed: TypedProposal, lang: str) -> tuple[ProposalIn | None, list[Refusal]]:
    refused: list[Refusal] = []
    levels, proposers = _lines(typed.levels), _lines(typed.proposers)
    return _checked(ProposalIn, {
        "name": typed.name, "description": typed.description, "criteria": typed.criteria,
        "levels": [{"name": name} for _, name in levels], "proposers": [name for _, name in proposers],
        "email": typed.email or None, "language": lang},
        refused, {"levels": [n for n, _ in levels], "proposers": [n for n, _ in proposers]}), refused


def send_proposal(ctx: ServiceContext, slug: str, typed: TypedProposal, lang: str, *,
                  stop: SavoirsError | None = None) -> ProposalAttempt:
    """Send the proposal form, or say why not. :raises NotFound, Conflict: no organisation, ``requests_closed``."""
    org_name, open_now = proposal_form(ctx, slug)
    if not open_now:
        raise _closed()
    if stop is not None:
        return ProposalAttempt(org_name=org_name, typed=typed, refused=(Refusal.of(stop),), stopped=stop)
    body, refused = _proposal_in(typed, lang)
    if body is None:
        return ProposalAttempt(org_name=org_name, typed=typed, refused=tuple(refused))
    return ProposalAttempt(org_name=org_name, typed=typed, done=True,
                           token=proposals.propose(ctx, slug, body).follow_token)


def revise_proposal(ctx: ServiceContext, token: str, typed: TypedProposal | None, lang: str, *,
                    stop: SavoirsError | None = None) -> ProposalAttempt:
    """The form to change a proposal (``typed`` None: as it stands), or the change sent, or why not (the address
    given first is kept). :raises NotFound: no proposal behind this link."""
    proposal = proposals.follow(ctx, token)
    if typed is None:
        levels = "\n".join(str(level["name"]) for level in proposal.levels)
        return ProposalAttempt(typed=TypedProposal(proposal.name, proposal.description, proposal.criteria, levels,
                                                   "\n".join(proposal.proposers)), proposal=proposal)
    refused: list[Refusal] = [Refusal.of(stop)] if stop is not None else []
    body = None
    if not refused:
        body, refused = _proposal_in(typed, lang)
    if body is not None:
        try:
            return ProposalAttempt(typed=typed, proposal=proposals.revise(ctx, token, body), done=True)
        except Conflict as exc:
            refused, stop = [Refusal.of(exc)], exc
    return ProposalAttempt(typed=typed, proposal=proposal, refused=tuple(refused), stopped=stop)
