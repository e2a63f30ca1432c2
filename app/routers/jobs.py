"""Background jobs of the calling organisation (Bearer API key, ``read`` scope)."""

from __future__ import annotations

from fastapi import APIRouter

from app.deps import CtxDep, ReadDep
from app.jobs import service as jobs
from app.routing import StrictJSONRoute
from app.schemas.jobs import JobOut

router = APIRouter(prefix="/api/v1", tags=["jobs"], route_class=StrictJSONRoute)


@router.get("/jobs/{job_id}", response_model=JobOut,
            summary="A background job: state (queued, running, succeeded, failed), attempts, last error, progress")
def read_job(job_id: str, principal: ReadDep, ctx: CtxDep) -> JobOut:
    """A background job of the calling organisation (e.g. re-signing every credential after a key compromise): its
    state (`queued`, `running`, `succeeded`, `failed`), attempts, last error and progress."""
    return jobs.read(ctx, principal, job_id)
