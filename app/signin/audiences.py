"""Who may receive a sign-in message: each use case names its audience and decides, from the address, whether a
message is sent. The HTTP answer never depends on it (the decision is taken after the answer is sent).

A new use case (committee members of an organisation, endorsers, holders) adds one entry to :data:`AUDIENCES`: a
name and a function ``admits(session, address) -> bool`` reading its own tables. Signing in only proves that a person
controls an address; what they may then do is decided by the use case, each time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import CommitteeMember, Organisation

__all__ = ["AUDIENCES", "DEFAULT_AUDIENCE", "Audience", "audience_named"]


@dataclass(frozen=True, slots=True)
class Audience:
    name: str
    description: str
    #: whether a message is sent to this normalised address
    admits: Callable[[Session, str], bool]


def _anyone(_session: Session, _address: str) -> bool:
    return True


def _organisation_contact(session: Session, address: str) -> bool:
    found = session.scalar(select(Organisation.id).where(func.lower(Organisation.email) == address.lower(),
                                                         Organisation.kind == "organisation").limit(1))
    return found is not None


def _committee_member(session: Session, address: str) -> bool:
    found = session.scalars(select(CommitteeMember.email).where(
        func.lower(CommitteeMember.email) == address.lower(), CommitteeMember.active.is_(True)).limit(5))
    return any(email.casefold() == address.casefold() for email in found)


AUDIENCES: Mapping[str, Audience] = MappingProxyType({a.name: a for a in (
    Audience("anyone", "Any address: the person proves they read its mail (endorsers, holders).", _anyone),
    Audience("organisation", "The contact address of an issuing organisation only.", _organisation_contact),
    Audience("committee", "An active member of an organisation's steering committee.", _committee_member),
)})
DEFAULT_AUDIENCE = "anyone"


def audience_named(name: str | None) -> Audience:
    """The audience called ``name``; the default one for a missing or unknown name."""
    return AUDIENCES.get(name or DEFAULT_AUDIENCE) or AUDIENCES[DEFAULT_AUDIENCE]
