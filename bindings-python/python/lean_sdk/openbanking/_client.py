"""The open-banking clients: one method per API operation, sync and
async, each over one pooled ``httpx`` client by default, both driving the
core's call engine
with the payouts clients' own transports and engine loop.

Authentication is an application token, an access token obtained
elsewhere, or OAuth client credentials: then the client follows the core's
token policy (one shared fetch, renewal before expiry by the host's clock,
after a 401 one renewal and one retry), sending the token requests it
asks for and waiting while another caller's fetch is under way.
"""

from __future__ import annotations

import os
import sys
import time

from .. import _log, _native
from .._engine import perform, perform_async, steps
from .._errors import AuthenticationError, ConfigurationError, TransportError
from .._http import HttpResponse, _failure, _request
from .._models import ResultList, _returned
from .._transports import _AsyncClient, _SyncClient
from . import _calls as calls
from ._tls import ssl_context

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Mapping, Optional, Tuple, TypeVar, Union

    from typing_extensions import Unpack

    from .._engine import AsyncTransport, Steps, Transport
    from ._calls import Day
    from ._models import (
        Bank, Customer, CustomerPage, DataPage, DataRefresh, DataResult, Destination, Entity, Payment, PaymentIntent,
    )
    from ._tls import Cert, Pem
    from ._types import DestinationFields, NewCustomerFields, PaymentIntentFields

    T = TypeVar("T")

__all__ = ["OpenBankingClient", "AsyncOpenBankingClient"]

_HOST = "python/{}.{}.{}".format(*sys.version_info[:3])


_decoder: Any = None


def _decode(text: str) -> Any:
    """A result's JSON text, every fractional number a ``Decimal`` (one
    decoder, made on first use: json and decimal load then, not at import)."""
    global _decoder
    if _decoder is None:
        import json
        from decimal import Decimal

        _decoder = json.JSONDecoder(parse_float=Decimal)
    return _decoder.decode(text)


class _Base:
    """Configuration shared by both clients: environment, credentials,
    TLS, retries."""

    environment: _native.Environment

    def __init__(
        self,
        app_token: Optional[str],
        client_id: Optional[str],
        client_secret: Optional[str],
        access_token: Optional[str],
        customer_scope: Optional[str],
        environment: Union[str, _native.Environment],
        base_url: Optional[str],
        token_base_url: Optional[str],
        cert: Optional[Cert],
        ca: Optional[Pem],
        cert_password: Optional[str],
        custom_transport: bool,
        max_retries: int,
        timeout: Optional[float],
        initial_backoff: float,
        max_backoff: float,
        max_retry_after: float,
        token_renewal_margin: float,
    ) -> None:
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or not 0 <= max_retries <= 100:
            raise ConfigurationError(f"max_retries must be an int from 0 to 100, got {max_retries!r}")
        env = self._environment(environment, base_url, token_base_url)
        #: Where calls go: ``environment.api_base_url``, ``requires_mtls``...
        self.environment = env
        self._config = _native.ObConfig(
            env, max_retries, None if timeout is None else float(timeout), float(initial_backoff), float(max_backoff), float(max_retry_after), _HOST
        )
        given = [name for name, value in (("app_token", app_token), ("client_id", client_id), ("access_token", access_token)) if value is not None]
        if len(given) != 1 or (client_secret is not None and client_id is None):
            raise ConfigurationError(
                "pass one way to authenticate: app_token= (the lean-app-token), or client_id= and client_secret= "
                "(OAuth client credentials), or access_token= (a token obtained elsewhere)"
                + (f"; got {' and '.join(given)}" if len(given) > 1 else "")
            )
        self._fixed: Optional[_native.ObAuth] = None
        self._tokens: Optional[_native.TokenPolicy] = None
        for name, value in (("app_token", app_token), ("client_id", client_id), ("client_secret", client_secret), ("access_token", access_token)):
            if value is not None and not isinstance(value, str):
                raise ConfigurationError(f"{name} must be a str, got {type(value).__name__}")
        if app_token is not None:
            self._fixed = _native.ObAuth.app_token(app_token)
        elif access_token is not None:
            self._fixed = _native.ObAuth.bearer(access_token)
        else:
            if client_id is None or client_secret is None:
                raise ConfigurationError("client_id= needs client_secret= (OAuth client credentials)")
            self._tokens = _native.TokenPolicy(client_id, client_secret, env, customer_scope, float(token_renewal_margin))
        if customer_scope is not None and self._tokens is None:
            raise ConfigurationError("customer_scope= limits the OAuth tokens the client fetches: it needs client_id= and client_secret=")
        if custom_transport:
            if cert is not None or ca is not None:
                raise ConfigurationError("cert= and ca= configure the built-in transport; a custom transport presents its own certificates")
            self._ssl = None
        else:
            if env.requires_mtls and cert is None:
                raise ConfigurationError(
                    f"{env.name} requires mutual TLS: pass the client certificate and private key from the Lean "
                    "developer portal, cert=(\"client.pem\", \"client.key\") (paths or PEM bytes), and Lean's "
                    "certificate chain, ca=\"lean-chain.pem\""
                )
            self._ssl = ssl_context(cert, ca, cert_password)

    @staticmethod
    def _environment(environment: Union[str, _native.Environment], base_url: Optional[str], token_base_url: Optional[str]) -> _native.Environment:
        if isinstance(environment, _native.Environment):
            env = environment
        elif isinstance(environment, str):
            env = _native.Environment(environment)
        else:
            raise ConfigurationError(f"environment must be a name such as \"uae-sandbox\" or an Environment, got {type(environment).__name__}")
        if base_url is not None:
            # Another host (a proxy, the local sandbox) for the same kind of
            # environment: its mTLS requirement stays.
            return _native.Environment.custom(base_url, token_base_url, env.requires_mtls)
        return env if token_base_url is None else env.with_token_base_url(token_base_url)

    def _steps(self, spec: Dict[str, Any], convert: Callable[[Any], T]) -> Steps[T]:
        """One call, for either client to perform: with the fixed
        credential, or with the token policy's, which the client obtains
        for ``("token", policy, ticket)`` (``_auth``); after a 401 the
        policy may renew the token and send the call once more."""
        tokens = self._tokens
        if tokens is None:
            assert self._fixed is not None
            value, attempts = yield from steps(self._call(self._fixed, spec))
            return _returned(convert(_decode(value)), attempts)
        ticket = _native.TokenTicket()
        while True:
            auth = yield "token", tokens, ticket  # a refused token request is not the call's 401
            try:
                value, attempts = yield from steps(self._call(auth, spec))
            except AuthenticationError:
                if not self._renew_after_401(tokens, ticket):
                    raise
                continue
            return _returned(convert(_decode(value)), attempts)

    def _renew_after_401(self, tokens: _native.TokenPolicy, ticket: _native.TokenTicket) -> bool:
        """Reports a 401 to the policy: true when the call is sent once more."""
        return _unauthorized(tokens, ticket)

    def _call(self, auth: _native.ObAuth, spec: Dict[str, Any]) -> _native.ObCall:
        return _native.ObCall(self._config, auth, spec, os.urandom(32))

    def __repr__(self) -> str:
        auth = "oauth" if self._tokens is not None else self._fixed.kind if self._fixed is not None else "none"
        return f"{type(self).__name__}(environment={self.environment.name!r}, api_base_url={self.environment.api_base_url!r}, auth={auth!r})"


def _poll_tokens(tokens: _native.TokenPolicy, ticket: _native.TokenTicket) -> Tuple[Any, ...]:
    """The policy's decision for one call. Its events (token fetches,
    renewals, refusals) are recorded while the ``lean_sdk`` logger is
    enabled, and written after each step the policy takes."""
    tokens.record_events(_log.recording())
    try:
        return tokens.poll(ticket, time.time())
    finally:
        _token_events(tokens)


def _token_events(tokens: _native.TokenPolicy) -> None:
    if _log.recording():
        _log.emit(tokens.take_events())


def _unauthorized(tokens: _native.TokenPolicy, ticket: _native.TokenTicket) -> bool:
    """Reports a 401 to the policy: true when the call is sent once more."""
    try:
        return tokens.on_unauthorized(ticket)
    finally:
        _token_events(tokens)


def _report_fetch(tokens: _native.TokenPolicy, ticket: _native.TokenTicket, outcome: object) -> None:
    try:
        _report_outcome(tokens, ticket, outcome)
    finally:
        _token_events(tokens)


def _report_outcome(tokens: _native.TokenPolicy, ticket: _native.TokenTicket, outcome: object) -> None:
    """Reports the outcome of this caller's token fetch (an answer, or what
    the transport raised) to the policy, and raises what the caller must:
    the token endpoint's refusal, the transport's failure, or the
    interruption itself. The callers waiting for the fetch get the same
    error from their next poll."""
    if isinstance(outcome, HttpResponse):
        headers = [(str(k), str(v)) for k, v in outcome.headers.items()]
        tokens.on_token_response(ticket, outcome.status, headers, outcome.body, time.time())
    elif isinstance(outcome, Exception):
        raise tokens.on_token_transport_error(ticket, *_failure(outcome)) from outcome
    elif isinstance(outcome, BaseException):
        tokens.on_token_failed(ticket, type(outcome).__name__)
        raise outcome
    else:
        tokens.on_token_failed(ticket, "TypeError")
        raise TypeError(f"a transport must return lean_sdk.HttpResponse, got {type(outcome).__name__}")


def _token_failure(error: BaseException) -> TransportError:
    return TransportError(f"the OAuth token request failed: {_failure(error)[1]}")


def _customer_token_step(tokens: Optional[_native.TokenPolicy], customer_id: str) -> Tuple[Any, ...]:
    if tokens is None:
        raise ConfigurationError("customer_token needs OAuth client credentials: client_id= and client_secret=")
    return tokens.customer_token_request(customer_id)


def _token(response: Any) -> _native.Token:
    if not isinstance(response, HttpResponse):
        raise TypeError(f"a transport must return lean_sdk.HttpResponse, got {type(response).__name__}")
    headers = [(str(k), str(v)) for k, v in response.headers.items()]
    return _native.Token.parse(response.status, headers, response.body, time.time())


class OpenBankingClient(_Base, _SyncClient):
    """Lean's open-banking API (bank data and payments), synchronously.

    Authenticate with ``app_token`` (the ``lean-app-token``), with OAuth
    ``client_id`` and ``client_secret`` (tokens fetched and renewed for
    you; ``customer_scope`` limits them to one customer), or with an
    ``access_token`` obtained elsewhere.

    ``environment`` is ``"uae-sandbox"`` (default), ``"uae-sandbox-mtls"``,
    ``"uae-production"``, ``"ksa-sandbox"``, ``"ksa-production"`` or an
    :class:`Environment`; ``base_url`` (and ``token_base_url``) point at
    another host, such as the local sandbox (keeping the environment's
    mTLS requirement). Production requires mutual
    TLS: ``cert=("client.pem", "client.key")`` and ``ca="lean-chain.pem"``
    (paths or PEM bytes). The default transport is one pooled
    ``httpx.Client`` per client (sequential calls, and the OAuth token
    request, share a kept-alive connection); ``transport`` replaces it with
    any callable ``HttpRequest -> HttpResponse`` (which then brings its own
    TLS). Use the client as ``with OpenBankingClient(...) as client`` (or
    call :meth:`close`) to close its connections. Reads are retried up to
    ``max_retries`` times; creating a customer that already exists returns
    the existing one.

    ``timeout`` (seconds per attempt) defaults to the core's 65 s: Lean
    may hold a synchronous data call for 50 s before answering
    ``PENDING``, and a shorter timeout would retry it, starting the bank's
    fetch again. Where waiting is unwelcome, pass ``async_=True`` to the
    data calls and take the results from the ``results.ready`` webhook.
    """

    def __init__(
        self,
        app_token: Optional[str] = None,
        *,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        access_token: Optional[str] = None,
        customer_scope: Optional[str] = None,
        environment: Union[str, _native.Environment] = "uae-sandbox",
        base_url: Optional[str] = None,
        token_base_url: Optional[str] = None,
        cert: Optional[Cert] = None,
        ca: Optional[Pem] = None,
        cert_password: Optional[str] = None,
        transport: Optional[Transport] = None,
        max_retries: int = 2,
        timeout: Optional[float] = None,
        initial_backoff: float = 0.5,
        max_backoff: float = 5.0,
        max_retry_after: float = 60.0,
        token_renewal_margin: float = 60.0,
    ) -> None:
        import threading

        super().__init__(
            app_token, client_id, client_secret, access_token, customer_scope, environment, base_url, token_base_url,
            cert, ca, cert_password, transport is not None, max_retries, timeout, initial_backoff, max_backoff,
            max_retry_after, token_renewal_margin,
        )
        self._use(transport, self._config.timeout, self._ssl)
        # Guards the token policy; notified when a token fetch is reported.
        self._token_changed = threading.Condition()

    def _auth(self, tokens: _native.TokenPolicy, ticket: _native.TokenTicket) -> _native.ObAuth:
        """The token policy's authentication for one call: this thread
        fetches the token for every caller, or waits for the one that does."""
        with self._token_changed:
            while True:
                step = _poll_tokens(tokens, ticket)
                if step[0] == "use":
                    auth: _native.ObAuth = step[1]
                    return auth
                if step[0] == "wait":
                    self._token_changed.wait()
                    continue
                self._token_changed.release()  # others keep using a token still valid meanwhile
                try:
                    outcome: object = self._transport(_request(step))
                except BaseException as error:  # every outcome is reported: callers wait for it
                    outcome = error
                finally:
                    self._token_changed.acquire()
                try:
                    _report_fetch(tokens, ticket, outcome)
                finally:
                    self._token_changed.notify_all()

    def _renew_after_401(self, tokens: _native.TokenPolicy, ticket: _native.TokenTicket) -> bool:
        with self._token_changed:
            return _unauthorized(tokens, ticket)

    def _run(self, spec: Dict[str, Any], convert: Callable[[Any], T]) -> T:
        return perform(self._steps(spec, convert), self._transport, self._auth)

    def customer_token(self, customer_id: str) -> _native.Token:
        """Mints an access token limited to one customer (scope
        ``customer.<id>``) with the client credentials, for the Link SDK on
        that customer's device: hand over ``token.access_token``, never the
        client secret. The client's own token is not touched."""
        step = _customer_token_step(self._tokens, customer_id)
        try:
            response = self._transport(_request(step))
        except Exception as error:  # any transport failure, as in the call loop
            raise _token_failure(error) from error
        return _token(response)

    def create_customer(self, data: Optional[Mapping[str, Any]] = None, /, **fields: Unpack[NewCustomerFields]) -> Customer:
        """Creates a customer for your ``app_user_id``; when one exists
        already (409 ``CUSTOMER_ALREADY_EXISTS``) it is returned instead, so
        calling again is safe."""
        return self._run(*calls.create_customer(data, fields))

    def get_customer(self, customer_id: str) -> Customer:
        """Reads a customer by Lean's ``customer_id``."""
        return self._run(*calls.get_customer(customer_id))

    def get_customer_by_app_user_id(self, app_user_id: str) -> Customer:
        """Reads a customer by your own ``app_user_id``."""
        return self._run(*calls.get_customer_by_app_user_id(app_user_id))

    def list_customers(self, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> CustomerPage:
        """One page of customers (``page_number`` from 0)."""
        return self._run(*calls.list_customers(page_number, page_size))

    def list_entities(self, customer_id: str) -> ResultList[Entity]:
        """The banks a customer connected."""
        return self._run(*calls.list_entities(customer_id))

    def get_entity(self, customer_id: str, entity_id: str) -> Entity:
        """One connected bank."""
        return self._run(*calls.get_entity(customer_id, entity_id))

    def get_identity(self, entity_id: str, *, async_: bool = False) -> DataResult:
        """The account holder's identity. With ``async_=True`` the answer
        is ``PENDING`` with a ``results_id``: fetch it with
        :meth:`get_data_results` after the ``results.ready`` webhook."""
        return self._run(*calls.data("getIdentity", entity_id, None, async_))

    def get_accounts(self, entity_id: str, *, async_: bool = False) -> DataResult:
        """The entity's accounts (``async_`` as for :meth:`get_identity`)."""
        return self._run(*calls.data("getAccounts", entity_id, None, async_))

    def get_balance(self, entity_id: str, account_id: str, *, async_: bool = False) -> DataResult:
        """An account's balance (amounts are ``Decimal``; ``async_`` as for
        :meth:`get_identity`)."""
        return self._run(*calls.data("getBalance", entity_id, account_id, async_))

    def get_transactions(
        self, entity_id: str, account_id: str, *, async_: bool = False, start_date: Optional[Day] = None,
        end_date: Optional[Day] = None, insights: bool = False,
    ) -> DataResult:
        """An account's transactions (``async_`` as for :meth:`get_identity`).
        ``start_date`` and ``end_date`` (``"YYYY-MM-DD"`` or
        ``datetime.date``, both days included) fetch only those days from
        the bank, which is quicker than all of them; ``insights=True`` asks
        Lean for its income and spending summary beside them."""
        return self._run(*calls.data("getTransactions", entity_id, account_id, async_, start_date, end_date, insights))

    def get_data_results(self, results_id: str) -> DataResult:
        """The data of a ``PENDING`` answer, once ``results.ready`` arrived."""
        return self._run(*calls.get_data_results(results_id))

    def create_payment_intent(self, data: Optional[Mapping[str, Any]] = None, /, **fields: Unpack[PaymentIntentFields]) -> PaymentIntent:
        """Asks a customer to pay ``amount`` (``str``, ``int`` or
        ``Decimal``; never ``float``) in ``currency``. Not retried once it
        may have reached Lean: a ``TransportError`` with
        ``outcome_unknown`` means look for it before creating another."""
        return self._run(*calls.create_payment_intent(data, fields))

    def get_payment_intent(self, payment_intent_id: str) -> PaymentIntent:
        """Reads a payment intent and the payments made against it."""
        return self._run(*calls.get_payment_intent(payment_intent_id))

    def create_payment_destination(self, data: Optional[Mapping[str, Any]] = None, /, **fields: Unpack[DestinationFields]) -> Destination:
        """Registers a bank account payments can go to (the IBAN's check
        digits are verified before sending)."""
        return self._run(*calls.create_payment_destination(data, fields))

    def list_payment_destinations(self) -> ResultList[Destination]:
        """Every payment destination."""
        return self._run(*calls.list_payment_destinations())

    def list_banks(self, account_types: Optional[str] = None) -> ResultList[Bank]:
        """The banks Lean supports, for a bank picker of your own; only
        those offering ``account_types`` (``"PERSONAL"``, ``"BUSINESS"``)
        when given."""
        return self._run(*calls.list_banks(account_types))

    def get_payment(self, payment_id: str) -> Payment:
        """Reads one payment made against an intent (the ``id`` of the
        ``payment.created`` webhook), for its current ``status``."""
        return self._run(*calls.get_payment(payment_id))

    def list_payment_intents(self) -> ResultList[PaymentIntent]:
        """Every payment intent of the application (``amount`` a
        ``Decimal``), with the payments made against each: to reconcile
        intents whose webhooks were missed."""
        return self._run(*calls.list_payment_intents())

    def list_entities_by_date(self, start_date: Day, end_date: Day, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> ResultList[Entity]:
        """The entities (bank connections) of every customer made from
        ``start_date`` to ``end_date`` (``"YYYY-MM-DD"`` or
        ``datetime.date``, both days included), one page at a time: to find
        the connections made while ``entity.created`` webhooks were not
        received."""
        return self._run(*calls.list_entities_by_date(start_date, end_date, page_number, page_size))

    def list_accounts(self, entity_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """The entity's accounts as Lean holds them since the last refresh, one page at a time:
        answered at once, unlike :meth:`get_accounts`, which asks the bank. Each record's
        ``account_id`` is the ``account_id`` of the per-account reads."""
        return self._run(*calls.data_page("listAccounts", entity_id, None, page_number, page_size))

    def list_identities(self, entity_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """The account holder's identity as Lean holds it since the last refresh, one page at a time
        (see :meth:`list_accounts`)."""
        return self._run(*calls.data_page("listIdentities", entity_id, None, page_number, page_size))

    def list_account_balances(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """One account's balances as Lean holds them since the last refresh, one page at a time:
        answered at once, where :meth:`get_balance` asks the bank. Amounts are their exact text,
        for ``Decimal``."""
        return self._run(*calls.data_page("listAccountBalances", entity_id, account_id, page_number, page_size))

    def list_account_transactions(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """One account's transactions as Lean holds them since the last refresh, a page at a time
        (``page_size`` records from ``page_number``, from 0): for reading a long history without
        holding it all at once."""
        return self._run(*calls.data_page("listAccountTransactions", entity_id, account_id, page_number, page_size))

    def list_account_identities(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """The identities of one account's holders (a joint account has several), a page at a time."""
        return self._run(*calls.data_page("listAccountIdentities", entity_id, account_id, page_number, page_size))

    def list_account_beneficiaries(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """The payees saved on one account at the bank, a page at a time: to see whom the customer
        pays."""
        return self._run(*calls.data_page("listAccountBeneficiaries", entity_id, account_id, page_number, page_size))

    def list_account_direct_debits(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """One account's direct debits (mandates that let a company take payments), a page at a
        time: recurring commitments an affordability check must count."""
        return self._run(*calls.data_page("listAccountDirectDebits", entity_id, account_id, page_number, page_size))

    def list_account_standing_orders(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """One account's standing orders (recurring payments the customer set up), a page at a time."""
        return self._run(*calls.data_page("listAccountStandingOrders", entity_id, account_id, page_number, page_size))

    def list_account_scheduled_payments(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """One account's scheduled future payments, a page at a time: money already committed."""
        return self._run(*calls.data_page("listAccountScheduledPayments", entity_id, account_id, page_number, page_size))

    def create_data_refresh(self, entity_id: str) -> DataRefresh:
        """Asks Lean to fetch an entity's data from its bank again, so that
        the data v2 reads (:meth:`list_accounts`...) return today's data.
        Answers at once with ``status`` ``IN_PROGRESS``; the
        ``entity.data.refresh.updated`` webhook (or :meth:`get_data_refresh`)
        says when it is done. Not retried once it may have reached Lean: a
        ``TransportError`` with ``outcome_unknown`` means look at
        :meth:`list_data_refreshes` before asking again."""
        return self._run(*calls.create_data_refresh(entity_id))

    def get_data_refresh(self, refresh_id: str) -> DataRefresh:
        """One refresh, for its ``status`` and, once done, its
        ``data_status``: which kinds of data the bank provided."""
        return self._run(*calls.get_data_refresh(refresh_id))

    def list_data_refreshes(self, entity_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> ResultList[DataRefresh]:
        """An entity's refreshes, one page at a time: to tell whether one is
        under way before starting another."""
        return self._run(*calls.list_data_refreshes(entity_id, page_number, page_size))


class AsyncOpenBankingClient(_Base, _AsyncClient):
    """:class:`OpenBankingClient` for asyncio: the same arguments and
    methods, awaited. The default transport is one pooled
    ``httpx.AsyncClient`` per client; ``transport`` may be any coroutine
    function ``HttpRequest -> HttpResponse``. Use it as ``async with`` (or
    call :meth:`aclose`) to close its connections."""

    def __init__(
        self,
        app_token: Optional[str] = None,
        *,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        access_token: Optional[str] = None,
        customer_scope: Optional[str] = None,
        environment: Union[str, _native.Environment] = "uae-sandbox",
        base_url: Optional[str] = None,
        token_base_url: Optional[str] = None,
        cert: Optional[Cert] = None,
        ca: Optional[Pem] = None,
        cert_password: Optional[str] = None,
        transport: Optional[AsyncTransport] = None,
        max_retries: int = 2,
        timeout: Optional[float] = None,
        initial_backoff: float = 0.5,
        max_backoff: float = 5.0,
        max_retry_after: float = 60.0,
        token_renewal_margin: float = 60.0,
    ) -> None:
        super().__init__(
            app_token, client_id, client_secret, access_token, customer_scope, environment, base_url, token_base_url,
            cert, ca, cert_password, transport is not None, max_retries, timeout, initial_backoff, max_backoff,
            max_retry_after, token_renewal_margin,
        )
        self._use(transport, self._config.timeout, self._ssl)
        self._fetched: Optional[Any] = None  # an asyncio.Event, set when the fetch under way is reported

    async def _auth(self, tokens: _native.TokenPolicy, ticket: _native.TokenTicket) -> _native.ObAuth:
        """See :meth:`OpenBankingClient._auth`; one event loop, so no lock."""
        import asyncio

        while True:
            step = _poll_tokens(tokens, ticket)
            if step[0] == "use":
                auth: _native.ObAuth = step[1]
                return auth
            if step[0] == "wait":
                assert self._fetched is not None
                await self._fetched.wait()
                continue
            fetched = self._fetched = asyncio.Event()
            try:
                outcome: object = await self._transport(_request(step))
            except BaseException as error:  # every outcome is reported: callers wait for it
                outcome = error
            try:
                _report_fetch(tokens, ticket, outcome)
            finally:
                fetched.set()

    async def _run(self, spec: Dict[str, Any], convert: Callable[[Any], T]) -> T:
        return await perform_async(self._steps(spec, convert), self._transport, self._auth)

    async def customer_token(self, customer_id: str) -> _native.Token:
        """See :meth:`OpenBankingClient.customer_token`."""
        step = _customer_token_step(self._tokens, customer_id)
        try:
            response = await self._transport(_request(step))
        except Exception as error:  # any transport failure, as in the call loop
            raise _token_failure(error) from error
        return _token(response)

    async def create_customer(self, data: Optional[Mapping[str, Any]] = None, /, **fields: Unpack[NewCustomerFields]) -> Customer:
        """See :meth:`OpenBankingClient.create_customer`."""
        return await self._run(*calls.create_customer(data, fields))

    async def get_customer(self, customer_id: str) -> Customer:
        """See :meth:`OpenBankingClient.get_customer`."""
        return await self._run(*calls.get_customer(customer_id))

    async def get_customer_by_app_user_id(self, app_user_id: str) -> Customer:
        """See :meth:`OpenBankingClient.get_customer_by_app_user_id`."""
        return await self._run(*calls.get_customer_by_app_user_id(app_user_id))

    async def list_customers(self, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> CustomerPage:
        """See :meth:`OpenBankingClient.list_customers`."""
        return await self._run(*calls.list_customers(page_number, page_size))

    async def list_entities(self, customer_id: str) -> ResultList[Entity]:
        """See :meth:`OpenBankingClient.list_entities`."""
        return await self._run(*calls.list_entities(customer_id))

    async def get_entity(self, customer_id: str, entity_id: str) -> Entity:
        """See :meth:`OpenBankingClient.get_entity`."""
        return await self._run(*calls.get_entity(customer_id, entity_id))

    async def get_identity(self, entity_id: str, *, async_: bool = False) -> DataResult:
        """See :meth:`OpenBankingClient.get_identity`."""
        return await self._run(*calls.data("getIdentity", entity_id, None, async_))

    async def get_accounts(self, entity_id: str, *, async_: bool = False) -> DataResult:
        """See :meth:`OpenBankingClient.get_accounts`."""
        return await self._run(*calls.data("getAccounts", entity_id, None, async_))

    async def get_balance(self, entity_id: str, account_id: str, *, async_: bool = False) -> DataResult:
        """See :meth:`OpenBankingClient.get_balance`."""
        return await self._run(*calls.data("getBalance", entity_id, account_id, async_))

    async def get_transactions(
        self, entity_id: str, account_id: str, *, async_: bool = False, start_date: Optional[Day] = None,
        end_date: Optional[Day] = None, insights: bool = False,
    ) -> DataResult:
        """See :meth:`OpenBankingClient.get_transactions`."""
        return await self._run(*calls.data("getTransactions", entity_id, account_id, async_, start_date, end_date, insights))

    async def get_data_results(self, results_id: str) -> DataResult:
        """See :meth:`OpenBankingClient.get_data_results`."""
        return await self._run(*calls.get_data_results(results_id))

    async def create_payment_intent(self, data: Optional[Mapping[str, Any]] = None, /, **fields: Unpack[PaymentIntentFields]) -> PaymentIntent:
        """See :meth:`OpenBankingClient.create_payment_intent`."""
        return await self._run(*calls.create_payment_intent(data, fields))

    async def get_payment_intent(self, payment_intent_id: str) -> PaymentIntent:
        """See :meth:`OpenBankingClient.get_payment_intent`."""
        return await self._run(*calls.get_payment_intent(payment_intent_id))

    async def create_payment_destination(self, data: Optional[Mapping[str, Any]] = None, /, **fields: Unpack[DestinationFields]) -> Destination:
        """See :meth:`OpenBankingClient.create_payment_destination`."""
        return await self._run(*calls.create_payment_destination(data, fields))

    async def list_payment_destinations(self) -> ResultList[Destination]:
        """See :meth:`OpenBankingClient.list_payment_destinations`."""
        return await self._run(*calls.list_payment_destinations())

    async def list_banks(self, account_types: Optional[str] = None) -> ResultList[Bank]:
        """See :meth:`OpenBankingClient.list_banks`."""
        return await self._run(*calls.list_banks(account_types))

    async def get_payment(self, payment_id: str) -> Payment:
        """See :meth:`OpenBankingClient.get_payment`."""
        return await self._run(*calls.get_payment(payment_id))

    async def list_payment_intents(self) -> ResultList[PaymentIntent]:
        """See :meth:`OpenBankingClient.list_payment_intents`."""
        return await self._run(*calls.list_payment_intents())

    async def list_entities_by_date(self, start_date: Day, end_date: Day, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> ResultList[Entity]:
        """See :meth:`OpenBankingClient.list_entities_by_date`."""
        return await self._run(*calls.list_entities_by_date(start_date, end_date, page_number, page_size))

    async def list_accounts(self, entity_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """See :meth:`OpenBankingClient.list_accounts`."""
        return await self._run(*calls.data_page("listAccounts", entity_id, None, page_number, page_size))

    async def list_identities(self, entity_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """See :meth:`OpenBankingClient.list_identities`."""
        return await self._run(*calls.data_page("listIdentities", entity_id, None, page_number, page_size))

    async def list_account_balances(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """See :meth:`OpenBankingClient.list_account_balances`."""
        return await self._run(*calls.data_page("listAccountBalances", entity_id, account_id, page_number, page_size))

    async def list_account_transactions(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """See :meth:`OpenBankingClient.list_account_transactions`."""
        return await self._run(*calls.data_page("listAccountTransactions", entity_id, account_id, page_number, page_size))

    async def list_account_identities(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """See :meth:`OpenBankingClient.list_account_identities`."""
        return await self._run(*calls.data_page("listAccountIdentities", entity_id, account_id, page_number, page_size))

    async def list_account_beneficiaries(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """See :meth:`OpenBankingClient.list_account_beneficiaries`."""
        return await self._run(*calls.data_page("listAccountBeneficiaries", entity_id, account_id, page_number, page_size))

    async def list_account_direct_debits(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """See :meth:`OpenBankingClient.list_account_direct_debits`."""
        return await self._run(*calls.data_page("listAccountDirectDebits", entity_id, account_id, page_number, page_size))

    async def list_account_standing_orders(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """See :meth:`OpenBankingClient.list_account_standing_orders`."""
        return await self._run(*calls.data_page("listAccountStandingOrders", entity_id, account_id, page_number, page_size))

    async def list_account_scheduled_payments(self, entity_id: str, account_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> DataPage:
        """See :meth:`OpenBankingClient.list_account_scheduled_payments`."""
        return await self._run(*calls.data_page("listAccountScheduledPayments", entity_id, account_id, page_number, page_size))

    async def create_data_refresh(self, entity_id: str) -> DataRefresh:
        """See :meth:`OpenBankingClient.create_data_refresh`."""
        return await self._run(*calls.create_data_refresh(entity_id))

    async def get_data_refresh(self, refresh_id: str) -> DataRefresh:
        """See :meth:`OpenBankingClient.get_data_refresh`."""
        return await self._run(*calls.get_data_refresh(refresh_id))

    async def list_data_refreshes(self, entity_id: str, *, page_number: Optional[int] = None, page_size: Optional[int] = None) -> ResultList[DataRefresh]:
        """See :meth:`OpenBankingClient.list_data_refreshes`."""
        return await self._run(*calls.list_data_refreshes(entity_id, page_number, page_size))
