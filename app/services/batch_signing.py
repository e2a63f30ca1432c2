"""Signing large batches of credentials on every core (bulk issuance from the command line and benchmarks).

Ed25519 signatures are deterministic and the shape-template canonicaliser is byte-identical to pyld, so a
credential signed in a worker process is the very document the calling process would have produced. Workers are
forked once and reused; the private key reaches them as PKCS#8 DER over the pool's pipe, is kept in memory only,
and is never written anywhere.

Workers hold nothing that outlives their parent: they die with it (``PR_SET_PDEATHSIG`` on Linux, and a watchdog
thread that notices when the parent is gone), so a killed ``savoirs award`` leaves no process behind; and they
close every socket they inherited at fork, so a database connection of the parent (and its open transaction)
ends with the parent, never kept alive by a worker. Start the workers (:meth:`BatchSigner.start`) before opening
any database connection: then there is nothing to inherit in the first place.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.signing.canon import InvalidJsonLdError
from app.signing.data_integrity import create_proof
from app.signing.errors import SigningError
from app.signing.keys import load_private_key_der, private_key_der
from app.signing.portable_order import UnportableOrderError

__all__ = ["BatchSigner"]

_MIN_PARALLEL = 200  # below this, forking work out costs more than it saves
_PART = 10  # documents per task handed to a worker (each finished task advances the caller's progress)
_REFUSAL = "savoirs:refused"  # marks a refusal among the proofs a worker sends back
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_WATCH_SECONDS = 0.5


def _worker_started(parent: int) -> None:
    """In each worker, first: die with the parent, close the inherited sockets, leave Ctrl-C to the parent."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="savoirs-parent-watch", daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _close_inherited_sockets()


def _watch_parent(parent: int) -> None:
    """Where ``PR_SET_PDEATHSIG`` does not exist: exit once the parent is gone (the worker is re-parented)."""
    while os.getppid() == parent:
        time.sleep(_WATCH_SECONDS)
    os._exit(1)


def _close_inherited_sockets() -> None:
    """Close the parent's sockets (database connections above all) in this worker, which only talks to its parent
    over pipes: a connection must end when the parent ends, with its transaction."""
    for name in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else ():
        fd = int(name)
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:  # the directory's own descriptor, gone by now
            continue


def _ready() -> int:
    return os.getpid()


def _proof_or_refusal(document: dict[str, Any], **options: Any) -> dict[str, Any]:
    """The new proof of ``document``, or why a text of it cannot be signed (a refusal crosses the pipe as JSON)."""
    try:
        proof: dict[str, Any] = create_proof(document, **options)["proof"][-1]
    except UnportableOrderError as exc:
        return {_REFUSAL: "unportable_order", "texts": list(exc.texts)}
    except InvalidJsonLdError as exc:
        return {_REFUSAL: "invalid_jsonld", "message_en": exc.message_en, "message_fr": exc.message_fr}
    return proof


def _sign_part(key_der: bytes, verification_method: str, created: datetime, encoded: bytes) -> bytes:
    """In a worker: the proofs (only them, to keep the pipe traffic small) of a JSON array of documents."""
    from app.services.issuing import document_loader, shape_canonicalizer

    key = load_private_key_der(key_der)
    if not isinstance(key, Ed25519PrivateKey):
        raise TypeError("Data Integrity proofs here are Ed25519")
    canon = shape_canonicalizer().canonicalize
    return orjson.dumps([_proof_or_refusal(d, private_key=key, verification_method=verification_method,
                                           created=created, loader=document_loader(), canonicalizer=canon)
                         for d in orjson.loads(encoded)])


def _with_proof(document: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any] | SigningError:
    if _REFUSAL in proof:
        if proof[_REFUSAL] == "unportable_order":
            return UnportableOrderError(*proof["texts"])
        return InvalidJsonLdError(proof["message_en"], proof["message_fr"])
    existing = document.get("proof")
    proofs = existing if isinstance(existing, list) else ([existing] if existing else [])
    return {**{k: v for k, v in document.items() if k != "proof"}, "proof": [*proofs, proof]}


class BatchSigner:
    """A pool of worker processes that add ``eddsa-rdfc-2022`` proofs to many credentials at once.

    Use it from the thread that started it: the workers die when that thread ends (``PR_SET_PDEATHSIG``)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_worker_started, initargs=(os.getpid(),))
        return self._pool

    def start(self, documents: int) -> None:
        """Fork the workers now if a batch of ``documents`` would use them: call it before opening any database
        connection, so that the workers inherit none."""
        if self.workers > 1 and documents >= _MIN_PARALLEL:
            self._executor().submit(_ready).result()

    def sign_all(self, documents: list[dict[str, Any]], *, private_key: Ed25519PrivateKey,
                 verification_method: str, created: datetime) -> list[dict[str, Any] | SigningError]:
        """The documents with their proofs, in order (in this process for small batches); in place of a document
        one of whose texts cannot be signed, the error saying why."""
        return self.submit(documents, private_key=private_key, verification_method=verification_method,
                           created=created)()

    def submit(self, documents: list[dict[str, Any]], *, private_key: Ed25519PrivateKey,
               verification_method: str, created: datetime, progress: Callable[[int], None] | None = None
               ) -> Callable[[], list[dict[str, Any] | SigningError]]:
        """Start signing; the returned function waits for and returns the signed documents, in order. The
        caller can prepare the next documents meanwhile (small batches are signed here, while it waits).

        :param progress: told how many more documents are signed, as they come (one by one here, by parts of at
            most 10 from the workers).
        """
        der = private_key_der(private_key)
        tell = progress or (lambda _: None)
        if self.workers == 1 or len(documents) < _MIN_PARALLEL:
            def sign_here() -> list[dict[str, Any] | SigningError]:
                parts = []
                for document in documents:
                    parts.append(_sign_part(der, verification_method, created, orjson.dumps([document])))
                    tell(1)
                return self._assemble(documents, parts)
            return sign_here
        size = min(_PART, -(-len(documents) // self.workers))
        futures = [(self._executor().submit(_sign_part, der, verification_method, created,
                                            orjson.dumps(documents[i:i + size])), len(documents[i:i + size]))
                   for i in range(0, len(documents), size)]

        def wait() -> list[dict[str, Any] | SigningError]:
            parts = []
            for future, count in futures:
                parts.append(future.result())
                tell(count)
            return self._assemble(documents, parts)
        return wait

    @staticmethod
    def _assemble(documents: list[dict[str, Any]], encoded: list[bytes]) -> list[dict[str, Any] | SigningError]:
        proofs = [proof for part in encoded for proof in orjson.loads(part)]
        return [_with_proof(d, p) for d, p in zip(documents, proofs, strict=True)]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> BatchSigner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
