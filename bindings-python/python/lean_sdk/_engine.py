"""Drives the core's call engine with a transport, synchronously or with
asyncio. One loop (:func:`steps`) serves the payouts and the open-banking
calls alike, sync and async: it yields the I/O to do, which
:func:`perform` or :func:`perform_async` does. Every retry, backoff,
idempotency and reconciliation decision is the core's. The loop times
each attempt with a monotonic clock (the core has none), and hands the
core's events to the ``lean_sdk`` logger after each step when it is
enabled (``_log``)."""

from __future__ import annotations

import time

from . import _log, _native
from ._attempts import attempts_of
from ._errors import LeanError, TransportError
from ._http import HttpRequest, HttpResponse, _failure, _request

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, Awaitable, Callable, Generator, Iterator, Optional, Tuple, TypeVar

    from ._attempts import Attempt

    R = TypeVar("R")
    #: What :func:`steps` (and the open-banking token loop) yields and returns.
    Steps = Generator[Tuple[Any, ...], Any, R]

    Transport = Callable[[HttpRequest], HttpResponse]
    AsyncTransport = Callable[[HttpRequest], Awaitable[HttpResponse]]
    Call = _native._Drive  # either API's call


def _report(call: Call, response: Any, started: float, log: bool) -> None:
    elapsed = time.monotonic() - started
    try:
        if not isinstance(response, HttpResponse):
            raise TypeError(f"a transport must return lean_sdk.HttpResponse, got {type(response).__name__}")
        headers = [(str(name), str(value)) for name, value in response.headers.items()]
        call.on_response(response.status, headers, response.body, elapsed)
    finally:
        if log:
            _log.emit(call.take_events())


def drive(call: Call, transport: Transport) -> Tuple[Any, Tuple[Attempt, ...]]:
    """Drives a started call (of either API) to its end with ``transport``;
    returns its value and its attempts."""
    return perform(steps(call), transport)


def steps(call: Call) -> Steps[Tuple[Any, Tuple[Attempt, ...]]]:
    """The one engine loop of every call, sync or async: it yields what the
    host must do (``("send", request)``: the transport's answer or what it
    raised comes back; ``("wait", seconds)``) and returns the call's value
    and attempts. :func:`perform` and :func:`perform_async` do the I/O."""
    log = _record(call)
    failure: Optional[BaseException] = None
    try:
        while True:
            step = _poll(call, failure, log)
            if step[0] == "send":
                started = time.monotonic()
                try:
                    response = yield "send", _request(step)
                except Exception as error:
                    failure = _report_failure(call, error, started, log)
                    continue
                _report(call, response, started, log)
            elif step[0] == "wait":
                yield step
            else:
                return step[1], attempts_of(call.attempt_log)
    except BaseException as interruption:
        _tell_what_was_sent(call, interruption, log)
        raise


class _Resumed:
    """A run of :func:`steps`, iterated for its actions; each is resumed
    with the outcome the host sets: the value the action produced, or the
    exception it raised, thrown back in."""

    def __init__(self, work: Steps[Any]) -> None:
        self._work = work
        self.outcome: Any = None
        self.raised: Optional[BaseException] = None
        #: What the work returned, once the iteration ends.
        self.result: Any = None

    def __iter__(self) -> Iterator[Tuple[Any, ...]]:
        while True:
            try:
                if self.raised is not None:
                    action = self._work.throw(self.raised)
                else:
                    action = self._work.send(self.outcome)
            except StopIteration as done:
                self.result = done.value
                return
            self.outcome = self.raised = None
            yield action


def perform(work: Steps[R], transport: Transport, authenticate: Optional[Callable[[Any, Any], Any]] = None) -> R:
    """Runs ``work`` to its end with blocking I/O: sends with ``transport``,
    waits with ``time.sleep`` and (open banking, ``("token", policy,
    ticket)``) obtains a call's token with ``authenticate``. What an action
    raises is thrown back into ``work``, which judges it."""
    run = _Resumed(work)
    for action in run:
        try:
            if action[0] == "send":
                run.outcome = transport(action[1])
            elif action[0] == "wait":
                time.sleep(action[1])
            else:
                assert authenticate is not None
                run.outcome = authenticate(action[1], action[2])
        except BaseException as error:
            run.raised = error
    return run.result  # type: ignore[no-any-return]


async def perform_async(work: Steps[R], transport: AsyncTransport, authenticate: Optional[Callable[[Any, Any], Awaitable[Any]]] = None) -> R:
    """:func:`perform` with an async transport, ``asyncio.sleep`` and an
    async ``authenticate``."""
    import asyncio

    run = _Resumed(work)
    for action in run:
        try:
            if action[0] == "send":
                run.outcome = await transport(action[1])
            elif action[0] == "wait":
                await asyncio.sleep(action[1])
            else:
                assert authenticate is not None
                run.outcome = await authenticate(action[1], action[2])
        except BaseException as error:
            run.raised = error
    return run.result  # type: ignore[no-any-return]


def _record(call: Call) -> bool:
    """Turns the call's events on when the ``lean_sdk`` logger would write
    them; a call whose events nobody reads records none."""
    log = _log.recording()
    if log:
        call.record_events(True)
    return log


def _poll(call: Call, failure: Optional[BaseException], log: bool) -> Tuple[Any, ...]:
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
    finally:
        if log:
            _log.emit(call.take_events())


def _report_failure(call: Call, error: Exception, started: float, log: bool) -> Exception:
    """Any exception from a transport (a custom one may raise anything) is a
    failed attempt for the core to judge: retried when that is safe,
    otherwise reported with what was sent."""
    elapsed = time.monotonic() - started
    kind, message = _failure(error)
    call.on_transport_error(kind, message, elapsed)
    if log:
        _log.emit(call.take_events())
    return error


def _tell_what_was_sent(call: Call, interruption: BaseException, log: bool) -> None:
    """A call ended by anything but its own result (``CancelledError``,
    ``KeyboardInterrupt``, a bug) keeps propagating, carrying the core's
    report of what was sent as ``lean_error`` (and a note in tracebacks),
    so that a cancelled create can still be looked up or retried with the
    same key and ids."""
    if isinstance(interruption, LeanError) or call.attempts == 0:
        return
    try:
        error = _interrupt(call, f"{type(interruption).__name__}")
        if log:
            _log.emit(call.take_events())
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
