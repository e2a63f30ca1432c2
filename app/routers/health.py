"""Liveness and readiness probes, and the metrics for Prometheus."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from app.deps import CtxDep
from app.metrics import CONTENT_TYPE
from app.services import health, metrics

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    """Liveness: answers 200 while the process runs, from the event loop itself (no thread, no I/O): a thread pool
    full of slow work does not make it late."""
    return {"status": "ok"}


@router.get("/readyz", summary="The database answers and keys are usable",
            responses={503: {"description": "Database unreachable"}})
def readyz(ctx: CtxDep) -> JSONResponse:
    """Readiness: 200 when the database answers and the signing keys can be used; 503 otherwise, with what is wrong."""
    ready, checks = health.readiness(ctx)
    return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks},
                        status_code=200 if ready else 503)


@router.get("/metrics", summary="Counters and latencies for Prometheus", response_class=Response,
            responses={200: {"description": "Prometheus text format", "content": {CONTENT_TYPE: {}}}})
async def prometheus_metrics(ctx: CtxDep) -> Response:
    """Requests by route and status with their latencies, awards issued, verifications by verdict (and those
    refused at once), job runs by kind and outcome, the job queue by state. Counts only: no one's data. Serve it
    to your monitoring only (a reverse proxy can keep it internal)."""
    return Response(await run_in_threadpool(metrics.exposition, ctx), media_type=CONTENT_TYPE)
