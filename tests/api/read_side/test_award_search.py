"""Finding awards again: filters, recipient search through keyed hashes, pages, organisation scoping, scopes."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from app.models import Award
from tests.api.read_side.helpers import Org, follow
from tests.conftest import bearer


def _lookups(app: Any) -> dict[str, str | None]:
    with app.state.db.sessions() as session:
        return dict(session.execute(select(Award.id, Award.recipient_lookup)).all())  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ order and pages


def test_list_is_newest_first_with_the_total(org: Org, badge: dict[str, Any]) -> None:
    issued = [org.award(badge, {"email": f"p{i}@example.fr"})["id"] for i in range(3)]
    response = org.get("/api/v1/awards")
    assert [a["id"] for a in response.json()["items"]] == issued[::-1]
    assert (response.headers["x-total-count"], response.json()["total"], response.json()["next_cursor"]) == \
        ("3", 3, None)
    assert "link" not in response.headers


def test_pages_follow_the_link_header_to_the_end_without_repeats(org: Org, badge: dict[str, Any]) -> None:
    issued = [org.award(badge, {"email": f"p{i}@example.fr"})["id"] for i in range(5)]
    response, seen, totals = org.get("/api/v1/awards", limit=2), [], set()
    while True:
        seen += [a["id"] for a in response.json()["items"]]
        totals.add(response.headers["x-total-count"])
        if "link" not in response.headers:
            break
        response = org.client.get(follow(response.headers["link"]), headers=bearer(org.token))
    assert (seen, totals) == (issued[::-1], {"5"})


def test_awards_issued_at_the_same_instant_keep_one_order_across_pages(org: Org, badge: dict[str, Any]) -> None:
    for i in range(5):
        org.award(badge, {"email": f"p{i}@example.fr"}, step=0)
    whole = org.ids(limit=200)
    first = org.get("/api/v1/awards", limit=3).json()
    rest = org.ids(limit=3, cursor=first["next_cursor"])
    assert [a["id"] for a in first["items"]] + rest == whole and len(set(whole)) == 5


def test_the_next_link_keeps_the_filters(org: Org, badge: dict[str, Any]) -> None:
    for _ in range(3):
        org.award(badge, {"email": "sylvie@example.fr"}, level="J'agis")
    link = org.get("/api/v1/awards", limit=1, level="level-3", recipient="sylvie@example.fr").headers["link"]
    assert link.startswith("<https://badges.example.org/api/v1/awards?")
    assert "level=level-3" in link and "recipient=sylvie%40example.fr" in link and "limit=1" in link


def test_limit_over_200_is_422_saying_so_in_both_languages(org: Org) -> None:
    response = org.get("/api/v1/awards", limit=201)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "query.limit"
    assert "200" in error["message_en"] and "200" in error["message_fr"] and "entre 1 et 200" in error["message_fr"]


def test_limit_of_200_is_accepted(org: Org) -> None:
    assert org.get("/api/v1/awards", limit=200).status_code == 200


def test_an_unknown_parameter_is_422_not_an_unfiltered_list(org: Org) -> None:
    response = org.get("/api/v1/awards", stauts="revoked")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "query.stauts"


def test_a_cursor_we_did_not_give_is_422(org: Org) -> None:
    response = org.get("/api/v1/awards", cursor="bm90IGEgY3Vyc29y")
    assert response.status_code == 422 and response.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "2026-01-01T00:00:00"])
def test_a_forged_cursor_out_of_range_or_without_time_zone_is_422_not_a_500(org: Org, moment: str) -> None:
    """Found in review: an instant that leaves the calendar once in UTC was a 500 when bound to the query."""
    cursor = base64.urlsafe_b64encode(orjson.dumps([moment, "abc"])).rstrip(b"=").decode()
    response = org.get("/api/v1/awards", cursor=cursor)
    assert response.status_code == 422 and response.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize("path", ["/api/v1/awards/a%00b", "/api/v1/achievements/a%00b/awards", "/api/v1/groups/a%00b"])
def test_a_malformed_id_in_the_path_is_422_naming_it(org: Org, path: str) -> None:
    response = org.client.get(path, headers=bearer(org.token))
    assert response.status_code == 422 and response.json()["errors"][0]["field"].startswith("path.")


# ------------------------------------------------------------------------------------------------ filters


def test_filter_by_achievement(org: Org, badge: dict[str, Any]) -> None:
    radio = org.achievement("Radio")
    mine = org.award(radio, {"email": "a@example.fr"})["id"]
    org.award(badge, {"email": "a@example.fr"})
    assert org.ids(achievement_id=radio["id"]) == [mine]


def test_an_achievements_awards_route_lists_only_that_achievement(org: Org, badge: dict[str, Any]) -> None:
    radio = org.achievement("Radio")
    mine = org.award(radio, {"email": "a@example.fr"})["id"]
    org.award(badge, {"email": "a@example.fr"})
    assert org.ids(f"/api/v1/achievements/{radio['id']}/awards") == [mine]


@pytest.mark.parametrize("where", ["route", "filter"])
def test_another_organisations_achievement_is_404(org: Org, other: Org, where: str) -> None:
    theirs = other.achievement()
    other.award(theirs, {"email": "a@example.fr"})
    response = org.get(f"/api/v1/achievements/{theirs['id']}/awards") if where == "route" else \
        org.get("/api/v1/awards", achievement_id=theirs["id"])
    assert response.status_code == 404


def test_filter_by_level_key(org: Org, badge: dict[str, Any]) -> None:
    agis = org.award(badge, {"email": "a@example.fr"}, level="J'agis")["id"]
    org.award(badge, {"email": "b@example.fr"}, level="Je soutiens")
    org.award(badge, {"email": "c@example.fr"})
    assert org.ids(level="level-3") == [agis]


def test_filter_by_status(org: Org, badge: dict[str, Any]) -> None:
    revoked, suspended, _ = (org.award(badge, {"email": f"p{i}@example.fr"})["id"] for i in range(3))
    org.client.post(f"/api/v1/awards/{revoked}/revoke", headers=bearer(org.token)).raise_for_status()
    org.client.post(f"/api/v1/awards/{suspended}/suspend", headers=bearer(org.token)).raise_for_status()
    assert (org.ids(status="revoked"), org.ids(status="suspended"), len(org.ids(status="active"))) == \
        ([revoked], [suspended], 1)


def test_filter_by_group_gives_the_collective_credential_and_the_members(org: Org, badge: dict[str, Any]) -> None:
    group = org.client.post("/api/v1/groups", headers=bearer(org.token), json={
        "name": "Atelier radio", "members": [{"email": "a@example.fr"}, {"phone": "0612345678"}]}).json()
    collective = org.award(badge, group_id=group["id"])
    org.award(badge, {"email": "a@example.fr"})
    expected = {collective["id"], *(m["id"] for m in collective["members"])}
    assert set(org.ids(group_id=group["id"])) == expected and len(expected) == 3


def test_filter_by_issue_time_includes_the_start_and_excludes_the_end(org: Org, badge: dict[str, Any]) -> None:
    issued = [org.award(badge, {"email": f"p{i}@example.fr"}, step=60)["id"] for i in range(3)]  # 08:01, :02, :03
    assert org.ids(issued_after="2026-09-01T10:02:00+02:00", issued_before="2026-09-01T08:03:00Z") == [issued[1]]


def test_an_issue_time_without_time_zone_is_422_saying_how_to_write_it(org: Org) -> None:
    response = org.get("/api/v1/awards", issued_after="2026-09-01T08:00:00")
    assert response.status_code == 422
    assert "+02:00" in response.json()["errors"][0]["message_fr"]


# ------------------------------------------------------------------------------------------------ by recipient


def test_search_by_email_as_typed_by_staff(org: Org, badge: dict[str, Any]) -> None:
    sylvie = org.award(badge, {"email": "Sylvie.Dupont@Example.FR"})["id"]
    org.award(badge, {"email": "nathan@example.fr"})
    assert org.ids(recipient="  sylvie.dupont@example.fr ") == [sylvie]


@pytest.mark.parametrize(("issued", "typed"), [("+33612345678", "06 12 34 56 78"), ("06.12.34.56.78", "+33612345678"),
                                               ("0612345678", "0033 6 12 34 56 78")])
def test_search_by_phone_typed_differently(org: Org, badge: dict[str, Any], issued: str, typed: str) -> None:
    mine = org.award(badge, {"phone": issued})["id"]
    org.award(badge, {"phone": "+33699999999"})
    assert org.ids(recipient=typed) == [mine]


def test_a_plus_left_unencoded_in_the_address_still_finds_the_phone(org: Org, badge: dict[str, Any]) -> None:
    mine = org.award(badge, {"phone": "06 12 34 56 78"})["id"]
    response = org.client.get("/api/v1/awards?recipient=+33612345678", headers=bearer(org.token))
    assert [a["id"] for a in response.json()["items"]] == [mine]


def test_search_finds_a_group_members_credential(org: Org, badge: dict[str, Any]) -> None:
    group = org.client.post("/api/v1/groups", headers=bearer(org.token), json={
        "name": "Atelier radio", "members": [{"email": "zoe@example.fr"}, {"email": "karim@example.fr"}]}).json()
    collective = org.award(badge, group_id=group["id"])
    zoe = org.ids(recipient="zoe@example.fr")
    assert len(zoe) == 1 and zoe[0] in {m["id"] for m in collective["members"]}


def test_search_finds_awards_of_a_batch(org: Org, badge: dict[str, Any]) -> None:
    response = org.client.post(f"/api/v1/achievements/{badge['id']}/awards:batch", headers=bearer(org.token),
                               json={"rows": [{"recipient": {"email": "helene@example.fr"}},
                                              {"recipient": {"phone": "0611111111"}}]})
    assert response.status_code == 200, response.text
    ids = [r["award_id"] for r in response.json()["results"]]
    assert (org.ids(recipient="HELENE@example.fr"), org.ids(recipient="06 11 11 11 11")) == ([ids[0]], [ids[1]])


def test_the_lookup_is_a_keyed_hash_different_in_each_organisation(org: Org, other: Org, badge: dict[str, Any],
                                                                    app: Any) -> None:
    ours = org.award(badge, {"email": "sylvie@example.fr"})["id"]
    theirs = other.award(other.achievement(), {"email": "sylvie@example.fr"})["id"]
    lookups = _lookups(app)
    assert len({lookups[ours], lookups[theirs]}) == 2
    assert all(len(v or "") == 64 for v in lookups.values())
    assert hashlib.sha256(b"sylvie@example.fr").hexdigest() not in lookups.values()
    assert hashlib.sha256(b"email:sylvie@example.fr").hexdigest() not in lookups.values()


def test_awards_without_an_identifier_get_no_lookup(org: Org, badge: dict[str, Any], app: Any) -> None:
    claim = org.award(badge)["id"]
    did = org.award(badge, {"did": "did:example:sylvie"})["id"]
    lookups = _lookups(app)
    assert (lookups[claim], lookups[did]) == (None, None)


def test_an_award_issued_before_lookups_is_found_by_its_salted_hash(org: Org, badge: dict[str, Any],
                                                                     app: Any) -> None:
    old = org.award(badge, {"email": "sylvie@example.fr"})["id"]
    org.award(badge, {"email": "nathan@example.fr"})
    old_phone = org.award(badge, {"phone": "0612345678"})["id"]
    recent = org.award(badge, {"email": "sylvie@example.fr"})["id"]
    with app.state.db.transaction() as session:
        session.execute(update(Award).where(Award.id != recent).values(recipient_lookup=None))
    assert (org.ids(recipient="Sylvie@example.fr"), org.ids(recipient="06 12 34 56 78")) == ([recent, old],
                                                                                              [old_phone])


def test_search_by_did(org: Org, badge: dict[str, Any]) -> None:
    mine = org.award(badge, {"did": "did:example:sylvie"})["id"]
    org.award(badge, {"did": "did:example:nathan"})
    assert org.ids(recipient="did:example:sylvie") == [mine]


def test_search_by_web_address(org: Org, badge: dict[str, Any]) -> None:
    mine = org.award(badge, {"url": "https://sylvie.example/moi"})["id"]
    org.award(badge, {"url": "https://nathan.example/"})
    assert org.ids(recipient="https://sylvie.example/moi") == [mine]


def test_a_recipient_that_is_neither_email_nor_phone_is_422(org: Org) -> None:
    response = org.get("/api/v1/awards", recipient="Sylvie Dupont")
    assert response.status_code == 422 and response.json()["code"] == "invalid_recipient"
    assert "courriel" in response.json()["message_fr"]


def test_search_by_email_without_the_key_encryption_key_is_503_and_lists_still_work(
        org: Org, badge: dict[str, Any], settings_factory: Any) -> None:
    from app.main import create_app

    org.award(badge, {"email": "sylvie@example.fr"})
    application = create_app(settings_factory(kek=None))
    try:
        with TestClient(application, base_url="https://badges.example.org") as client:
            search = client.get("/api/v1/awards", params={"recipient": "sylvie@example.fr"}, headers=bearer(org.token))
            listing = client.get("/api/v1/awards", headers=bearer(org.token))
    finally:
        application.state.db.dispose()
    assert (search.status_code, search.json()["code"], listing.json()["total"]) == (503, "lookup_unavailable", 1)


# ------------------------------------------------------------------------------------------------ scoping and keys


def test_another_organisations_awards_are_never_seen(org: Org, other: Org, badge: dict[str, Any]) -> None:
    ours = org.award(badge, {"email": "sylvie@example.fr"})["id"]
    theirs = other.award(other.achievement(), {"email": "sylvie@example.fr"})["id"]
    assert (org.ids(), org.ids(recipient="sylvie@example.fr")) == ([ours], [ours])
    assert org.get(f"/api/v1/awards/{theirs}").status_code == 404


def test_another_organisations_group_is_404_as_a_filter(org: Org, other: Org) -> None:
    group = other.client.post("/api/v1/groups", headers=bearer(other.token),
                              json={"name": "Atelier", "members": [{"email": "a@example.fr"}]}).json()
    assert org.get("/api/v1/awards", group_id=group["id"]).status_code == 404


READS = ["/api/v1/awards", "/api/v1/awards.csv", "/api/v1/groups"]


@pytest.mark.parametrize("path", READS)
def test_a_read_only_key_is_enough(org: Org, badge: dict[str, Any], path: str) -> None:
    org.award(badge, {"email": "sylvie@example.fr"})
    params = {} if path == "/api/v1/groups" else {"recipient": "sylvie@example.fr"}
    assert org.get(path, token=org.key("read"), **params).status_code == 200


@pytest.mark.parametrize("path", [*READS, "/api/v1/achievements/x/awards", "/api/v1/groups/x"])
def test_no_key_is_401(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 401


def test_a_key_without_the_read_scope_is_403(org: Org) -> None:
    assert org.get("/api/v1/awards", token=org.key("issue")).status_code == 403
