"""Shared by the interop tests: one live ``savoirs serve`` per test session (per xdist worker).

The server runs as a subprocess on a free port with a temporary SQLite database, ``PUBLIC_BASE_URL`` =
``http://localhost:<port>`` (so every public id is on that origin), a fixed KEK and ``ADMIN_TOKEN``. Tests that
share a worker share the server: give each test module organisations with slugs of its own.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import assert_no_email

ROOT = Path(__file__).resolve().parents[2]
INTEROP = ROOT / "interop"
ADMIN_TOKEN = "interop-admin-token-0123456789"
KEK = base64.b64encode(bytes(range(32))).decode()


def ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def unavailable(message: str, install: str = "bash interop/setup.sh") -> None:
    """Skip the test for a missing verifier, or fail it with ``CI=true``."""
    if ci():
        pytest.fail(f"{message} (CI=true: the interop verifiers are required)")
    pytest.skip(f"{message}; install them with `{install}`")


@pytest.fixture(scope="session")
def node() -> str:
    """The ``node`` binary, once it is known that the interop packages are installed."""
    binary = shutil.which("node")
    if binary is None:
        unavailable("node (Node.js >= 20) is not on PATH")
    assert binary is not None
    version = subprocess.run([binary, "-p", "process.versions.node"], capture_output=True, text=True, check=True)
    if int(version.stdout.split(".")[0]) < 20:
        unavailable(f"Node.js {version.stdout.strip()} is too old (>= 20 needed)")
    if not (INTEROP / "node_modules" / ".savoirs-interop-stamp").is_file():
        unavailable("interop/node_modules is missing or incomplete")
    return binary


def ok(response: httpx.Response, status: int = 200) -> Any:
    """The body (JSON when it is JSON) of a response that must have ``status``."""
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json() if "json" in response.headers.get("content-type", "") else response.text


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a live ``savoirs serve`` on a free port."""
    tmp = tmp_path_factory.mktemp("interop-server")
    port = _free_port()
    base = f"http://localhost:{port}"
    env = {**os.environ, "ENVIRONMENT": "test", "DATABASE_URL": f"sqlite:///{tmp / 'savoirs.db'}",
           "PUBLIC_BASE_URL": base, "KEK": KEK, "ADMIN_TOKEN": ADMIN_TOKEN, "VAR_DIR": str(tmp / "var"),
           "LOG_LEVEL": "INFO",  # the access log too: scanned for email addresses at the end
           "TRUSTED_PROXIES": "127.0.0.1"}  # the property tests speak for many clients (X-Forwarded-For)
    env.pop("KEK_FILE", None)
    savoirs = Path(sys.executable).with_name("savoirs")
    log_path = tmp / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([str(savoirs), "serve", "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"savoirs serve exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"savoirs serve not ready after 30 s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert_no_email(log_path.read_text(encoding="utf-8", errors="replace"), "the interop server's log")


@pytest.fixture(scope="session")
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as client:
        yield client
