"""Status list indexes are handed out in constant time (issue 13): a counter per list, never a read of the indexes
taken; a full list, or one made before seeds existed, is left for a new pair, whose credentials verify; concurrent
awards never share an index."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from app.models import Award, StatusList
from app.services.status import LIST_SIZE
from tests.conftest import bearer

BADGE = {"name": "Couture", "description": "Coudre ensemble.", "criteria": {"narrative": "A cousu."}}


def _badge(client: TestClient, token: str) -> str:
    created = client.post("/api/v1/achievements", json=BADGE, headers=bearer(token)).json()
    client.post(f"/api/v1/achievements/{created['id']}/publish", headers=bearer(token))
    return str(created["id"])


def _award(client: TestClient, token: str, badge: str, email: str = "a@b.fr", *,
           public: bool = False) -> dict[str, Any]:
    """An award (``public``: its recipient agreed that its address serve it)."""
    recipient = {"email": email, **({"public": True} if public else {})}
    response = client.post(f"/api/v1/achievements/{badge}/awards", json={"recipient": recipient},
                           headers=bearer(token))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _placed(app: Any, award_id: str) -> tuple[str, int]:
    with app.state.db.sessions() as session:
        award = session.get(Award, award_id)
        return award.revocation_list_id, award.revocation_index


def _verified(client: TestClient, award: dict[str, Any]) -> bool:
    credential = client.get(award["links"]["credential"].removeprefix("https://badges.example.org")).json()
    return client.post("/api/v1/verify", json={"credential": credential}).json()["verified"] is True  # type: ignore


def test_a_full_list_is_left_for_a_new_pair_whose_credentials_verify(client: TestClient, token: str,
                                                                     app: Any) -> None:
    badge = _badge(client, token)
    first_list, _ = _placed(app, _award(client, token, badge)["id"])
    with app.state.db.transaction() as session:
        session.execute(update(StatusList).where(StatusList.id == first_list).values(used=LIST_SIZE))
    award = _award(client, token, badge, "c@d.fr", public=True)
    second_list, index = _placed(app, award["id"])
    assert second_list != first_list and 0 <= index < LIST_SIZE
    assert _verified(client, award)


def test_a_list_made_before_seeds_keeps_its_credentials_and_gets_no_new_one(client: TestClient, token: str,
                                                                           app: Any) -> None:
    badge = _badge(client, token)
    old = _award(client, token, badge, public=True)
    old_list, _ = _placed(app, old["id"])
    with app.state.db.transaction() as session:  # as a list created before migration 0008
        session.execute(update(StatusList).where(StatusList.id == old_list).values(permutation_seed=None))
    new = _award(client, token, badge, "c@d.fr", public=True)
    assert _placed(app, new["id"])[0] != old_list
    assert _verified(client, old) and _verified(client, new)


def test_the_counter_advances_by_exactly_what_was_handed_out(client: TestClient, token: str, app: Any) -> None:
    badge = _badge(client, token)
    awards = [_award(client, token, badge, f"p{i}@example.fr") for i in range(5)]
    list_id, _ = _placed(app, awards[0]["id"])
    with app.state.db.sessions() as session:
        assert session.scalar(select(StatusList.used).where(StatusList.id == list_id)) == 5


def test_simultaneous_awards_never_share_an_index(client: TestClient, token: str, app: Any) -> None:
    badge = _badge(client, token)
    ids: list[str] = []
    errors: list[str] = []

    def issue(n: int) -> None:
        response = client.post(f"/api/v1/achievements/{badge}/awards",
                               json={"recipient": {"email": f"personne{n}@example.fr"}}, headers=bearer(token))
        (ids if response.status_code == 201 else errors).append(response.json().get("id") or response.text)

    threads = [threading.Thread(target=issue, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    places = [_placed(app, award_id) for award_id in ids]
    assert len(set(places)) == 12
