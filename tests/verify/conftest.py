"""Fixtures for the verifier: loopback **canary** HTTP servers that count connections, and a connection spy.

A canary serves fixed routes (see ``_Handler.ROUTES``) and records every connection and request, so a test can
assert that a refused fetch reached it zero times. The ``net`` fixture wraps ``socket.create_connection`` (which
httpcore uses) to record every outbound connection attempt and, optionally, to reroute a public-looking address to
a canary.
"""

from __future__ import annotations

import datetime
import gzip
import json
import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

PUBLIC_IP = "93.184.215.14"  # a global address; connections to it are rerouted to a canary, never really made
JSON_BODY = b'{"ok": true}'
CHUNK = b"x" * 65536


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Canary:
    """A loopback HTTP(S) server; ``connections`` and ``requests`` are what it saw."""

    server: ThreadingHTTPServer
    scheme: str = "http"
    connections: int = 0
    requests: list[Seen] = field(default_factory=list)
    bytes_sent: int = 0
    sni: list[str | None] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str = "/json", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    canary: Canary

    def server_bind(self) -> None:  # HTTPServer.server_bind would do a reverse lookup (getfqdn): slow, useless
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:  # a client hanging up is expected here
        pass

    def process_request(self, request: Any, client_address: Any) -> None:
        self.canary.connections += 1
        super().process_request(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # helpers -----------------------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes = JSON_BODY, content_type: str | None = "application/json",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, total: int, content_length: int | None = None) -> None:
        """Send ``total`` bytes lazily, close-delimited unless a (possibly false) length is given."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        if content_length is not None:
            self.send_header("Content-Length", str(content_length))
        self.end_headers()
        sent = 0
        try:
            while sent < total:
                piece = CHUNK[: min(len(CHUNK), total - sent)]
                self.wfile.write(piece)
                sent += len(piece)
                self.server.canary.bytes_sent += len(piece)
        except OSError:
            pass

    # routes ------------------------------------------------------------------------------------------------
    def do_POST(self) -> None:
        """``/echo`` answers 201 with the body it was sent; ``/status/N``, ``/to``, ``/size/N`` as for GET."""
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.server.canary.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        if self.path == "/echo":
            self._send(201, body)
        else:
            self.do_GET(record=False)

    def do_GET(self, record: bool = True) -> None:
        canary = self.server.canary
        if record:
            canary.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        if path == "/json":
            self._send(200)
        elif path == "/.well-known/did.json":
            self._send(200, json.dumps({"id": "did:web:example"}).encode(), "application/did+json")
        elif path == "/type":
            self._send(200, content_type=query.get("ct"))
        elif path.startswith("/redirect/"):
            n = int(path.rsplit("/", 1)[1])
            self._send(302, b"", None, {"Location": f"/redirect/{n - 1}" if n > 0 else "/json"})
        elif path == "/to":
            self._send(int(query.get("status", "302")), b"", None, {"Location": query["url"]})
        elif path.startswith("/status/"):
            self._send(int(path.rsplit("/", 1)[1]), b'{"revoked": true}')
        elif path == "/drip":  # one byte every 0.5 s, 240 bytes: 2 minutes in all, far beyond any deadline
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "240")
            self.end_headers()
            try:
                for _ in range(240):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    if canary.stop.wait(0.5):
                        return
            except OSError:
                return
        elif path == "/hang":  # accept, never answer
            canary.stop.wait(10)
        elif path.startswith("/size/"):
            self._stream(int(path.rsplit("/", 1)[1]))
        elif path == "/big":  # 50 MB, generated lazily, no Content-Length
            self._stream(50 * 1024 * 1024)
        elif path.startswith("/declared/"):  # announces a length, sends 10 bytes, then waits
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", path.rsplit("/", 1)[1])
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            canary.stop.wait(10)
            self.close_connection = True
        elif path == "/gzip":
            self._send(200, gzip.compress(JSON_BODY), headers={"Content-Encoding": "gzip"})
        elif path == "/cookie":
            self._send(200, headers={"Set-Cookie": "sid=secret; Path=/"})
        else:
            self._send(404)


def _start(tls: ssl.SSLContext | None = None) -> Canary:
    server = _Server(("127.0.0.1", 0), _Handler)
    canary = Canary(server=server, scheme="https" if tls else "http")
    server.canary = canary
    if tls is not None:
        def remember(sock: ssl.SSLObject, name: str | None, ctx: ssl.SSLContext) -> None:
            canary.sni.append(name)

        tls.sni_callback = remember
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    return canary


def _stop(canary: Canary) -> None:
    canary.stop.set()
    canary.server.shutdown()
    canary.server.server_close()


@pytest.fixture
def canary() -> Iterator[Canary]:
    c = _start()
    yield c
    _stop(c)


@pytest.fixture
def canary2() -> Iterator[Canary]:
    c = _start()
    yield c
    _stop(c)


@dataclass(frozen=True)
class CertAuthority:
    pem: bytes  # self-signed certificate for DNS:canary.test, usable as its own trust anchor

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cadata=self.pem.decode())


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[CertAuthority, str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "canary.test")])
    now = datetime.datetime.now(datetime.UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("canary.test")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory = tmp_path_factory.mktemp("tls")
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    (directory / "cert.pem").write_bytes(cert_pem)
    (directory / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    return CertAuthority(cert_pem), str(directory / "cert.pem"), str(directory / "key.pem")


@pytest.fixture
def tls_canary(tls_files: tuple[CertAuthority, str, str]) -> Iterator[Canary]:
    _, cert, key = tls_files
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    c = _start(context)
    yield c
    _stop(c)


@dataclass
class Net:
    """Every ``socket.create_connection`` address, in order; ``routes`` rewrites an address (test rerouting)."""

    attempts: list[tuple[str, int]] = field(default_factory=list)
    routes: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)

    def route_public_to(self, canary: Canary) -> None:
        self.routes[(PUBLIC_IP, canary.port)] = ("127.0.0.1", canary.port)


@pytest.fixture
def net(monkeypatch: pytest.MonkeyPatch) -> Net:
    spy = Net()
    real: Callable[..., socket.socket] = socket.create_connection

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        host, port = address[0], address[1]
        spy.attempts.append((host, port))
        return real(spy.routes.get((host, port), (host, port)), *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return spy


def elapsed(start: float) -> float:
    return time.monotonic() - start


@dataclass
class Site:
    """A loopback web site serving whatever the test publishes on it: ``put`` a JSON document (or raw bytes) at a
    path, with the status and media type of your choice; anything else answers 404. ``did`` is the did:web DID
    whose DID document lives at ``/.well-known/did.json`` (fetched over http with a loopback policy)."""

    port: int
    pages: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)

    @property
    def did(self) -> str:
        return f"did:web:127.0.0.1%3A{self.port}"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def put(self, path: str, document: Any, *, status: int = 200, content_type: str = "application/ld+json") -> str:
        body = document if isinstance(document, bytes) else json.dumps(document).encode("utf-8")
        self.pages[path] = (status, content_type, body)
        return self.url(path)


def _serve_site() -> tuple[Site, ThreadingHTTPServer]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            status, content_type, body = served.pages.get(urlsplit(self.path).path, (404, "text/plain", b"absent"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = _Server(("127.0.0.1", 0), Handler)
    served = Site(port=int(server.server_address[1]))
    server.canary = Canary(server=server)  # _Server counts connections into one (unused here)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    return served, server


@pytest.fixture
def site() -> Iterator[Site]:
    """A loopback site to publish an issuer's documents on (see :class:`Site`)."""
    published, server = _serve_site()
    yield published
    server.shutdown()
    server.server_close()


@pytest.fixture
def other_site() -> Iterator[Site]:
    """A second site, on another origin (another port): someone else's documents."""
    published, server = _serve_site()
    yield published
    server.shutdown()
    server.server_close()
