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


def test_mypy_catches_a_float_amount_and_a_misspelt_field(tmp_path: Path) -> None:
    sample = tmp_path / "wrong.py"
    sample.write_text(
        "import lean_sdk\n"
        "client = lean_sdk.LeanClient('k')\n"
        "client.create_gig(partner_user_id='u', total_amount=15.5)\n"
        "client.create_gig(partner_user_id='u', totl_amount='15.00')\n"
    )
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(sample)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "total_amount" in done.stdout and "totl_amount" in done.stdout, done.stdout


def test_mypy_catches_open_banking_mistakes(tmp_path: Path) -> None:
    sample = tmp_path / "wrong_ob.py"
    sample.write_text(
        "from lean_sdk import openbanking\n"
        "client = openbanking.OpenBankingClient('t')\n"
        "client.create_payment_intent(customer_id='c', amount=15.5, currency='AED')\n"
        "client.create_payment_destination(display_name='A', ibna='AE07')\n"
        "client.get_balance('e', 'a', async_='yes')\n"
        "balance: int = client.get_balance('e', 'a').results_id\n"
        "client.list_accounts('e', 0)\n"
        "refresh: int = client.create_data_refresh('e').status\n"
        "client.get_transactions('e', 'a', insights='yes')\n"
    )
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(sample)], capture_output=True, text=True)
    assert done.returncode == 1
    # the float, the misspelt field, the flag, the optional id, paging by
    # position, the optional status, a flag as text
    for line in (3, 4, 5, 6, 7, 8, 9):
        assert f"wrong_ob.py:{line}: error" in done.stdout, done.stdout
