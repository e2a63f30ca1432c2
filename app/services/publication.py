"""Public views of issued credentials: the stored JSON-LD, VC-JWTs signed on demand, signed status lists.

Nothing signed by a compromised key is served: a credential whose Data Integrity key was withdrawn and that the
re-signing job (app.jobs.resign) has not reached yet is re-signed on the spot, in its own short transaction, before
it is served in any form (JSON-LD, VC-JWT, baked image). Without a usable key-encryption key that is impossible:
503 with ``Retry-After``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.badges.status_list import status_list_credential
from app.errors import NotFound, SigningUnavailable
from app.models import Award, SigningKey, StatusList
from app.services import awards, keys, organisations
from app.services.issuing import Resigner, document_loader
from app.signing.data_integrity import create_proof
from app.signing.keys import KeyAlgorithm
from app.signing.vc_jwt import encode_vc_jwt
from app.urls import PublicUrls

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["ServedCredential", "StatusListCache", "credential_jwt", "servable_award", "served_credential",
           "signed_status_list", "status_list_if_changed"]

JwtAlgorithm = Literal["RS256", "ES256"]
#: the VC-JWT ``kid``: the DID URL of the key in the issuer's did:web document, or the URL serving it as one JWK
KidForm = Literal["did", "jwk"]
_KEY_FOR = {"RS256": KeyAlgorithm.rsa2048, "ES256": KeyAlgorithm.p256}


def credential_jwt(session: Session, vault: keys.KeyVault, urls: PublicUrls, award: Award,
                   algorithm: JwtAlgorithm, kid: KidForm = "jwk") -> str:
    """The OB 3.0 VC-JWT of a stored credential, signed now by the organisation's active RSA or P-256 key; its
    ``kid`` names that key as a DID URL (``did:web:…#key``) or as the URL of the single JWK (both resolve to the
    same key). The payload carries the Data Integrity proof as well."""
    org = organisations.get_by_id(session, award.org_id)
    row = keys.active_key(session, org.id, _KEY_FOR[algorithm])
    signer = vault.signer(row)
    key_id = urls.verification_method(org.slug, row.id) if kid == "did" else urls.jwk(org.slug, row.id)
    return encode_vc_jwt(award.credential, private_key=signer.private_key, kid=key_id, algorithm=algorithm)


class StatusListCache:
    """Signed list credentials by (list, version, key): signing once per change, not once per fetch."""

    def __init__(self, size: int = 512) -> None:
        self._items: OrderedDict[tuple[str, int, str], dict[str, Any]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int, str]) -> dict[str, Any] | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: tuple[str, int, str], value: dict[str, Any]) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def signed_status_list(session: Session, vault: keys.KeyVault, urls: PublicUrls, cache: StatusListCache,
                       list_id: str) -> tuple[dict[str, Any], StatusList]:
    row = session.get(StatusList, list_id)
    if row is None:
        raise NotFound("No such status list.", "Liste de statuts introuvable.")
    org = organisations.get_by_id(session, row.org_id)
    key_row = keys.active_key(session, org.id, KeyAlgorithm.ed25519)
    cache_key = (row.id, row.version, key_row.id)
    cached = cache.get(cache_key)
    if cached is not None:
        return cached, row
    updated: datetime = row.updated_at
    document = status_list_credential(list_url=urls.status_list(row.id), issuer_id=urls.did(org.slug),
                                      purpose=row.purpose, encoded_list=row.encoded_list, valid_from=updated)
    signed = create_proof(document, private_key=vault.signer(key_row).private_key,  # type: ignore[arg-type]
                          verification_method=urls.verification_method(org.slug, key_row.id), created=updated,
                          loader=document_loader())
    cache.put(cache_key, signed)
    return signed, row


def _signed_by_withdrawn_key(session: Session, award: Award) -> bool:
    key = session.get(SigningKey, award.signing_key_id)
    return key is not None and key.status == "compromised"


#: how long to wait before asking again for a credential that cannot be re-signed now
RESIGN_RETRY_AFTER = "300"


def _resign_now(ctx: ServiceContext, award_id: str) -> Award:
    """Re-sign one credential whose key was withdrawn (unless someone did in the meantime), in its own transaction."""
    try:
        with ctx.db.transaction() as session:
            award = session.scalar(select(Award).where(Award.id == award_id).with_for_update())
            if award is None:
                raise NotFound("No such credential.", "Badge introuvable.")
            if _signed_by_withdrawn_key(session, award):
                Resigner(session, ctx.vault, ctx.urls, award.org_id).resign(award, now=ctx.clock.now())
            return award
    except SigningUnavailable as exc:
        raise SigningUnavailable(
            "This badge was signed by a key its issuer has withdrawn and must be signed again, which is not possible "
            "right now (signing is unavailable on this server). Try again later.",
            "Ce badge a été signé par une clé que son émetteur a retirée et doit être signé à nouveau, ce qui est "
            "impossible pour le moment (la signature est indisponible sur ce serveur). Réessayez plus tard.",
            code="credential_resigning", headers={"Retry-After": RESIGN_RETRY_AFTER}) from exc


def servable_award(ctx: ServiceContext, award_id: str) -> Award:
    """The award, its credential carrying no proof by a withdrawn key (re-signed now if need be; detached).

    :raises NotFound: no such award.
    :raises SigningUnavailable: it must be re-signed and cannot be (no usable KEK): 503 with ``Retry-After``.
    """
    with ctx.db.sessions() as session:
        award = awards.get_public(session, award_id)
        if not _signed_by_withdrawn_key(session, award):
            return award
    return _resign_now(ctx, award_id)


# ------------------------------------------------------------------------------------------------ use cases


def credential(ctx: ServiceContext, award_id: str) -> tuple[dict[str, Any], bool]:
    """The stored OB 3.0 credential (JSON-LD with its proof) and whether the award is suspended."""
    award = servable_award(ctx, award_id)
    return award.credential, award.status == "suspended"


@dataclass(frozen=True, slots=True)
class ServedCredential:
    """A stored credential as its page shows it: the document, and what only its issuer knows of its state."""

    document: dict[str, Any]
    suspended: bool
    revocation_reason: str | None  # public, as in the OB 2.0 RevocationList


def served_credential(ctx: ServiceContext, award_id: str) -> ServedCredential:
    """The stored OB 3.0 credential of an award, whether it is suspended, and why it was revoked (if it was)."""
    award = servable_award(ctx, award_id)
    return ServedCredential(award.credential, award.status == "suspended",
                            award.revocation_reason if award.status == "revoked" else None)


def credential_token(ctx: ServiceContext, award_id: str, algorithm: JwtAlgorithm, kid: KidForm = "jwk") -> str:
    """The VC-JWT of an award, signed now; the credential it carries is never one signed by a withdrawn key."""
    award = servable_award(ctx, award_id)
    with ctx.db.sessions() as session:
        return credential_jwt(session, ctx.vault, ctx.urls, award, algorithm, kid)


def status_list_if_changed(ctx: ServiceContext, list_id: str, held: set[str]) -> tuple[str, dict[str, Any] | None]:
    """The status list's ETag (its id, version and signing key: it changes with every status change and rotation)
    and its signed document, or None when the caller already holds that version (an ETag in ``held``): a
    conditional GET costs two small reads, no signing and no serialisation."""
    with ctx.db.sessions() as session:
        found = session.execute(select(StatusList.version, StatusList.org_id)
                                .where(StatusList.id == list_id)).first()
        if found is None:
            raise NotFound("No such status list.", "Liste de statuts introuvable.")
        key_id = keys.active_key(session, found.org_id, KeyAlgorithm.ed25519).id
        etag = f'"{list_id}.{found.version}.{key_id}"'
        if etag in held:
            return etag, None
        document, _ = signed_status_list(session, ctx.vault, ctx.urls, ctx.status_cache, list_id)
        return etag, document


def status_list(ctx: ServiceContext, list_id: str) -> dict[str, Any]:
    """A signed BitstringStatusListCredential (signed once per change of the list)."""
    with ctx.db.sessions() as session:
        document, _ = signed_status_list(session, ctx.vault, ctx.urls, ctx.status_cache, list_id)
        return document
