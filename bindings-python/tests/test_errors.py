"""The exception classes: one per stable code, under one base that
subclasses Exception, with the details of their kind."""

from __future__ import annotations

import pytest

import lean_sdk
from lean_sdk._errors import _from_core

from _vectors import CLASSES


@pytest.mark.parametrize("code", sorted(CLASSES))
def test_every_code_has_its_class(code: str) -> None:
    error = _from_core({"code": code, "message": "m", "status": 500, "body": "b"})
    assert type(error) is CLASSES[code] and error.code == code
    assert isinstance(error, lean_sdk.LeanError) and isinstance(error, Exception)
    assert type(error).__module__ == "lean_sdk"


def test_api_error_hierarchy_and_details() -> None:
    for cls in (lean_sdk.BadRequestError, lean_sdk.AuthenticationError, lean_sdk.NotFoundError,
                lean_sdk.RateLimitError, lean_sdk.ServiceUnavailableError, lean_sdk.ServerError):
        assert issubclass(cls, lean_sdk.ApiError)
    error = _from_core({
        "code": "rate_limited", "message": "Lean API answered 429: slow down", "status": 429,
        "body": '{"message":"slow down"}', "apiMessage": "slow down", "requestId": "req_1",
        "retryAfterMs": 1500, "fieldErrors": [],
    })
    assert isinstance(error, lean_sdk.RateLimitError)
    assert (error.status, error.message, error.request_id, error.retry_after) == (429, "slow down", "req_1", 1.5)
    assert str(error) == "Lean API answered 429: slow down"


def test_validation_error_lists_field_errors() -> None:
    error = _from_core({"code": "validation", "message": "invalid input", "fieldErrors": [
        {"field": "firstName", "code": "required", "message": "is required"},
        {"field": "email", "code": "invalid_format", "message": "is not an email"},
    ]})
    assert isinstance(error, lean_sdk.ValidationError)
    assert error.errors == [lean_sdk.FieldError("firstName", "required", "is required"),
                            lean_sdk.FieldError("email", "invalid_format", "is not an email")]


def test_unknown_codes_stay_lean_errors() -> None:
    error = _from_core({"code": "something_new", "message": "m"})
    assert type(error) is lean_sdk.LeanError and error.code == "something_new"


def test_transport_error_for_custom_transports() -> None:
    error = lean_sdk.TransportError("refused", kind="connect")
    assert error.kind == "connect" and error.outcome_unknown is False and error.code == "transport"
