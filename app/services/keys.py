"""Per-organisation signing keys: generation, sealing, rotation, compromise, loading for signing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import presenters
from app.badges.issuer import PublishedKey
from app.errors import Conflict, NotFound, ServiceUnavailable, SigningUnavailable
from app.jobs.kinds import RESIGN_CREDENTIALS
from app.models import Organisation, SigningKey
from app.models.base import new_id
from app.services import audit
from app.signing import keys as keylib
from app.signing.keys import KeyAlgorithm, PrivateKey
from app.signing.sealing import SealedKey, kek_id, seal, unseal

if TYPE_CHECKING:
    from app.principal import Principal
    from app.schemas.organisations import SigningKeyOut
    from app.services.context import ServiceContext

__all__ = [
    "KeyVault",
    "SignerKey",
    "active_key",
    "create_key_set",
    "get_published_rsa_key",
    "list_keys",
    "mark_compromised",
    "published_keys",
    "rotate_keys",
]

log = logging.getLogger("savoirs.keys")


@dataclass(frozen=True, slots=True)
class SignerKey:
    """An unsealed private key ready to sign, with the id it is published under."""

    id: str
    algorithm: KeyAlgorithm
    private_key: PrivateKey


class KeyVault:
    """Holds the key-encryption key (or its absence) and a small cache of unsealed keys.

    Without a KEK the service still publishes and verifies; anything that needs a private key raises
    :class:`SigningUnavailable` (503).
    """

    def __init__(self, kek: bytes | None, *, cache_size: int = 256) -> None:
        self._kek = kek
        #: the key of :meth:`recipient_lookup`, derived from the KEK (HKDF-SHA256), never stored
        self._lookup_key = None if kek is None else HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"savoirs/recipient-lookup/v1").derive(kek)
        #: the key of :meth:`private_link`, derived from the KEK, never stored
        self._link_key = None if kek is None else HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"savoirs/private-link/v1").derive(kek)
        self._cache: OrderedDict[str, SignerKey] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self._kek is not None

    def require_kek(self) -> bytes:
        if self._kek is None:
            raise SigningUnavailable()
        return self._kek

    def recipient_lookup(self, org_id: str, kind: str, normalised: str) -> str:
        """The keyed hash under which an organisation finds its awards to one recipient again, without storing the
        identifier: hex HMAC-SHA256 of ``"<org id>:<kind>:<normalised identifier>"`` (``kind`` is ``email`` or
        ``phone``) under a key derived from the KEK. Another organisation's hash of the same person differs.

        :raises ServiceUnavailable: no key-encryption key is configured.
        """
        if self._lookup_key is None:
            raise ServiceUnavailable(
                "Finding awards by recipient needs the key-encryption key, which this server lacks.",
                "La recherche par destinataire a besoin de la clé de chiffrement des clés, absente de ce serveur.",
                code="lookup_unavailable")
        message = f"{org_id}:{kind}:{normalised}".encode()
        return hmac.new(self._lookup_key, message, hashlib.sha256).hexdigest()

    def private_link(self, kind: str, object_id: str) -> str:
        """The token of the private link to one object (a resident's request, a proposal): 256 bits no one can
        guess without the KEK, found again from the object's id alone, so that every message about the object can
        carry its link while only the token's digest is stored.

        :raises SigningUnavailable: no key-encryption key is configured."""
        if self._link_key is None:
            raise SigningUnavailable()
        digest = hmac.new(self._link_key, f"{kind}:{object_id}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def seal(self, private_key: PrivateKey, *, org_id: str, key_id: str) -> SealedKey:
        return seal(keylib.private_key_der(private_key), kek=self.require_kek(), org_id=org_id, key_id=key_id)

    def signer(self, row: SigningKey) -> SignerKey:
        """Unseal (once, then cached) the private key of a stored signing key."""
        with self._lock:
            cached = self._cache.get(row.id)
            if cached is not None:
                self._cache.move_to_end(row.id)
                return cached
        kek = self.require_kek()
        if row.kek_id != kek_id(kek):
            raise SigningUnavailable(
                "Issuing is unavailable: the configured key-encryption key is not the one that sealed this "
                "organisation's keys.",
                "L'émission est indisponible : la clé de chiffrement configurée n'est pas celle qui a scellé les "
                "clés de cette organisation.",
            )
        der = unseal(SealedKey(row.sealed_private_key, row.wrapped_data_key, row.kek_id), kek=kek,
                     org_id=row.org_id, key_id=row.id)
        signer = SignerKey(row.id, KeyAlgorithm(row.algorithm), keylib.load_private_key_der(der))
        with self._lock:
            self._cache[row.id] = signer
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return signer

    def forget(self, key_id: str) -> None:
        with self._lock:
            self._cache.pop(key_id, None)


def _new_key(session: Session, vault: KeyVault, org_id: str, algorithm: KeyAlgorithm) -> SigningKey:
    private_key = keylib.generate_private_key(algorithm)
    public_key = private_key.public_key()
    key_id = f"{algorithm.value.split('-')[0].lower()}-{new_id()}"
    sealed = vault.seal(private_key, org_id=org_id, key_id=key_id)
    row = SigningKey(
        id=key_id,
        org_id=org_id,
        algorithm=algorithm.value,
        status="active",
        public_key_pem=keylib.public_key_pem(public_key),
        fingerprint=keylib.fingerprint(public_key),
        sealed_private_key=sealed.sealed_private_key,
        wrapped_data_key=sealed.wrapped_data_key,
        kek_id=sealed.kek_id,
    )
    session.add(row)
    return row


def create_key_set(session: Session, vault: KeyVault, org_id: str) -> list[SigningKey]:
    """Generate one active key per algorithm for a new organisation."""
    return [_new_key(session, vault, org_id, alg) for alg in KeyAlgorithm]


def create_person_key(session: Session, vault: KeyVault, org_id: str) -> SigningKey:
    """The one key of a person endorser: Ed25519, for the Data Integrity proofs of their endorsements."""
    return _new_key(session, vault, org_id, KeyAlgorithm.ed25519)


def _lock_keys_of(session: Session, org_id: str) -> None:
    """Serialise the changes of one organisation's keys (its row locked until the transaction ends): two rotations
    at once would each retire the same key and each create one, leaving two active keys of one algorithm. SQLite
    serialises every write transaction already."""
    session.execute(select(Organisation.id).where(Organisation.id == org_id).with_for_update())


def rotate_keys(
    session: Session, vault: KeyVault, org_id: str, algorithms: list[KeyAlgorithm], *, now: datetime, actor: str
) -> list[SigningKey]:
    """Retire the active keys of ``algorithms`` and create new active ones. Retired keys stay published."""
    vault.require_kek()
    _lock_keys_of(session, org_id)
    current = session.scalars(
        select(SigningKey).where(SigningKey.org_id == org_id, SigningKey.status == "active",
                                 SigningKey.algorithm.in_([a.value for a in algorithms]))
    ).all()
    for row in current:
        row.status, row.retired_at = "retired", now
    session.flush()
    created = [_new_key(session, vault, org_id, alg) for alg in algorithms]
    session.flush()
    audit.record(session, actor=actor, action="keys.rotate", target_type="organisation", target_id=org_id,
                 org_id=org_id, details={"retired": [r.id for r in current], "created": [r.id for r in created]})
    return created


def mark_compromised(session: Session, vault: KeyVault, org_id: str, key_id: str, *, now: datetime,
                     actor: str) -> SigningKey:
    """Withdraw a key from publication. An active key is replaced by a new one of the same algorithm."""
    _lock_keys_of(session, org_id)
    row = session.scalar(select(SigningKey).where(SigningKey.id == key_id, SigningKey.org_id == org_id))
    if row is None:
        raise NotFound("No such key.", "Clé introuvable.")
    if row.status == "compromised":
        raise Conflict("This key is already marked compromised.", "Cette clé est déjà déclarée compromise.")
    was_active = row.status == "active"
    if was_active:
        vault.require_kek()
    row.status, row.compromised_at = "compromised", now
    vault.forget(row.id)
    session.flush()
    replacement = _new_key(session, vault, org_id, KeyAlgorithm(row.algorithm)) if was_active else None
    audit.record(session, actor=actor, action="key.compromise", target_type="signing_key", target_id=row.id,
                 org_id=org_id, details={"replacement": replacement.id if replacement else None})
    log.warning("signing key %s of organisation %s marked compromised", row.id, org_id)
    return row


def list_keys(session: Session, org_id: str) -> list[SigningKey]:
    return list(session.scalars(
        select(SigningKey).where(SigningKey.org_id == org_id).order_by(SigningKey.created_at, SigningKey.id)
    ))


def active_key(session: Session, org_id: str, algorithm: KeyAlgorithm) -> SigningKey:
    row = session.scalar(select(SigningKey).where(
        SigningKey.org_id == org_id, SigningKey.algorithm == algorithm.value, SigningKey.status == "active"))
    if row is None:
        raise SigningUnavailable("This organisation has no active signing key.",
                                 "Cette organisation n'a aucune clé de signature active.")
    return row


def published_keys(session: Session, org_id: str) -> list[PublishedKey]:
    """Every non-compromised key (active and retired), oldest first: what verifiers may resolve."""
    rows = session.scalars(
        select(SigningKey).where(SigningKey.org_id == org_id, SigningKey.status != "compromised")
        .order_by(SigningKey.created_at, SigningKey.id)
    )
    return [PublishedKey(r.id, KeyAlgorithm(r.algorithm), keylib.load_public_key_pem(r.public_key_pem), r.status)
            for r in rows]


def get_published_rsa_key(session: Session, key_id: str) -> SigningKey:
    """A non-compromised RSA key by id (OB 2.0 CryptographicKey documents)."""
    row = session.get(SigningKey, key_id)
    if row is None or row.status == "compromised" or row.algorithm != KeyAlgorithm.rsa2048.value:
        raise NotFound("No such key.", "Clé introuvable.")
    return row


# ------------------------------------------------------------------------------------------------ use cases


def list_for(ctx: ServiceContext, principal: Principal) -> list[SigningKeyOut]:
    with ctx.db.sessions() as session:
        return [presenters.signing_key_out(k, ctx.urls, principal.org_slug)
                for k in list_keys(session, principal.org_id)]


def rotate(ctx: ServiceContext, principal: Principal, algorithms: list[KeyAlgorithm]) -> list[SigningKeyOut]:
    with ctx.db.transaction() as session:
        created = rotate_keys(session, ctx.vault, principal.org_id, algorithms, now=ctx.clock.now(),
                              actor=principal.actor)
        return [presenters.signing_key_out(k, ctx.urls, principal.org_slug) for k in created]


def compromise(ctx: ServiceContext, principal: Principal, key_id: str) -> SigningKeyOut:
    """Withdraw the key; for an Ed25519 key, enqueue in the same transaction the job that re-signs every credential
    it signed (until the job reaches one, serving it re-signs it: no proof by a withdrawn key is ever served)."""
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        row = mark_compromised(session, ctx.vault, principal.org_id, key_id, now=now, actor=principal.actor)
        job = None
        if row.algorithm == KeyAlgorithm.ed25519.value:
            job = ctx.jobs.enqueue(session, RESIGN_CREDENTIALS, org_id=principal.org_id,
                                   params={"compromised_key_id": row.id}, now=now)
            audit.record(session, actor=principal.actor, action="credentials.resign", target_type="signing_key",
                         target_id=row.id, org_id=principal.org_id, details={"job": job.id})
        return presenters.signing_key_out(row, ctx.urls, principal.org_slug, job=job)

