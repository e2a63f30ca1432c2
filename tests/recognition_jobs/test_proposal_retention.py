"""Retention of proposed badges: once its organisation's retention has passed (90 days by default) after it closed, a
declined or withdrawn proposal loses its proposers' names, their address, the committee's question and reason and
the comments of the votes on it, and keeps the badge idea; an adopted one loses only the address and the comments,
its proposers staying credited. Running the purge again changes nothing more; the audit trail holds counts only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.clock import FixedClock
from app.jobs.purge import schedule
from app.jobs.testing import run_pending
from app.models import BadgeProposal, CommitteeVote
from app.services.recognition.purge import purge
from tests.recognition_jobs.conftest import START, audit, later

AWA = "awa@exemple.fr"
PROPOSAL = {"name": "Cuisine du monde", "description": "Partager une recette de son pays avec le quartier.",
            "criteria": "Avoir animé un atelier cuisine.", "proposers": ["Awa", "Inès"],
            "levels": [{"name": "Je soutiens"}, {"name": "J'agis"}], "email": AWA}


def _propose(client: TestClient, **changes: Any) -> dict[str, Any]:
    answer = client.post("/api/v1/orgs/puchot/proposals", json={**PROPOSAL, **changes})
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def _vote(client: TestClient, key: dict[str, str], proposal_id: str, member: str, choice: str,
          comment: str | None = None) -> dict[str, Any]:
    answer = client.post(f"/api/v1/proposals/{proposal_id}/votes", headers=key,
                         json={"choice": choice, "member_id": member, **({"comment": comment} if comment else {})})
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def _decide(client: TestClient, key: dict[str, str], proposal_id: str, members: dict[str, str], choice: str) -> None:
    """Two members make the same choice, each with a comment: the committee decides (the default rule)."""
    said = {"accept": "Belle idée.", "decline": "Trop proche de « Cuisine ».", "more": "Pour quel âge ?"}[choice]
    _vote(client, key, proposal_id, members["Fatou"], choice, said)
    assert _vote(client, key, proposal_id, members["Karim"], choice, "D'accord avec Fatou.")["state"] != "received"


def _row(app: Any, proposal_id: str) -> BadgeProposal:
    with app.state.db.sessions() as session:
        return session.get_one(BadgeProposal, proposal_id)


def _comments(app: Any, proposal_id: str) -> list[str | None]:
    with app.state.db.sessions() as session:
        return list(session.scalars(select(CommitteeVote.comment).where(CommitteeVote.subject_kind == "proposal",
                                                                        CommitteeVote.subject_id == proposal_id)
                                    .order_by(CommitteeVote.round, CommitteeVote.created_at, CommitteeVote.id)))


def _personal(row: BadgeProposal) -> tuple[Any, ...]:
    return row.contact, row.proposers, row.question, row.reason


def _idea(row: BadgeProposal) -> tuple[Any, ...]:
    return row.name, row.description, row.criteria, row.levels


def test_a_declined_proposal_loses_its_proposers_and_words_after_90_days_not_before(
        client: TestClient, app: Any, clock: FixedClock, key: dict[str, str], members: dict[str, str]) -> None:
    old = _propose(client)
    _decide(client, key, old["id"], members, "more")  # a question, answered: a second round
    answer = client.put(f"/api/v1/proposal-links/{old['follow_token']}", json=PROPOSAL)
    assert answer.json()["round"] == 2
    _decide(client, key, old["id"], members, "decline")
    idea = _idea(_row(app, old["id"]))
    later(clock, days=2)
    recent = _propose(client, proposers=["Mariam"])["id"]
    _decide(client, key, recent, members, "decline")
    assert _row(app, recent).purge_after == START + timedelta(days=2 + 90)
    later(clock, days=91)  # `old` was declined 91 days ago, `recent` 89 days ago
    assert purge(app.state.ctx, actor="test").proposals == 1
    purged = _row(app, old["id"])
    assert _personal(purged) == (None, [], None, None) and purged.purge_after is None
    assert _comments(app, old["id"]) == [None] * 4  # the comments of both rounds are gone, the choices stay
    assert (_idea(purged), purged.state, purged.round, purged.achievement_id) == (idea, "declined", 2, None)
    kept = _row(app, recent)
    assert (kept.contact, kept.proposers, kept.question) == (AWA, ["Mariam"], None)
    assert sorted(str(kept.reason).split("\n")) == ["D'accord avec Fatou.", "Trop proche de « Cuisine »."]
    assert set(_comments(app, recent)) == {"Trop proche de « Cuisine ».", "D'accord avec Fatou."}
    seen = client.get(f"/api/v1/proposal-links/{old['follow_token']}").json()  # the link still answers
    assert (seen["state"], seen["name"], seen["proposers"], seen["reason"]) == ("declined", PROPOSAL["name"], [], None)
    review = client.get(f"/api/v1/proposals/{old['id']}", headers=key).json()
    assert [(v["choice"], v["comment"]) for v in review["votes"]] == [("more", None)] * 2 + [("decline", None)] * 2
    later(clock, days=93)
    assert purge(app.state.ctx, actor="test").proposals == 1 and _personal(_row(app, recent)) == (None, [], None,
                                                                                                   None)


def test_an_adopted_proposal_loses_its_address_and_comments_and_keeps_its_proposers_credited(
        client: TestClient, app: Any, clock: FixedClock, key: dict[str, str], members: dict[str, str]) -> None:
    proposal_id = _propose(client)["id"]
    _decide(client, key, proposal_id, members, "accept")
    adopted = _row(app, proposal_id)
    assert adopted.state == "adopted" and adopted.purge_after is not None
    later(clock, days=89)
    assert purge(app.state.ctx, actor="test").proposals == 0 and _row(app, proposal_id).contact == AWA
    later(clock, days=91)
    assert purge(app.state.ctx, actor="test").proposals == 1
    row = _row(app, proposal_id)
    assert (row.contact, row.proposers, row.purge_after) == (None, ["Awa", "Inès"], None)
    assert (_idea(row), row.achievement_id) == (_idea(adopted), adopted.achievement_id)
    assert _comments(app, proposal_id) == [None, None]
    draft = client.get(f"/api/v1/achievements/{row.achievement_id}", headers=key).json()
    assert "Badge proposé par Awa, Inès." in draft["description"]


def test_a_withdrawn_proposal_keeps_its_proposers_until_its_retention_has_passed(
        client: TestClient, app: Any, clock: FixedClock, key: dict[str, str], members: dict[str, str]) -> None:
    received = _propose(client)
    _vote(client, key, received["id"], members["Fatou"], "decline", "Déjà proposé l'an dernier.")
    assert client.post(f"/api/v1/proposal-links/{received['follow_token']}/withdraw").status_code == 200
    withdrawn = _row(app, received["id"])  # withdrawing cleared the address at once
    assert (withdrawn.contact, withdrawn.proposers) == (None, ["Awa", "Inès"])
    later(clock, days=89)
    purge(app.state.ctx, actor="test")
    assert _row(app, received["id"]).proposers == ["Awa", "Inès"]
    later(clock, days=90)
    assert purge(app.state.ctx, actor="test").proposals == 1
    row = _row(app, received["id"])
    assert (_personal(row), row.state, _idea(row)) == ((None, [], None, None), "withdrawn", _idea(withdrawn))
    assert _comments(app, received["id"]) == [None]


def test_the_organisation_s_retention_applies_to_proposals_closed_afterwards(
        client: TestClient, app: Any, clock: FixedClock, key: dict[str, str], members: dict[str, str]) -> None:
    before = _propose(client)["id"]
    _decide(client, key, before, members, "decline")  # under the default 90 days
    assert client.patch("/api/v1/committee/settings", json={"evidence_retention_days": 30},
                        headers=key).status_code == 200
    after = _propose(client)["id"]
    _decide(client, key, after, members, "decline")
    later(clock, days=31)
    assert purge(app.state.ctx, actor="test").proposals == 1
    assert (_row(app, after).proposers, _row(app, before).proposers) == ([], ["Awa", "Inès"])


def test_the_hourly_task_queues_a_purge_when_only_a_proposal_is_due(
        client: TestClient, app: Any, clock: FixedClock, key: dict[str, str], members: dict[str, str]) -> None:
    proposal_id = _propose(client)["id"]
    _decide(client, key, proposal_id, members, "decline")  # its messages stay queued: never due for the purge
    later(clock, days=89)
    assert schedule(app.state.ctx) is None
    later(clock, days=91)
    assert schedule(app.state.ctx) is not None
    run_pending(app)
    assert _row(app, proposal_id).proposers == []
    (run,) = audit(app, "retention.purge")
    assert (run.actor, run.details["proposals"], run.details["requests"]) == ("system", 1, 0)


def test_a_second_run_changes_nothing_and_the_audit_trail_holds_counts_only(
        client: TestClient, app: Any, clock: FixedClock, key: dict[str, str], members: dict[str, str]) -> None:
    declined, adopted, withdrawn = (_propose(client) for _ in range(3))
    _decide(client, key, declined["id"], members, "decline")
    _decide(client, key, adopted["id"], members, "accept")
    assert client.post(f"/api/v1/proposal-links/{withdrawn['follow_token']}/withdraw").status_code == 200
    ids = [declined["id"], adopted["id"], withdrawn["id"]]
    later(clock, days=91)
    first = purge(app.state.ctx, actor="test", batch_size=2)  # two batches of proposals
    assert (first.proposals, first.total, first.finished) == (3, 3, True)
    snapshot = [(_personal(_row(app, i)), _comments(app, i)) for i in ids]
    second = purge(app.state.ctx, actor="test")
    assert (second.proposals, second.total) == (0, 0)
    assert [(_personal(_row(app, i)), _comments(app, i)) for i in ids] == snapshot
    runs = audit(app, "retention.purge")
    assert [r.details["proposals"] for r in runs] == [3, 0]
    events = audit(app, "proposal.purge")
    assert sorted(e.target_id for e in events) == sorted(ids) and all(e.org_id for e in events)
    assert {e.target_id: e.details for e in events} == {
        declined["id"]: {"comments": 2}, adopted["id"]: {"comments": 2}, withdrawn["id"]: {"comments": 0}}
    written = str([e.details for e in [*events, *runs]])
    assert not any(word in written for word in ("Awa", "Inès", "@", "Fatou", "Cuisine"))
