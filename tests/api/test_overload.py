"""Issue 18, "stay responsive under overload": verifications (which wait on other servers) run at most
``VERIFY_CONCURRENCY`` at once per process; one more is answered 503 ``verifier_busy`` with ``Retry-After`` at once,
never queued; ``/healthz`` answers from the event loop and ``/readyz`` from a thread left free, while the
verifications in flight wait on a server that does not answer."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.capacity import Busy, WorkGate
from app.config import Settings
from app.main import create_app
from tests.live_server import free_port, serve


def test_a_gate_lets_its_limit_in_and_refuses_the_next_at_once() -> None:
    gate = WorkGate(2, retry_after_s=3)
    with gate.entered(), gate.entered():
        assert gate.inside == 2
        with pytest.raises(Busy) as refused, gate.entered():
            pass
        assert refused.value.status == 503 and refused.value.headers == {"Retry-After": "3"}
    assert gate.inside == 0 and gate.refused == 1
    with gate.entered():
        assert gate.inside == 1


def test_a_place_is_given_back_when_the_work_fails() -> None:
    gate = WorkGate(1)
    with pytest.raises(ValueError), gate.entered():
        raise ValueError("the verification failed")
    with gate.entered():
        assert gate.inside == 1


@pytest.fixture
def one_at_a_time(settings_factory: Callable[..., Settings]) -> Iterator[Any]:
    application = create_app(settings_factory(verify_concurrency=1), jobs_in_process=False)
    yield application
    application.state.db.dispose()


def test_a_verification_beyond_the_bound_is_a_503_with_retry_after_in_both_languages(one_at_a_time: Any) -> None:
    with TestClient(one_at_a_time) as client:
        with one_at_a_time.state.ctx.verifications.entered():  # the one place is taken
            busy = client.post("/api/v1/verify", json={"credential": {"name": "pas un badge"}})
        assert busy.status_code == 503 and busy.headers["retry-after"] == "2"
        body = busy.json()
        assert body["code"] == "verifier_busy" and "réessayez" in body["message_fr"] and body["message_en"]
        after = client.post("/api/v1/verify", json={"credential": {"name": "pas un badge"}})
        assert after.status_code == 200 and after.json()["verified"] is False  # judged, the place free again


class _Silent:
    """A server that holds every request until told to answer (and counts what arrived)."""

    def __init__(self) -> None:
        self.arrived = threading.Semaphore(0)
        self.release = threading.Event()
        silent = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                silent.arrived.release()
                silent.release.wait(30)
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/badge.json"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def test_probes_answer_while_verifications_wait_on_a_silent_server(settings_factory: Callable[..., Settings]
                                                                   ) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    application = create_app(settings_factory(public_base_url=base, verify_concurrency=2, allow_loopback_fetch=True),
                             jobs_in_process=False)
    silent = _Silent()
    answers: list[int] = []
    try:
        with serve(application, port, lifespan="off"), httpx.Client(base_url=base, timeout=30) as http:
            def verify() -> None:
                answers.append(http.get("/api/v1/verify", params={"url": silent.url}).status_code)

            waiting = [threading.Thread(target=verify) for _ in range(2)]
            for thread in waiting:
                thread.start()
            for _ in waiting:  # both verifications are in, held by the silent server
                assert silent.arrived.acquire(timeout=20)
            refused = [http.get("/api/v1/verify", params={"url": silent.url}) for _ in range(4)]
            assert [r.status_code for r in refused] == [503] * 4
            assert all(r.json()["code"] == "verifier_busy" for r in refused)
            assert http.get("/healthz").json() == {"status": "ok"}
            assert http.get("/readyz").status_code == 200
            assert not silent.release.is_set() and answers == []  # the two are still waiting
            silent.release.set()
            for thread in waiting:
                thread.join(30)
            assert answers == [200, 200]  # each a report: the badge's address answered 404
    finally:
        silent.close()
        application.state.db.dispose()
