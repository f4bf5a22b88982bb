"""Paying a payout file exactly once: ``python -m lean_sdk pay FILE``, or
:func:`pay_file` from Python.

Every row is validated first (the core's rules, every problem with its
line and wire field); then the rows are paid through one
:class:`lean_sdk.AsyncLeanClient` by a bounded number of workers, each on
a kept-alive connection of its own, each state change recorded in a local
SQLite journal so that a crash or a re-run never pays a row twice. See
the package README, "Paying a file".

Modules: :mod:`.file` (reading and validating), :mod:`.journal`,
:mod:`.runner`, :mod:`.connections`, :mod:`.throttle` (the shared
back-off), :mod:`.progress`, :mod:`.report`, :mod:`.cli`.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Optional, Union

import lean_sdk

from .connections import ConnectionPerWorker
from .file import InputError, PayoutFile, Row, RowProblem, read_file
from .journal import PAID, Journal, JournalMismatch, default_path
from .progress import choose
from .report import EXIT_FAILED, EXIT_INVALID, EXIT_OK, EXIT_UNKNOWN, BatchResult, RowResult, collect
from .runner import Runner
from .throttle import SharedBackoff

__all__ = [
    "pay_file",
    "pay_file_async",
    "read_file",
    "BatchResult",
    "RowResult",
    "Row",
    "RowProblem",
    "PayoutFile",
    "InputError",
    "JournalMismatch",
    "EXIT_OK",
    "EXIT_FAILED",
    "EXIT_INVALID",
    "EXIT_UNKNOWN",
]

log = logging.getLogger("lean_sdk.batch")


def pay_file(path: Union[str, Path], api_key: str, **options: object) -> BatchResult:
    """Pays every row of the file at ``path`` exactly once and returns each
    row's result; see :func:`pay_file_async` for the options."""
    return asyncio.run(pay_file_async(path, api_key, **options))  # type: ignore[arg-type]


async def pay_file_async(
    path: Union[str, Path],
    api_key: str,
    *,
    environment: str = "sandbox",
    base_url: Optional[str] = None,
    concurrency: int = 8,
    journal: Union[str, Path, None] = None,
    report: Union[str, Path, None] = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    progress: Optional[bool] = False,
    max_retries: int = 2,
) -> BatchResult:
    """Validates every row of ``path``, then pays the valid ones.

    With invalid rows nothing is sent (``exit_code`` 2) unless
    ``skip_invalid``. ``journal`` defaults to ``FILE.journal.sqlite3``
    beside the file; ``report``, when given, receives the report CSV.
    ``dry_run`` validates and plans from the journal without sending or
    writing anything. ``progress``: ``True`` a bar (needs ``rich``),
    ``False`` log lines, ``None`` a bar on a terminal.

    Raises :class:`InputError` when the file cannot be read and
    :class:`JournalMismatch` when the journal records other contents.
    """
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or not 1 <= concurrency <= 256:
        raise ValueError(f"concurrency must be an int from 1 to 256, got {concurrency!r}")
    payouts = read_file(path)
    journal_path = Path(journal) if journal is not None else default_path(payouts.path)
    if payouts.problems:
        log.warning("%d invalid rows in %s", len(payouts.invalid_lines), payouts.path)
    if dry_run or (payouts.problems and not skip_invalid):
        entries = {}
        if journal_path.exists():
            with Journal(journal_path) as known:
                known.check(payouts)
                entries = known.entries()
        return BatchResult(payouts, collect(payouts, entries, skipped_invalid=skip_invalid), dry_run=dry_run)

    connections = ConnectionPerWorker(concurrency)
    try:
        with Journal(journal_path) as book:
            book.attach(payouts)
            done_before = sum(1 for e in book.entries().values() if e.state == PAID)
            transport = SharedBackoff(connections)
            client = lean_sdk.AsyncLeanClient(
                api_key, environment=environment, base_url=base_url, transport=transport, max_retries=max_retries
            )
            with choose(len(payouts.rows), done_before, progress) as shown:
                runner = Runner(client, book, payouts.rows, concurrency=concurrency, on_row=shown.row)
                await runner.run()
            entries = book.entries()
    finally:
        await connections.aclose()
    result = BatchResult(payouts, collect(payouts, entries, skipped_invalid=skip_invalid), stopped=runner.stopped)
    if report is not None:
        result.write_report(report)
    log.info("done: %s", result.summary().replace("\n", "; "))
    return result
