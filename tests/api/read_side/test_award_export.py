"""The read side beyond awards: the CSV export, groups with their members, achievements by name."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from app.models import Achievement, Award
from app.presenters import award_csv_row, csv_cell
from app.urls import PublicUrls
from tests.api.read_side.helpers import START, Org, follow
from tests.conftest import bearer


def _rows(text: str, separator: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=separator))


# ------------------------------------------------------------------------------------------------ CSV


def test_export_is_a_csv_attachment_with_one_line_per_award(org: Org, badge: dict[str, Any]) -> None:
    award = org.award(badge, {"email": "sylvie@example.fr", "display_name": "Sylvie D."}, level="J'agis")
    org.award(badge, {"phone": "0612345678"})
    response = org.get("/api/v1/awards.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="badges-puchot-2026-09-01.csv"'
    rows = _rows(response.text)
    assert len(rows) == 2 and rows[1] == {
        "id": award["id"], "achievement_id": badge["id"], "achievement_name": "Place aux jeunes", "level": "level-3",
        "level_name": "J'agis", "status": "active", "recipient_kind": "email", "display_name": "Sylvie D.",
        "group_id": "", "parent_award_id": "", "valid_from": "2026-09-01T08:00:01+00:00", "valid_until": "",
        "created_at": "2026-09-01T08:00:01+00:00", "revoked_at": "",
        "credential_url": f"https://badges.example.org/credentials/{award['id']}"}


def test_export_starts_with_a_byte_order_mark_for_spreadsheets(org: Org, badge: dict[str, Any]) -> None:
    org.award(badge, {"email": "sylvie@example.fr"})
    assert org.get("/api/v1/awards.csv").content.startswith("\ufeffid,".encode())


def test_export_applies_the_filters(org: Org, badge: dict[str, Any]) -> None:
    sylvie = org.award(badge, {"email": "sylvie@example.fr"})["id"]
    org.award(badge, {"email": "nathan@example.fr"})
    rows = _rows(org.get("/api/v1/awards.csv", recipient="Sylvie@Example.fr", status="active").text)
    assert [r["id"] for r in rows] == [sylvie]


def test_export_holds_no_identifier(org: Org, badge: dict[str, Any]) -> None:
    org.award(badge, {"email": "sylvie.dupont@example.fr"})
    org.award(badge, {"phone": "+33612345678"})
    text = org.get("/api/v1/awards.csv").text
    assert "sylvie" not in text.lower() and "612345678" not in text


def test_cells_starting_like_a_formula_start_with_an_apostrophe(org: Org, badge: dict[str, Any]) -> None:
    org.award(badge, {"email": "a@example.fr", "display_name": "=HYPERLINK(\"https://evil.example\")"})
    org.award(badge, {"email": "b@example.fr", "display_name": "@SUM(A1)"})
    names = [r["display_name"] for r in _rows(org.get("/api/v1/awards.csv").text)]
    assert names == ["'@SUM(A1)", "'=HYPERLINK(\"https://evil.example\")"]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_every_formula_start_is_defused(text: str) -> None:
    assert csv_cell(text) == "'" + text


def test_ids_dates_and_addresses_stay_exact_even_when_an_id_starts_with_a_dash() -> None:
    award = Award(id="-8jejwFjgZ43r2JtIsSCDQ", achievement_id="-achievement", level_id=None, status="active",
                  recipient_kind="none", display_name="-Zoé", group_id="-group", parent_award_id=None,
                  valid_from=START, valid_until=None, created_at=START, revoked_at=None)
    row = award_csv_row(award, Achievement(name="+Radio", levels=[]), PublicUrls("https://badges.example.org"))
    assert row[:3] == ["-8jejwFjgZ43r2JtIsSCDQ", "-achievement", "'+Radio"]
    assert (row[7], row[8], row[10], row[14]) == ("'-Zoé", "-group", "2026-09-01T08:00:00+00:00",
                                                  "https://badges.example.org/credentials/-8jejwFjgZ43r2JtIsSCDQ")


def test_export_with_semicolons_for_french_spreadsheets(org: Org, badge: dict[str, Any]) -> None:
    org.award(badge, {"email": "a@example.fr"})
    text = org.get("/api/v1/awards.csv", separator=";").text
    assert text.splitlines()[0].startswith("\ufeffid;achievement_id;") and len(_rows(text, ";")) == 1


def test_export_with_a_bad_filter_fails_before_the_file(org: Org) -> None:
    response = org.get("/api/v1/awards.csv", recipient="pas un courriel")
    assert (response.status_code, response.json()["code"]) == (422, "invalid_recipient")


# ------------------------------------------------------------------------------------------------ groups


def _group(org: Org, name: str, members: list[dict[str, str]]) -> dict[str, Any]:
    response = org.client.post("/api/v1/groups", headers=bearer(org.token), json={"name": name, "members": members})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_groups_are_listed_newest_first_in_pages_with_member_counts(org: Org) -> None:
    made = []
    for i in range(3):
        org.clock.at = org.clock.at.replace(minute=i)
        made.append(_group(org, f"Atelier {i}", [{"email": f"m{j}@example.fr"} for j in range(i + 1)]))
    first = org.get("/api/v1/groups", limit=2)
    second = org.client.get(follow(first.headers["link"]), headers=bearer(org.token))
    listed = first.json()["items"] + second.json()["items"]
    assert [(g["id"], g["member_count"]) for g in listed] == [(made[2]["id"], 3), (made[1]["id"], 2),
                                                              (made[0]["id"], 1)]
    assert (first.headers["x-total-count"], "link" in second.headers) == ("3", False)


def test_a_group_shows_its_members_and_the_credentials_each_received(org: Org, badge: dict[str, Any]) -> None:
    group = _group(org, "Atelier radio", [{"email": "zoe@example.fr", "display_name": "Zoé"},
                                          {"phone": "0612345678", "display_name": "Karim"},
                                          {"display_name": "Renée"}])
    awards = [org.award(badge, group_id=group["id"]) for _ in range(2)]
    detail = org.get(f"/api/v1/groups/{group['id']}").json()
    assert detail["award_ids"] == [awards[1]["id"], awards[0]["id"]]
    by_name = {m["display_name"]: m for m in detail["members"]}
    for name, kind in (("Zoé", "email"), ("Karim", "phone"), ("Renée", "none")):
        expected = [next(m["id"] for m in a["members"] if m["display_name"] == name) for a in awards[::-1]]
        assert (by_name[name]["recipient_kind"], by_name[name]["award_ids"]) == (kind, expected)
    assert "zoe@example.fr" not in str(detail)


def test_members_with_the_same_name_share_the_credentials_one_each(org: Org, badge: dict[str, Any]) -> None:
    group = _group(org, "Atelier", [{"display_name": "Camille"}, {"display_name": "Camille"}])
    award = org.award(badge, group_id=group["id"])
    members = org.get(f"/api/v1/groups/{group['id']}").json()["members"]
    assert sorted(i for m in members for i in m["award_ids"]) == sorted(m["id"] for m in award["members"])
    assert [len(m["award_ids"]) for m in members] == [1, 1]


def test_another_organisations_group_is_404(org: Org, make_org: Any) -> None:
    theirs = Org(org.client, make_org("grammont")["api_key"]["token"], org.clock)
    group = _group(theirs, "Atelier", [{"email": "a@example.fr"}])
    assert org.get(f"/api/v1/groups/{group['id']}").status_code == 404
    assert org.get("/api/v1/groups").json()["total"] == 0


# ------------------------------------------------------------------------------------------------ achievements


def test_achievements_by_part_of_their_name_ignoring_case_and_accents(org: Org) -> None:
    eveil = org.achievement("Éveil musical")
    org.achievement("Radio")
    response = org.get("/api/v1/achievements", q="EVEIL")
    assert [a["id"] for a in response.json()] == [eveil["id"]]


def test_achievements_by_name_whatever_the_apostrophe(org: Org) -> None:
    agis = org.achievement("J’agis dans mon quartier")
    assert [a["id"] for a in org.get("/api/v1/achievements", q="j'agis").json()] == [agis["id"]]


def test_achievements_by_name_and_state(org: Org) -> None:
    org.achievement("Radio")
    draft = org.client.post("/api/v1/achievements", headers=bearer(org.token), json={
        "name": "Radio du quartier", "description": "d", "criteria": {"narrative": "n"}}).json()
    assert [a["id"] for a in org.get("/api/v1/achievements", q="radio", state="draft").json()] == [draft["id"]]
