"""Full-jitter exponential backoff, capped, that never retries sooner than Retry-After asks."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(slots=True)
class Backoff:
    """Delay for the n-th consecutive failure: uniform(0, min(cap, base·2ⁿ)), at least Retry-After."""

    base: float = 1.0
    cap: float = 300.0
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def next_delay(self, retry_after: float | None = None) -> float:
        ceiling = min(self.cap, self.base * 2 ** min(self.failures, 32))
        self.failures += 1
        delay = self.rng.uniform(0, ceiling)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.cap * 4))
        return delay

    def reset(self) -> None:
        self.failures = 0
