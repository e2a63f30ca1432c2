"""Organisations, API keys and signing keys as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from app.errors import InvalidValue
from app.principal import Scope
from app.schemas.common import EmailText, HttpUrlText, InputModel, LanguageTag, OutputModel, Slug
from app.schemas.jobs import JobRef
from app.signing.keys import KeyAlgorithm

__all__ = ["ApiKeyCreate", "ApiKeyCreated", "ApiKeyOut", "OrganisationCreate", "OrganisationCreated",
           "OrganisationLinks", "OrganisationOut", "OrganisationUpdate", "RotateKeys", "SigningKeyOut"]

Name = Annotated[str, Field(min_length=1, max_length=200)]
StatusModel = Literal["revocation_only", "revocation_and_suspension"]
STATUS_MODEL_HELP = ("What each credential's `credentialStatus` carries, for credentials issued from now on: "
                     "`revocation_only` (one entry, valid under the OB 3.0 JSON Schema of 2024) or "
                     "`revocation_and_suspension` (two entries, VC Data Model 2.0: independent verifiers see a "
                     "suspension too). Suspension always shows on this service's own pages and in OB 2.0.")
Description = Annotated[str, Field(max_length=5000)]


class OrganisationCreate(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "slug": "centre-social-puchot", "name": "Centre social du Puchot", "url": "https://centre-social-puchot.fr",
        "email": "contact@centre-social-puchot.fr", "description": "Réseau d'échanges réciproques de savoirs"}]})

    slug: Slug = Field(description="Short identifier used in public URLs and in the did:web.",
                       examples=["centre-social-puchot"])
    name: Name = Field(examples=["Centre social du Puchot"])
    url: HttpUrlText = Field(examples=["https://centre-social-puchot.fr"])
    email: EmailText = Field(examples=["contact@centre-social-puchot.fr"])
    description: Description | None = Field(None, examples=["Réseau d'échanges réciproques de savoirs"])
    image: HttpUrlText | None = Field(None, description="URL of the organisation's logo (PNG or SVG).")
    language: LanguageTag = Field("fr", description="Main language of the organisation's badges.")
    status_model: StatusModel = Field("revocation_only", description=STATUS_MODEL_HELP)


class OrganisationUpdate(InputModel):
    """Fields to change; ``description`` and ``image`` may be set to null to clear them."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "description": "Centre social et réseau d'échanges de savoirs du quartier",
        "status_model": "revocation_and_suspension"}]})

    name: Name | None = None
    url: HttpUrlText | None = None
    email: EmailText | None = None
    description: Description | None = None
    image: HttpUrlText | None = None
    language: LanguageTag | None = None
    status_model: StatusModel | None = Field(None, description=STATUS_MODEL_HELP)

    @model_validator(mode="after")
    def _required_fields_stay_set(self) -> OrganisationUpdate:
        for name in ("name", "url", "email", "language", "status_model"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise InvalidValue(f"{name} cannot be null", f"{name} ne peut pas être vidé (null)")
        return self


class OrganisationLinks(OutputModel):
    did: str
    did_document: str
    jwks: str
    profile: str
    ob2_issuer: str


class OrganisationOut(OutputModel):
    id: str
    slug: str
    name: str
    url: str
    email: str
    description: str | None
    image: str | None
    language: str
    status_model: StatusModel
    created_at: datetime
    updated_at: datetime
    links: OrganisationLinks


class ApiKeyCreate(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"scopes": ["issue", "read"],
                                                               "label": "Formulaire du site"}]})

    scopes: list[Scope] = Field(min_length=1, examples=[["issue", "read"]])
    label: Annotated[str, Field(max_length=200)] | None = Field(None, examples=["Formulaire du site"])


class ApiKeyOut(OutputModel):
    id: str
    prefix: str
    scopes: list[Scope]
    label: str | None
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    token: str = Field(description="The full key `prefix.secret`. Shown once: store it now.")


class OrganisationCreated(OutputModel):
    organisation: OrganisationOut
    api_key: ApiKeyCreated


class SigningKeyOut(OutputModel):
    id: str
    algorithm: KeyAlgorithm
    status: str
    fingerprint: str
    created_at: datetime
    retired_at: datetime | None
    compromised_at: datetime | None
    verification_method: str | None = Field(description="did:web URL of the key (absent once compromised).")
    jwk: str | None = Field(description="URL serving this key as a single JWK (absent once compromised).")
    job: JobRef | None = Field(None, description="The job this request started: compromising an Ed25519 key "
                                                 "re-signs every credential it signed (`GET links.self`).")


class RotateKeys(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"algorithms": ["Ed25519"]}]})

    algorithms: list[KeyAlgorithm] = Field(default_factory=lambda: list(KeyAlgorithm),
                                           description="Which keys to rotate; all three by default.")

