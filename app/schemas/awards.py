"""Awards (issued credentials), groups and status changes as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, model_validator

from app.errors import InvalidValue
from app.schemas.common import CredentialDate, EmailText, HttpUrlText, InputModel, OutputModel

__all__ = [
    "AwardCreate",
    "AwardLinks",
    "AwardOut",
    "AwardRow",
    "BatchRequest",
    "BatchResult",
    "BatchRowResult",
    "EvidenceIn",
    "GroupCreate",
    "GroupOut",
    "MemberIn",
    "Notice",
    "RecipientIn",
    "StatusChange",
]

Did = Annotated[str, Field(pattern=r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]+(#[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?$",
                           max_length=2000)]
Phone = Annotated[str, Field(pattern=r"^[+0-9][0-9 .()-]{5,30}$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class RecipientIn(InputModel):
    """Exactly one identifier, or none at all (the centre then gets a claim code to hand over)."""

    email: EmailText | None = None
    phone: Phone | None = None
    url: HttpUrlText | None = None
    did: Did | None = None
    display_name: Name | None = Field(None, description="The person's name as the organisation lists it; in the "
                                                        "badge only with `publish_name`.")
    publish_name: bool = Field(False, description="Put `display_name` in the credential, where anyone who sees the "
                                                  "badge reads it. By default the badge names nobody.")
    public: bool = Field(False, description="The person agreed (on paper, say) that the badge's page be public: "
                                            "its credential served at its URL to anyone. By default it is private "
                                            "until its holder chooses, in their space.")

    @model_validator(mode="after")
    def _at_most_one(self) -> RecipientIn:
        given = [k for k in ("email", "phone", "url", "did") if getattr(self, k)]
        if len(given) > 1:
            raise InvalidValue(f"give at most one of email, phone, url, did (here: {', '.join(given)})",
                               f"donnez un seul identifiant : e-mail, téléphone, url ou did (ici : {', '.join(given)})")
        if self.publish_name and not self.display_name:
            raise InvalidValue("publish_name needs a display_name to publish",
                               "publish_name demande un nom à publier (display_name)")
        return self

    def identifier(self) -> tuple[str, str | None]:
        for kind in ("email", "phone", "url", "did"):
            value = getattr(self, kind)
            if value:
                return kind, value
        return "none", None


class EvidenceIn(InputModel):
    url: HttpUrlText | None = Field(None, description="A photo, an article, a newsletter extract…")
    name: Name | None = None
    narrative: Annotated[str, Field(max_length=10_000)] | None = None
    description: Annotated[str, Field(max_length=5_000)] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> EvidenceIn:
        if not (self.url or self.narrative or self.name):
            raise InvalidValue("evidence needs a url, a name or a narrative",
                               "une preuve a besoin d'une adresse (url), d'un titre (name) ou d'un texte (narrative)")
        return self


class AwardRow(InputModel):
    """One award: a recipient (or none, for a claim code), with optional narrative, evidence, level, dates."""

    recipient: RecipientIn | None = Field(None, description="Omit (or leave empty) for a claim code.")
    narrative: Annotated[str, Field(max_length=10_000)] | None = None
    evidence: Annotated[list[EvidenceIn], Field(max_length=20)] = []
    level: Annotated[str, Field(max_length=200)] | None = Field(None, description="Level key or name.")
    validFrom: CredentialDate | None = None
    validUntil: CredentialDate | None = None


class AwardCreate(AwardRow):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "recipient": {"email": "sylvie@example.fr"}, "level": "J'agis",
        "narrative": "A animé trois ateliers couture au centre social.",
        "evidence": [{"name": "Photo de l'atelier", "url": "https://centre-social-puchot.fr/atelier.jpg"}]}]})

    group_id: str | None = Field(None, description="Award the whole group: one credential per member too.")
    notify: bool = Field(True, description="Email each recipient given by address (the person, or the group's "
                                           "members) that the badge is theirs, with the link to their space "
                                           "(`/mon-espace`), where they claim it by signing in.")

    @model_validator(mode="after")
    def _recipient_or_group(self) -> AwardCreate:
        if self.group_id and self.recipient:
            raise InvalidValue("give either a recipient or a group_id, not both",
                               "donnez soit un destinataire (recipient), soit un groupe (group_id), pas les deux")
        return self


class BatchRequest(InputModel):
    rows: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=10_000)] = Field(
        description="Award bodies, validated one by one (an invalid row does not stop the others). A row may carry "
                    "an `idempotency_key` (1 to 200 characters, CSV column `idempotency_key` or `cle`): a row whose "
                    "key was already issued for the organisation is reported `already_issued` with its award, never "
                    "issued twice.")


class BatchRowResult(OutputModel):
    row: int = Field(description="1-based position in the request (or CSV data line).")
    status: Literal["issued", "already_issued", "error"] = Field(
        description="`already_issued`: an earlier row with the same idempotency key issued this award.")
    award_id: str | None = None
    credential: str | None = None
    claim_code: str | None = None
    code: str | None = None
    message_en: str | None = None
    message_fr: str | None = None


class BatchResult(OutputModel):
    achievement_id: str
    total: int
    issued: int = Field(description="Rows issued by this request.")
    already_issued: int = Field(0, description="Rows whose idempotency key had already been issued.")
    failed: int
    results: list[BatchRowResult]


class AwardLinks(OutputModel):
    credential: str = Field(description="OB 3.0 credential: JSON-LD, or VC-JWT with Accept: application/jwt")
    status_list: str
    achievement: str
    baked_png: str = Field(description="The badge image with the OB 3.0 credential baked in (PNG)")
    baked_svg: str = Field(description="The badge image with the OB 3.0 credential baked in (SVG)")
    ob2_assertion: str = Field(description="OB 2.0 hosted Assertion (410 Gone once revoked or suspended)")
    ob2_signed: str = Field(description="OB 2.0 signed Assertion (compact JWS, RS256)")
    ob2_baked_png: str
    ob2_baked_svg: str
    claim: str | None = Field(None, description="Where the recipient claims the badge with its claim code (the "
                                                "page to print as a QR code beside the code); only with the code.")


class Notice(OutputModel):
    """Something the caller should know about a change that succeeded."""

    code: str
    message_en: str
    message_fr: str


class AwardOut(OutputModel):
    id: str
    achievement_id: str
    status: Literal["active", "suspended", "revoked"]
    recipient_kind: str
    display_name: str | None
    level: str | None
    valid_from: datetime
    valid_until: datetime | None
    revocation_reason: str | None = None
    created_at: datetime
    claim_code: str | None = Field(None, description="Shown once, for awards without an identifier.")
    visibility: Literal["public", "private"] = Field(
        "private", description="`private` (the default): the credential's address serves nothing and its page "
                               "shows nothing of it, until its holder makes it public from their space "
                               "(`/mon-espace`); `public`: served to anyone.")
    group_id: str | None = None
    parent_award_id: str | None = None
    links: AwardLinks
    members: list[AwardOut] = []
    notices: list[Notice] = Field([], description="What the caller should know, e.g. who can see a suspension.")


class StatusChange(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "Attribué par erreur"}]})

    reason: Annotated[str, Field(max_length=2000)] | None = None


class MemberIn(RecipientIn):
    pass


class GroupCreate(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "name": "Atelier web radio 2026", "members": [{"email": "awa@example.fr", "display_name": "Awa"},
                                                      {"phone": "06 12 34 56 78", "display_name": "Nathan"}]}]})

    name: Name = Field(examples=["Atelier web radio 2026"])
    description: Annotated[str, Field(max_length=5000)] | None = None
    members: Annotated[list[MemberIn], Field(min_length=1, max_length=500)]


class GroupOut(OutputModel):
    id: str
    name: str
    description: str | None
    member_count: int
    created_at: datetime
