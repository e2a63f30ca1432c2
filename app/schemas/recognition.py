"""The recognition process as the API shows it: committee members and rules, requests with evidence, votes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, model_validator

from app.errors import InvalidValue
from app.schemas.achievements import Levels
from app.schemas.awards import Phone
from app.schemas.common import EmailText, InputModel, OutputModel

__all__ = ["CommitteeMemberIn", "CommitteeMemberOut", "EvidenceOut", "GroupMemberIn", "ProposalIn", "ProposalOut",
           "ProposalReceived", "RecognitionSettingsIn",
           "RecognitionSettingsOut", "RequestIn", "RequestOut", "RequestReceived", "RequestReview", "VoteIn", "VoteOut"]

ShortName = Annotated[str, Field(min_length=1, max_length=100)]
Narrative = Annotated[str, Field(min_length=1, max_length=5000)]
Comment = Annotated[str, Field(max_length=2000)]
Language = Literal["fr", "en"]


class CommitteeMemberIn(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Fatou Diallo", "email": "fatou@exemple.fr"}]})

    name: Annotated[str, Field(min_length=1, max_length=200)] = Field(examples=["Fatou Diallo"])
    email: EmailText = Field(examples=["fatou@exemple.fr"])
    language: Language = "fr"


class CommitteeMemberOut(OutputModel):
    id: str
    name: str
    email: str
    language: str
    active: bool
    created_at: datetime


class RecognitionSettingsIn(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"rule": "count", "acceptances": 2,
                                                               "requests_open": True}]})

    requests_open: bool | None = Field(None, description="Whether residents may send requests now.")
    rule: Literal["count", "majority"] | None = Field(
        None, description="`count`: `acceptances` votes of one choice decide; `majority`: more than half of the "
                          "active members.")
    acceptances: Annotated[int, Field(ge=1, le=50)] | None = None
    evidence_retention_days: Annotated[int, Field(ge=1, le=3650)] | None = Field(
        None, description="Days the evidence and personal data of a declined or withdrawn request, and the personal "
                          "data of a closed proposal, are kept before they are erased.")


class RecognitionSettingsOut(OutputModel):
    requests_open: bool
    rule: str
    acceptances: int
    evidence_retention_days: int
    active_members: int


class GroupMemberIn(InputModel):
    name: ShortName
    email: EmailText | None = None


class RequestIn(InputModel):
    """A resident's request (the form's fields; files come alongside, as multipart parts named ``evidence``)."""

    achievement_id: str = Field(max_length=32)
    level: Annotated[str, Field(max_length=200)] | None = Field(None, description="A level's key or name.")
    name: ShortName | None = Field(None, description="A first name or a pseudonym.", examples=["Sylvie"])
    email: EmailText | None = None
    phone: Phone | None = None
    language: Language = "fr"
    narrative: Narrative = Field(description="« Ce que j'ai fait »", examples=["J'ai animé l'atelier couture."])
    text_evidence: Annotated[str, Field(max_length=5000)] | None = Field(None, description="A short written proof.")
    publish_evidence: bool = Field(False, description="Consent: the evidence is also published in the badge "
                                                      "(otherwise only the committee sees it).")
    publish_name: bool = Field(False, description="Consent: the name is written in the badge.")
    group_name: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        None, description="For a collective badge: the group's name.")
    members: Annotated[list[GroupMemberIn], Field(max_length=50)] = Field(default_factory=list)

    @model_validator(mode="after")
    def _coherent(self) -> RequestIn:
        if self.email and self.phone:
            raise InvalidValue("give an email address or a phone number, not both",
                               "donnez une adresse e-mail ou un numéro de téléphone, pas les deux")
        if self.members and not self.group_name:
            raise InvalidValue("a collective request names its group (group_name)",
                               "une demande collective donne le nom du groupe (group_name)")
        if self.group_name and not self.members:
            raise InvalidValue("a collective request lists the group's members",
                               "une demande collective donne la liste des membres du groupe")
        if self.publish_name and not self.name:
            raise InvalidValue("publish_name needs a name to publish", "publish_name demande un nom à publier")
        return self


class EvidenceOut(OutputModel):
    id: str
    kind: str
    media_type: str
    sha256: str
    size: int
    width: int | None
    height: int | None
    round: int


class RequestOut(OutputModel):
    """What the resident sees of their request on their private link."""

    id: str
    achievement_id: str
    achievement_name: str
    level: str | None
    kind: str
    state: str
    round: int
    question: str | None
    reason: str | None
    publish_evidence: bool
    evidence: list[EvidenceOut]
    created_at: datetime
    updated_at: datetime
    credential_url: str | None = None
    claim_code: str | None = None


class RequestReceived(OutputModel):
    """The answer to a new request: its private link (shown once; the only way back to it without an email)."""

    id: str
    state: str
    follow_url: str
    follow_token: str


class VoteOut(OutputModel):
    member_id: str
    member_name: str
    round: int
    choice: str
    comment: str | None
    created_at: datetime


class RequestReview(OutputModel):
    """A request as the committee reviews it."""

    id: str
    achievement_id: str
    achievement_name: str
    level: str | None
    kind: str
    state: str
    round: int
    name: str | None
    contact_kind: str
    narrative: str
    publish_evidence: bool
    publish_name: bool
    group_name: str | None
    members: list[str]
    question: str | None
    reason: str | None
    evidence: list[EvidenceOut]
    votes: list[VoteOut]
    needed: int
    award_id: str | None
    created_at: datetime


class VoteIn(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"choice": "more", "comment": "Pouvez-vous ajouter une photo de l'atelier ?", "member_id": "Kq3…"}]})

    choice: Literal["accept", "decline", "more"]
    comment: Comment | None = Field(None, description="Shown to the resident as the reason of a decline, or as the "
                                                      "question when more is asked.")
    member_id: str | None = Field(None, max_length=32, description="With an API key: the member whose vote this is "
                                                                   "(a vote given on paper); signed in: omitted.")


class ProposalIn(InputModel):
    """A badge proposed by members of the community."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "name": "Cuisine du monde", "description": "Partager une recette de son pays avec le quartier.",
        "criteria": "Avoir animé un atelier cuisine.", "proposers": ["Awa", "Inès"],
        "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}],
        "email": "awa@exemple.fr"}]})

    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(min_length=1, max_length=5000)]
    criteria: Annotated[str, Field(min_length=1, max_length=5000)]
    levels: Levels = Field(default_factory=list)
    proposers: Annotated[list[ShortName], Field(min_length=1, max_length=10)] = Field(
        description="The names the proposers want to be credited under (first names or pseudonyms).")
    email: EmailText | None = Field(None, description="Where to tell the proposers the committee's decision.")
    language: Language = "fr"


class ProposalReceived(OutputModel):
    id: str
    state: str
    follow_url: str
    follow_token: str


class ProposalOut(OutputModel):
    """A proposal as its proposers see it on their private link, or as the committee reviews it (with the votes)."""

    id: str
    name: str
    description: str
    criteria: str
    levels: list[dict[str, Any]]
    proposers: list[str]
    state: str
    round: int
    question: str | None
    reason: str | None
    achievement_id: str | None
    created_at: datetime
    updated_at: datetime
    votes: list[VoteOut] | None = None
    needed: int | None = None
