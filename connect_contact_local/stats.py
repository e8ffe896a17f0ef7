"""Per-operation request counters, exact under concurrency (one lock)."""

from __future__ import annotations

import threading
from collections import defaultdict

# What became of a request. Every request counts once in "requests" and once in one outcome.
OUTCOMES = ("succeeded", "errors", "throttled", "failed", "dropped")


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, dict[str, int]] = defaultdict(self._zero)
        self._regions: dict[str, int] = defaultdict(int)

    @staticmethod
    def _zero() -> dict[str, int]:
        return dict.fromkeys(("requests", *OUTCOMES), 0)

    def received(self, operation: str, region: str | None = None) -> None:
        """Count a request, and the region it was signed for (what a client's region setting shows)."""
        with self._lock:
            self._counts[operation]["requests"] += 1
            if region:
                self._regions[region] += 1

    def finished(self, operation: str, outcome: str) -> None:
        assert outcome in OUTCOMES, outcome
        with self._lock:
            self._counts[operation][outcome] += 1

    def snapshot(self) -> dict:
        """{"requests": {operation: n}, "succeeded": {...}, ..., "total": {"requests": n, ...},
        "regions": {signing region: n}}."""
        with self._lock:
            counts = {name: dict(per_kind) for name, per_kind in sorted(self._counts.items())}
            regions = dict(sorted(self._regions.items()))
        kinds = ("requests", *OUTCOMES)
        snapshot: dict = {kind: {name: per_kind[kind] for name, per_kind in counts.items()} for kind in kinds}
        snapshot["total"] = {kind: sum(snapshot[kind].values()) for kind in kinds}
        snapshot["regions"] = regions
        return snapshot

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
            self._regions.clear()
