"""Type information: the native module's stubs match the built module (a
stale stub fails), and the package and examples pass mypy --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import lean_sdk

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=ROOT / "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_stubs_match_the_native_module() -> None:
    run("mypy.stubtest", "lean_sdk._native")


def test_package_ships_its_types() -> None:
    package = Path(lean_sdk.__file__).parent
    assert (package / "py.typed").exists() and (package / "_native.pyi").exists()


def test_package_and_examples_pass_mypy_strict() -> None:
    run("mypy", "--strict", "-p", "lean_sdk")
    run("mypy", "--strict", str(ROOT / "examples"))


def mypy_errors(tmp_path: Path, *lines: str) -> str:
    """What mypy --strict reports on a sample that must not pass."""
    sample = tmp_path / "wrong.py"
    sample.write_text("".join(line + "\n" for line in lines))
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(sample)], capture_output=True, text=True)
    assert done.returncode == 1
    return done.stdout


def test_mypy_catches_a_float_amount_and_a_misspelt_field(tmp_path: Path) -> None:
    report = mypy_errors(
        tmp_path,
        "import lean_sdk",
        "client = lean_sdk.LeanClient('k')",
        "client.create_gig(partner_user_id='u', total_amount=15.5)",
        "client.create_gig(partner_user_id='u', totl_amount='15.00')",
    )
    assert "total_amount" in report and "totl_amount" in report, report


def test_mypy_catches_open_banking_mistakes(tmp_path: Path) -> None:
    report = mypy_errors(
        tmp_path,
        "from lean_sdk import openbanking",
        "client = openbanking.OpenBankingClient('t')",
        "client.create_payment_intent(customer_id='c', amount=15.5, currency='AED')",
        "client.create_payment_destination(display_name='A', ibna='AE07')",
        "client.get_balance('e', 'a', async_='yes')",
        "balance: int = client.get_balance('e', 'a').results_id",
        "client.list_accounts('e', 0)",
        "refresh: int = client.create_data_refresh('e').status",
        "client.get_transactions('e', 'a', insights='yes')",
    )
    # the float, the misspelt field, the flag, the optional id, paging by
    # position, the optional status, a flag as text
    for line in (3, 4, 5, 6, 7, 8, 9):
        assert f"wrong.py:{line}: error" in report, report
