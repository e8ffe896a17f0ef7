"""The service's notion of "now": the system clock plus an offset tests can move."""

from __future__ import annotations

import threading
import time
from typing import Callable


class Clock:
    """Wall-clock time, shifted by an adjustable offset.

    Time keeps flowing after a shift; only the offset changes. Timestamps are
    rounded to milliseconds, the precision Amazon Connect reports.
    """

    def __init__(self, offset_seconds: float = 0.0, source: Callable[[], float] = time.time):
        self._offset = float(offset_seconds)
        self._source = source
        self._lock = threading.Lock()

    @property
    def offset_seconds(self) -> float:
        return self._offset

    def now(self) -> float:
        return round(self._source() + self._offset, 3)

    def advance(self, seconds: float) -> float:
        """Move the clock forward (or back, for a negative value); returns the new now."""
        with self._lock:
            self._offset += float(seconds)
        return self.now()

    def set(self, epoch_seconds: float) -> float:
        """Make `now()` read `epoch_seconds` from this instant on; returns the new now."""
        with self._lock:
            self._offset = float(epoch_seconds) - self._source()
        return self.now()
