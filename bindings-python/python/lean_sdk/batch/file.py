"""Reading a payout file: CSV or JSON lines, one payout per row, columns in
the API's own field names.

A row is a gig or a special payment. An explicit ``kind`` column
(``gig`` or ``special_payment``) decides; without it, a row with
``totalAmount`` is a gig and a row with ``amount`` a special payment.
Every row is checked with the core's own validation (the rules the API
applies) before anything is sent, and each problem names the row's line
and the wire field.

Amounts are read from their text into ``Decimal``: CSV cells are text, and
JSON numbers are parsed with ``parse_float=Decimal``, so no binary float
ever holds an amount.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

import lean_sdk

__all__ = ["Row", "RowProblem", "PayoutFile", "InputError", "read_file", "GIG", "SPECIAL_PAYMENT"]

GIG = "gig"
SPECIAL_PAYMENT = "special_payment"

#: Files are read whole (their hash is their identity); a payout file far
#: larger than this is more likely a mistake than a payroll.
MAX_FILE_BYTES = 64 * 1024 * 1024

# Derived idempotency keys live in their own UUID namespace, so that they
# can never equal a key the partner chose by another scheme.
_KEY_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/lean-sdk/batch-payouts")
_KINDS = {"gig": GIG, "special_payment": SPECIAL_PAYMENT, "specialpayment": SPECIAL_PAYMENT, "special-payment": SPECIAL_PAYMENT}
_OPERATION = {GIG: "createGig", SPECIAL_PAYMENT: "createSpecialPayment"}


class InputError(Exception):
    """The file cannot be read at all (missing, too large, not UTF-8)."""


@dataclass(frozen=True)
class RowProblem:
    """One reason a row cannot be paid: its line in the file, the API's wire
    field name (``""`` for the row as a whole), the core's code and message."""

    line: int
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message} ({self.code})"


@dataclass(frozen=True)
class Row:
    """One valid payout of the file.

    ``fields`` is the API input in wire names; ``idempotency_key`` is the
    special payment's key (the file's ``idempotencyKey`` or one derived from
    the file's hash and the line), ``None`` for gigs, which the API
    identifies by ``gigId``.
    """

    line: int
    kind: str
    fields: Dict[str, Any]
    idempotency_key: Optional[str] = None

    @property
    def ident(self) -> str:
        """What identifies the payout across runs: the gig's ``gigId``, the
        special payment's idempotency key."""
        return str(self.fields["gigId"]) if self.kind == GIG else str(self.idempotency_key)

    @property
    def amount(self) -> Decimal:
        """The amount paid: a gig's ``totalAmount``, a payment's ``amount``."""
        return Decimal(str(self.fields["totalAmount" if self.kind == GIG else "amount"]))

    @property
    def partner_user_id(self) -> str:
        return str(self.fields.get("partnerUserId", ""))


@dataclass
class PayoutFile:
    """A file read and checked: its valid rows, the problems of the others,
    and its identity (the SHA-256 of its bytes)."""

    path: Path
    sha256: str
    rows: List[Row] = field(default_factory=list)
    problems: List[RowProblem] = field(default_factory=list)

    @property
    def invalid_lines(self) -> List[int]:
        return sorted({p.line for p in self.problems})


def read_file(path: Union[str, Path]) -> PayoutFile:
    """Reads and validates every row of ``path`` without sending anything.

    The format is JSON lines for ``.jsonl``/``.ndjson``/``.json`` files, or
    a file whose first character is ``{``; CSV otherwise (first line the
    header). Raises :class:`InputError` when the file cannot be read.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"{path} is {size} bytes; payout files are read whole, at most {MAX_FILE_BYTES} bytes: split it")
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path} is not UTF-8 text (byte {error.start}): save it as UTF-8") from error
    digest = hashlib.sha256(data).hexdigest()
    result = PayoutFile(path=path, sha256=digest)
    records = _json_lines(text) if _is_json_lines(path, text) else _csv_records(text)
    for line, record in records:
        if isinstance(record, RowProblem):
            result.problems.append(record)
            continue
        row, problems = _check(line, record, digest)
        if problems:
            result.problems.extend(problems)
        elif row is not None:
            result.rows.append(row)
    _check_duplicates(result)
    return result


def _is_json_lines(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return True
    if path.suffix.lower() == ".csv":
        return False
    return text.lstrip().startswith("{")


Record = Union[Dict[str, Any], RowProblem]


def _csv_records(text: str) -> Iterator[Tuple[int, Record]]:
    """Each data row as ``{column: text}``, empty cells left out, with the
    line it starts on (the header is line 1)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as error:
        yield 1, RowProblem(1, "", "invalid_format", f"the CSV header cannot be read: {error}")
        return
    columns = [name.strip() for name in header]
    end = reader.line_num
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield start, RowProblem(start, "", "invalid_format", f"this CSV row cannot be read: {error}")
            return
        end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            yield start, RowProblem(start, "", "invalid_format", f"{len(cells)} cells but the header names {len(columns)} columns")
            continue
        record: Dict[str, Any] = {}
        for name, cell in zip(columns, cells):
            if cell.strip() and name:
                record[name] = cell.strip()
        if "userdata" in record:
            try:
                record["userdata"] = json.loads(record["userdata"])
            except ValueError as error:
                yield start, RowProblem(start, "userdata", "invalid_format", f"must be a JSON object in the cell: {error}")
                continue
        yield start, record


def _json_lines(text: str) -> Iterator[Tuple[int, Record]]:
    """Each non-blank line as a dict; amounts written as JSON numbers
    become ``Decimal`` from their text. ``userdata`` is free JSON, kept as
    written (its numbers are not amounts)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_float=Decimal)
        except ValueError as error:
            yield number, RowProblem(number, "", "invalid_format", f"not valid JSON: {error}")
            continue
        if not isinstance(record, dict):
            yield number, RowProblem(number, "", "invalid_format", "each line must be one JSON object such as {\"gigId\": ...}")
            continue
        if "userdata" in record:
            record["userdata"] = json.loads(line)["userdata"]
        yield number, record


def _kind(line: int, record: Dict[str, Any]) -> Union[str, RowProblem]:
    given = record.pop("kind", None)
    if given is not None:
        kind = _KINDS.get(str(given).strip().lower())
        if kind is None:
            return RowProblem(line, "kind", "invalid_value", f"must be gig or special_payment, not {given!r}")
        return kind
    has_gig, has_payment = "totalAmount" in record, "amount" in record
    if has_gig and not has_payment:
        return GIG
    if has_payment and not has_gig:
        return SPECIAL_PAYMENT
    why = "both totalAmount and amount" if has_gig else "neither totalAmount (a gig) nor amount (a special payment)"
    return RowProblem(line, "kind", "required", f"the row has {why}: add a kind column (gig or special_payment)")


def _check(line: int, record: Dict[str, Any], file_sha256: str) -> Tuple[Optional[Row], List[RowProblem]]:
    """The row, or its problems as the core reports them."""
    kind = _kind(line, record)
    if isinstance(kind, RowProblem):
        return None, [kind]
    key = record.pop("idempotencyKey", None)
    if kind == GIG:
        if key is not None:
            return None, [RowProblem(line, "idempotencyKey", "unknown_field", "gigs are identified by gigId and carry no idempotency key")]
    elif key is None:
        key = derived_key(file_sha256, line)
    elif not isinstance(key, str):
        return None, [RowProblem(line, "idempotencyKey", "invalid_type", "must be text")]
    try:
        lean_sdk.validate(_OPERATION[kind], record, idempotency_key=key if kind == SPECIAL_PAYMENT else None)
    except lean_sdk.ValidationError as error:
        return None, [RowProblem(line, e.field, e.code, e.message) for e in error.errors]
    return Row(line=line, kind=kind, fields=record, idempotency_key=key if kind == SPECIAL_PAYMENT else None), []


def derived_key(file_sha256: str, line: int) -> str:
    """The idempotency key of a special payment without its own: a UUID v5
    of the file's hash and the row's line, the same on every run over the
    same bytes."""
    return str(uuid.uuid5(_KEY_NAMESPACE, f"{file_sha256}:{line}"))


def _check_duplicates(result: PayoutFile) -> None:
    """Two rows with one gigId or one idempotency key would be paid once
    between them: both are refused, naming the other's line."""
    seen: Dict[Tuple[str, str], int] = {}
    duplicates: Dict[int, RowProblem] = {}
    for row in result.rows:
        name = "gigId" if row.kind == GIG else "idempotencyKey"
        first = seen.setdefault((name, row.ident), row.line)
        if first != row.line:
            duplicates[row.line] = RowProblem(row.line, name, "duplicate", f"{row.ident!r} is already used by line {first}")
            duplicates.setdefault(first, RowProblem(first, name, "duplicate", f"{row.ident!r} is used again by line {row.line}"))
    result.rows = [row for row in result.rows if row.line not in duplicates]
    result.problems.extend(duplicates.values())
    result.problems.sort(key=lambda p: p.line)
