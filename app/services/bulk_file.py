"""A whole file of awards (``savoirs award --csv``): checked before anything is signed, issued in transactions of
``chunk`` rows, each row at most once however often the file is run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.schemas.awards import BatchRowResult
from app.services import awards, organisations, row_keys
from app.services.batch_signing import BatchSigner
from app.services.bulk import Progress

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["award_file"]


def award_file(ctx: ServiceContext, slug: str, achievement_id: str, rows: list[Any], *, actor: str,
               chunk: int = 500, signer: BatchSigner | None = None,
               progress: Progress | None = None) -> list[BatchRowResult]:
    """Award ``achievement_id`` to every row of a file for the organisation ``slug``; one result per row, numbered
    from 1 across the file: ``issued``, ``already_issued`` (by an earlier run: the row's key, given or derived
    from its content, was issued) or ``error``.

    Before anything is signed: the organisation exists, this process has the key-encryption key and the
    ``PUBLIC_BASE_URL`` the organisation's identifiers were published under. Each transaction of ``chunk`` rows is
    committed before the next starts, so a run that stops keeps what it committed, and running the file again
    issues only the rest.

    :raises NotFound: no such organisation or achievement.
    :raises SigningUnavailable: no key-encryption key.
    :raises Misconfigured: another ``PUBLIC_BASE_URL`` than the organisation's.
    :raises Conflict: another run is issuing the same rows at this moment.
    """
    org_id = organisations.ready_to_issue(ctx, slug)
    keyed = row_keys.derive_keys(rows, achievement_id)
    size = max(1, chunk)
    results: list[BatchRowResult] = []
    for start in range(0, len(keyed), size):
        outcome = awards.issue(ctx, org_id, actor, achievement_id, awards.BatchRows(keyed[start:start + size]),
                               signer=signer, progress=progress)
        results.extend(BatchRowResult.model_validate({**line, "row": start + line["row"]})
                       for line in outcome.body["results"])
    return results
