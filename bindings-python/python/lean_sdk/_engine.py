"""Drives the core's call engine with a transport, synchronously or with
asyncio. Both loops are the same dozen lines, for the payouts and the
open-banking calls alike: every retry, backoff, idempotency and
reconciliation decision is the core's."""

from __future__ import annotations

import os
import time

from . import _native
from ._errors import TransportError
from ._http import HttpRequest, HttpResponse, _failure, _request

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, Awaitable, Callable, Dict, Union

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
    while True:
        try:
            step = call.poll()
        except TransportError as error:
            error.idempotency_key = call.idempotency_key
            raise
        if step[0] == "send":
            try:
                response = transport(_request(step))
            except (OSError, TransportError) as error:
                call.on_transport_error(*_failure(error))
                continue
            _report(call, response)
        elif step[0] == "wait":
            time.sleep(step[1])
        else:
            return step[1]


async def drive_async(call: Call, transport: AsyncTransport) -> Any:
    """:func:`drive` with an async transport and ``asyncio.sleep``."""
    import asyncio

    while True:
        try:
            step = call.poll()
        except TransportError as error:
            error.idempotency_key = call.idempotency_key
            raise
        if step[0] == "send":
            try:
                response = await transport(_request(step))
            except (OSError, TransportError) as error:
                call.on_transport_error(*_failure(error))
                continue
            _report(call, response)
        elif step[0] == "wait":
            await asyncio.sleep(step[1])
        else:
            return step[1]
