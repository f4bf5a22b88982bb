"""The outcome of a batch: one result per row, the money per status, the
exit code, and the report file (CSV, one line per row of the input)."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Dict, List, Optional, Union

from .file import PayoutFile, RowProblem
from .journal import FAILED, PAID, PENDING, SENDING, UNKNOWN, JournalEntry

__all__ = ["RowResult", "BatchResult", "INVALID", "EXIT_OK", "EXIT_FAILED", "EXIT_INVALID", "EXIT_UNKNOWN"]

#: The status of a row that failed validation (never sent).
INVALID = "invalid"

EXIT_OK = 0
"""Every row is paid (or, with ``--dry-run``, every row is valid)."""
EXIT_FAILED = 1
"""Some rows failed (the API refused them: nothing was paid for them), or
were skipped as invalid with ``--skip-invalid``."""
EXIT_INVALID = 2
"""Invalid input or usage: nothing was sent."""
EXIT_UNKNOWN = 3
"""Some rows may or may not be paid: re-run the same command to settle them."""

REPORT_COLUMNS = ["line", "kind", "id", "partnerUserId", "amount", "status", "errorCode", "requestId", "resultId", "idempotencyKey", "message"]


@dataclass(frozen=True)
class RowResult:
    """What became of one row. ``status`` is ``paid``, ``failed``,
    ``unknown``, ``pending`` (not sent: a dry run, or a run stopped early)
    or ``invalid``; ``id`` is the row's ``gigId`` or idempotency key;
    ``result_id`` the id the API gave the payout."""

    line: int
    kind: str
    id: str
    partner_user_id: str
    amount: Optional[Decimal]
    status: str
    error_code: Optional[str] = None
    message: Optional[str] = None
    request_id: Optional[str] = None
    result_id: Optional[str] = None
    idempotency_key: Optional[str] = None


@dataclass
class BatchResult:
    """Every row's result, in file order, with the file's problems."""

    file: PayoutFile
    rows: List[RowResult] = field(default_factory=list)
    dry_run: bool = False
    stopped: Optional[str] = None

    @property
    def problems(self) -> List[RowProblem]:
        return self.file.problems

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    def totals(self) -> Dict[str, Decimal]:
        """The money of the rows in each status, summed exactly."""
        sums: Dict[str, Decimal] = {}
        for r in self.rows:
            if r.amount is not None:
                sums[r.status] = sums.get(r.status, Decimal("0")) + r.amount
        return sums

    @property
    def exit_code(self) -> int:
        statuses = {r.status for r in self.rows}
        if self.problems and not any(r.status == INVALID for r in self.rows):
            return EXIT_INVALID  # invalid rows, not skipped: nothing was sent
        if self.dry_run:
            return EXIT_OK
        if UNKNOWN in statuses:
            return EXIT_UNKNOWN
        if statuses - {PAID}:
            return EXIT_FAILED
        return EXIT_OK

    def summary(self) -> str:
        """One line per status: rows and money, e.g. ``paid: 297 rows, 4455.00``."""
        totals = self.totals()
        order = [PAID, FAILED, UNKNOWN, PENDING, INVALID]
        lines = []
        for status in order + sorted({r.status for r in self.rows} - set(order)):
            n = self.count(status)
            if n:
                lines.append(f"{status}: {n} row{'s' if n != 1 else ''}, {totals.get(status, Decimal('0'))}")
        return "\n".join(lines) if lines else "no rows"

    def write_report(self, path: Union[str, Path]) -> None:
        """Writes the report CSV (atomically: a crash leaves the old one)."""
        path = Path(path)
        partial = path.with_name(path.name + ".partial")
        with open(partial, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(REPORT_COLUMNS)
            for r in self.rows:
                writer.writerow([
                    r.line, r.kind, r.id, r.partner_user_id, "" if r.amount is None else r.amount, r.status,
                    r.error_code or "", r.request_id or "", r.result_id or "", r.idempotency_key or "", r.message or "",
                ])
        os.replace(partial, path)


def collect(payouts: PayoutFile, entries: Dict[int, JournalEntry], *, skipped_invalid: bool) -> List[RowResult]:
    """The results in file order: valid rows from the journal (``pending``
    when it has none), invalid rows as ``invalid`` when they were skipped."""
    results = []
    for row in payouts.rows:
        entry = entries.get(row.line)
        status = PENDING if entry is None else entry.state
        if status == SENDING:
            status = UNKNOWN  # only while a run is interrupted
        results.append(RowResult(
            line=row.line, kind=row.kind, id=row.ident, partner_user_id=row.partner_user_id, amount=row.amount,
            status=status,
            error_code=None if entry is None or status == PAID else entry.error_code,
            message=None if entry is None or status == PAID else entry.error_message,
            request_id=None if entry is None else entry.request_id,
            result_id=None if entry is None else entry.result_id,
            idempotency_key=row.idempotency_key,
        ))
    if skipped_invalid:
        by_line: Dict[int, List[RowProblem]] = {}
        for problem in payouts.problems:
            by_line.setdefault(problem.line, []).append(problem)
        for line, problems in by_line.items():
            results.append(RowResult(
                line=line, kind="", id="", partner_user_id="", amount=None, status=INVALID,
                error_code=problems[0].code, message="; ".join(str(p) for p in problems),
            ))
    results.sort(key=lambda r: r.line)
    return results
