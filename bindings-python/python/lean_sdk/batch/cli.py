"""``python -m lean_sdk pay FILE``: the command line of the batch.

Exit codes: 0 every row paid; 1 some rows failed (or were skipped as
invalid); 2 invalid input or usage, nothing sent; 3 some outcomes unknown
(re-run the same command to settle them).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import List, Optional

from . import EXIT_INVALID, InputError, JournalMismatch, pay_file
from .journal import default_path

__all__ = ["main"]

_EPILOG = """\
exit codes: 0 every row paid; 1 some rows failed (or were skipped as invalid);
2 invalid input or usage, nothing sent; 3 some outcomes unknown: run the same
command again to settle them (it never pays a row twice).
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lean_sdk", description="Lean Payouts from the command line.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    pay = commands.add_parser(
        "pay", help="pay a file of gigs and special payments, each row exactly once",
        description="Pays a CSV or JSON-lines file of gigs and special payments (columns in the API's field "
        "names), each row exactly once across crashes and re-runs.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pay.add_argument("file", type=Path, metavar="FILE", help="the payout file (.csv, or .jsonl JSON lines)")
    pay.add_argument("--api-key", default=os.environ.get("LEAN_API_KEY"), help="the API key (default: $LEAN_API_KEY)")
    pay.add_argument("--environment", default=os.environ.get("LEAN_ENVIRONMENT", "sandbox"),
                     help="sandbox or production (default: $LEAN_ENVIRONMENT, else sandbox)")
    pay.add_argument("--base-url", default=os.environ.get("LEAN_BASE_URL"),
                     help="the API's base URL, overriding the environment's (default: $LEAN_BASE_URL)")
    pay.add_argument("--concurrency", type=int, default=8, help="payments in flight at once (default 8)")
    pay.add_argument("--max-retries", type=int, default=2, help="retries of each call (default 2)")
    pay.add_argument("--journal", type=Path, help="the journal (default: FILE.journal.sqlite3 beside the file)")
    pay.add_argument("--report", type=Path, help="the report CSV (default: FILE.report.csv beside the file)")
    pay.add_argument("--skip-invalid", action="store_true", help="pay the valid rows even if some are invalid")
    pay.add_argument("--dry-run", action="store_true", help="validate and plan; send and write nothing")
    pay.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="a progress bar (needs lean-sdk[progress]); default: on a terminal only")
    return parser


def _log_to_stderr() -> None:
    """The command's log: stderr, at INFO. It carries the batch's own
    lines and the SDK's call events (logger ``lean_sdk``: retries, lookups,
    each call's outcome with its request ids); ``LEAN_LOG=debug`` adds
    every request and answer, in the same lines rather than through a
    second handler."""
    from lean_sdk import _log

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the SDK's own events say more, once
    handler = _log._env_handler
    if handler is not None:
        _log.logger.removeHandler(handler)
        _log.logger.setLevel(min(handler.level, logging.INFO))


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not logging.getLogger().handlers:
        _log_to_stderr()
    if not 1 <= args.concurrency <= 256:
        parser.error("--concurrency must be from 1 to 256")
    if not args.api_key and not args.dry_run:
        parser.error("no API key: pass --api-key or set LEAN_API_KEY")
    report = args.report if args.report is not None else args.file.with_name(args.file.name + ".report.csv")
    try:
        result = pay_file(
            args.file, args.api_key or "", environment=args.environment, base_url=args.base_url,
            concurrency=args.concurrency, max_retries=args.max_retries,
            journal=args.journal if args.journal is not None else default_path(args.file),
            report=None if args.dry_run else report, skip_invalid=args.skip_invalid, dry_run=args.dry_run,
            progress=args.progress,
        )
    except (InputError, JournalMismatch, ImportError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except Exception as error:  # a bad key or base URL: say so, without a traceback
        from lean_sdk import LeanError

        if not isinstance(error, LeanError):
            raise
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    for problem in result.problems:
        print(f"{args.file}:{problem.line}: {problem.field or 'row'}: {problem.message} ({problem.code})", file=sys.stderr)
    if result.problems and not args.skip_invalid:
        print(f"{len(result.file.invalid_lines)} invalid rows: nothing was sent (fix them, or pass --skip-invalid)",
              file=sys.stderr)
    if result.stopped:
        print(f"stopped early: {result.stopped}", file=sys.stderr)
    if args.dry_run:
        print(f"dry run: {len(result.file.rows)} valid rows, nothing sent")
    print(result.summary())
    if not args.dry_run and not (result.problems and not args.skip_invalid):
        print(f"report: {report}")
    return result.exit_code
