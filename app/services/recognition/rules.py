"""The committee's rule, pure: from the votes of one round, whether the committee has decided and what.

Two rules, chosen per organisation:

* ``count``: the first choice that ``acceptances`` members make decides (e.g. two acceptances accept);
* ``majority``: the first choice that more than half of the active members make decides.

A choice decides only by its own votes: two acceptances and one decline accept under ``count`` with 2. "Ask for
more" (``more``) is a choice like the others: when it reaches the threshold, the resident is asked and a new round
begins. Until then, nothing is decided.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = ["CHOICES", "Choice", "Rule", "decision", "threshold"]

Choice = Literal["accept", "decline", "more"]
CHOICES: tuple[Choice, ...] = ("accept", "decline", "more")


@dataclass(frozen=True, slots=True)
class Rule:
    kind: Literal["count", "majority"]
    acceptances: int = 2


def threshold(rule: Rule, active_members: int) -> int:
    """How many votes of one choice decide (never fewer than one)."""
    if rule.kind == "majority":
        return active_members // 2 + 1
    return max(1, rule.acceptances)


def decision(rule: Rule, active_members: int, votes: Iterable[Choice]) -> Choice | None:
    """The choice the votes of one round decide, or None while none has reached the threshold."""
    needed = threshold(rule, active_members)
    counted = Counter(votes)
    reached = [choice for choice in CHOICES if counted[choice] >= needed]
    return reached[0] if len(reached) == 1 else None
