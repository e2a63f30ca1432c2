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
import functools
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
from typing import Any, Protocol

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.signing.canon import InvalidJsonLdError
from app.signing.data_integrity import create_proof
from app.signing.errors import SigningError
from app.signing.keys import load_private_key_der, private_key_der
from app.signing.portable_order import UnportableOrderError

__all__ = ["BatchSigner", "Signing"]

_MIN_PARALLEL = 200  # below this, forking work out costs more than it saves
_PART = 10  # documents per task when the caller follows the progress (each finished task advances it)
_LARGE_PART = 50  # otherwise: each task costs the calling process about 0.25 ms, however few documents it holds
_REFUSAL = "savoirs:refused"  # marks a refusal among the documents a worker sends back
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


#: what signing one document gives: the signed document as JSON, or why it cannot be signed (crossing the pipe)
_Outcome = bytes | dict[str, Any]


def _signed_or_refusal(document: dict[str, Any], **options: Any) -> _Outcome:
    """``document`` with its new proof, as JSON (the calling process stores it as it is), or why a text of it cannot
    be signed."""
    try:
        signed = create_proof(document, **options)
    except UnportableOrderError as exc:
        return {_REFUSAL: "unportable_order", "texts": list(exc.texts)}
    except InvalidJsonLdError as exc:
        return {_REFUSAL: "invalid_jsonld", "message_en": exc.message_en, "message_fr": exc.message_fr}
    return orjson.dumps(signed)


def _sign_documents(key: Ed25519PrivateKey, verification_method: str, created: datetime, encoded: bytes
                    ) -> list[_Outcome]:
    """Sign each document of a JSON array (workers and this process alike read the documents from JSON, so both
    sign exactly the same thing)."""
    from app.services.issuing import document_loader, shape_canonicalizer

    canon = shape_canonicalizer().canonicalize
    return [_signed_or_refusal(d, private_key=key, verification_method=verification_method, created=created,
                               loader=document_loader(), canonicalizer=canon) for d in orjson.loads(encoded)]


def _sign_part(key_der: bytes, verification_method: str, created: datetime, encoded: bytes) -> list[_Outcome]:
    """In a worker: :func:`_sign_documents` with the key received as PKCS#8 DER."""
    key = load_private_key_der(key_der)
    if not isinstance(key, Ed25519PrivateKey):
        raise TypeError("Data Integrity proofs here are Ed25519")
    return _sign_documents(key, verification_method, created, encoded)


def _decoded(outcome: _Outcome) -> str | SigningError:
    if isinstance(outcome, bytes):
        return outcome.decode("utf-8")
    if outcome[_REFUSAL] == "unportable_order":
        return UnportableOrderError(*outcome["texts"])
    return InvalidJsonLdError(outcome["message_en"], outcome["message_fr"])


class _Part(Protocol):
    """Some of the documents of a :class:`Signing`, signed by a worker (a future) or here."""

    def done(self) -> bool: ...

    def result(self) -> list[_Outcome]: ...

    def cancel(self) -> bool: ...


class _Here:
    """Documents signed in this process, once their result is asked for."""

    def __init__(self, sign: Callable[[], list[_Outcome]]) -> None:
        self._sign = sign

    def done(self) -> bool:
        return False  # signing them is the caller's own work: nothing is ready before it asks

    def result(self) -> list[_Outcome]:
        return self._sign()

    def cancel(self) -> bool:
        return True


class Signing:
    """Documents handed to a :class:`BatchSigner`. :meth:`ready` tells, without waiting, whether they are all signed;
    :meth:`texts` waits for them and gives each one, in order, as the JSON text of the signed document or as the
    error refusing it; calling the object gives the signed documents themselves."""

    def __init__(self, parts: list[tuple[_Part, int]], progress: Callable[[int], None]) -> None:
        self._parts = parts
        self._progress = progress
        self._texts: list[str | SigningError] | None = None

    def ready(self) -> bool:
        return self._texts is not None or all(part.done() for part, _ in self._parts)

    def texts(self) -> list[str | SigningError]:
        """The signed documents as JSON text (or their refusals), in order; progress is told part by part.

        :raises Exception: whatever a worker raised (anything but a refusal is a failure of ours).
        """
        if self._texts is None:
            texts: list[str | SigningError] = []
            for part, count in self._parts:
                texts.extend(_decoded(outcome) for outcome in part.result())
                self._progress(count)
            self._texts = texts
        return self._texts

    def __call__(self) -> list[dict[str, Any] | SigningError]:
        return [text if isinstance(text, SigningError) else orjson.loads(text) for text in self.texts()]

    def cancel(self) -> None:
        """Drop what the workers have not started yet (the caller gave up on these documents)."""
        for part, _ in self._parts:
            part.cancel()


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

    def parallel(self, documents: int) -> bool:
        """Would a batch of ``documents`` be signed by the workers (rather than in this process)?"""
        return self.workers > 1 and documents >= _MIN_PARALLEL

    def start(self, documents: int) -> None:
        """Fork the workers now if a batch of ``documents`` would use them: call it before opening any database
        connection, so that the workers inherit none."""
        if self.parallel(documents):
            self._executor().submit(_ready).result()

    def sign_all(self, documents: list[dict[str, Any]], *, private_key: Ed25519PrivateKey,
                 verification_method: str, created: datetime) -> list[dict[str, Any] | SigningError]:
        """The documents with their proofs, in order (in this process for small batches); in place of a document
        one of whose texts cannot be signed, the error saying why."""
        return self.submit(documents, private_key=private_key, verification_method=verification_method,
                           created=created)()

    def submit(self, documents: list[dict[str, Any]], *, private_key: Ed25519PrivateKey,
               verification_method: str, created: datetime, progress: Callable[[int], None] | None = None,
               batch: int | None = None) -> Signing:
        """Start signing; the caller can prepare the next documents meanwhile (small batches are signed here,
        while it waits for them). See :class:`Signing`.

        :param progress: told how many more documents are signed, as they come (one by one here, by parts of at
            most 10 from the workers).
        :param batch: how many documents the caller signs in all, of which these are a part (default: these):
            whether the workers sign them depends on it.
        """
        tell = progress or (lambda _: None)
        if not self.parallel(len(documents) if batch is None else batch):
            return Signing([(_Here(functools.partial(_sign_documents, private_key, verification_method, created,
                                                     orjson.dumps([document]))), 1) for document in documents], tell)
        der = private_key_der(private_key)
        size = min(_PART if progress else _LARGE_PART, -(-len(documents) // self.workers))
        pool = self._executor()
        return Signing([(pool.submit(_sign_part, der, verification_method, created, orjson.dumps(part)), len(part))
                        for part in (documents[i:i + size] for i in range(0, len(documents), size))], tell)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> BatchSigner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
