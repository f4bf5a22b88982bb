"""Reading payout files: formats, kinds, exact amounts, derived keys, and
every invalid row listed with its line and wire field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from lean_sdk.batch import InputError, read_file
from lean_sdk.batch.file import GIG, SPECIAL_PAYMENT

from _batch import gig, special_payment, write_csv, write_jsonl


def test_csv_rows_become_gigs_and_special_payments_with_exact_amounts(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "pay.csv", [gig("u1", "t", 0, "15.10"), special_payment("u1", "t", 1, "0.10")])
    payouts = read_file(path)
    assert payouts.problems == []
    first, second = payouts.rows
    assert (first.line, first.kind, first.ident, first.amount) == (2, GIG, "t-gig-0", Decimal("15.10"))
    assert (second.line, second.kind, second.amount) == (3, SPECIAL_PAYMENT, Decimal("0.10"))
    assert "kind" not in first.fields and "idempotencyKey" not in second.fields
    assert all(isinstance(value, str) for value in first.fields.values())


def test_the_kind_follows_the_amount_column_without_a_kind_column(tmp_path: Path) -> None:
    rows = [gig("u1", "t", 0), special_payment("u1", "t", 1)]
    for row in rows:
        del row["kind"]
    payouts = read_file(write_jsonl(tmp_path / "pay.jsonl", rows))
    assert [row.kind for row in payouts.rows] == [GIG, SPECIAL_PAYMENT]


def test_json_numbers_are_read_as_decimal_from_their_text(tmp_path: Path) -> None:
    path = tmp_path / "pay.jsonl"
    path.write_text('{"partnerUserId": "u1", "amount": 0.30, "type": "bonus", "userdata": {"rating": 4.5}}\n')
    (row,) = read_file(path).rows
    assert row.fields["amount"] == Decimal("0.30") and row.amount == Decimal("0.30")
    assert row.fields["userdata"] == {"rating": 4.5}  # free JSON, not an amount


def test_a_special_payments_derived_key_depends_on_the_files_bytes_and_line(tmp_path: Path) -> None:
    rows = [special_payment("u1", "t", 0), special_payment("u1", "t", 1), special_payment("u1", "t", 2, key="mine-2")]
    keys = [row.idempotency_key for row in read_file(write_csv(tmp_path / "a.csv", rows)).rows]
    again = [row.idempotency_key for row in read_file(write_csv(tmp_path / "b.csv", rows)).rows]
    assert keys == again  # the same bytes under another name: the same keys
    assert len(set(keys)) == 3 and keys[2] == "mine-2"
    rows[0]["amount"] = "5.26"
    edited = [row.idempotency_key for row in read_file(write_csv(tmp_path / "a.csv", rows)).rows]
    assert edited[0] != keys[0] and edited[1] != keys[1] and edited[2] == "mine-2"


def test_every_invalid_row_is_listed_with_its_line_and_wire_field(tmp_path: Path) -> None:
    bad_amount = gig("u1", "t", 1, "15.5x")
    no_tips = gig("u1", "t", 2)
    no_tips["tips"] = ""
    neither = {"partnerUserId": "u1", "description": "what is it"}
    bad_key = special_payment("u1", "t", 4, key="has space")
    path = write_csv(tmp_path / "pay.csv", [gig("u1", "t", 0), bad_amount, no_tips, neither, bad_key])
    payouts = read_file(path)
    assert [row.line for row in payouts.rows] == [2]
    found = {(p.line, p.field, p.code) for p in payouts.problems}
    assert found == {(3, "totalAmount", "invalid_format"), (4, "tips", "required"), (5, "kind", "required"),
                     (6, "idempotencyKey", "invalid_format")}
    assert payouts.invalid_lines == [3, 4, 5, 6]


def test_unknown_columns_and_broken_lines_are_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "pay.jsonl"
    path.write_text('{"partnerUserId": "u1", "amount": "1.00", "type": "bonus", "colour": "red"}\n\nnot json\n[1]\n')
    problems = read_file(path).problems
    assert [(p.line, p.field, p.code) for p in problems] == [
        (1, "colour", "unknown_field"), (3, "", "invalid_format"), (4, "", "invalid_format")]


def test_one_gig_id_twice_refuses_both_rows(tmp_path: Path) -> None:
    twice = gig("u1", "t", 0)
    payouts = read_file(write_csv(tmp_path / "pay.csv", [twice, gig("u1", "t", 1), dict(twice)]))
    assert [row.line for row in payouts.rows] == [3]
    assert {(p.line, p.field, p.code) for p in payouts.problems} == {(2, "gigId", "duplicate"), (4, "gigId", "duplicate")}


def test_a_quoted_cell_over_two_lines_keeps_the_next_rows_line_number(tmp_path: Path) -> None:
    multi = gig("u1", "t", 0)
    multi["description"] = "two\nlines"
    payouts = read_file(write_csv(tmp_path / "pay.csv", [multi, gig("u1", "t", 1, "1.00")]))
    # The second row (its amount below tips and expenses) starts on line 4.
    assert [p.line for p in payouts.problems if p.field == "totalAmount"] == [4]


def test_a_file_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_file(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"gigId,description\ng1,caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_file(latin)
