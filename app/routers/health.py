"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.deps import CtxDep
from app.services import health

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
