"""Every public identifier the service publishes, derived from ``PUBLIC_BASE_URL`` in one place."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

__all__ = ["PublicUrls"]


@dataclass(frozen=True, slots=True)
class PublicUrls:
    base: str  # e.g. "https://badges.centre-social.fr" or "http://localhost:8000"

    # --- organisations -------------------------------------------------------------------------
    def did(self, slug: str) -> str:
        """``did:web`` of an organisation: resolves to :meth:`did_document` (port encoded as ``%3A``)."""
        parts = urlsplit(self.base)
        host = parts.hostname or ""
        if parts.port is not None:
            host = f"{host}%3A{parts.port}"
        segments = [quote(s, safe="") for s in parts.path.split("/") if s]
        return ":".join(["did:web", host, *segments, "orgs", slug])

    def did_document(self, slug: str) -> str:
        return f"{self.base}/orgs/{slug}/did.json"

    def jwks(self, slug: str) -> str:
        return f"{self.base}/orgs/{slug}/jwks.json"

    def jwk(self, slug: str, key_id: str) -> str:
        return f"{self.base}/orgs/{slug}/keys/{key_id}"

    def verification_method(self, slug: str, key_id: str) -> str:
        return f"{self.did(slug)}#{key_id}"

    def profile(self, slug: str) -> str:
        return f"{self.base}/orgs/{slug}/profile"

    # --- Open Badges 3.0 ---------------------------------------------------------------------------
    def achievement(self, achievement_id: str) -> str:
        return f"{self.base}/achievements/{achievement_id}"

    def credential(self, award_id: str) -> str:
        return f"{self.base}/credentials/{award_id}"

    def claim(self, claim_code: str) -> str:
        """The page where a printed claim code is typed, filled in with it (what its QR code leads to)."""
        return f"{self.base}/recuperer?code={claim_code}"

    def holder_space(self) -> str:
        return f"{self.base}/mon-espace"

    def endorsement(self, endorsement_id: str) -> str:
        """An EndorsementCredential (its ``id``), issued by an endorser of this service."""
        return f"{self.base}/endorsements/{endorsement_id}"

    def status_list(self, list_id: str) -> str:
        return f"{self.base}/status/{list_id}"

    def image(self, image_id: str) -> str:
        return f"{self.base}/images/{image_id}"

    def default_image(self, achievement_id: str) -> str:
        """The generated image of an achievement that has none of its own."""
        return f"{self.base}/achievements/{achievement_id}/image.svg"

    def baked_credential(self, award_id: str, extension: str) -> str:
        return f"{self.base}/credentials/{award_id}/badge.{extension}"

    # --- Open Badges 2.0 -----------------------------------------------------------------------
    def ob2_issuer(self, slug: str) -> str:
        return f"{self.base}/ob2/issuers/{slug}"

    def ob2_key(self, key_id: str) -> str:
        return f"{self.base}/ob2/keys/{key_id}"

    def ob2_revocation_list(self, slug: str) -> str:
        return f"{self.base}/ob2/issuers/{slug}/revocations"

    def ob2_assertion(self, award_id: str) -> str:
        """The hosted Assertion (its ``id``): on the issuer's origin, so hosted verification scope holds."""
        return f"{self.base}/ob2/assertions/{award_id}"

    def ob2_signed_assertion(self, award_id: str) -> str:
        return f"{self.base}/ob2/assertions/{award_id}.jws"

    def ob2_baked(self, award_id: str, extension: str) -> str:
        return f"{self.base}/ob2/assertions/{award_id}/badge.{extension}"

    def ob2_badge(self, achievement_id: str) -> str:
        return f"{self.base}/ob2/badges/{achievement_id}"
