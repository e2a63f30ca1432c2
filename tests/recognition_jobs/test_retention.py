"""Retention (issue 14): the ``purge_personal_data`` job erases exactly what is due, on the clock the test moves:
a declined or withdrawn request's evidence and personal fields once its organisation's retention has passed (90
days by default), the address of a message 30 days after it was sent or failed, sign-ins a day after they ended.
An accepted request is never purged; running the purge again changes nothing more."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from app.clock import FixedClock
from app.jobs.kinds import PURGE_PERSONAL_DATA
from app.jobs.purge import schedule
from app.jobs.testing import run_pending
from app.models import BadgeRequest, Job, OutgoingEmail
from app.models.signin import SigninChallenge, SigninSession
from app.services.recognition.purge import purge
from tests.mail.conftest import procrastinate_jobs
from tests.recognition_jobs.conftest import (
    SYLVIE,
    ask,
    audit,
    decide,
    emails,
    evidence_count,
    later,
    request_row,
    vote_comments,
)
from tests.signin.conftest import sign_in


def _purge_job(app: Any) -> Job | None:
    """Queue the purge as the hourly task does and run the due jobs; the purge job, if one was queued."""
    job_id = schedule(app.state.ctx)
    run_pending(app)
    if job_id is None:
        return None
    with app.state.db.sessions() as session:
        return session.get_one(Job, job_id)


def _personal(row: BadgeRequest) -> tuple[Any, ...]:
    return row.contact, row.requester_name, row.narrative, row.members, row.reason


def test_a_declined_request_loses_its_evidence_and_personal_fields_after_90_days_not_before(
        client: TestClient, app: Any, clock: FixedClock, key: dict[str, str], badge: str,
        members: dict[str, str]) -> None:
    old, recent = ask(client, badge)["id"], ask(client, badge)["id"]
    decide(client, key, old, members, "decline")
    later(clock, days=2)
    decide(client, key, recent, members, "decline")
    run_pending(app)  # the messages go: their rows are not what this test is about
    later(clock, days=91)  # `old` was declined 91 days ago, `recent` 89 days ago
    job = _purge_job(app)
    assert job is not None and (job.kind, job.state, job.org_id, job.params) == (PURGE_PERSONAL_DATA, "succeeded",
                                                                                 None, {})
    purged = request_row(app, old)
    assert evidence_count(app, old) == 0
    assert _personal(purged) == (None, None, "", [], None) and purged.purge_after is None
    assert vote_comments(app, old) == [None, None]  # the comments are gone, the choices stay
    assert (purged.state, purged.level, purged.round, purged.achievement_id) == ("declined", "level-2", 1, badge)
    kept = request_row(app, recent)
    assert evidence_count(app, recent) == 2
    personal = _personal(kept)
    assert personal[:4] == (SYLVIE, "Sylvie", "J'ai animé l'atelier couture tout l'hiver.", [])
    assert sorted(str(personal[4]).split("\n")) == ["D'accord avec Fatou.", "Trop tôt pour Sylvie."]
    assert set(vote_comments(app, recent)) == {"Trop tôt pour Sylvie.", "D'accord avec Fatou."}
    later(clock, days=93)
    assert _purge_job(app) is not None and evidence_count(app, recent) == 0 and request_row(app, recent).contact is None


def test_the_private_link_still_answers_with_nothing_personal(client: TestClient, app: Any, clock: FixedClock,
                                                              key: dict[str, str], badge: str,
                                                              members: dict[str, str]) -> None:
    received = ask(client, badge)
    decide(client, key, received["id"], members, "decline")
    later(clock, days=91)
    _purge_job(app)
    seen = client.get(f"/api/v1/request-links/{received['follow_token']}").json()
    assert (seen["state"], seen["reason"], seen["evidence"]) == ("declined", None, [])
    review = client.get(f"/api/v1/requests/{received['id']}", headers=key).json()
    assert (review["name"], review["narrative"], review["evidence"]) == (None, "", [])
    assert [v["choice"] for v in review["votes"]] == ["decline", "decline"]


def test_an_accepted_request_is_never_purged(client: TestClient, app: Any, clock: FixedClock, key: dict[str, str],
                                             badge: str, members: dict[str, str]) -> None:
    request_id = ask(client, badge, publish_evidence=True)["id"]
    decide(client, key, request_id, members, "accept")
    run_pending(app)
    later(clock, days=4000)
    assert _purge_job(app) is not None  # its messages are due (their addresses go), the request is not
    assert purge(app.state.ctx, actor="test").counts() == {"requests": 0, "evidence": 0, "proposals": 0,
                                                           "endorsements": 0, "emails": 0, "challenges": 0,
                                                           "sessions": 0, "rate_windows": 0}
    row = request_row(app, request_id)
    assert (row.state, row.contact, row.requester_name, evidence_count(app, request_id)) == (
        "accepted", SYLVIE, "Sylvie", 2)


def test_a_withdrawn_request_keeps_its_name_and_words_until_its_retention_has_passed(
        client: TestClient, app: Any, clock: FixedClock, key: dict[str, str], badge: str,
        members: dict[str, str]) -> None:
    received = ask(client, badge, group_name="Les couturières du jeudi",
                   members=[{"name": "Awa", "email": "awa@exemple.fr"}, {"name": "Inès"}])
    assert client.post(f"/api/v1/request-links/{received['follow_token']}/withdraw").status_code == 200
    withdrawn = request_row(app, received["id"])  # withdrawing deleted the evidence and the contact at once
    assert (withdrawn.contact, evidence_count(app, received["id"])) == (None, 0)
    assert withdrawn.members == [{"name": "Awa", "email": "awa@exemple.fr"}, {"name": "Inès"}]
    later(clock, days=89)
    purge(app.state.ctx, actor="test")
    assert request_row(app, received["id"]).requester_name == "Sylvie"
    later(clock, days=90)
    purge(app.state.ctx, actor="test")
    row = request_row(app, received["id"])
    assert _personal(row) == (None, None, "", [{}, {}], None)  # two members still counted, nobody named
    assert (row.state, row.kind, row.group_name) == ("withdrawn", "collective", "Les couturières du jeudi")


def test_the_organisation_s_retention_applies_to_requests_closed_afterwards(
        client: TestClient, app: Any, clock: FixedClock, key: dict[str, str], badge: str,
        members: dict[str, str]) -> None:
    before = ask(client, badge)["id"]
    decide(client, key, before, members, "decline")  # under the default 90 days
    assert client.patch("/api/v1/committee/settings", json={"evidence_retention_days": 30},
                        headers=key).status_code == 200
    after = ask(client, badge)["id"]
    decide(client, key, after, members, "decline")
    later(clock, days=31)
    purge(app.state.ctx, actor="test")
    assert evidence_count(app, after) == 0 and evidence_count(app, before) == 2


def test_every_run_records_its_counts_and_a_second_run_changes_nothing(
        client: TestClient, app: Any, clock: FixedClock, key: dict[str, str], badge: str,
        members: dict[str, str]) -> None:
    ids = [ask(client, badge)["id"] for _ in range(3)]
    for request_id in ids:
        decide(client, key, request_id, members, "decline")
    later(clock, days=91)
    first = purge(app.state.ctx, actor="test", batch_size=2)  # two batches of requests
    assert (first.requests, first.evidence, first.finished) == (3, 6, True)
    snapshot = [_personal(request_row(app, i)) for i in ids]
    second = purge(app.state.ctx, actor="test")
    assert second.counts() == {"requests": 0, "evidence": 0, "proposals": 0, "endorsements": 0, "emails": 0,
                               "challenges": 0, "sessions": 0, "rate_windows": 0}
    assert [_personal(request_row(app, i)) for i in ids] == snapshot
    assert _purge_job(app) is None  # nothing due: the hourly task queues nothing
    runs = audit(app, "retention.purge")
    assert [r.details["requests"] for r in runs] == [3, 0] and runs[0].details["evidence"] == 6
    assert sorted(e.target_id for e in audit(app, "request.purge")) == sorted(ids)
    assert all(e.details == {"evidence": 2} and e.org_id for e in audit(app, "request.purge"))
    assert "Sylvie" not in str([r.details for r in runs]) and "@" not in str([r.details for r in runs])


def test_a_purge_stopped_between_two_batches_is_finished_by_the_next(
        client: TestClient, app: Any, clock: FixedClock, key: dict[str, str], badge: str,
        members: dict[str, str]) -> None:
    ids = [ask(client, badge)["id"] for _ in range(3)]
    for request_id in ids:
        decide(client, key, request_id, members, "decline")
    later(clock, days=91)
    batches = iter([False, True])  # one batch, then the worker is asked to stop
    stopped = purge(app.state.ctx, actor="test", batch_size=2, should_stop=lambda: next(batches, True))
    assert (stopped.requests, stopped.finished) == (2, False)
    rest = purge(app.state.ctx, actor="test", batch_size=2)
    assert (rest.requests, rest.finished) == (1, True)
    assert all(request_row(app, i).requester_name is None for i in ids)


def test_purges_running_at_once_do_each_request_once(client: TestClient, app: Any, clock: FixedClock,
                                                     key: dict[str, str], badge: str,
                                                     members: dict[str, str]) -> None:
    ids = [ask(client, badge)["id"] for _ in range(6)]
    for request_id in ids:
        decide(client, key, request_id, members, "decline")
    later(clock, days=91)
    results: list[int] = []
    start = threading.Barrier(3)

    def run() -> None:
        start.wait()
        results.append(purge(app.state.ctx, actor="test", batch_size=1).requests)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(results) == 6 and len(results) == 3
    assert sorted(e.target_id for e in audit(app, "request.purge")) == sorted(ids)


def test_a_message_keeps_its_address_30_days_after_it_was_sent(client: TestClient, app: Any, clock: FixedClock,
                                                               badge: str) -> None:
    ask(client, badge)
    run_pending(app)  # the resident's message is sent at START
    later(clock, days=10)
    ask(client, badge)  # this one stays queued (no job runs)
    with app.state.db.transaction() as session:  # as a message refused for good leaves its row
        failed = session.scalars(select(OutgoingEmail).where(OutgoingEmail.state == "queued")).one()
        session.execute(update(OutgoingEmail).where(OutgoingEmail.id == failed.id)
                        .values(state="failed", text_body="", html_body=None))
    ask(client, badge)
    later(clock, days=30)
    assert purge(app.state.ctx, actor="test").emails == 0
    later(clock, days=30, seconds=1)
    assert purge(app.state.ctx, actor="test").emails == 1
    sent = [e for e in emails(app) if e.state == "sent"]
    assert [(e.to_address, e.subject, e.text_body, e.html_body, e.purpose) for e in sent] == [
        ("", "", "", None, "request.received")]
    later(clock, days=40, seconds=1)
    assert purge(app.state.ctx, actor="test").emails == 1
    assert [e.to_address for e in emails(app) if e.state == "failed"] == [""]
    queued = [e for e in emails(app) if e.state == "queued"]
    assert [(e.to_address, bool(e.text_body)) for e in queued] == [(SYLVIE, True)]  # not sent: never emptied


def test_sign_ins_are_deleted_a_day_after_they_ended(client: TestClient, app: Any, clock: FixedClock) -> None:
    sign_in(client, app, "fatou@exemple.fr")  # challenge used at START, session until START + 12 h
    later(clock, hours=30)
    client.cookies.clear()
    sign_in(client, app, "karim@exemple.fr")  # challenge used at +30 h, session until +42 h
    later(clock, hours=36)
    assert purge(app.state.ctx, actor="test").sessions == 0  # Fatou's session ended 24 h ago, not more
    later(clock, hours=37)
    purged = purge(app.state.ctx, actor="test")
    assert (purged.challenges, purged.sessions) == (0, 1)  # Fatou's challenge went at +36 h (used at START)
    assert _signins(app) == (["karim@exemple.fr"], ["karim@exemple.fr"])
    assert client.post("/api/v1/signin/signout").status_code == 204  # Karim's session revoked at +37 h
    later(clock, hours=60)
    purged = purge(app.state.ctx, actor="test")
    assert (purged.challenges, purged.sessions, _signins(app)) == (1, 0, ([], ["karim@exemple.fr"]))
    later(clock, hours=61, seconds=1)
    assert purge(app.state.ctx, actor="test").sessions == 1 and _signins(app) == ([], [])


def _signins(app: Any) -> tuple[list[str | None], list[str]]:
    with app.state.db.sessions() as session:
        return (list(session.scalars(select(SigninChallenge.email))),
                list(session.scalars(select(SigninSession.email))))


def test_the_hourly_task_queues_one_purge_when_something_is_due(client: TestClient, app: Any, clock: FixedClock,
                                                                key: dict[str, str], badge: str,
                                                                members: dict[str, str]) -> None:
    request_id = ask(client, badge)["id"]
    decide(client, key, request_id, members, "decline")
    run_pending(app)
    ctx = app.state.ctx
    assert schedule(ctx) is None  # nothing due yet
    later(clock, days=91)
    first = schedule(ctx)
    assert first is not None and schedule(ctx) is None  # already waiting: not twice
    (queued,) = [j for j in procrastinate_jobs(app) if j["task_name"] == "savoirs.purge_personal_data"]
    assert queued["lock"] == "savoirs.purge_personal_data"  # one lock for every purge: one at a time
    assert queued["args"] == {"job_id": first, "org_id": None}
    run_pending(app)
    assert evidence_count(app, request_id) == 0
    (run,) = audit(app, "retention.purge")
    # the request, and its 5 messages (to the resident twice, to each member), sent 91 days ago
    assert (run.actor, run.target_id, run.details) == ("system", first, {
        "requests": 1, "evidence": 2, "proposals": 0, "endorsements": 0, "emails": 5, "challenges": 0, "sessions": 0,
        "rate_windows": 0, "finished": True})
    with app.state.db.sessions() as session:
        job = session.get_one(Job, first)
        assert (job.state, job.attempts, job.progress_done, job.progress_total) == ("succeeded", 1, 6, 6)
        assert session.scalar(select(func.count()).select_from(Job).where(Job.kind == PURGE_PERSONAL_DATA)) == 1


def test_the_periodic_task_queues_the_purge_in_the_worker(client: TestClient, app: Any, clock: FixedClock,
                                                          key: dict[str, str], badge: str,
                                                          members: dict[str, str]) -> None:
    from app.jobs.tasks import PURGE_CRON, SCHEDULE_PURGE, STALLED, register_periodic

    request_id = ask(client, badge)["id"]
    decide(client, key, request_id, members, "decline")
    later(clock, days=91)
    queue = app.state.ctx.jobs
    with queue.app.open():
        queue.app.tasks[SCHEDULE_PURGE].defer(timestamp=0)  # what procrastinate's periodic deferrer does every hour
    run_pending(app)
    assert evidence_count(app, request_id) == 0 and audit(app, "retention.purge")[0].actor == "system"
    register_periodic(queue.app, stalled=True)
    register_periodic(queue.app, stalled=True)  # a worker started twice registers each task once
    crons = {task.task.name: task.cron for task in queue.app.periodic_registry.periodic_tasks.values()}
    assert crons == {SCHEDULE_PURGE: PURGE_CRON, STALLED: "*/5 * * * *"} and PURGE_CRON == "17 * * * *"
