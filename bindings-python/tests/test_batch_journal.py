"""The journal: each state change committed, kept across processes, and
bound to the bytes of one file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lean_sdk.batch import JournalMismatch, read_file
from lean_sdk.batch.journal import FAILED, PAID, PENDING, SENDING, Journal, default_path

from _batch import gig, special_payment, write_csv


def test_states_survive_reopening_and_attach_keeps_them(tmp_path: Path) -> None:
    payouts = read_file(write_csv(tmp_path / "pay.csv", [gig("u1", "t", 0), special_payment("u1", "t", 1)]))
    path = default_path(payouts.path)
    assert path == tmp_path / "pay.csv.journal.sqlite3"
    first, second = payouts.rows
    with Journal(path) as journal:
        journal.attach(payouts)
        journal.mark_sending(first)
        journal.mark_sending(second)
        journal.settle(second, FAILED, error_code="bad_request", error_message="no", request_id="req_1")
    with Journal(path) as journal:
        journal.attach(payouts)  # a re-run: nothing reset to pending
        entries = journal.entries()
    assert entries[first.line].state == SENDING and entries[first.line].first_sent_at is not None
    assert (entries[second.line].state, entries[second.line].error_code, entries[second.line].request_id) == (
        FAILED, "bad_request", "req_1")
    assert entries[second.line].ident == second.idempotency_key


def test_a_sending_mark_is_committed_at_once_and_outcomes_with_the_next(tmp_path: Path) -> None:
    payouts = read_file(write_csv(tmp_path / "pay.csv", [gig("u1", "t", 0), gig("u1", "t", 1)]))
    first, second = payouts.rows
    # Another connection (another process) reads what a crash would leave.
    other = sqlite3.connect(str(tmp_path / "j.sqlite3"))
    committed = lambda: other.execute("SELECT line, state, result_id FROM rows ORDER BY line").fetchall()  # noqa: E731
    with Journal(tmp_path / "j.sqlite3") as journal:
        journal.attach(payouts)
        journal.mark_sending(first)
        assert committed() == [(first.line, SENDING, None), (second.line, PENDING, None)]
        journal.settle(first, PAID, result_id="gig_1")
        assert committed()[0] == (first.line, SENDING, None)  # lost in a crash: settled again by the next run
        journal.mark_sending(second)
        assert committed() == [(first.line, PAID, "gig_1"), (second.line, SENDING, None)]
        journal.settle(second, PAID, result_id="gig_2")
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert committed()[1] == (second.line, PAID, "gig_2")  # closing commits the rest
    other.close()


def test_a_journal_refuses_a_file_with_other_bytes(tmp_path: Path) -> None:
    rows = [special_payment("u1", "t", 0)]
    payouts = read_file(write_csv(tmp_path / "pay.csv", rows))
    with Journal(tmp_path / "j.sqlite3") as journal:
        journal.attach(payouts)
    rows[0]["amount"] = "6.00"
    edited = read_file(write_csv(tmp_path / "pay.csv", rows))
    with Journal(tmp_path / "j.sqlite3") as journal, pytest.raises(JournalMismatch, match="other contents"):
        journal.attach(edited)


def test_new_rows_start_pending(tmp_path: Path) -> None:
    payouts = read_file(write_csv(tmp_path / "pay.csv", [gig("u1", "t", 0), gig("u1", "t", 1)]))
    with Journal(tmp_path / "j.sqlite3") as journal:
        journal.attach(payouts)
        assert journal.lines_in(PENDING) == [2, 3]
