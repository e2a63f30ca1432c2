"""Bodies of the endorsement API: an organisation asks for an endorsement, an endorser answers, anyone reads one."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.schemas.common import EmailText

__all__ = ["About", "EndorsementAsk", "EndorsementAsked", "EndorsementDecided", "EndorsementGive", "EndorsementOffer",
           "EndorsementOffered", "EndorsementOut", "EndorsementView", "Endorser", "OfferAbout", "SubjectView"]

SubjectKind = Literal["organisation", "achievement", "award"]
State = Literal["consent", "requested", "offered", "accepted", "declined", "expired", "revoked"]


class About(BaseModel):
    """What is endorsed: the organisation itself, one of its achievements (a published version), or one award."""

    model_config = ConfigDict(extra="forbid")
    kind: SubjectKind
    id: str | None = Field(default=None, max_length=32, description="The achievement's or the award's id (none for "
                                                                     "the organisation).")

    @model_validator(mode="after")
    def _id_when_needed(self) -> Self:
        if (self.kind == "organisation") != (self.id is None):
            raise ValueError("give the id of the achievement or the award, and none for the organisation")
        return self


class Endorser(BaseModel):
    """Who is asked: another organisation of this service (by its slug), or a person (name and email address)."""

    model_config = ConfigDict(extra="forbid")
    organisation: str | None = Field(default=None, max_length=64, description="Slug of an organisation of this "
                                                                              "service.")
    name: str | None = Field(default=None, max_length=200, description="A person's name, as it will be published.")
    email: EmailText | None = Field(default=None, description="A person's address: they prove it by signing in.")

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if (self.organisation is None) == (self.name is None and self.email is None):
            raise ValueError("name an organisation, or a person (name and email), not both")
        if self.organisation is None and (self.name is None or self.email is None):
            raise ValueError("a person needs a name and an email address")
        return self


class EndorsementAsk(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"about": {"kind": "achievement", "id": "4tD5Qp1oR0iY3m8m2m1w1g"},
         "endorser": {"organisation": "mairie-rouen"},
         "message": "Nous aimerions que la mairie recommande notre badge « Couture ».", "expires_in_days": 30},
        {"about": {"kind": "organisation"}, "endorser": {"name": "Fatou Diallo", "email": "fatou@exemple.fr"}}]})
    about: About
    endorser: Endorser
    message: str | None = Field(default=None, max_length=1000, description="Your words to the endorser.")
    language: Literal["fr", "en"] = "fr"
    expires_in_days: int = Field(default=30, ge=1, le=90)
    send_email: bool = Field(default=True, description="Email the endorser their link (to the person's address, "
                                                        "or the endorsing organisation's contact address); false: "
                                                        "you send the link yourself. About an award, the message "
                                                        "leaves once the holder agrees.")


class EndorsementGive(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"comment": "La mairie soutient les ateliers couture du Puchot depuis 2024."}]})
    comment: str = Field(min_length=1, max_length=2000, description="The endorsement's words (endorsementComment).")


class SubjectView(BaseModel):
    kind: SubjectKind
    id: str
    url: str = Field(description="The endorsed object's id, as its documents state it (the endorsement's subject).")
    name: str
    organisation: str = Field(description="The name of the organisation the object belongs to.")
    description: str | None = None


class EndorsementOut(BaseModel):
    id: str
    state: State
    origin: Literal["requested", "offered"]
    about: SubjectView
    endorser_kind: Literal["organisation", "person"]
    endorser_name: str | None
    message: str | None
    comment: str | None
    url: str | None = Field(description="The EndorsementCredential's URL, once issued.")
    expires_at: datetime
    created_at: datetime
    decided_at: datetime | None
    revoked_at: datetime | None


class EndorsementAsked(EndorsementOut):
    link: str = Field(description="The private link to send: to the endorser, or first to the award's holder for "
                                  "their consent (state `consent`). Shown once.")


class EndorsementView(BaseModel):
    """What the endorser sees on their private link: exactly what they vouch for."""

    id: str
    state: State
    about: SubjectView
    asked_by: str
    endorser_kind: Literal["organisation", "person"]
    endorser_name: str
    message: str | None
    comment: str | None
    url: str | None
    expires_at: datetime
    needs_sign_in_as: str | None = Field(description="The address to sign in with before accepting (masked).")
    extra: dict[str, Any] = Field(default_factory=dict)


class OfferAbout(BaseModel):
    """What a visitor offers to endorse, as a public page names it."""

    model_config = ConfigDict(extra="forbid")
    kind: SubjectKind
    id: str = Field(min_length=1, max_length=64, description="The organisation's slug, the achievement's or the "
                                                             "award's id.")


class EndorsementOffer(BaseModel):
    """A spontaneous endorsement, by a signed-in person: it is shown once the organisation (or, for an award, its
    holder) accepts it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"about": {"kind": "achievement", "id": "4tD5Qp1oR0iY3m8m2m1w1g"}, "name": "Karim Benali",
         "comment": "J'ai vu ces ateliers changer la vie du quartier."}]})
    about: OfferAbout
    name: str = Field(min_length=1, max_length=200, description="Your name, as it will be published.")
    comment: str = Field(min_length=1, max_length=2000, description="Your endorsement's words.")
    language: Literal["fr", "en"] = "fr"


class EndorsementOffered(EndorsementView):
    link: str = Field(description="Your private link: follow your offer, take your endorsement back. Shown once.")


class EndorsementDecided(EndorsementOut):
    link: str | None = Field(default=None, description="About an award: the link to give its holder, whose consent "
                                                       "publishes the endorsement (shown once).")
