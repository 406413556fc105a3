"""When to try a failed delivery again: exponential back-off with full jitter."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` tries in all, then the delivery is dead (an operator replays it)."""

    max_attempts: int = 8
    base_seconds: float = 1.0
    cap_seconds: float = 300.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.base_seconds <= 0 or self.cap_seconds < self.base_seconds:
            raise ValueError("retry policy needs max_attempts >= 1 and 0 < base <= cap")

    def delay(self, attempt: int, rng: random.Random) -> timedelta:
        """Wait before try ``attempt + 1``: uniform in [0, min(cap, base * 2^(attempt-1))]."""
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** min(attempt - 1, 62))
        return timedelta(seconds=rng.uniform(0, ceiling))
