"""Achievements (badge classes) as the API accepts and shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from app.errors import InvalidValue
from app.schemas.common import HttpUrlText, InputModel, LanguageTag, OutputModel
from app.signing.portable_order import order_conflict
from app.text_normal import fold

__all__ = ["ACHIEVEMENT_TYPES", "AchievementCreate", "AchievementOut", "AchievementUpdate", "AlignmentIn",
           "CriteriaIn", "LevelIn", "LevelOut"]

ACHIEVEMENT_TYPES = frozenset({
    "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree", "Award", "Badge",
    "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification", "CommunityService", "Competency",
    "Course", "CoCurricular", "Degree", "Diploma", "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment",
    "JourneymanCertificate", "LearningProgram", "License", "Membership", "ProfessionalDoctorate",
    "QualityAssuranceCredential", "MasterCertificate", "MasterDegree", "MicroCredential", "ResearchDoctorate",
    "SecondarySchoolDiploma",
})


def _achievement_type(value: str) -> str:
    import re

    if value in ACHIEVEMENT_TYPES or re.fullmatch(r"ext:[A-Za-z0-9._-]{1,60}", value):  # the column holds 64
        return value
    raise InvalidValue("unknown achievementType: use an OB 3.0 term (Badge, Competency, …) or 'ext:Name'",
                       "type de badge inconnu : utilisez un terme d'Open Badges 3.0 (Badge, Competency…) ou "
                       "« ext:Nom »")


AchievementType = Annotated[str, AfterValidator(_achievement_type)]


def _portable_tags(tags: list[str]) -> list[str]:
    conflict = order_conflict(tags)
    if conflict:
        raise InvalidValue(
            f"the tags {conflict[0]!r} and {conflict[1]!r} would be put in a different order by some verifiers "
            "(Digital Bazaar, DCC) than by the standard, and the badge's signature would not hold for them: change "
            "one of them (a ligature such as 'ﬁ' into 'fi', a full-width letter into an ordinary one, or remove the "
            "emoji)",
            f"les mots-clés {conflict[0]!r} et {conflict[1]!r} seraient rangés dans un autre ordre par certains "
            "vérificateurs (Digital Bazaar, DCC) que par la norme, et la signature du badge ne tiendrait pas pour "
            "eux : modifiez l'un des deux (une ligature comme « ﬁ » en « fi », une lettre pleine chasse en lettre "
            "ordinaire, ou retirez l'emoji)")
    return tags


Tags = Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=50),
                 AfterValidator(_portable_tags)]
Text200 = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(min_length=1, max_length=20_000)]
TargetType = Literal["ceasn:Competency", "ceterms:Credential", "CFItem", "CFRubric", "CFRubricCriterion",
                     "CFRubricCriterionLevel", "CTDL"]


class CriteriaIn(InputModel):
    narrative: LongText | None = Field(None, description="What earners did, in Markdown.")
    url: HttpUrlText | None = Field(None, description="A page describing the criteria.")

    @model_validator(mode="after")
    def _one_of(self) -> CriteriaIn:
        if not self.narrative and not self.url:
            raise InvalidValue("criteria need a narrative or a url",
                               "les critères ont besoin d'un texte (narrative) ou d'une adresse (url)")
        return self


class AlignmentIn(InputModel):
    """A link to a framework entry, e.g. an ESCO skill or an RNCP certification."""

    targetName: Text200
    targetUrl: HttpUrlText
    targetDescription: Annotated[str, Field(max_length=5000)] | None = None
    targetFramework: Text200 | None = None
    targetCode: Text200 | None = None
    targetType: TargetType | None = None


class LevelIn(InputModel):
    name: Text200 = Field(examples=["J'explore"])
    description: Annotated[str, Field(max_length=5000)] | None = None
    criteria: Annotated[str, Field(max_length=20_000)] | None = None


def _distinct_levels(levels: list[LevelIn]) -> list[LevelIn]:
    seen: dict[str, str] = {}
    for level in levels:
        if (same := seen.get(fold(level.name))) is not None:
            raise InvalidValue(f"two levels have the same name: {same!r} and {level.name!r} (apostrophes, quotes, "
                               "spaces and capitals do not count)",
                               f"deux niveaux portent le même nom : « {same} » et « {level.name} » (les apostrophes, "
                               "guillemets, espaces et majuscules ne comptent pas)")
        seen[fold(level.name)] = level.name
    return levels


Levels = Annotated[list[LevelIn], Field(max_length=10), AfterValidator(_distinct_levels)]


class LevelOut(OutputModel):
    key: str
    name: str
    description: str | None = None
    criteria: str | None = None
    id: str


class AchievementCreate(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "name": "Place aux jeunes", "description": "S'impliquer dans la vie du quartier, à son rythme.",
        "criteria": {"narrative": "A participé à **trois** actions du centre social."}, "tags": ["engagement"],
        "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}]})

    name: Text200 = Field(examples=["Place aux jeunes"])
    description: LongText = Field(examples=["S'impliquer dans la vie du quartier."])
    criteria: CriteriaIn
    achievementType: AchievementType = "Badge"
    image: HttpUrlText | None = Field(None, description="URL of a PNG or SVG image (or upload one later).")
    tags: Tags = []
    alignments: Annotated[list[AlignmentIn], Field(max_length=50)] = []
    language: LanguageTag = "fr"
    levels: Levels = Field(
        [], description="Ordered from lowest to highest, e.g. Je soutiens, J'explore, J'agis.")


class AchievementUpdate(InputModel):
    """Changes to a draft apply in place; changes to a published achievement create a new draft version."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"description": "S'impliquer dans la vie du quartier.",
                                                               "tags": ["engagement", "jeunesse"]}]})

    name: Text200 | None = None
    description: LongText | None = None
    criteria: CriteriaIn | None = None
    achievementType: AchievementType | None = None
    image: HttpUrlText | None = None
    tags: Tags | None = None
    alignments: Annotated[list[AlignmentIn], Field(max_length=50)] | None = None
    language: LanguageTag | None = None
    levels: Levels | None = None

    @model_validator(mode="after")
    def _required_fields_stay_set(self) -> AchievementUpdate:
        for name in ("name", "description", "criteria", "achievementType", "language"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise InvalidValue(f"{name} cannot be null", f"{name} ne peut pas être vidé (null)")
        return self


class AchievementOut(OutputModel):
    id: str
    lineage_id: str
    version: int
    state: Literal["draft", "published", "archived"]
    name: str
    description: str
    criteria: CriteriaIn
    achievementType: str
    image: str | None
    tags: list[str]
    alignments: list[AlignmentIn]
    language: str
    levels: list[LevelOut]
    url: str = Field(description="Public URL of the OB 3.0 Achievement (once published).")
    created_at: datetime
    published_at: datetime | None
