"""Rows as the API shows them: every ``*_out`` presenter in one place (services call these, routers never see a
model)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import urlencode

from app.badges.ob3 import level_id
from app.models import Achievement, ApiKey, Award, Group, GroupMember, Job, Organisation, SigningKey
from app.schemas.achievements import AchievementOut
from app.schemas.awards import AwardOut, GroupOut
from app.schemas.jobs import JobOut, JobRef
from app.schemas.organisations import (
    ApiKeyCreated,
    ApiKeyOut,
    OrganisationLinks,
    OrganisationOut,
    SigningKeyOut,
)
from app.schemas.search import AwardPage, GroupDetailOut, GroupMemberOut, GroupPage
from app.urls import PublicUrls

__all__ = ["AWARD_CSV_HEADER", "achievement_out", "api_key_created", "api_key_out", "award_csv_row", "award_out",
           "award_page", "csv_cell", "group_detail_out", "group_out", "group_page", "job_out",
           "job_ref", "organisation_out", "page_headers", "signing_key_out"]


def organisation_out(org: Organisation, urls: PublicUrls) -> OrganisationOut:
    """An organisation with its public links."""
    slug = org.slug
    links = OrganisationLinks(did=urls.did(slug), did_document=urls.did_document(slug), jwks=urls.jwks(slug),
                              profile=urls.profile(slug), ob2_issuer=urls.ob2_issuer(slug))
    return OrganisationOut.model_validate({**{k: getattr(org, k) for k in (
        "id", "slug", "name", "url", "email", "description", "image", "language", "status_model", "created_at",
        "updated_at")},
        "links": links})


def signing_key_out(row: SigningKey, urls: PublicUrls, slug: str, *, job: Job | None = None) -> SigningKeyOut:
    published = row.status != "compromised"
    return SigningKeyOut.model_validate({
        **{k: getattr(row, k) for k in ("id", "algorithm", "status", "fingerprint", "created_at", "retired_at",
                                        "compromised_at")},
        "verification_method": urls.verification_method(slug, row.id) if published else None,
        "jwk": urls.jwk(slug, row.id) if published else None,
        "job": job_ref(job, urls) if job is not None else None,
    })


def _job_links(job: Job, urls: PublicUrls) -> dict[str, str]:
    return {"self": f"{urls.base}/api/v1/jobs/{job.id}"}


def job_ref(job: Job, urls: PublicUrls) -> JobRef:
    return JobRef.model_validate({"id": job.id, "state": job.state, "links": _job_links(job, urls)})


def job_out(job: Job, urls: PublicUrls) -> JobOut:
    return JobOut.model_validate({
        **{k: getattr(job, k) for k in ("id", "kind", "state", "attempts", "last_error", "progress_done",
                                        "progress_total", "created_at", "updated_at")},
        "links": _job_links(job, urls),
    })


def api_key_out(row: ApiKey) -> ApiKeyOut:
    return ApiKeyOut.model_validate(row)


def api_key_created(row: ApiKey, token: str) -> ApiKeyCreated:
    """The new key with its secret, shown this once."""
    return ApiKeyCreated.model_validate({**api_key_out(row).model_dump(), "token": token})


def achievement_out(row: Achievement, urls: PublicUrls) -> AchievementOut:
    url = urls.achievement(row.id)
    return AchievementOut.model_validate({
        "id": row.id, "lineage_id": row.lineage_id, "version": row.version, "state": row.state,
        "name": row.name, "description": row.description,
        "criteria": {"narrative": row.criteria_narrative, "url": row.criteria_url},
        "achievementType": row.achievement_type,
        "image": urls.image(row.image_id) if row.image_id else row.image_url, "tags": row.tags,
        "alignments": row.alignments, "language": row.language,
        "levels": [{**lvl, "id": level_id(url, lvl["key"])} for lvl in row.levels],
        "url": url, "created_at": row.created_at, "published_at": row.published_at,
    })


def award_out(award: Award, urls: PublicUrls, *, claim_code: str | None = None,
              members: Sequence[AwardOut] = ()) -> AwardOut:
    return AwardOut.model_validate({
        "id": award.id, "achievement_id": award.achievement_id, "status": award.status,
        "recipient_kind": award.recipient_kind, "display_name": award.display_name, "level": award.level_id,
        "valid_from": award.valid_from, "valid_until": award.valid_until,
        "revocation_reason": award.revocation_reason, "created_at": award.created_at, "claim_code": claim_code,
        "visibility": award.visibility,
        "group_id": award.group_id, "parent_award_id": award.parent_award_id,
        "links": {"credential": urls.credential(award.id), "status_list": urls.status_list(award.revocation_list_id),
                  "achievement": urls.achievement(award.achievement_id),
                  "baked_png": urls.baked_credential(award.id, "png"),
                  "baked_svg": urls.baked_credential(award.id, "svg"),
                  "ob2_assertion": urls.ob2_assertion(award.id), "ob2_signed": urls.ob2_signed_assertion(award.id),
                  "ob2_baked_png": urls.ob2_baked(award.id, "png"), "ob2_baked_svg": urls.ob2_baked(award.id, "svg"),
                  "claim": urls.claim(claim_code) if claim_code else None},
        "members": list(members),
    })


def group_out(group: Group, member_count: int) -> GroupOut:
    return GroupOut(id=group.id, name=group.name, description=group.description, member_count=member_count,
                    created_at=group.created_at)



# ------------------------------------------------------------------------------------------------ the read side


def award_page(awards: Sequence[Award], urls: PublicUrls, *, total: int, next_cursor: str | None) -> AwardPage:
    return AwardPage(items=[award_out(a, urls) for a in awards], total=total, next_cursor=next_cursor)


def group_page(groups: Sequence[Group], member_counts: Mapping[str, int], *, total: int, next_cursor: str | None
               ) -> GroupPage:
    return GroupPage(items=[group_out(g, member_counts.get(g.id, 0)) for g in groups], total=total,
                     next_cursor=next_cursor)


def group_detail_out(group: Group, members: Sequence[GroupMember], award_ids: Sequence[str],
                     member_awards: Mapping[str, Sequence[str]]) -> GroupDetailOut:
    """A group, its collective credentials and its members (display name and kind of recipient, never the
    identifier) with their own credentials."""
    return GroupDetailOut(
        **group_out(group, len(members)).model_dump(), award_ids=list(award_ids),
        members=[GroupMemberOut(id=m.id, display_name=m.display_name,
                                recipient_kind=next(iter(m.recipient), "none"),
                                award_ids=list(member_awards.get(m.id, ()))) for m in members])


def page_headers(base_url: str, path: str, query: Sequence[tuple[str, str]], *, total: int,
                 next_cursor: str | None) -> dict[str, str]:
    """``X-Total-Count`` and, unless this is the last page, ``Link: <…>; rel="next"`` (RFC 8288): the same request
    at the service's public address, with the next cursor."""
    headers = {"X-Total-Count": str(total)}
    if next_cursor is not None:
        params = [(k, v) for k, v in query if k != "cursor"] + [("cursor", next_cursor)]
        headers["Link"] = f'<{base_url}{path}?{urlencode(params)}>; rel="next"'
    return headers


AWARD_CSV_HEADER = ["id", "achievement_id", "achievement_name", "level", "level_name", "status", "recipient_kind",
                    "display_name", "group_id", "parent_award_id", "valid_from", "valid_until", "created_at",
                    "revoked_at", "credential_url"]
#: what makes a spreadsheet read a cell as a formula (CSV injection, OWASP)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str | datetime | None) -> str:
    """A CSV cell that no spreadsheet runs: text starting like a formula gets a leading apostrophe."""
    text = _plain(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _plain(value: str | datetime | None) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, datetime) else value


def award_csv_row(award: Award, achievement: Achievement, urls: PublicUrls) -> list[str]:
    """One award as a line of :data:`AWARD_CSV_HEADER`. The texts people typed (names) go through
    :func:`csv_cell`; ids (ours, from ``[A-Za-z0-9_-]``, some starting with ``-``), keys, dates and URLs stay exact."""
    level_name = next((lvl["name"] for lvl in achievement.levels if lvl["key"] == award.level_id), None)
    return [
        _plain(award.id), _plain(award.achievement_id), csv_cell(achievement.name), _plain(award.level_id),
        csv_cell(level_name), _plain(award.status), _plain(award.recipient_kind), csv_cell(award.display_name),
        _plain(award.group_id), _plain(award.parent_award_id), _plain(award.valid_from), _plain(award.valid_until),
        _plain(award.created_at), _plain(award.revoked_at), urls.credential(award.id)]
