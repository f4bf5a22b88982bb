"""The journal: a local SQLite file recording each row's state, so that a
crash or a re-run never pays a row twice.

A row is ``sending`` before its request leaves: :meth:`Journal.mark_sending`
commits before it returns, for as many rows as it is given (the runner
marks the next rows a worker count at a time). A row's outcome (``paid``,
``failed``, ``unknown``) is recorded after the answer and committed with
the next ``sending`` marks (or by :meth:`Journal.flush`, and on closing),
so one commit serves many rows. A run killed at any moment leaves every
row it touched either settled or ``sending``, which the next run settles
first (a lookup, or the same key sent again): an outcome lost with the
process, or a row marked but not yet sent, costs that settling, never a
second payment.

WAL mode with ``synchronous=NORMAL``: a commit survives the process being
killed; only a power loss can roll back the latest commits, and a row
thrown back to ``pending`` that way is still paid once, because its
identity (``gigId``, idempotency key) is the same on every run.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Tuple, Union

from .file import PayoutFile, Row

__all__ = ["Journal", "JournalEntry", "JournalMismatch", "PENDING", "SENDING", "PAID", "FAILED", "UNKNOWN"]

PENDING = "pending"
SENDING = "sending"
PAID = "paid"
FAILED = "failed"
UNKNOWN = "unknown"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
    line INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ident TEXT NOT NULL,
    amount TEXT NOT NULL,
    state TEXT NOT NULL,
    first_sent_at REAL,
    result_id TEXT,
    error_code TEXT,
    error_message TEXT,
    request_id TEXT,
    updated_at REAL NOT NULL
);
"""


class JournalMismatch(Exception):
    """The journal belongs to another file, or to other bytes of this one:
    derived idempotency keys would differ, so using it could pay twice."""


@dataclass(frozen=True)
class JournalEntry:
    """A row's last recorded state and what is known about its outcome."""

    line: int
    kind: str
    ident: str
    amount: str
    state: str
    first_sent_at: Optional[float]
    result_id: Optional[str]
    error_code: Optional[str]
    error_message: Optional[str]
    request_id: Optional[str]


def default_path(file: Union[str, Path]) -> Path:
    """Where the journal of ``file`` lives unless told otherwise: beside it."""
    file = Path(file)
    return file.with_name(file.name + ".journal.sqlite3")


class Journal:
    """The journal of one payout file, opened (and created) at ``path``."""

    def __init__(self, path: Union[str, Path]) -> None:
        self.path = Path(path)
        self._db = sqlite3.connect(str(self.path), isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        #: Outcomes recorded but not yet committed (see the module's doc).
        self._outcomes: List[Tuple[str, Optional[str], Optional[str], Optional[str], Optional[str], float, int]] = []

    def close(self) -> None:
        self.flush()
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(self, payouts: PayoutFile) -> Dict[str, str]:
        """Refuses a journal of other bytes (:class:`JournalMismatch`);
        returns what it records about its file."""
        known = dict(self._db.execute("SELECT name, value FROM meta").fetchall())
        if known and known.get("sha256") != payouts.sha256:
            raise JournalMismatch(
                f"the journal {self.path} records a run of a file with other contents ({known.get('file')}, "
                f"sha256 {known.get('sha256')}); this file's sha256 is {payouts.sha256}. Special payments "
                "without an idempotencyKey column take their key from the file's bytes, so paying an edited "
                "file with this journal could pay twice. Put corrections in a new file, or pass --journal "
                "with a new path if this file is really new."
            )
        return known

    def attach(self, payouts: PayoutFile) -> None:
        """Binds the journal to the file's bytes (refusing other bytes) and
        records every valid row as ``pending`` unless already known."""
        known = self.check(payouts)
        now = time.time()
        with self._transaction():
            if not known:
                self._db.executemany(
                    "INSERT INTO meta (name, value) VALUES (?, ?)",
                    [("sha256", payouts.sha256), ("file", str(payouts.path)), ("created_at", str(now))],
                )
            self._db.executemany(
                "INSERT OR IGNORE INTO rows (line, kind, ident, amount, state, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(row.line, row.kind, row.ident, str(row.amount), PENDING, now) for row in payouts.rows],
            )

    def entries(self, lines: Optional[Iterable[int]] = None) -> Dict[int, JournalEntry]:
        """Every recorded row by line (only ``lines`` when given)."""
        self.flush()
        query = "SELECT line, kind, ident, amount, state, first_sent_at, result_id, error_code, error_message, request_id FROM rows"
        found = {r[0]: JournalEntry(*r) for r in self._db.execute(query)}
        return found if lines is None else {line: found[line] for line in lines if line in found}

    def mark_sending(self, *rows: Row) -> None:
        """Recorded before the rows' requests leave: from now on they may
        have been paid. The first send's time bounds the key's 24 hours.
        Committed before it returns, in one transaction with the outcomes
        recorded since the last commit."""
        now = time.time()
        with self._transaction():
            self._write_outcomes()
            self._db.executemany(
                "UPDATE rows SET state = ?, first_sent_at = COALESCE(first_sent_at, ?), updated_at = ? WHERE line = ?",
                [(SENDING, now, now, row.line) for row in rows],
            )

    def settle(
        self,
        row: Row,
        state: str,
        *,
        result_id: Optional[str] = None,
        error_code: Optional[str] = None,
        error_message: Optional[str] = None,
        request_id: Optional[str] = None,
    ) -> None:
        """Records the outcome of a send or of a lookup, committed with the
        next ``sending`` mark or :meth:`flush`."""
        self._outcomes.append((state, result_id, error_code, error_message, request_id, time.time(), row.line))

    def flush(self) -> None:
        """Commits the outcomes recorded since the last commit."""
        if self._outcomes:
            with self._transaction():
                self._write_outcomes()

    def _write_outcomes(self) -> None:
        self._db.executemany(
            "UPDATE rows SET state = ?, result_id = COALESCE(?, result_id), error_code = ?, error_message = ?, "
            "request_id = COALESCE(?, request_id), updated_at = ? WHERE line = ?",
            self._outcomes,
        )
        self._outcomes = []

    def counts(self) -> Dict[str, int]:
        self.flush()
        return dict(self._db.execute("SELECT state, COUNT(*) FROM rows GROUP BY state").fetchall())

    def lines_in(self, *states: str) -> List[int]:
        self.flush()
        marks = ",".join("?" * len(states))
        return [r[0] for r in self._db.execute(f"SELECT line FROM rows WHERE state IN ({marks}) ORDER BY line", states)]

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """Several statements as one committed transaction (the connection
        is in autocommit mode, where each statement alone is one)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
