"""Progress of a batch: a live bar on a terminal (with ``rich``, the
``lean-sdk[progress]`` extra), plain log lines otherwise (logger
``lean_sdk.batch``), so that a cron job's log stays readable."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, Dict, Optional

from .file import Row
from .journal import FAILED, PAID, UNKNOWN

__all__ = ["Progress", "LogProgress", "BarProgress", "choose"]

log = logging.getLogger("lean_sdk.batch")


class Progress:
    """Counts settled rows; subclasses show them."""

    def __init__(self, total: int, done_before: int) -> None:
        self.total = total
        self.counts: Dict[str, int] = {PAID: done_before, FAILED: 0, UNKNOWN: 0}
        self.done = done_before
        self._started = time.monotonic()
        self._done_at_start = done_before

    def row(self, row: Row, state: str) -> None:
        self.done += 1
        self.counts[state] = self.counts.get(state, 0) + 1
        self.show()

    def rate(self) -> float:
        """Rows settled per second in this run."""
        elapsed = time.monotonic() - self._started
        return (self.done - self._done_at_start) / elapsed if elapsed > 0 else 0.0

    def left(self) -> Optional[float]:
        """Seconds left at the current rate, if there is one."""
        rate = self.rate()
        return (self.total - self.done) / rate if rate > 0 else None

    def show(self) -> None:  # pragma: no cover - overridden
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LogProgress(Progress):
    """A log line at each tenth of the rows, and at the end."""

    def __init__(self, total: int, done_before: int) -> None:
        super().__init__(total, done_before)
        self._step = max(1, total // 10)
        self._next = done_before + self._step

    def show(self) -> None:
        if self.done >= self._next or self.done == self.total:
            self._next = self.done + self._step
            left = self.left()
            log.info(
                "%d/%d rows done: %d paid, %d failed, %d unknown; %.1f rows/s%s",
                self.done, self.total, self.counts[PAID], self.counts[FAILED], self.counts[UNKNOWN], self.rate(),
                "" if left is None or self.done == self.total else f", about {left:.0f} s left",
            )


class BarProgress(Progress):
    """A ``rich`` progress bar on standard error."""

    def __init__(self, total: int, done_before: int) -> None:
        super().__init__(total, done_before)
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self._bar: Any = RichProgress(
            TextColumn("paying"), BarColumn(), MofNCompleteColumn(),
            TextColumn("[green]{task.fields[paid]} paid[/] [red]{task.fields[failed]} failed[/] "
                       "[yellow]{task.fields[unknown]} unknown[/] {task.fields[rate]}"),
            TimeRemainingColumn(), console=Console(stderr=True), transient=False,
        )
        self._task = self._bar.add_task("paying", total=total, completed=done_before, **self._fields())
        self._bar.start()

    def _fields(self) -> Dict[str, Any]:
        return {"paid": self.counts[PAID], "failed": self.counts[FAILED], "unknown": self.counts[UNKNOWN],
                "rate": f"{self.rate():.0f} rows/s"}

    def show(self) -> None:
        self._bar.update(self._task, completed=self.done, **self._fields())

    def close(self) -> None:
        self.show()
        self._bar.stop()


def choose(total: int, done_before: int, wanted: Optional[bool]) -> Progress:
    """The bar when ``wanted`` (``None``: when standard error is a terminal)
    and ``rich`` is installed; log lines otherwise."""
    if wanted is None:
        wanted = sys.stderr.isatty()
    if wanted:
        try:
            return BarProgress(total, done_before)
        except ImportError:
            log.info("no progress bar without rich: pip install 'lean-sdk[progress]'; logging progress instead")
    return LogProgress(total, done_before)
