"""Public views of issued credentials: the stored JSON-LD, VC-JWTs signed on demand, signed status lists; and how
every public document is served from its version (issue 13).

Every public document has a strong ``ETag`` named after what it is built from (:func:`version_tag`: a status list's
id, version and signing key; a credential's signing key; an organisation's public fields and key states; an
achievement version's last change…), read by one or two small queries. A client holding that tag gets a 304 before
anything is loaded, signed or serialised; otherwise the bytes come from the :class:`DocumentCache` under that tag,
or are built once and kept there. The tag is always decided from what was read *before* the body, so a body is
never older than its tag (at worst newer, if a change committed in between: the next read then has a new tag).
Nothing in the cache goes stale: a new version is a new tag.

Nothing signed by a compromised key is served: a credential whose Data Integrity key was withdrawn and that the
re-signing job (app.jobs.resign) has not reached yet is re-signed on the spot, in its own short transaction, before
it is served in any form (JSON-LD, VC-JWT, baked image). Without a usable key-encryption key that is impossible:
503 with ``Retry-After``.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Container, Hashable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import orjson
from sqlalchemy import bindparam, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.badges.ob3 import AchievementDoc, achievement_document
from app.errors import CredentialPrivate, NotFound, SavoirsError, SigningUnavailable
from app.models import Award, SigningKey, StatusList
from app.services import achievements, awards, keys, organisations, status_documents
from app.services.endorsements import published as endorsed
from app.services.issuing import Resigner
from app.signing.keys import KeyAlgorithm
from app.signing.vc_jwt import encode_vc_jwt
from app.urls import PublicUrls

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["DocumentCache", "Served", "ServedCredential", "StatusListCache", "cached", "credential_jwt", "remember",
           "serve", "serve_achievement", "serve_credential", "serve_credential_token", "serve_status_list",
           "servable_award", "served_credential", "signed_status_list", "version_tag"]

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


class DocumentCache:
    """Public documents as served, by version: each is signed and serialised once per change, not once per read.

    Keys name versions (an ETag, or a status list's id, version and signing key), so no entry is ever stale: a change
    makes a new key, and the old entry leaves when it is the least recently used. Bounded by entries and by bytes;
    safe across the server's threads.
    """

    def __init__(self, size: int = 2048, max_bytes: int = 32 * 1024 * 1024) -> None:
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._size, self._max_bytes, self._bytes = size, max_bytes, 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: Any, *, size: int = 1024) -> None:
        """Keep ``value`` (about ``size`` bytes); one larger than an eighth of the budget is not kept."""
        if size > self._max_bytes // 8:
            return
        with self._lock:
            previous = self._items.pop(key, None)
            self._bytes += size - (previous[1] if previous else 0)
            self._items[key] = (value, size)
            while len(self._items) > self._size or self._bytes > self._max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped


#: the name the service context knows it by (it first held signed status lists only)
StatusListCache = DocumentCache


@dataclass(frozen=True, slots=True)
class Served:
    """A public document as the service answers it: its ETag, and its bytes unless the client holds that version
    (``body`` None: 304). ``etag`` is None only for a document that is not cached (an OB 2.0 assertion's 410)."""

    etag: str | None
    body: bytes | None
    status: int = 200


@functools.cache
def _code_revision() -> str:
    """A digest of this service's code: documents built from the same rows by other code are other versions, so a
    deployment changes every tag once (clients then read each document again), never leaving a stale copy valid."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def version_tag(urls: PublicUrls, kind: str, *version: object) -> str:
    """The strong ETag of a document of ``kind`` built from ``version`` (ids, counters, states, timestamps: whatever
    changes whenever the document does, a representation's media type included), under this ``PUBLIC_BASE_URL``
    and this code."""
    return _tag(urls.base, kind, version)


@functools.lru_cache(maxsize=4096)  # the same versions are tagged again and again (every conditional read)
def _tag(base: str, kind: str, version: tuple[object, ...]) -> str:
    text = "\x1f".join([_code_revision(), base, kind, *map(str, version)])
    return f'"{kind}.{hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]}"'


def cached(cache: DocumentCache, etag: str, held: Container[str]) -> Served | None:
    """The answer when the client holds ``etag`` (304) or the cache has its bytes; None when they must be built."""
    if etag in held:
        return Served(etag, None)
    body = cache.get(etag)
    return Served(etag, body) if isinstance(body, bytes) else None


def remember(cache: DocumentCache, etag: str, body: bytes) -> Served:
    """Serve ``body`` under ``etag`` (decided before the body was read), and keep it for the next reads."""
    cache.put(etag, body, size=len(body))
    return Served(etag, body)


def serve(cache: DocumentCache, etag: str, held: Container[str], build: Callable[[], bytes]) -> Served:
    """304 when the client holds ``etag``, else the kept bytes, else ``build()`` once (and kept)."""
    return cached(cache, etag, held) or remember(cache, etag, build())


def signed_status_list(session: Session, vault: keys.KeyVault, urls: PublicUrls, cache: DocumentCache,
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
    signed = status_documents.signed_document(session, vault, urls, row, key_row)  # the kept copy, or signed now
    cache.put(cache_key, signed, size=len(row.encoded_list) + 1024)
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


def servable_award(ctx: ServiceContext, award_id: str, *, public: bool = True) -> Award:
    """The award, its credential carrying no proof by a withdrawn key (re-signed now if need be; detached).

    :param public: served at its public address: only if its holder made it public (else its holder's own view).
    :raises NotFound: no such award.
    :raises CredentialPrivate: ``public`` and its holder keeps it private.
    :raises SigningUnavailable: it must be re-signed and cannot be (no usable KEK): 503 with ``Retry-After``.
    """
    with ctx.db.sessions() as session:
        award = awards.get_public(session, award_id) if public else awards.get_any(session, award_id)
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


def credential_token(ctx: ServiceContext, award_id: str, algorithm: JwtAlgorithm, kid: KidForm = "jwk", *,
                     public: bool = True) -> str:
    """The VC-JWT of an award, signed now; the credential it carries is never one signed by a withdrawn key
    (``public``: see :func:`servable_award`)."""
    award = servable_award(ctx, award_id, public=public)
    with ctx.db.sessions() as session:
        return credential_jwt(session, ctx.vault, ctx.urls, award, algorithm, kid)


def status_list(ctx: ServiceContext, list_id: str) -> dict[str, Any]:
    """A signed BitstringStatusListCredential (signed once per change of the list)."""
    with ctx.db.sessions() as session:
        document, _ = signed_status_list(session, ctx.vault, ctx.urls, ctx.status_cache, list_id)
        return document


#: a status list's version and its organisation's active Ed25519 key, in one statement built once (no key: None)
_STATUS_VERSION = (
    select(StatusList.version, SigningKey.id.label("key_id"))
    .outerjoin(SigningKey, (SigningKey.org_id == StatusList.org_id)
               & (SigningKey.algorithm == KeyAlgorithm.ed25519.value) & (SigningKey.status == "active"))
    .where(StatusList.id == bindparam("list_id")))


def _status_tag(ctx: ServiceContext, list_id: str) -> str:
    """The status list's ETag, from one small read outside any transaction."""
    return _status_tag_of(ctx, list_id, ctx.db.read_row(_STATUS_VERSION, {"list_id": list_id}))


def _status_tag_of(ctx: ServiceContext, list_id: str, found: tuple[Any, ...] | None) -> str:
    if found is None:
        raise NotFound("No such status list.", "Liste de statuts introuvable.")
    version, key_id = found
    if key_id is None:
        raise SigningUnavailable("This organisation has no active signing key.",
                                 "Cette organisation n'a aucune clé de signature active.")
    return version_tag(ctx.urls, "status", list_id, version, key_id)


def serve_status_list(ctx: ServiceContext, list_id: str, held: Container[str]) -> Served:
    """The signed status list, tagged by its id, version and signing key (every status change and every rotation
    changes it): a client holding that version, or a list kept in the cache, costs one small read, no signing and
    no serialisation; a revocation shows at the very next read, whatever the cache holds."""
    etag = _status_tag(ctx, list_id)
    hit = cached(ctx.status_cache, etag, held)
    if hit is not None:
        return hit
    with ctx.db.sessions() as session:
        return remember(ctx.status_cache, etag, orjson.dumps(
            signed_status_list(session, ctx.vault, ctx.urls, ctx.status_cache, list_id)[0]))


async def status_list_at_hand(ctx: ServiceContext, list_id: str, held: Container[str]) -> Served | None:
    """What :func:`serve_status_list` answers when that costs one small read and nothing else (the client holds
    the current version, or its bytes are kept), read on the event loop without holding it; None when the list
    must be signed first, or the answer is an error, or the read failed or was slow: :func:`serve_status_list`
    then answers, as always."""
    try:
        found = await ctx.db.read_row_async(_STATUS_VERSION, {"list_id": list_id})
        etag = _status_tag_of(ctx, list_id, found)
    except (SavoirsError, SQLAlchemyError):
        return None
    return cached(ctx.status_cache, etag, held)


#: (organisation, signing key, whether that key was withdrawn, revision, visibility) of a credential, built once
_CREDENTIAL_VERSION = (
    select(Award.org_id, Award.signing_key_id, (SigningKey.status == "compromised").label("withdrawn"),
           Award.revision, Award.visibility)
    .join(SigningKey, SigningKey.id == Award.signing_key_id).where(Award.id == bindparam("award_id")))


def _credential_version(ctx: ServiceContext, award_id: str) -> tuple[str, str, bool, int]:
    """(organisation, signing key, whether that key was withdrawn, revision) of a public credential, without
    reading it.

    :raises NotFound: no such award. :raises CredentialPrivate: its holder keeps it private."""
    found = ctx.db.read_row(_CREDENTIAL_VERSION, {"award_id": award_id})
    if found is None:
        raise NotFound("No such credential.", "Badge introuvable.")
    org_id, key_id, withdrawn, revision, visibility = found
    if visibility != "public":
        raise CredentialPrivate()
    return org_id, key_id, bool(withdrawn), int(revision)


def _current_signing_key(ctx: ServiceContext, award_id: str) -> tuple[str, str]:
    """(organisation, the version served: the key of its proof and its revision): re-signed first if its key was
    withdrawn, so that no 304 and no kept copy ever stands for a proof by a withdrawn key."""
    org_id, key_id, withdrawn, revision = _credential_version(ctx, award_id)
    if withdrawn:
        award = _resign_now(ctx, award_id)
        key_id, revision = award.signing_key_id, award.revision
    return org_id, f"{key_id}.{revision}"


def serve_credential(ctx: ServiceContext, award_id: str, media_type: str, held: Container[str]) -> Served:
    """The stored OB 3.0 credential (JSON-LD with its proof) as ``media_type``, tagged by the key of its proof and
    its revision: a re-signing (after a compromise) or an issuance again (an endorsement came or went) changes the
    tag; nothing else changes the document."""
    _, key_id = _current_signing_key(ctx, award_id)
    etag = version_tag(ctx.urls, "credential", award_id, key_id, media_type)
    return serve(ctx.status_cache, etag, held, lambda: orjson.dumps(servable_award(ctx, award_id).credential))


def serve_credential_token(ctx: ServiceContext, award_id: str, algorithm: JwtAlgorithm, kid: KidForm,
                           held: Container[str]) -> Served:
    """The VC-JWT of an award, tagged by the key of the proof it carries and the active key that signs it (a
    rotation changes the tag): signed once per version, not once per read."""
    org_id, key_id = _current_signing_key(ctx, award_id)
    with ctx.db.sessions() as session:
        signer_id = keys.active_key(session, org_id, _KEY_FOR[algorithm]).id
    etag = version_tag(ctx.urls, "vc-jwt", award_id, key_id, signer_id, algorithm, kid)
    if algorithm == "ES256":  # ECDSA signatures are randomised: two servers give equivalent, not equal, tokens
        etag = "W/" + etag
    return serve(ctx.status_cache, etag, held,
                 lambda: credential_token(ctx, award_id, algorithm, kid).encode("utf-8"))


def serve_achievement(ctx: ServiceContext, achievement_id: str, held: Container[str]) -> Served:
    """The OB 3.0 Achievement of a published (or archived) version, tagged by the version's last change."""
    with ctx.db.sessions() as session:
        etag = version_tag(ctx.urls, "achievement", achievement_id,
                           achievements.public_version(session, achievement_id),
                           *endorsed.version(session, "achievement", achievement_id))
        return serve(ctx.status_cache, etag, held, lambda: orjson.dumps(achievement_document(
            published_achievement(session, ctx.urls, achievement_id), with_context=True)))


def published_achievement(session: Session, urls: PublicUrls, achievement_id: str) -> AchievementDoc:
    """A published (or archived) achievement version as its own URL serves it: with its endorsements."""
    doc = achievements.to_doc(achievements.get_public(session, achievement_id), urls)
    return replace(doc, endorsements=tuple(endorsed.published(session, "achievement", achievement_id)))
