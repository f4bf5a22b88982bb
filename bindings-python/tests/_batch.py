"""Helpers of the batch tests: active customers in a sandbox, payout files,
and the command run as a user runs it (``python -m lean_sdk pay``)."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Sequence

import lean_sdk

from conftest import API_KEY

GIG_COLUMNS = ["kind", "gigId", "partnerUserId", "totalAmount", "tips", "expenses", "amount", "type",
               "description", "startTime", "endTime", "idempotencyKey"]


def active_customers(base_url: str, count: int) -> List[str]:
    """Creates ``count`` customers and waits until the sandbox approved them."""
    client = lean_sdk.LeanClient(API_KEY, base_url=base_url)
    uids = []
    for _ in range(count):
        uid = f"batch_{uuid.uuid4().hex[:10]}"
        client.create_customer(
            partner_user_id=uid, first_name="Jane", last_name="Doe", birthday="1980-12-31",
            phone_number="408" + random.choice("23456789") + "".join(random.choice("0123456789") for _ in range(6)),
            email=f"{uid}@example.com", street="700 Treehouse Drive", city="San Jose", state="CA",
            postal_code="95101", registration_date="2020-01-01",
        )
        client.submit_application(uid)
        uids.append(uid)
    for uid in uids:
        deadline = time.monotonic() + 30
        while client.get_customer(uid).status != "ACTIVE":
            assert time.monotonic() < deadline, f"{uid} was never approved"
            time.sleep(0.05)
    return uids


def gig(uid: str, tag: str, n: int, amount: str = "15.00") -> Dict[str, str]:
    return {"kind": "gig", "gigId": f"{tag}-gig-{n}", "partnerUserId": uid, "totalAmount": amount, "tips": "3.00",
            "expenses": "2.00", "description": f"{tag} row {n}", "startTime": "2021-03-01T21:04:04",
            "endTime": "2021-03-01T21:31:05"}


def special_payment(uid: str, tag: str, n: int, amount: str = "5.25", key: str = "") -> Dict[str, str]:
    row = {"kind": "special_payment", "partnerUserId": uid, "amount": amount, "type": "bonus",
           "description": f"{tag} row {n}"}
    if key:
        row["idempotencyKey"] = key
    return row


def mixed_rows(uids: Sequence[str], tag: str, count: int) -> List[Dict[str, str]]:
    """Two gigs for each special payment; every sixth special payment
    carries its own idempotency key, the others get a derived one."""
    rows = []
    for n in range(count):
        uid = uids[n % len(uids)]
        if n % 3 == 2:
            rows.append(special_payment(uid, tag, n, key=f"{tag}-key-{n}" if n % 6 == 5 else ""))
        else:
            rows.append(gig(uid, tag, n))
    return rows


def write_csv(path: Path, rows: Sequence[Dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, GIG_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, rows: Sequence[Dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def pay_command(file: Path, base_url: str, *args: str) -> List[str]:
    return [sys.executable, "-m", "lean_sdk", "pay", str(file), "--base-url", base_url, *args]


def pay(file: Path, base_url: str, *args: str) -> subprocess.CompletedProcess:
    """Runs the command to its end, off a terminal, the key in the environment."""
    return subprocess.run(pay_command(file, base_url, *args), capture_output=True, text=True, env=command_env(),
                          timeout=600)


def command_env() -> Dict[str, str]:
    env = dict(os.environ)
    env["LEAN_API_KEY"] = API_KEY
    return env


def read_report(path: Path) -> List[Dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as report:
        return list(csv.DictReader(report))
