"""Signing an endorsement with its endorser's key, and issuing an award again with the endorsements it carries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.badges.endorsement import EndorsementDoc, endorsement_credential
from app.badges.issuer import ob3_profile
from app.badges.ob3 import iso
from app.models import Award, Endorsement, Organisation
from app.services import keys, organisations
from app.services.endorsements.published import published
from app.services.issuing import revocation_entry, sign_credential
from app.services.status import reserve
from app.signing.keys import KeyAlgorithm
from app.urls import PublicUrls

__all__ = ["endorser_profile", "reissue_award", "sign"]

_NAME = {"fr": "Recommandation de {endorser}", "en": "Endorsement by {endorser}"}
_DESCRIPTION = {"fr": "{endorser} recommande « {subject} ».", "en": "{endorser} endorses “{subject}”."}


def endorser_profile(endorser: Organisation, urls: PublicUrls) -> dict[str, Any]:
    """The endorser as the credential's issuer: an organisation's Profile; for a person, their name only (the
    address they proved is never published)."""
    if endorser.kind == "person":
        return {"id": urls.did(endorser.slug), "type": ["Profile"], "name": endorser.name}
    return ob3_profile(organisations.issuer_info(endorser), urls)


def _signer(session: Session, vault: keys.KeyVault, urls: PublicUrls, org: Organisation) -> tuple[Any, str, str]:
    key_row = keys.active_key(session, org.id, KeyAlgorithm.ed25519)
    signer = vault.signer(key_row)
    return signer.private_key, urls.verification_method(org.slug, key_row.id), key_row.id


def sign(session: Session, vault: keys.KeyVault, urls: PublicUrls, row: Endorsement, endorser: Organisation, *,
         subject_url: str, subject_name: str, now: datetime) -> dict[str, Any]:
    """The signed EndorsementCredential of ``row`` (its comment already set), with an index in one of the
    endorser's revocation lists (recorded on ``row``)."""
    reservation = reserve(session, endorser.id, 1, now=now)
    index = reservation.draw()
    row.revocation_list_id, row.revocation_index = reservation.list_id, index
    language = "en" if row.language == "en" else "fr"
    unsigned = endorsement_credential(EndorsementDoc(
        credential_id=urls.endorsement(row.id), name=_NAME[language].format(endorser=endorser.name),
        description=_DESCRIPTION[language].format(endorser=endorser.name, subject=subject_name),
        issuer=endorser_profile(endorser, urls), subject_id=subject_url, comment=row.comment, valid_from=now,
        credential_status=revocation_entry(urls, reservation.list_id, index)))
    private_key, method, _ = _signer(session, vault, urls, endorser)
    return sign_credential(unsigned, private_key=private_key, verification_method=method, now=now)


def reissue_award(session: Session, vault: keys.KeyVault, urls: PublicUrls, award: Award, *, now: datetime) -> None:
    """Issue ``award`` again under its id, carrying its accepted endorsements: a newer ``validFrom`` (OB 3.0: of two
    credentials with one id, the newer one stands), the same ``awardedDate``, a fresh proof by the organisation's
    active key; the served document's revision goes up. A copy saved before keeps its own (valid) proof. An
    expired award is left as it is (a newer ``validFrom`` would pass its ``validUntil``), and an erased one."""
    if (award.valid_until is not None and award.valid_until <= now) or award.erased_at is not None:
        return
    unsigned = {k: v for k, v in award.credential.items() if k not in ("proof", "endorsement")}
    endorsements = published(session, "award", award.id)
    if endorsements:
        unsigned["endorsement"] = endorsements
    unsigned["validFrom"] = iso(now)
    org = organisations.get_by_id(session, award.org_id)
    private_key, method, key_id = _signer(session, vault, urls, org)
    award.credential = sign_credential(unsigned, private_key=private_key, verification_method=method, now=now,
                                       portable=False)
    award.signing_key_id = key_id
    award.revision += 1
