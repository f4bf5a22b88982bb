"""The clients' own behaviour beyond the vectors: argument forms, money,
secrets kept out of sight, transports, the panic guard."""

from __future__ import annotations

import asyncio
import datetime
import json
import socket
from decimal import Decimal
from typing import Any, List

import pytest

import lean_sdk

from _support import Server

KEY = "sk_test_verysecret42"
GIG = {
    "partner_user_id": "uid_1", "gig_id": "gig_1", "total_amount": "15.00", "tips": "3.00",
    "expenses": "2.00", "description": "Gig Payout", "start_time": "2021-03-01T21:04:04",
    "end_time": "2021-03-01T21:31:05",
}
GIG_ANSWER = json.dumps({
    "gigId": "gig_1", "totalAmount": "15.00", "tips": "3.00", "expenses": "2.00", "status": "PENDING",
    "partnerUserId": "uid_1", "description": "Gig Payout", "startTime": "2021-03-01T21:04:04",
    "endTime": "2021-03-01T21:31:05", "futureField": {"kept": True},
}).encode()


class Recorder:
    def __init__(self, *answers: Any) -> None:
        self.requests: List[lean_sdk.HttpRequest] = []
        self.answers = list(answers)

    def __call__(self, request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def ok(body: bytes = GIG_ANSWER) -> lean_sdk.HttpResponse:
    return lean_sdk.HttpResponse(200, {"content-type": "application/json"}, body)


def client(transport: Any, **kwargs: Any) -> lean_sdk.LeanClient:
    return lean_sdk.LeanClient(KEY, transport=transport, initial_backoff=0.001, max_backoff=0.002, **kwargs)


def test_keywords_and_camel_case_mapping_send_the_same_body() -> None:
    by_keywords, by_mapping, mixed = Recorder(ok()), Recorder(ok()), Recorder(ok())
    client(by_keywords).create_gig(**GIG)  # type: ignore[arg-type]
    client(by_mapping).create_gig({lean_sdk_camel(k): v for k, v in GIG.items()})
    client(mixed).create_gig({"partnerUserId": "uid_1", "gigId": "gig_1"}, **{k: v for k, v in GIG.items() if k not in ("partner_user_id", "gig_id")})  # type: ignore[arg-type]
    bodies = [json.loads(r.requests[0].body or b"") for r in (by_keywords, by_mapping, mixed)]
    assert bodies[0] == bodies[1] == bodies[2]
    assert bodies[0]["totalAmount"] == "15.00"


def lean_sdk_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def test_typed_result_and_to_dict() -> None:
    gig = client(Recorder(ok())).create_gig(**GIG)  # type: ignore[arg-type]
    assert isinstance(gig, lean_sdk.Gig)
    assert gig.total_amount == Decimal("15.00") and isinstance(gig.tips, Decimal)
    assert gig.status == "PENDING" and gig.invoice_id is None
    assert gig.to_dict()["futureField"] == {"kept": True}
    assert "15.00" in repr(gig)


def test_money_is_exact() -> None:
    recorder = Recorder(ok())
    client(recorder).create_gig(**{**GIG, "total_amount": Decimal("1E+1"), "tips": 3, "expenses": Decimal("2.5")})  # type: ignore[arg-type]
    body = json.loads(recorder.requests[0].body or b"")
    assert (body["totalAmount"], body["tips"], body["expenses"]) == ("10.00", "3.00", "2.50")


def test_float_amounts_are_refused_with_advice() -> None:
    recorder = Recorder()
    with pytest.raises(lean_sdk.ValidationError) as refused:
        client(recorder).create_gig(**{**GIG, "total_amount": 15.0, "tips": float("nan")})  # type: ignore[arg-type]
    problems = {e.field: e for e in refused.value.errors}
    assert problems["totalAmount"].code == "invalid_type"
    assert "Decimal" in problems["totalAmount"].message and "str" in problems["totalAmount"].message
    assert problems["tips"].code == "invalid_type"
    assert recorder.requests == []


def test_dates_are_sent_as_iso_text() -> None:
    recorder = Recorder(ok())
    client(recorder).create_gig(**{**GIG, "start_time": datetime.datetime(2021, 3, 1, 21, 4, 4), "end_time": datetime.datetime(2021, 3, 1, 21, 31, 5)})  # type: ignore[arg-type]
    assert json.loads(recorder.requests[0].body or b"")["startTime"] == "2021-03-01T21:04:04"


def test_unknown_keyword_is_named_with_a_suggestion() -> None:
    with pytest.raises(lean_sdk.ValidationError) as refused:
        client(Recorder()).create_gig(**GIG, total_amout="15.00")  # type: ignore[call-arg]
    (problem,) = [e for e in refused.value.errors if e.code == "unknown_field"]
    assert problem.field == "totalAmout" and "totalAmount" in problem.message


def test_unsupported_python_values_are_validation_errors() -> None:
    with pytest.raises(lean_sdk.ValidationError) as refused:
        client(Recorder()).create_gig(**{**GIG, "description": {1, 2}})  # type: ignore[arg-type]
    assert [(e.field, e.code) for e in refused.value.errors] == [("description", "invalid_type")]
    deep: Any = {}
    for _ in range(100):
        deep = {"x": deep}
    with pytest.raises(lean_sdk.ValidationError):
        client(Recorder()).create_special_payment(partner_user_id="u", amount="1.00", type="bonus", userdata=deep)


def test_the_key_never_shows() -> None:
    lean = client(Recorder(lean_sdk.HttpResponse(401, {}, b'{"message":"bad key"}')))
    shown = [repr(lean), repr(lean.config), str(lean.config.__repr__())]
    with pytest.raises(lean_sdk.AuthenticationError) as refused:
        lean.list_gigs()
    shown += [str(refused.value), repr(refused.value), refused.value.body]
    recorder = Recorder(ok(b"[]"))
    client(recorder).list_gigs()
    shown.append(repr(recorder.requests[0]))
    import base64
    encoded = base64.b64encode(f"{KEY}:".encode()).decode()
    for text in shown:
        assert "verysecret42" not in text and encoded not in text, text
    assert recorder.requests[0].headers["authorization"] == f"Basic {encoded}"


def test_special_payment_keeps_one_idempotency_key_across_retries() -> None:
    answer = lean_sdk.HttpResponse(200, {}, b'{"id":"sp_1","amount":"4.56","type":"bonus","status":"PENDING"}')
    recorder = Recorder(TimeoutError("slow"), lean_sdk.HttpResponse(503, {}, b""), answer)
    payment = client(recorder).create_special_payment(partner_user_id="uid_1", amount="4.56", type="bonus")
    keys = {r.headers["idempotency-key"] for r in recorder.requests}
    assert len(recorder.requests) == 3 and len(keys) == 1
    assert payment.amount == Decimal("4.56")


def test_outcome_unknown_names_the_idempotency_key() -> None:
    recorder = Recorder(TimeoutError("slow"), TimeoutError("slow"), TimeoutError("slow"))
    with pytest.raises(lean_sdk.TransportError) as failed:
        client(recorder).create_special_payment(partner_user_id="uid_1", amount="4.56", type="bonus", idempotency_key="pay-42")
    assert failed.value.outcome_unknown is True
    assert "pay-42" in str(failed.value) and failed.value.idempotency_key == "pay-42"
    generated = Recorder(TimeoutError("slow"), TimeoutError("slow"), TimeoutError("slow"))
    with pytest.raises(lean_sdk.TransportError) as failed:
        client(generated).create_special_payment(partner_user_id="uid_1", amount="4.56", type="bonus")
    assert failed.value.idempotency_key == generated.requests[0].headers["idempotency-key"]


def test_transport_error_raised_by_a_custom_transport() -> None:
    recorder = Recorder(lean_sdk.TransportError("refused", kind="connect"), ok(b"[]"))
    assert client(recorder).list_gigs() == []
    with pytest.raises(lean_sdk.TransportError) as failed:
        client(Recorder(*[lean_sdk.TransportError("refused", kind="connect")] * 3)).create_gig(**GIG)  # type: ignore[arg-type]
    assert failed.value.outcome_unknown is False


def test_a_transport_bug_is_not_swallowed() -> None:
    with pytest.raises(TypeError, match="HttpResponse"):
        client(lambda request: {"status": 200}).list_gigs()
    # Any exception from a transport is a failed attempt for the core to
    # judge; the last one stays visible as the final error's cause.
    with pytest.raises(lean_sdk.TransportError, match="KeyError") as failed:
        client(Recorder(*[KeyError("bug")] * 3)).list_gigs()
    assert isinstance(failed.value.__cause__, KeyError)


def test_configuration_errors() -> None:
    with pytest.raises(lean_sdk.ConfigurationError):
        lean_sdk.LeanClient(None)  # type: ignore[arg-type]
    with pytest.raises(lean_sdk.ConfigurationError):
        lean_sdk.LeanClient(KEY, base_url="http://example.com/api")
    with pytest.raises(lean_sdk.ConfigurationError):
        lean_sdk.LeanClient(KEY, environment="staging-eu")
    with pytest.raises(lean_sdk.ConfigurationError):
        lean_sdk.LeanClient(KEY, timeout=-1)
    production = lean_sdk.LeanClient(KEY, environment="production", transport=Recorder())
    with pytest.raises(lean_sdk.ConfigurationError, match="sandbox"):
        production.submit_application("uid_1")


def test_user_agent_names_python() -> None:
    recorder = Recorder(ok(b"[]"))
    client(recorder).list_gigs()
    agent = recorder.requests[0].headers["user-agent"]
    assert agent.startswith(f"lean-sdk/{lean_sdk.__version__} (python/3.")


def test_a_panic_is_a_lean_error() -> None:
    with pytest.raises(lean_sdk.LeanError) as caught:
        lean_sdk._native._trigger_panic()
    assert caught.value.code == "internal" and type(caught.value) is lean_sdk.LeanError
    try:
        lean_sdk._native._trigger_panic()
    except Exception:  # PanicException would escape this
        pass


def test_validate_returns_the_body() -> None:
    body = lean_sdk.validate("create_gig", **GIG)
    assert json.loads(body)["gigId"] == "gig_1"
    assert lean_sdk.validate("createGig", {lean_sdk_camel(k): v for k, v in GIG.items()}) == body
    with pytest.raises(lean_sdk.ValidationError) as refused:
        lean_sdk.validate("create_customer", first_name="Jane")
    assert "lastName" in {e.field for e in refused.value.errors}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The default (a pooled httpx client) and the standard library's urllib.
BUILT_IN_TRANSPORTS = [pytest.param(None, id="pooled-default"), pytest.param(lean_sdk.UrllibTransport, id="urllib")]


@pytest.mark.parametrize("transport", BUILT_IN_TRANSPORTS)
def test_built_in_transports_send_and_read_errors(transport: Any) -> None:
    server = Server(404, [("x-request-id", "req_9")], b'{"message":"Gig not found"}')
    try:
        with lean_sdk.LeanClient(KEY, base_url=server.url + "/api", transport=transport and transport()) as lean:
            with pytest.raises(lean_sdk.NotFoundError) as missing:
                lean.get_gig("g/1")
        assert missing.value.message == "Gig not found" and missing.value.request_id == "req_9"
        method, path, headers = server.seen[0]
        assert (method, path) == ("GET", "/api/gig/g%2F1")
        assert headers["authorization"].startswith("Basic ")
    finally:
        server.stop()


@pytest.mark.parametrize("transport", BUILT_IN_TRANSPORTS)
def test_built_in_transports_do_not_follow_redirects(transport: Any) -> None:
    server = Server(302, [("location", "http://127.0.0.1:9/elsewhere")], b"")
    try:
        with pytest.raises(lean_sdk.RedirectError) as moved:
            lean_sdk.LeanClient(KEY, base_url=server.url + "/api", transport=transport and transport()).list_gigs()
        assert moved.value.status == 302 and len(server.seen) == 1
        assert moved.value.location == "http://127.0.0.1:9/elsewhere" and moved.value.code == "redirect"
    finally:
        server.stop()


def test_connection_refused_is_a_transport_error_without_unknown_outcome() -> None:
    lean = lean_sdk.LeanClient(KEY, base_url=f"http://127.0.0.1:{free_port()}/api", initial_backoff=0.001, max_backoff=0.002)
    with pytest.raises(lean_sdk.TransportError) as failed:
        lean.create_gig(**GIG)  # type: ignore[arg-type]
    assert failed.value.outcome_unknown is False
    assert "3 attempt" in str(failed.value)


def test_httpx_transport_against_a_loopback_server() -> None:
    server = Server(200, body=b"[]")

    async def main() -> Any:
        async with lean_sdk.AsyncLeanClient(KEY, base_url=server.url + "/api") as lean:
            return await lean.list_special_payments()

    try:
        assert asyncio.run(main()) == []
        assert server.seen[0][1] == "/api/specialpayment"
    finally:
        server.stop()


def test_httpx_connection_refused() -> None:
    async def main() -> None:
        async with lean_sdk.AsyncLeanClient(KEY, base_url=f"http://127.0.0.1:{free_port()}/api", max_retries=1, initial_backoff=0.001) as lean:
            await lean.get_gig("g1")

    with pytest.raises(lean_sdk.TransportError) as failed:
        asyncio.run(main())
    assert failed.value.outcome_unknown is False


@pytest.mark.parametrize(
    "amount, code",
    [
        (Decimal("1e900000000"), "out_of_range"),
        (Decimal("-" + "9" * 65), "out_of_range"),
        (10**1_000_000, "out_of_range"),
        (Decimal("1e-900000000"), "too_many_decimals"),
        (Decimal("NaN"), "invalid_type"),
        (Decimal("-Infinity"), "invalid_type"),
    ],
    ids=["huge-exponent", "65-digits", "huge-int", "tiny-exponent", "nan", "infinity"],
)
def test_huge_numbers_are_refused_by_digits_and_exponent(amount: Any, code: str) -> None:
    """Checked from the digits and exponent: writing 1e900000000 out in
    full would take gigabytes before the core could refuse it."""
    recorder = Recorder()
    with pytest.raises(lean_sdk.ValidationError) as refused:
        client(recorder).create_gig(**{**GIG, "total_amount": amount})  # type: ignore[arg-type]
    (problem,) = refused.value.errors
    assert (problem.field, problem.code) == ("totalAmount", code)
    assert recorder.requests == []


def test_numbers_within_the_digit_bound_reach_the_core_exactly() -> None:
    recorder = Recorder(ok())
    fields = {"total_amount": Decimal("15.000000"), "tips": Decimal("0.5E+1"), "expenses": Decimal("0.05")}
    client(recorder).create_gig(**{**GIG, **fields})  # type: ignore[arg-type]
    body = json.loads(recorder.requests[0].body or b"")
    assert (body["totalAmount"], body["tips"], body["expenses"]) == ("15.00", "5.00", "0.05")
    with pytest.raises(lean_sdk.ValidationError) as refused:
        client(Recorder()).create_gig(**{**GIG, "total_amount": Decimal("1" * 64)})  # type: ignore[arg-type]
    assert [(e.field, e.code) for e in refused.value.errors] == [("totalAmount", "out_of_range")]


def test_an_integral_float_is_refused_too() -> None:
    with pytest.raises(lean_sdk.ValidationError) as refused:
        client(Recorder()).create_special_payment(partner_user_id="uid_1", amount=15.0, type="bonus")  # type: ignore[arg-type]
    (problem,) = refused.value.errors
    assert (problem.field, problem.code) == ("amount", "invalid_type")
    assert "Decimal" in problem.message and "str" in problem.message
