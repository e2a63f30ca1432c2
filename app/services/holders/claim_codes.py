"""The organisation's side of claim codes: printing the papers that hand them out (one page per code, with a QR code
to the claim page), and a new code for an award whose paper was lost (the old one stops working)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from app.documents import ClaimSheet, Lang, claim_sheets_pdf
from app.errors import Conflict, NotFound
from app.models import Achievement, Award, Organisation
from app.services import audit, awards, baking
from app.services.context import ServiceContext
from app.services.holders.spaces import clean_claim_code
from app.services.issuing import new_claim_code

__all__ = ["NewCode", "replace_code", "sheets"]


@dataclass(frozen=True, slots=True)
class NewCode:
    award_id: str
    claim_code: str
    claim_url: str


def _unknown(typed: str) -> NotFound:
    return NotFound(f"No award of this organisation has the claim code {typed[:40]!r}.",
                    f"Aucun badge de cet organisme n'a le code {typed[:40]!r}.", code="claim_code_unknown")


def sheets(ctx: ServiceContext, org_id: str, codes: Sequence[str], lang: Lang) -> bytes:
    """The papers of ``codes`` (as the organisation was given them), one page each, in that order.

    :raises NotFound: ``claim_code_unknown``: a code is not one of this organisation's awards (nothing printed)."""
    with ctx.db.sessions() as session:
        org = session.get_one(Organisation, org_id)
        found: list[ClaimSheet] = []
        for typed in codes:
            code = clean_claim_code(typed)
            award = session.scalar(select(Award).where(
                Award.org_id == org_id, Award.erased_at.is_(None),
                Award.claim_code_sha256 == hashlib.sha256(code.encode()).hexdigest())) if code else None
            if award is None or code is None:
                raise _unknown(typed)
            achievement = session.get_one(Achievement, award.achievement_id)
            level = next((str(lvl["name"]) for lvl in achievement.levels if lvl.get("key") == award.level_id), None)
            found.append(ClaimSheet(badge=achievement.name, issuer=org.name, level=level, name=award.display_name,
                                    code=code, claim_url=ctx.urls.claim(code), typed_url=f"{ctx.urls.base}/recuperer",
                                    image_png=baking.base_image(session, achievement, "png")))
    return claim_sheets_pdf(found, lang, created=ctx.clock.now())


def replace_code(ctx: ServiceContext, org_id: str, award_id: str, actor: str) -> NewCode:
    """A new claim code for one award (shown once); the old one no longer claims it. A badge already claimed into
    a space stays there: the new code opens that space (unless it is an address's: then signing in does).

    :raises Conflict: ``award_erased``: its holder's data was erased."""
    with ctx.db.transaction() as session:
        award = awards.get_owned(session, org_id, award_id, for_update=True)
        if award.erased_at is not None:
            raise Conflict("This award's holder data was erased: it has no claim code any more.",
                           "Les données du titulaire de ce badge ont été effacées : il n'a plus de code.",
                           code="award_erased")
        code = new_claim_code()
        award.claim_code_sha256 = hashlib.sha256(code.encode()).hexdigest()
        audit.record(session, actor=actor, action="award.claim_code_replaced", target_type="award",
                     target_id=award.id, org_id=org_id)
        return NewCode(award.id, code, ctx.urls.claim(code))
