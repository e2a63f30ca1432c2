"""The kinds of job (``jobs.kind``; procrastinate task ``savoirs.<kind>``). Importing this imports nothing else."""

from __future__ import annotations

__all__ = ["KINDS", "RESIGN_CREDENTIALS"]

#: re-sign every credential a compromised Ed25519 key signed (:mod:`app.jobs.resign`)
RESIGN_CREDENTIALS = "resign_credentials"
KINDS = (RESIGN_CREDENTIALS,)
