"""A real, served instance of the application (uvicorn in a thread) for tests that need HTTP over the network:
the verifier fetches did:web documents, keys and status lists from it like from any issuer."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from app.config import Environment, Settings
from app.main import create_app
from app.migrate import upgrade
from tests.conftest import ADMIN_TOKEN, BASE_URL, TEST_KEK

__all__ = ["LiveService", "free_port", "live_service", "serve"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveService:
    base: str
    http: httpx.Client
    app: Any

    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {ADMIN_TOKEN}"}

    def org(self, slug: str) -> str:
        """Create an organisation; returns its API key."""
        response = self.http.post("/api/v1/orgs", headers=self.admin(), json={
            "slug": slug, "name": "Centre social du Puchot", "url": "https://puchot.example",
            "email": "contact@puchot.example"})
        assert response.status_code == 201, response.text
        return str(response.json()["api_key"]["token"])


@contextmanager
def live_service(tmp: Path, *, access_log: bool = False, host: str = "localhost", **overrides: Any
                 ) -> Iterator[LiveService]:
    """Serve a fresh app (SQLite under ``tmp``) on a free loopback port, with loopback fetches allowed (and
    uvicorn's access log with ``access_log``). ``host`` names it in its public URLs: two services a browser visits
    need two names (cookies are kept per host, whatever the port)."""
    port = free_port()
    base = f"http://{host}:{port}"
    url = f"sqlite:///{tmp / 'live.db'}"
    upgrade(url)
    settings = Settings(environment=Environment.test, database_url=url, public_base_url=base, kek=TEST_KEK,
                        admin_token=ADMIN_TOKEN, var_dir=tmp / "var", allow_loopback_fetch=True,
                        **{"verify_rate_limit": 100_000, **overrides})
    app = create_app(settings)
    try:
        with serve(app, port, access_log=access_log), httpx.Client(base_url=base, timeout=30) as http:
            yield LiveService(base, http, app)
    finally:
        app.state.db.dispose()


@contextmanager
def serve(app: Any, port: int, *, access_log: bool = False, lifespan: str = "auto", **options: Any) -> Iterator[None]:
    """Serve ``app`` with uvicorn on loopback ``port`` (in a thread) until the block ends; ``options`` are more of
    uvicorn's (its proxy settings, say)."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=access_log,
                                           lifespan=lifespan, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def server_process(database_url: str, tmp: Path, **env: str) -> Iterator[str]:
    """``uvicorn app.asgi:app`` in a process of its own on ``database_url`` (the test settings, ``env`` added), on a
    free loopback port: its base URL, once it answers; killed at the end."""
    import os
    import subprocess
    import sys

    port = free_port()
    environment = {**os.environ, "DATABASE_URL": database_url, "KEK": TEST_KEK, "ENVIRONMENT": "test",
                   "PUBLIC_BASE_URL": BASE_URL, "ADMIN_TOKEN": ADMIN_TOKEN, "VAR_DIR": str(tmp / "var"), **env}
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "app.asgi:app", "--host", "127.0.0.1", "--port",
                                str(port)], cwd=Path(__file__).resolve().parents[1], env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server process did not start")
            time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
