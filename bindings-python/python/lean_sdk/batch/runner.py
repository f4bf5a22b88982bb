"""The runner: pays the rows of a file through one async client, a
bounded number of workers taking the rows in order, recording each state
change in the journal.

A run first settles what an earlier run left uncertain (rows ``sending``
or ``unknown``), then sends what is not paid yet:

- a gig is looked up by its ``gigId``: not found, it is sent with the new
  rows; found, it is sent again at once, and the core, finding the gigId
  taken, compares the stored gig with the row (paid, or ``conflict`` when
  the id holds another payout);
- a special payment is sent again with the same idempotency key, which
  the API answers with the original payment within 24 hours of the first
  attempt. Past that (the journal keeps the first attempt's time; the
  runner allows itself 23 hours, for clock differences) it stays
  ``unknown``: check it by hand.

``paid`` rows are never sent again; ``failed`` rows (the API refused them,
so nothing was paid) are sent again on a re-run.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Callable, Dict, List, Optional, Sequence

import lean_sdk

from .connections import WORKER
from .file import GIG, Row
from .journal import FAILED, PAID, PENDING, SENDING, UNKNOWN, Journal, JournalEntry

__all__ = ["Runner", "KEY_LIFETIME_MARGIN"]

log = logging.getLogger("lean_sdk.batch")

#: How long after its first attempt a special payment is re-sent with the
#: same key: the API remembers keys for 24 hours; an hour is left for
#: clocks that disagree.
KEY_LIFETIME_MARGIN = 23 * 3600.0

# A refusal that will refuse every row as well: stop sending.
_FATAL = (lean_sdk.AuthenticationError, lean_sdk.ConfigurationError)


class Runner:
    """Pays ``rows`` with ``client``, ``concurrency`` calls at a time.
    ``on_row`` is called with each row and its new state once the row is
    settled (for the progress display)."""

    def __init__(
        self,
        client: lean_sdk.AsyncLeanClient,
        journal: Journal,
        rows: List[Row],
        *,
        concurrency: int,
        on_row: Callable[[Row, str], None] = lambda row, state: None,
    ) -> None:
        self._client = client
        self._journal = journal
        self._rows = rows
        self._concurrency = concurrency
        self._on_row = on_row
        #: Why the run stopped sending early (a refused key), if it did.
        self.stopped: Optional[str] = None

    async def run(self) -> None:
        """Settles the uncertain rows, then sends the ones not paid."""
        entries = self._journal.entries()
        uncertain = [row for row in self._rows if entries[row.line].state in (SENDING, UNKNOWN)]
        if uncertain:
            log.info("settling %d rows left uncertain by an earlier run before sending anything new", len(uncertain))
            await self._each(uncertain, lambda row: self._settle(row, entries[row.line]))
        entries = self._journal.entries()
        to_send = [row for row in self._rows if entries[row.line].state in (PENDING, FAILED)]
        await self._each(to_send, self._send, mark_ahead=True)

    async def _each(self, rows: List[Row], work: Callable[[Row], Any], *, mark_ahead: bool = False) -> None:
        """Runs ``work`` on each row, ``concurrency`` workers taking the
        rows in order. With ``mark_ahead`` the rows are marked ``sending``
        ``concurrency`` at a time, in one commit, before any of them is
        handed out (a crash then leaves at most that many rows marked but
        never sent: the next run settles them like any other); rows marked
        but never handed out, when the run stops early, go back to
        ``pending``."""
        marked = taken = 0

        async def worker(number: int) -> None:
            nonlocal marked, taken
            WORKER.set(number)  # this task's own connection
            while taken < len(rows) and self.stopped is None:
                row = rows[taken]
                if mark_ahead and taken == marked:
                    marked = min(len(rows), taken + self._concurrency)
                    self._journal.mark_sending(*rows[taken:marked])
                taken += 1
                await work(row)

        try:
            await asyncio.gather(*(worker(number) for number in range(min(self._concurrency, len(rows)))))
        finally:
            for row in rows[taken:marked]:
                self._journal.settle(row, PENDING)

    async def _settle(self, row: Row, entry: JournalEntry) -> None:
        if row.kind == GIG:
            await self._look_up_gig(row)
        elif entry.first_sent_at is not None and time.time() - entry.first_sent_at > KEY_LIFETIME_MARGIN:
            self._finish(row, UNKNOWN, error_code="key_expired", error_message=(
                f"first sent more than 23 hours ago: the API may have forgotten the idempotency key "
                f"{row.idempotency_key}, so sending it again could pay twice; check the customer's special "
                "payments and pay it in a new file if it is missing"))
        else:
            self._journal.mark_sending(row)
            await self._send(row)

    async def _look_up_gig(self, row: Row) -> None:
        try:
            await self._client.get_gig(row.ident)
        except lean_sdk.NotFoundError:
            self._journal.settle(row, PENDING)  # never created: sent with the new rows
            return
        except lean_sdk.LeanError as error:
            self._finish(row, UNKNOWN, **_details(error))
            return
        # It exists. Sending it again lets the core decide whether it is
        # this row's gig: the API refuses the taken gigId, the core compares
        # the stored gig with the row and returns it (paid), or raises
        # ConflictError when the id holds another payout. Should its own
        # lookup fail, the refusal of the taken id proves nothing here.
        self._journal.mark_sending(row)
        await self._send(row, exists=True)

    async def _send(self, row: Row, exists: bool = False) -> None:
        """Sends the row's create, marked ``sending`` by the caller.
        ``exists``: a gig under the row's gigId was found, so only the
        core's comparison (paid, or a conflict) settles it; any other
        refusal leaves it ``unknown``."""
        try:
            if row.kind == GIG:
                paid: Any = await self._client.create_gig(row.fields)
            else:
                paid = await self._client.create_special_payment(row.fields, idempotency_key=row.idempotency_key)
        except lean_sdk.LeanError as error:
            state = _state_after(error)
            if exists and state == FAILED and not isinstance(error, lean_sdk.ConflictError):
                state = UNKNOWN
            if isinstance(error, _FATAL) and self.stopped is None:
                self.stopped = f"{type(error).__name__}: {error}"
                log.error("stopping: %s", self.stopped)
            self._finish(row, state, **_details(error))
            return
        except asyncio.CancelledError:
            raise  # the row stays "sending": the next run settles it
        except Exception as error:  # noqa: BLE001 - a bug must not lose the row's state
            self._finish(row, UNKNOWN, error_code="internal", error_message=f"{type(error).__name__}: {error}")
            return
        self._finish(row, PAID, result_id=paid.id, request_id=_last_request_id(paid.attempts))

    def _finish(self, row: Row, state: str, **details: Any) -> None:
        self._journal.settle(row, state, **details)
        if state != PAID:
            log.warning("line %d, %s %s: %s (%s) %s", row.line, row.kind, row.ident, state,
                        details.get("error_code"), details.get("error_message") or "")
        self._on_row(row, state)


def _state_after(error: lean_sdk.LeanError) -> str:
    """What a failed create means for the row: ``failed`` when the API
    certainly did not apply it, ``paid`` when it did (a success answer that
    could not be read), ``unknown`` otherwise."""
    if isinstance(error, lean_sdk.TransportError):
        return UNKNOWN if error.outcome_unknown else FAILED
    if isinstance(error, lean_sdk.InvalidResponseError):
        applied = getattr(error, "applied", 200 <= error.status < 300)
        return PAID if applied else UNKNOWN
    if isinstance(error, lean_sdk.ServerError):
        return UNKNOWN  # a 5xx other than 503 does not say whether it applied
    return FAILED


def _details(error: lean_sdk.LeanError) -> Dict[str, Optional[str]]:
    return {
        "error_code": error.code,
        "error_message": getattr(error, "message", str(error)) or str(error),
        "request_id": getattr(error, "request_id", None) or _last_request_id(error.attempts),
    }


def _last_request_id(attempts: Sequence[lean_sdk.Attempt]) -> Optional[str]:
    """The request id of the last answer a call got (a lookup's, for a gig
    it found): the one to quote for the row, whatever the outcome."""
    return next((a.request_id for a in reversed(attempts) if a.request_id), None)
