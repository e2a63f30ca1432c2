"""Fault points for the fault tests (issue 18, R2): with ``SAVOIRS_FAULT=<point>`` in its environment, the process
kills itself (SIGKILL: no cleanup, no rollback sent, as a power cut or the kernel's OOM killer would) the moment it
reaches that point. The variable is read once, at import; never set it in production. Unset, a point costs one
comparison.

Points: ``award_before_commit`` (an award signed and written, its transaction not yet committed).
"""

from __future__ import annotations

import os
import signal

__all__ = ["point"]

_ARMED = os.environ.get("SAVOIRS_FAULT", "")


def point(name: str) -> None:
    """Die here when ``SAVOIRS_FAULT`` names this point."""
    if _ARMED and name == _ARMED:
        os.kill(os.getpid(), signal.SIGKILL)
