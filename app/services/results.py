"""What issuing one row of a batch gave: its award (new, or already issued under its key), or its own error; and
the batch answer as the API and the command line show it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.errors import SavoirsError
from app.schemas.awards import BatchResult, BatchRowResult

__all__ = ["RowResult", "batch_out"]


@dataclass(frozen=True, slots=True)
class RowResult:
    row: int  # 1-based position in the request (or CSV data line)
    award_id: str | None = None
    credential: str | None = None
    claim_code: str | None = None
    error: SavoirsError | None = None
    already_issued: bool = False  # by an earlier row with the same idempotency key: nothing new was issued

    @property
    def status(self) -> Literal["issued", "already_issued", "error"]:
        if self.error is not None:
            return "error"
        return "already_issued" if self.already_issued else "issued"


def batch_out(achievement_id: str, results: Sequence[RowResult]) -> BatchResult:
    """One line per row: issued or already issued (with its ids and claim code), or refused (with its error)."""
    statuses = [r.status for r in results]
    return BatchResult(
        achievement_id=achievement_id, total=len(results), issued=statuses.count("issued"),
        already_issued=statuses.count("already_issued"), failed=statuses.count("error"),
        results=[BatchRowResult(row=r.row, status=r.status, award_id=r.award_id, credential=r.credential,
                                claim_code=r.claim_code) if r.error is None else
                 BatchRowResult(row=r.row, status="error", code=r.error.code, message_en=r.error.message_en,
                                message_fr=r.error.message_fr) for r in results],
    )
