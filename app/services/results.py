"""What issuing one row of a batch gave: its award, or its own error."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import SavoirsError

__all__ = ["RowResult"]


@dataclass(frozen=True, slots=True)
class RowResult:
    row: int  # 1-based position in the request (or CSV data line)
    award_id: str | None = None
    credential: str | None = None
    claim_code: str | None = None
    error: SavoirsError | None = None
