"""The clients: one method per API operation, sync and async, each over
one pooled ``httpx`` client by default, both driving the same core call
engine."""

from __future__ import annotations

import os
import sys

from . import _engine, _native
from . import _operations as ops
from ._errors import ConfigurationError
from ._models import Application, Customer, Gig, ResultList, SpecialPayment, _returned
from ._transports import _AsyncClient, _SyncClient

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Mapping, Optional, TypeVar

    from typing_extensions import Unpack

    from ._engine import AsyncTransport, Steps, Transport
    from ._types import CustomerFields, CustomerUpdateFields, GigFields, SpecialPaymentFields

    T = TypeVar("T")

__all__ = ["LeanClient", "AsyncLeanClient"]

_HOST = "python/{}.{}.{}".format(*sys.version_info[:3])


def _gigs(items: Any) -> ResultList[Gig]:
    return ResultList(Gig(g) for g in items)


def _payments(items: Any) -> ResultList[SpecialPayment]:
    return ResultList(SpecialPayment(p) for p in items)


class _Base:
    """Configuration shared by both clients."""

    config: _native.Config

    def __init__(
        self,
        api_key: str,
        environment: str,
        base_url: Optional[str],
        max_retries: int,
        timeout: float,
        initial_backoff: float,
        max_backoff: float,
        max_retry_after: float,
    ) -> None:
        if not isinstance(api_key, str):
            raise ConfigurationError(f"the API key must be a str, got {type(api_key).__name__}")
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or not 0 <= max_retries <= 100:
            raise ConfigurationError(f"max_retries must be an int from 0 to 100, got {max_retries!r}")
        #: The client's configuration (its repr never shows the key).
        self.config = _native.Config(
            api_key, environment, base_url, max_retries, float(timeout),
            float(initial_backoff), float(max_backoff), float(max_retry_after), _HOST,
        )

    def _steps(self, spec: Dict[str, Any], convert: Callable[[Any], T]) -> Steps[T]:
        """One call, for either client to perform."""
        value, attempts = yield from _engine.steps(_native.Call(self.config, spec, os.urandom(32)))
        return _returned(convert(value), attempts)

    def __repr__(self) -> str:
        c = self.config
        return f"{type(self).__name__}(environment={c.environment!r}, base_url={c.base_url!r}, max_retries={c.max_retries})"


class LeanClient(_Base, _SyncClient):
    """The Lean Payouts API, synchronously.

    ``api_key`` is the key Lean gave you; ``environment`` ``"sandbox"`` or
    ``"production"``; ``base_url`` overrides the environment's address (for
    the local sandbox: ``http://127.0.0.1:PORT``). ``transport`` is any
    callable ``HttpRequest -> HttpResponse``; the default is one pooled
    ``httpx.Client`` per client, so a script's sequential calls share a
    kept-alive connection. Use it as ``with LeanClient(...) as client`` (or
    call :meth:`close`) to close those connections.
    Failed attempts are retried up to ``max_retries`` times with backoff;
    special payments carry one idempotency key on every attempt, and a gig
    whose create may have been applied is looked up before anything is
    reported, so a script never pays twice.
    """

    def __init__(
        self,
        api_key: str,
        environment: str = "sandbox",
        base_url: Optional[str] = None,
        transport: Optional[Transport] = None,
        max_retries: int = 2,
        *,
        timeout: float = 30.0,
        initial_backoff: float = 0.5,
        max_backoff: float = 5.0,
        max_retry_after: float = 60.0,
    ) -> None:
        super().__init__(api_key, environment, base_url, max_retries, timeout, initial_backoff, max_backoff, max_retry_after)
        self._use(transport, self.config.timeout)

    def _run(self, spec: Dict[str, Any], convert: Callable[[Any], T]) -> T:
        return _engine.perform(self._steps(spec, convert), self._transport)

    def create_customer(self, data: Optional[Mapping[str, Any]] = None, /, **fields: Unpack[CustomerFields]) -> Customer:
        """Registers a worker (``POST /customer``)."""
        return self._run(ops.call("createCustomer", data, fields), Customer)

    def get_customer(self, partner_user_id: str) -> Customer:
        """Reads a customer by your own id."""
        return self._run(ops.call("getCustomer", partnerUserId=partner_user_id), Customer)

    def update_customer(self, partner_user_id: str, data: Optional[Mapping[str, Any]] = None, /, **fields: Unpack[CustomerUpdateFields]) -> Customer:
        """Changes a customer still ``PENDING``; give only the fields to change."""
        return self._run(ops.call("updateCustomer", data, fields, partnerUserId=partner_user_id), Customer)

    def submit_application(self, partner_user_id: str) -> Application:
        """Submits a customer's application (sandbox only; in production
        the worker does it in the Lean app)."""
        return self._run(ops.call("submitApplication", partnerUserId=partner_user_id), Application)

    def create_gig(self, data: Optional[Mapping[str, Any]] = None, /, **fields: Unpack[GigFields]) -> Gig:
        """Pays a gig (``POST /gig``). ``gig_id`` is your own unique id: a
        retried or re-run create never pays the same gig twice."""
        return self._run(ops.call("createGig", data, fields), Gig)

    def get_gig(self, gig_id: str) -> Gig:
        """Reads a gig by your own id."""
        return self._run(ops.call("getGig", gigId=gig_id), Gig)

    def list_gigs(self) -> ResultList[Gig]:
        """Every gig."""
        return self._run(ops.call("listGigs"), _gigs)

    def create_special_payment(
        self, data: Optional[Mapping[str, Any]] = None, /, *, idempotency_key: Optional[str] = None, **fields: Unpack[SpecialPaymentFields]
    ) -> SpecialPayment:
        """Pays a bonus or reimbursement. Pass your own ``idempotency_key``
        (from your payment id) to make re-running a script safe; otherwise
        one is generated per call and protects its retries."""
        return self._run(ops.call("createSpecialPayment", data, fields, idempotencyKey=idempotency_key), SpecialPayment)

    def get_special_payment(self, id: str) -> SpecialPayment:
        """Reads a special payment by the id Lean gave it."""
        return self._run(ops.call("getSpecialPayment", id=id), SpecialPayment)

    def list_special_payments(self) -> ResultList[SpecialPayment]:
        """Every special payment."""
        return self._run(ops.call("listSpecialPayments"), _payments)


class AsyncLeanClient(_Base, _AsyncClient):
    """:class:`LeanClient` for asyncio: the same methods, awaited. The
    default transport is one pooled ``httpx.AsyncClient`` per client;
    ``transport`` may be any coroutine function ``HttpRequest ->
    HttpResponse``. Use it as ``async with AsyncLeanClient(...) as client``
    (or call :meth:`aclose`) to close its connections."""

    def __init__(
        self,
        api_key: str,
        environment: str = "sandbox",
        base_url: Optional[str] = None,
        transport: Optional[AsyncTransport] = None,
        max_retries: int = 2,
        *,
        timeout: float = 30.0,
        initial_backoff: float = 0.5,
        max_backoff: float = 5.0,
        max_retry_after: float = 60.0,
    ) -> None:
        super().__init__(api_key, environment, base_url, max_retries, timeout, initial_backoff, max_backoff, max_retry_after)
        self._use(transport, self.config.timeout)

    async def _run(self, spec: Dict[str, Any], convert: Callable[[Any], T]) -> T:
        return await _engine.perform_async(self._steps(spec, convert), self._transport)

    async def create_customer(self, data: Optional[Mapping[str, Any]] = None, /, **fields: Unpack[CustomerFields]) -> Customer:
        """See :meth:`LeanClient.create_customer`."""
        return await self._run(ops.call("createCustomer", data, fields), Customer)

    async def get_customer(self, partner_user_id: str) -> Customer:
        """See :meth:`LeanClient.get_customer`."""
        return await self._run(ops.call("getCustomer", partnerUserId=partner_user_id), Customer)

    async def update_customer(
        self, partner_user_id: str, data: Optional[Mapping[str, Any]] = None, /, **fields: Unpack[CustomerUpdateFields]
    ) -> Customer:
        """See :meth:`LeanClient.update_customer`."""
        return await self._run(ops.call("updateCustomer", data, fields, partnerUserId=partner_user_id), Customer)

    async def submit_application(self, partner_user_id: str) -> Application:
        """See :meth:`LeanClient.submit_application`."""
        return await self._run(ops.call("submitApplication", partnerUserId=partner_user_id), Application)

    async def create_gig(self, data: Optional[Mapping[str, Any]] = None, /, **fields: Unpack[GigFields]) -> Gig:
        """See :meth:`LeanClient.create_gig`."""
        return await self._run(ops.call("createGig", data, fields), Gig)

    async def get_gig(self, gig_id: str) -> Gig:
        """See :meth:`LeanClient.get_gig`."""
        return await self._run(ops.call("getGig", gigId=gig_id), Gig)

    async def list_gigs(self) -> ResultList[Gig]:
        """See :meth:`LeanClient.list_gigs`."""
        return await self._run(ops.call("listGigs"), _gigs)

    async def create_special_payment(
        self, data: Optional[Mapping[str, Any]] = None, /, *, idempotency_key: Optional[str] = None, **fields: Unpack[SpecialPaymentFields]
    ) -> SpecialPayment:
        """See :meth:`LeanClient.create_special_payment`."""
        return await self._run(ops.call("createSpecialPayment", data, fields, idempotencyKey=idempotency_key), SpecialPayment)

    async def get_special_payment(self, id: str) -> SpecialPayment:
        """See :meth:`LeanClient.get_special_payment`."""
        return await self._run(ops.call("getSpecialPayment", id=id), SpecialPayment)

    async def list_special_payments(self) -> ResultList[SpecialPayment]:
        """See :meth:`LeanClient.list_special_payments`."""
        return await self._run(ops.call("listSpecialPayments"), _payments)


