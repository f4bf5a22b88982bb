"""Paying files: end to end against the sandbox through the command a user
runs (``python -m lean_sdk pay``) and the library call; a run killed with
SIGKILL under dropped connections and run again pays every row exactly
once; the runner's settling rules and the shared back-off in isolation."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import lean_sdk
from lean_sdk.batch import EXIT_FAILED, EXIT_INVALID, EXIT_OK, EXIT_UNKNOWN, pay_file, read_file
from lean_sdk.batch.journal import PAID, PENDING, SENDING, UNKNOWN, Journal
from lean_sdk.batch.runner import Runner
from lean_sdk.batch.throttle import SharedBackoff

from _batch import (
    active_customers, command_env, gig, mixed_rows, pay, pay_command, read_report, special_payment, write_csv,
    write_jsonl,
)
from conftest import API_KEY, Sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """A sandbox of this module's own: the files paid here hold hundreds
    of records, which would push other tests' records off the first page
    of the sandbox's lists."""
    server = Sandbox()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def customers(sandbox: Sandbox) -> List[str]:
    return active_customers(sandbox.base_url, 4)


def stored(base_url: str, tag: str) -> Tuple[List[str], List[str]]:
    """The gig ids and the special payments' descriptions the sandbox holds
    for the rows tagged ``tag``, duplicates included (every page: the
    client's list reads the first one only)."""
    gigs = sorted(g["gigId"] for g in every_record(base_url, "/gig") if g["gigId"].startswith(tag))
    payments = sorted(p.get("description") or "" for p in every_record(base_url, "/specialpayment")
                      if (p.get("description") or "").startswith(tag))
    return gigs, payments


def every_record(base_url: str, path: str) -> List[Dict[str, Any]]:
    auth = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
    records: List[Dict[str, Any]] = []
    while True:
        request = urllib.request.Request(f"{base_url}{path}?limit=1000&offset={len(records)}",
                                         headers={"authorization": auth})
        page = read_json(request)
        if not page:
            return records
        records.extend(page)


def read_json(request: urllib.request.Request) -> Any:
    """The answer's JSON, retrying the 503s of a sandbox injecting them."""
    for _ in range(50):
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            if error.code != 503:
                raise
    raise AssertionError(f"{request.full_url} kept answering 503")


def test_a_file_of_three_hundred_rows_is_paid_with_log_lines_off_a_terminal(
    sandbox: Sandbox, customers: List[str], tmp_path: Path
) -> None:
    tag = f"t{uuid.uuid4().hex[:8]}"
    rows = mixed_rows(customers, tag, 300)
    file = write_csv(tmp_path / "payouts.csv", rows)
    result = pay(file, sandbox.base_url, "--concurrency", "8")
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    total = sum(Decimal(r.get("totalAmount") or r["amount"]) for r in rows)
    assert f"paid: 300 rows, {total}" in result.stdout
    # Off a terminal: plain log lines of the lean_sdk.batch logger, no bar.
    assert "lean_sdk.batch INFO 300/300 rows done: 300 paid, 0 failed, 0 unknown" in result.stderr
    assert "\r" not in result.stderr and "\x1b[" not in result.stderr
    report = read_report(tmp_path / "payouts.csv.report.csv")
    assert [r["status"] for r in report] == ["paid"] * 300
    assert [int(r["line"]) for r in report] == list(range(2, 302))
    gigs, payments = stored(sandbox.base_url, tag)
    assert gigs == sorted(r["gigId"] for r in rows if r["kind"] == "gig")
    assert payments == sorted(r["description"] for r in rows if r["kind"] == "special_payment")
    # A second run sends nothing: every row is paid in the journal.
    again = pay(file, sandbox.base_url)
    assert again.returncode == EXIT_OK and "rows done" not in again.stderr
    assert stored(sandbox.base_url, tag) == (gigs, payments)


def test_invalid_rows_are_listed_and_nothing_is_sent(sandbox: Sandbox, customers: List[str], tmp_path: Path) -> None:
    tag = f"t{uuid.uuid4().hex[:8]}"
    broken = gig(customers[0], tag, 1, "15.5x")
    file = write_csv(tmp_path / "payouts.csv", [gig(customers[0], tag, 0), broken, special_payment("", tag, 2)])
    result = pay(file, sandbox.base_url)
    assert result.returncode == EXIT_INVALID
    assert f"{file}:3: totalAmount: must be a decimal amount" in result.stderr
    assert f"{file}:4: partnerUserId:" in result.stderr
    assert "2 invalid rows: nothing was sent" in result.stderr
    assert stored(sandbox.base_url, tag) == ([], [])
    assert not (tmp_path / "payouts.csv.journal.sqlite3").exists()
    assert not (tmp_path / "payouts.csv.report.csv").exists()


def test_a_dry_run_validates_and_plans_without_sending_or_writing(
    sandbox: Sandbox, customers: List[str], tmp_path: Path
) -> None:
    tag = f"t{uuid.uuid4().hex[:8]}"
    file = write_jsonl(tmp_path / "payouts.jsonl", mixed_rows(customers, tag, 6))
    result = pay(file, sandbox.base_url, "--dry-run")
    assert result.returncode == EXIT_OK, result.stderr
    assert "dry run: 6 valid rows, nothing sent" in result.stdout
    assert "pending: 6 rows, 70.50" in result.stdout
    assert stored(sandbox.base_url, tag) == ([], [])
    assert list(tmp_path.iterdir()) == [file]


def test_the_report_gives_each_rows_status_amount_error_and_request_id(
    sandbox: Sandbox, customers: List[str], tmp_path: Path
) -> None:
    tag = f"t{uuid.uuid4().hex[:8]}"
    rows = [gig(customers[0], tag, 0, "15.00"), gig("nobody_" + tag, tag, 1, "20.00"), gig(customers[1], tag, 2, "1.00"),
            special_payment(customers[2], tag, 3, "7.10")]
    file = write_csv(tmp_path / "payouts.csv", rows)
    result = pay(file, sandbox.base_url, "--skip-invalid", "--report", str(tmp_path / "out.csv"))
    assert result.returncode == EXIT_FAILED, result.stderr
    assert "paid: 2 rows, 22.10" in result.stdout and "failed: 1 row, 20.00" in result.stdout
    assert "invalid: 1 row" in result.stdout
    report = {int(r["line"]): r for r in read_report(tmp_path / "out.csv")}
    assert [report[line]["status"] for line in (2, 3, 4, 5)] == ["paid", "failed", "invalid", "paid"]
    assert (report[2]["kind"], report[2]["id"], report[2]["amount"]) == ("gig", f"{tag}-gig-0", "15.00")
    assert report[2]["resultId"].startswith("gig_") and report[2]["errorCode"] == ""
    failed = report[3]
    assert failed["errorCode"] and failed["requestId"].startswith("req_") and failed["message"]
    assert report[4]["errorCode"] == "inconsistent" and "totalAmount" in report[4]["message"]
    assert report[5]["kind"] == "special_payment" and report[5]["id"] == report[5]["idempotencyKey"]
    assert report[5]["amount"] == "7.10"


def test_the_log_tells_each_calls_outcome_with_its_request_ids(
    sandbox: Sandbox, customers: List[str], tmp_path: Path
) -> None:
    tag = f"t{uuid.uuid4().hex[:8]}"
    rows = [gig(customers[0], tag, 0), special_payment(customers[1], tag, 1)]
    file = write_csv(tmp_path / "payouts.csv", rows)
    result = pay(file, sandbox.base_url)
    assert result.returncode == EXIT_OK, result.stderr
    report = read_report(tmp_path / "payouts.csv.report.csv")
    ids = [r["requestId"] for r in report]
    assert all(i.startswith("req_") for i in ids), report  # paid rows too
    # The SDK's events share the command's log: each call's outcome at INFO,
    # with the request id the report gives; no request line without LEAN_LOG.
    for operation, request_id in zip(("createGig", "createSpecialPayment"), ids):
        assert f"lean_sdk INFO {operation}: done after 1 attempt(s); request ids {request_id}\n" in result.stderr
    assert " DEBUG " not in result.stderr and API_KEY not in result.stderr

    file = write_csv(tmp_path / "more.csv", [gig(customers[0], tag, 2)])
    verbose = subprocess.run(pay_command(file, sandbox.base_url), capture_output=True, text=True,
                             env=dict(command_env(), LEAN_LOG="debug"), timeout=600)
    assert verbose.returncode == EXIT_OK, verbose.stderr
    sent = [line for line in verbose.stderr.splitlines() if "createGig: attempt 1: POST /api/gig" in line]
    assert len(sent) == 1 and " lean_sdk DEBUG " in sent[0], verbose.stderr  # once, in the command's format


def test_the_library_call_returns_each_rows_result(sandbox: Sandbox, customers: List[str], tmp_path: Path) -> None:
    tag = f"t{uuid.uuid4().hex[:8]}"
    file = write_csv(tmp_path / "payouts.csv", mixed_rows(customers, tag, 9))
    result = pay_file(file, API_KEY, base_url=sandbox.base_url, concurrency=3)
    assert result.exit_code == EXIT_OK
    assert [r.status for r in result.rows] == [PAID] * 9
    assert result.totals() == {PAID: Decimal("105.75")}
    assert all(isinstance(r.amount, Decimal) for r in result.rows)


def test_503_answers_slow_every_worker_down_and_every_row_is_paid(tmp_path: Path) -> None:
    server = Sandbox("--fault-503", "0.3", "--fault-seed", "3")
    try:
        customers: List[str] = []
        while not customers:  # the set-up itself meets the 503s: retried by the client
            try:
                customers = active_customers(server.base_url, 2)
            except lean_sdk.ServiceUnavailableError:
                pass
        tag = f"t{uuid.uuid4().hex[:8]}"
        rows = mixed_rows(customers, tag, 60)
        file = write_csv(tmp_path / "payouts.csv", rows)
        result = pay(file, server.base_url, "--max-retries", "8")
        assert result.returncode == EXIT_OK, result.stderr[-3000:]
        assert "the API answered 503: every worker pauses" in result.stderr
        gigs, payments = stored(server.base_url, tag)
        assert len(gigs) == 40 and len(payments) == 20
    finally:
        server.stop()


def test_a_run_killed_mid_way_and_run_again_pays_each_row_exactly_once(tmp_path: Path) -> None:
    """Connections dropped after the sandbox committed (30%), the command
    killed with SIGKILL after a fifth of the rows, then run again until it
    settles: the sandbox holds exactly the rows reported paid, once each."""
    db = str(tmp_path / "sandbox.db")
    clean = Sandbox("--db", db)
    customers = active_customers(clean.base_url, 3)
    clean.stop()
    tag = f"t{uuid.uuid4().hex[:8]}"
    rows = mixed_rows(customers, tag, 240)
    file = write_csv(tmp_path / "payouts.csv", rows)
    faulty = Sandbox("--db", db, "--fault-drop", "0.3", "--fault-seed", "17")
    try:
        run = subprocess.Popen(
            pay_command(file, faulty.base_url, "--max-retries", "1", "--no-progress"),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=command_env(),
        )
        assert run.stderr is not None
        for line in run.stderr:
            done = re.search(r"(\d+)/240 rows done", line)
            if done and int(done.group(1)) >= 48:
                break
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        assert run.returncode == -signal.SIGKILL
        with Journal(tmp_path / "payouts.csv.journal.sqlite3") as journal:
            at_kill = journal.counts()
        assert at_kill.get(PENDING, 0) + at_kill.get(SENDING, 0) > 0, at_kill  # killed before the end

        codes = []
        for _ in range(12):
            again = pay(file, faulty.base_url, "--max-retries", "1")
            codes.append(again.returncode)
            if again.returncode != EXIT_UNKNOWN:
                break
        warnings = [line for line in again.stderr.splitlines() if "WARNING" in line]
        assert codes[-1] == EXIT_OK, (codes, warnings)
    finally:
        faulty.stop()

    check = Sandbox("--db", db)
    try:
        gigs, payments = stored(check.base_url, tag)
    finally:
        check.stop()
    report = read_report(tmp_path / "payouts.csv.report.csv")
    paid = {int(r["line"]) for r in report if r["status"] == "paid"}
    assert len(paid) == 240
    by_line = {n + 2: row for n, row in enumerate(rows)}
    assert gigs == sorted(by_line[line]["gigId"] for line in paid if by_line[line]["kind"] == "gig")
    assert payments == sorted(by_line[line]["description"] for line in paid if by_line[line]["kind"] == "special_payment")


class FakeApi:
    """An async transport answering like the API: gig lookups not found,
    creates echoed back with an id. Records every request."""

    def __init__(self) -> None:
        self.requests: List[Tuple[str, str]] = []

    async def __call__(self, request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        self.requests.append((request.method, request.url))
        if request.method == "GET":
            return lean_sdk.HttpResponse(404, {"content-type": "application/json"}, b'{"message": "not found", "errors": []}')
        body: Dict[str, Any] = json.loads(request.body or b"{}")
        body.update({"id": f"id_{len(self.requests)}", "status": "PENDING"})
        return lean_sdk.HttpResponse(200, {"content-type": "application/json"}, json.dumps(body).encode())


def test_a_re_run_settles_before_sending_and_never_reuses_an_expired_key(tmp_path: Path) -> None:
    rows = [gig("u1", "t", 0), special_payment("u1", "t", 1), special_payment("u1", "t", 2)]
    payouts = read_file(write_csv(tmp_path / "payouts.csv", rows))
    lost_gig, old_payment, recent_payment = payouts.rows
    api = FakeApi()

    async def run() -> None:
        client = lean_sdk.AsyncLeanClient(API_KEY, base_url="http://127.0.0.1:9/api", transport=api)
        with Journal(tmp_path / "j.sqlite3") as journal:
            journal.attach(payouts)
            for row in payouts.rows:
                journal.mark_sending(row)  # as a run killed mid-flight leaves them
            journal._db.execute("UPDATE rows SET first_sent_at = ? WHERE line = ?", (time.time() - 25 * 3600, old_payment.line))
            await Runner(client, journal, payouts.rows, concurrency=1).run()
            entries = journal.entries()
        assert entries[lost_gig.line].state == PAID
        assert (entries[old_payment.line].state, entries[old_payment.line].error_code) == (UNKNOWN, "key_expired")
        assert entries[recent_payment.line].state == PAID

    asyncio.run(run())
    assert api.requests[0] == ("GET", f"http://127.0.0.1:9/api/gig/{lost_gig.ident}")  # looked up before any send
    assert ("POST", "http://127.0.0.1:9/api/gig") in api.requests
    assert sum(1 for method, url in api.requests if url.endswith("/specialpayment")) == 1  # the recent one only


def test_a_refusal_pauses_every_later_attempt_as_long_as_the_api_asked() -> None:
    now = [100.0]
    slept: List[float] = []
    answers = [(429, {"Retry-After": "2"}), (200, {}), (503, {}), (503, {}), (200, {})]

    async def inner(request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        status, headers = answers.pop(0)
        return lean_sdk.HttpResponse(status, headers, b"{}")

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    shared = SharedBackoff(inner, first_pause=0.25, clock=lambda: now[0], sleep=sleep)
    request = lean_sdk.HttpRequest("GET", "http://127.0.0.1:9/api/gig", {}, None)

    async def five() -> None:
        for _ in range(5):
            await shared(request)

    asyncio.run(five())
    # After the 429 the next attempt (any worker's) waits Retry-After; after
    # 503s without it the pause doubles.
    assert slept == [2.0, 0.25, 0.5]
    assert shared.pauses == 3


def test_pending_rows_stay_pending_in_a_dry_run_after_a_partial_run(tmp_path: Path) -> None:
    payouts = read_file(write_csv(tmp_path / "payouts.csv", [gig("u1", "t", 0), gig("u1", "t", 1)]))
    with Journal(tmp_path / "payouts.csv.journal.sqlite3") as journal:
        journal.attach(payouts)
        journal.mark_sending(payouts.rows[0])
    result = pay_file(tmp_path / "payouts.csv", API_KEY, base_url="http://127.0.0.1:9/api", dry_run=True)
    assert [r.status for r in result.rows] == [UNKNOWN, PENDING]
    assert result.exit_code == EXIT_OK
    with Journal(tmp_path / "payouts.csv.journal.sqlite3") as journal:
        assert journal.entries()[2].state == SENDING  # untouched
