"""Drives the core's call engine with a transport, synchronously or with
asyncio. Both loops are the same dozen lines, for the payouts and the
open-banking calls alike: every retry, backoff, idempotency and
reconciliation decision is the core's."""

from __future__ import annotations

import os
import time

from . import _native
from ._errors import LeanError, TransportError
from ._http import HttpRequest, HttpResponse, _failure, _request

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, Awaitable, Callable, Dict, Optional, Tuple, Union

    Transport = Callable[[HttpRequest], HttpResponse]
    AsyncTransport = Callable[[HttpRequest], Awaitable[HttpResponse]]
    Call = Union[_native.Call, _native.ObCall]


def _report(call: Call, response: Any) -> None:
    if not isinstance(response, HttpResponse):
        raise TypeError(f"a transport must return lean_sdk.HttpResponse, got {type(response).__name__}")
    headers = [(str(name), str(value)) for name, value in response.headers.items()]
    call.on_response(response.status, headers, response.body)


def run(config: _native.Config, spec: Dict[str, Any], transport: Transport) -> Any:
    """Runs one payouts call to its end; returns the result in the API's
    JSON shape or raises its :class:`lean_sdk.LeanError`."""
    return drive(_native.Call(config, spec, os.urandom(32)), transport)


async def run_async(config: _native.Config, spec: Dict[str, Any], transport: AsyncTransport) -> Any:
    """:func:`run` with an async transport and ``asyncio.sleep``."""
    return await drive_async(_native.Call(config, spec, os.urandom(32)), transport)


def drive(call: Call, transport: Transport) -> Any:
    """Drives a started call (of either API) to its end with ``transport``."""
    failure: Optional[BaseException] = None
    try:
        while True:
            step = _poll(call, failure)
            if step[0] == "send":
                try:
                    response = transport(_request(step))
                except Exception as error:
                    failure = _report_failure(call, error)
                    continue
                _report(call, response)
            elif step[0] == "wait":
                time.sleep(step[1])
            else:
                return step[1]
    except BaseException as interruption:
        _tell_what_was_sent(call, interruption)
        raise


async def drive_async(call: Call, transport: AsyncTransport) -> Any:
    """:func:`drive` with an async transport and ``asyncio.sleep``."""
    import asyncio

    failure: Optional[BaseException] = None
    try:
        while True:
            step = _poll(call, failure)
            if step[0] == "send":
                try:
                    response = await transport(_request(step))
                except Exception as error:
                    failure = _report_failure(call, error)
                    continue
                _report(call, response)
            elif step[0] == "wait":
                await asyncio.sleep(step[1])
            else:
                return step[1]
    except BaseException as interruption:
        _tell_what_was_sent(call, interruption)
        raise


def _poll(call: Call, failure: Optional[BaseException]) -> Tuple[Any, ...]:
    """The call's next step; its error names the key it sent and chains the
    last exception the transport raised."""
    try:
        return call.poll()
    except TransportError as error:
        if error.idempotency_key is None:
            error.idempotency_key = call.idempotency_key
        if failure is not None and error.__cause__ is None:
            raise error from failure
        raise


def _report_failure(call: Call, error: Exception) -> Exception:
    """Any exception from a transport (a custom one may raise anything) is a
    failed attempt for the core to judge: retried when that is safe,
    otherwise reported with what was sent."""
    call.on_transport_error(*_failure(error))
    return error


def _tell_what_was_sent(call: Call, interruption: BaseException) -> None:
    """A call ended by anything but its own result (``CancelledError``,
    ``KeyboardInterrupt``, a bug) keeps propagating, carrying the core's
    report of what was sent as ``lean_error`` (and a note in tracebacks),
    so that a cancelled create can still be looked up or retried with the
    same key and ids."""
    if isinstance(interruption, LeanError) or call.attempts == 0:
        return
    try:
        error = _interrupt(call, f"{type(interruption).__name__}")
        interruption.lean_error = error  # type: ignore[attr-defined]
        add_note = getattr(interruption, "add_note", None)
        if add_note is not None:
            add_note(_what_was_sent(error))
    except Exception:  # never mask the interruption itself
        pass


def _what_was_sent(error: LeanError) -> str:
    key = getattr(error, "idempotency_key", None)
    sent = [f"Idempotency-Key {key}"] if key else []
    sent += [f"{name} {value}" for name, value in (getattr(error, "sent_ids", None) or {}).items()]
    return f"lean_sdk: {error}" + (f" (sent: {', '.join(sent)})" if sent else "")


def _interrupt(call: Call, reason: str) -> LeanError:
    """The core's report of a call ended mid-flight: the key and ids it
    sent, and whether the attempt in flight may have been applied."""
    return call.interrupt(reason)
