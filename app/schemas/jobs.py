"""Background jobs as the API shows them: where a job stands, how far it got, why it last failed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from app.schemas.common import OutputModel

__all__ = ["JobLinks", "JobOut", "JobRef", "JobState"]

JobState = Literal["queued", "running", "succeeded", "failed"]


class JobLinks(OutputModel):
    self: str = Field(description="GET this URL (API key, `read` scope) to follow the job.")


class JobRef(OutputModel):
    """A job started by the request: follow ``links.self``."""

    id: str
    state: JobState
    links: JobLinks


class JobOut(JobRef):
    kind: str = Field(description="What the job does, e.g. `resign_credentials`.")
    attempts: int = Field(description="Runs started so far (a failed run is retried with a growing delay, "
                                      "5 times at most).")
    last_error: str | None = Field(description="Code and message of the last failed run, if any.")
    progress_done: int
    progress_total: int | None = Field(description="Known once the job has started.")
    created_at: datetime
    updated_at: datetime
