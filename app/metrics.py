"""What the service counts for Prometheus (``GET /metrics``, the text format of prometheus_client, a well-kept
library): requests by route and status with their latencies, awards issued, verifications by verdict with their
latencies and those refused at once (503), jobs finished by kind and outcome with their durations. The job queue by
state is read from the database at each scrape (:mod:`app.services.metrics`).

One :class:`Metrics` per application (its own registry: tests build many applications in one process). With
``savoirs serve --workers N``, set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory shared by the workers:
prometheus_client then keeps each process's values in files there and a scrape of any worker adds them up.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

__all__ = ["CONTENT_TYPE", "Metrics", "MetricsMiddleware"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter("savoirs_http_requests", "HTTP requests answered, by route template and status",
                                ["method", "route", "status"], registry=r)
        self.request_seconds = Histogram("savoirs_http_request_duration_seconds", "Time to answer, by route",
                                         ["method", "route"], buckets=_LATENCY, registry=r)
        self.awards = Counter("savoirs_awards_issued", "Awards issued (batch rows included, replays not)",
                              registry=r)
        self.verifications = Counter("savoirs_verifications", "Verifications done, by trust verdict", ["trust"],
                                     registry=r)
        self.verification_seconds = Histogram("savoirs_verification_duration_seconds", "Time to verify one badge",
                                              buckets=_LATENCY, registry=r)
        self.verifications_refused = Counter("savoirs_verifications_refused",
                                             "Verifications refused at once (503): too many running", registry=r)
        self.jobs = Counter("savoirs_jobs_finished", "Job runs finished, by kind and outcome (succeeded, failed)",
                            ["kind", "outcome"], registry=r)
        self.job_seconds = Histogram("savoirs_job_duration_seconds", "Time a job run took, by kind", ["kind"],
                                     buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 1800), registry=r)
        self.job_queue = Gauge("savoirs_jobs", "Jobs in the queue, by state (read at each scrape)", ["state"],
                               registry=r, multiprocess_mode="mostrecent")

    def exposition(self) -> bytes:
        """The text format of every metric (of every worker, with ``PROMETHEUS_MULTIPROC_DIR``)."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            merged = CollectorRegistry()
            MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
            return generate_latest(merged)
        return generate_latest(self.registry)


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]


class MetricsMiddleware:
    """Counts every HTTP answer under its route's template (``/credentials/{credential_id}``: a bounded set of
    labels; a status list the fast lane answered before routing under its route's template; ``unmatched`` for a
    path no route serves) and how long it took."""

    def __init__(self, app: Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
                                     Awaitable[None]], metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, counted)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or (
                "/status/{list_id}" if str(scope.get("path", "")).startswith("/status/") else "unmatched")
            method = scope.get("method", "GET")
            self.metrics.requests.labels(method, template, str(status)).inc()
            self.metrics.request_seconds.labels(method, template).observe(time.perf_counter() - started)
