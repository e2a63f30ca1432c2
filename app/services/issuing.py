"""Issuing OB 3.0 credentials: recipient identity, status entries, the Data Integrity proof, persistence.

One :class:`IssuingContext` is prepared per organisation and achievement (keys unsealed, documents built once), then
``issue`` signs and stores one credential in the caller's transaction; nothing is committed here.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from app.badges import identity
from app.badges.issuer import ob3_profile
from app.badges.ob3 import AchievementDoc, AwardDoc, achievement_document, build_credential
from app.errors import Conflict, InvalidInput
from app.models import Achievement, Award
from app.models.base import new_id
from app.schemas.awards import AwardRow
from app.services import achievements, keys, organisations, status_documents
from app.services.endorsements import published as endorsed
from app.services.status import Reservation, reserve, suspension_list_id
from app.signing.canon import InvalidJsonLdError
from app.signing.data_integrity import create_proof
from app.signing.errors import SigningError
from app.signing.fast_canon import ShapeCanonicalizer
from app.signing.keys import KeyAlgorithm
from app.signing.loader import make_loader
from app.signing.portable_order import UnportableOrderError
from app.text_normal import fold
from app.urls import PublicUrls

__all__ = ["LOOKUP_KINDS", "AwardSpec", "Issued", "IssuingContext", "RecipientSpec", "Resigner", "document_loader",
           "new_claim_code", "refusal", "shape_canonicalizer", "sign_credential", "spec_from_row", "status_entry"]

RecipientKind = Literal["email", "phone", "url", "did", "none", "group"]
_IDENTITY_TYPES = {"email": "emailAddress", "phone": "ext:telephone", "url": "ext:url"}
_RECIPIENT_KINDS: dict[str, RecipientKind] = {"email": "email", "phone": "phone", "url": "url", "did": "did",
                                              "none": "none"}
#: kinds of recipient the organisation can find again by a keyed hash (``awards.recipient_lookup``)
LOOKUP_KINDS = frozenset({"email", "phone"})


@lru_cache(maxsize=1)
def document_loader() -> Any:
    return make_loader()


@lru_cache(maxsize=1)
def shape_canonicalizer() -> ShapeCanonicalizer:
    """Process-wide shape templates: credentials of one achievement share almost all of their JSON-LD work."""
    return ShapeCanonicalizer(document_loader())


@dataclass(frozen=True, slots=True)
class RecipientSpec:
    kind: RecipientKind
    value: str | None = None
    display_name: str | None = None  # the organisation's own record of the name
    publish_name: bool = False  # put display_name in the credential (a group's name always is)
    public: bool = False  # serve the credential at its URL to anyone (a group's award always is)


@dataclass(frozen=True, slots=True)
class AwardSpec:
    recipient: RecipientSpec
    narrative: str | None = None
    evidence: tuple[dict[str, Any], ...] = ()
    level: str | None = None  # level key ("level-2") or level name
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    extra_evidence: tuple[dict[str, Any], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Issued:
    award: Award
    claim_code: str | None


def spec_from_row(row: AwardRow) -> AwardSpec:
    """What to issue, from an award body (a single award, a group award or one row of a batch)."""
    kind, value = row.recipient.identifier() if row.recipient else ("none", None)
    evidence = tuple({k: v for k, v in (("id", e.url), ("name", e.name), ("narrative", e.narrative),
                                        ("description", e.description)) if v} for e in row.evidence)
    name = row.recipient.display_name if row.recipient else None
    publish = bool(row.recipient and row.recipient.publish_name)
    public = bool(row.recipient and row.recipient.public)
    return AwardSpec(recipient=RecipientSpec(_RECIPIENT_KINDS[kind], value, name, publish, public),
                     narrative=row.narrative, evidence=evidence, level=row.level, valid_from=row.validFrom,
                     valid_until=row.validUntil)


def new_claim_code() -> str:
    """A claim code: 64 random bits, as 16 hexadecimal digits in four groups (``1A2B-3C4D-5E6F-7A8B``)."""
    return "-".join(secrets.token_hex(2).upper() for _ in range(4))


def _entry(urls: PublicUrls, list_id: str, index: int, purpose: str) -> dict[str, Any]:
    list_url = urls.status_list(list_id)
    return {"id": f"{list_url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": list_url}


def revocation_entry(urls: PublicUrls, list_id: str, index: int) -> dict[str, Any]:
    """A ``credentialStatus`` of revocation only (endorsements: their endorser takes them back, never suspends)."""
    return _entry(urls, list_id, index, "revocation")


def status_entry(urls: PublicUrls, list_id: str, index: int, *, with_suspension: bool = False
                 ) -> dict[str, Any] | list[dict[str, Any]]:
    """The credential's ``credentialStatus``: the revocation ``BitstringStatusListEntry`` alone (one object, as the
    OB 3.0 JSON Schema of 2024 allows), or with the suspension entry of the pair's twin list at the same index."""
    revocation = _entry(urls, list_id, index, "revocation")
    if not with_suspension:
        return revocation
    return [revocation, _entry(urls, suspension_list_id(list_id), index, "suspension")]


def _normalised(spec: RecipientSpec) -> str:
    if not spec.value:
        raise InvalidInput(f"The recipient's {spec.kind} is missing.", f"Le champ {spec.kind} du destinataire manque.",
                           code="invalid_recipient")
    try:
        if spec.kind == "email":
            return identity.normalise_email(spec.value)
        if spec.kind == "phone":
            return identity.normalise_phone(spec.value)
    except ValueError as exc:
        raise InvalidInput(f"This {spec.kind} is not valid: {spec.value[:100]!r}.",
                           f"Ce {'courriel' if spec.kind == 'email' else 'numéro'} n'est pas valide : "
                           f"{spec.value[:100]!r}.", code="invalid_recipient") from exc
    return spec.value.strip()


def sign_credential(unsigned: dict[str, Any], *, private_key: Ed25519PrivateKey, verification_method: str,
                    now: datetime, portable: bool = True) -> dict[str, Any]:
    """Add an ``eddsa-rdfc-2022`` proof created ``now``, with the shared loader and shape canonicaliser.

    :param portable: see :func:`~app.signing.data_integrity.create_proof` (``False`` when re-signing: a credential
        issued before that check keeps being served, with a fresh proof).

    :raises InvalidInput: a text given to us cannot be signed so that every verifier reads the signature as we do
        (see :func:`refusal`); any other signing failure is ours and stays a 5xx.
    """
    try:
        return create_proof(unsigned, private_key=private_key, verification_method=verification_method,
                            created=now, loader=document_loader(), canonicalizer=shape_canonicalizer().canonicalize,
                            portable=portable)
    except (InvalidJsonLdError, UnportableOrderError) as exc:
        raise refusal(exc) from exc


def refusal(exc: SigningError) -> InvalidInput:
    """Why a text given to us cannot be signed, for the caller who gave it: control characters
    (``InvalidJsonLdError``) or two texts some verifiers would order otherwise (``UnportableOrderError``)."""
    if not isinstance(exc, UnportableOrderError):
        return InvalidInput("A text of this award cannot be signed: " + exc.message_en,
                            "Un texte de ce badge ne peut pas être signé : " + exc.message_fr, code="unsignable_text")
    first, second = (text[:100] for text in exc.texts)
    return InvalidInput(
        f"Two texts of this badge, {first!r} and {second!r}, would be put in a different order by some verifiers "
        "(Digital Bazaar, DCC) than by the standard, so its signature would not hold for them. Change one of them: "
        "a ligature such as 'ﬁ' into 'fi', a full-width letter into an ordinary one, or remove the emoji.",
        f"Deux textes de ce badge, {first!r} et {second!r}, seraient rangés dans un autre ordre par certains "
        "vérificateurs (Digital Bazaar, DCC) que par la norme : sa signature ne tiendrait pas pour eux. Modifiez "
        "l'un des deux : une ligature comme « ﬁ » en « fi », une lettre pleine chasse en lettre ordinaire, ou "
        "retirez l'emoji.", code="unportable_text", extra={"texts": [first, second]})


def _ed25519(signer: keys.SignerKey) -> Ed25519PrivateKey:
    key = signer.private_key
    if not isinstance(key, Ed25519PrivateKey):
        raise TypeError("the active Data Integrity key is not Ed25519")
    return key


class Resigner:
    """Re-signs stored credentials of one organisation with its active Ed25519 key, after a key compromise: the old
    proof goes, a fresh one comes; the credential's id and every other member stay as they were."""

    def __init__(self, session: Session, vault: keys.KeyVault, urls: PublicUrls, org_id: str) -> None:
        org = organisations.get_by_id(session, org_id)
        key_row = keys.active_key(session, org.id, KeyAlgorithm.ed25519)
        self.signer = vault.signer(key_row)
        self.verification_method = urls.verification_method(org.slug, key_row.id)

    def resign(self, award: Award, *, now: datetime) -> None:
        """Replace the award's proof in the session (not committed)."""
        unsigned = {k: v for k, v in award.credential.items() if k != "proof"}
        award.credential = sign_credential(unsigned, private_key=_ed25519(self.signer),
                                           verification_method=self.verification_method, now=now, portable=False)
        award.signing_key_id = self.signer.id


class IssuingContext:
    """Everything needed to issue credentials of one achievement for one organisation."""

    def __init__(self, session: Session, vault: keys.KeyVault, urls: PublicUrls, org_id: str,
                 achievement: Achievement) -> None:
        if achievement.state != "published":
            raise Conflict("Only a published achievement can be awarded.",
                           "Seul un badge publié peut être décerné.", code="achievement_not_published")
        self.session, self.urls, self.vault = session, urls, vault
        org = organisations.get_by_id(session, org_id)
        self.org_id, self.slug = org.id, org.slug
        self.with_suspension = org.status_model == "revocation_and_suspension"
        self.achievement = achievement
        # the achievement as credentials embed it: with the endorsements it had when they were issued
        self.doc: AchievementDoc = replace(achievements.to_doc(achievement, urls),
                                           endorsements=tuple(endorsed.published(session, "achievement",
                                                                                 achievement.id)))
        self._achievement_json = achievement_document(self.doc)
        self.issuer = ob3_profile(organisations.issuer_info(org), urls)
        key_row = keys.active_key(session, org.id, KeyAlgorithm.ed25519)
        self.signer = vault.signer(key_row)
        self.verification_method = urls.verification_method(org.slug, key_row.id)
        self._level_keys: dict[str, str] = {lvl["key"]: lvl["key"] for lvl in achievement.levels}
        self._level_keys.update({fold(lvl["name"]): lvl["key"] for lvl in achievement.levels})
        self._levels_seen: dict[str, str] = {}  # level as typed → its key (a batch repeats a few levels many times)
        self._reservations: deque[Reservation] = deque()

    def reserve(self, count: int, *, now: datetime) -> None:
        """Have ``count`` status list indexes at hand for the credentials about to be built (constant time): those
        left from earlier reservations, and a new reservation for the rest."""
        missing = count - sum(len(r.indexes) for r in self._reservations)
        if missing > 0:
            reservation = reserve(self.session, self.org_id, missing, now=now)
            self._reservations.append(reservation)
            if reservation.opened:  # a new pair of lists: signed and kept now, served even without the KEK
                status_documents.keep_opened(self.session, self.vault, self.urls, reservation.opened)

    def _draw(self, now: datetime) -> tuple[str, int]:
        """The next reserved index and its (revocation) list; one more is reserved if none is left."""
        while self._reservations and not self._reservations[0].indexes:
            self._reservations.popleft()
        if not self._reservations:
            self.reserve(1, now=now)
        reservation = self._reservations[0]
        return reservation.list_id, reservation.draw()

    def level_key(self, level: str | None) -> str | None:
        if level is None:
            return None
        key: str | None = self._levels_seen.get(level)
        if key is None:
            key = self._level_keys.get(level) or self._level_keys.get(fold(level))  # J’agis = J'agis
        if key is None:
            names = ", ".join(lvl["name"] for lvl in self.achievement.levels) or "—"
            raise InvalidInput(f"Unknown level '{level}'. Levels of this badge: {names}.",
                               f"Niveau « {level} » inconnu. Niveaux de ce badge : {names}.", code="unknown_level")
        self._levels_seen[level] = key
        return key

    def issue(self, spec: AwardSpec, *, now: datetime, group_id: str | None = None,
              parent_award_id: str | None = None) -> Issued:
        """Build, sign and add one award to the session (not committed)."""
        values, claim_code = self.build(spec, now=now, group_id=group_id, parent_award_id=parent_award_id)
        award = Award(**values)
        self.session.add(award)
        return Issued(award, claim_code)

    def build(self, spec: AwardSpec, *, now: datetime, group_id: str | None = None,
              parent_award_id: str | None = None, sign: bool = True) -> tuple[dict[str, Any], str | None]:
        """Build (and sign, unless ``sign`` is false) one award; returns its column values (for a bulk INSERT)
        and its claim code. Unsigned, ``values["credential"]`` waits for :meth:`sign` or a batch signer."""
        level_key = self.level_key(spec.level)
        valid_from = spec.valid_from or now
        if spec.valid_until is not None and spec.valid_until <= valid_from:
            raise InvalidInput("validUntil must be after validFrom.", "La date de fin doit suivre la date de début.",
                               code="invalid_validity")
        award_id = new_id()
        subject_id, identifiers, salt, hashed, claim_code, lookup = self._recipient(spec.recipient)
        list_id, index = self._draw(now)
        award_doc = AwardDoc(
            credential_id=self.urls.credential(award_id), subject_id=subject_id, valid_from=valid_from,
            identifiers=tuple(identifiers), valid_until=spec.valid_until, narrative=spec.narrative,
            evidence=spec.evidence, level_key=level_key, extra_evidence=spec.extra_evidence,
            credential_status=status_entry(self.urls, list_id, index, with_suspension=self.with_suspension),
        )
        unsigned = build_credential(self.issuer, self.doc, award_doc, achievement_json=self._achievement_json)
        signed = self.sign(unsigned, now=now) if sign else unsigned
        return {
            "id": award_id, "org_id": self.org_id, "achievement_id": self.achievement.id, "group_id": group_id,
            "parent_award_id": parent_award_id, "recipient_kind": spec.recipient.kind,
            "identity_hash": hashed, "salt": salt, "recipient_lookup": lookup,
            "recipient_id": subject_id if spec.recipient.kind == "did" else None,
            "claim_code_sha256": hashlib.sha256(claim_code.encode()).hexdigest() if claim_code else None,
            "display_name": spec.recipient.display_name, "level_id": level_key, "valid_from": valid_from,
            "valid_until": spec.valid_until, "status": "active", "revocation_list_id": list_id,
            "revocation_index": index, "suspension_list_id": suspension_list_id(list_id),
            "suspension_index": index, "signing_key_id": self.signer.id, "credential": signed, "revision": 1,
            "visibility": "public" if spec.recipient.public or spec.recipient.kind == "group" else "private",
            "public_name": spec.recipient.display_name if spec.recipient.publish_name else None,
            "holder_id": None, "claimed_at": None, "erased_at": None, "created_at": now,
        }, claim_code

    def sign(self, unsigned: dict[str, Any], *, now: datetime) -> dict[str, Any]:
        """Add the organisation's ``eddsa-rdfc-2022`` proof, created ``now`` (see :func:`sign_credential`)."""
        return sign_credential(unsigned, private_key=self.signing_key, verification_method=self.verification_method,
                               now=now)

    @property
    def signing_key(self) -> Ed25519PrivateKey:
        return _ed25519(self.signer)

    def _recipient(self, spec: RecipientSpec
                   ) -> tuple[str, list[dict[str, Any]], str | None, str | None, str | None, str | None]:
        """(subject id, identifiers, salt, identity hash, claim code, lookup hash) of one recipient."""
        identifiers: list[dict[str, Any]] = []
        salt = hashed = claim_code = lookup = None
        subject_id = f"urn:uuid:{uuid.uuid4()}"
        if spec.kind == "did":
            assert spec.value is not None
            subject_id = spec.value.strip()
        elif spec.kind in _IDENTITY_TYPES:
            salt, normalised = identity.new_salt(), _normalised(spec)
            hashed = identity.identity_hash(normalised, salt)
            if spec.kind in LOOKUP_KINDS:
                lookup = self.vault.recipient_lookup(self.org_id, spec.kind, normalised)
            identifiers.append({"type": "IdentityObject", "identityHash": hashed,
                                "identityType": _IDENTITY_TYPES[spec.kind], "hashed": True, "salt": salt})
        elif spec.kind == "none":
            claim_code = new_claim_code()
        if spec.display_name and spec.publish_name:
            identifiers.append({"type": "IdentityObject", "identityHash": spec.display_name, "identityType": "name",
                                "hashed": False})
        return subject_id, identifiers, salt, hashed, claim_code, lookup
