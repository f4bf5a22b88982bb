"""Type stubs of the native module (Rust, pyo3). Checked against the built
module by ``mypy.stubtest`` in the tests, so a stale stub fails."""

from typing import Any, Dict, Iterable, List, Optional, Tuple, Union, final

from typing_extensions import disjoint_base

from ._errors import LeanError

__all__ = [
    "SDK_VERSION", "Config", "Call", "WebhookVerifier", "sign", "validate", "_trigger_panic",
    "Environment", "ObConfig", "ObAuth", "ObCall", "TokenPolicy", "TokenTicket", "Token", "ObWebhookVerifier", "ob_sign", "ob_validate",
    "core_facts",
]

SDK_VERSION: str

# What both APIs' call classes have in common (the native module writes
# these members once for both: call_methods!). A stub only: there is no
# such class at run time.

class _Drive:
    def poll(self) -> Tuple[Any, ...]: ...
    def on_response(
        self, status: int, headers: List[Tuple[str, str]], body: bytes, elapsed: Optional[float] = None
    ) -> None: ...
    def on_transport_error(self, kind: str, message: str, elapsed: Optional[float] = None) -> None: ...
    def interrupt(self, reason: str) -> LeanError: ...
    def record_events(self, on: bool) -> None: ...
    def take_events(self) -> List[Dict[str, Any]]: ...
    @property
    def attempt_log(self) -> List[Dict[str, Any]]: ...
    @property
    def idempotency_key(self) -> Optional[str]: ...
    @property
    def attempts(self) -> int: ...

@final
class Config:
    """The core's configuration; its repr never shows the key."""

    def __new__(
        cls,
        api_key: str,
        environment: str = "sandbox",
        base_url: Optional[str] = None,
        max_retries: int = 2,
        timeout: float = 30.0,
        initial_backoff: float = 0.5,
        max_backoff: float = 5.0,
        max_retry_after: float = 60.0,
        host: str = "python",
    ) -> Config: ...
    @property
    def environment(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    @property
    def max_retries(self) -> int: ...
    @property
    def timeout(self) -> float: ...
    @property
    def user_agent(self) -> str: ...


@final
class Call(_Drive):
    """One operation driven by the core's call engine."""

    def __new__(cls, config: Config, call: Dict[str, Any], entropy: bytes) -> Call: ...

@disjoint_base
class WebhookVerifier:
    """Verifies webhook signatures with precomputed key state."""

    def __new__(cls, secrets: Union[str, bytes, Iterable[Union[str, bytes]]]) -> WebhookVerifier: ...
    def verify(self, payload: Union[bytes, bytearray, memoryview, str], signature: Optional[str]) -> None: ...
    def construct_event_json(
        self, payload: Union[bytes, bytearray, memoryview, str], signature: Optional[str]
    ) -> Dict[str, Any]: ...

def sign(payload: Union[bytes, bytearray, memoryview, str], secret: Union[str, bytes]) -> str: ...
def validate(call: Dict[str, Any]) -> Optional[str]: ...
def _trigger_panic() -> None: ...

# Open banking (lean_sdk.openbanking).

@final
class Environment:
    """An open-banking environment: API host, token host, mTLS."""

    def __new__(cls, name: str = "uae-sandbox") -> Environment: ...
    @staticmethod
    def custom(base_url: str, token_base_url: Optional[str] = None, mtls: bool = False) -> Environment: ...
    def with_token_base_url(self, token_base_url: str) -> Environment: ...
    @property
    def name(self) -> str: ...
    @property
    def api_base_url(self) -> str: ...
    @property
    def token_base_url(self) -> Optional[str]: ...
    @property
    def requires_mtls(self) -> bool: ...
    def token_url(self) -> str: ...

@final
class ObConfig:
    """The open-banking call configuration (no credential)."""

    def __new__(
        cls,
        environment: Environment,
        max_retries: int = 2,
        timeout: Optional[float] = None,
        initial_backoff: float = 0.5,
        max_backoff: float = 5.0,
        max_retry_after: float = 60.0,
        host: str = "python",
    ) -> ObConfig: ...
    @property
    def environment(self) -> Environment: ...
    @property
    def max_retries(self) -> int: ...
    @property
    def timeout(self) -> float: ...
    @property
    def user_agent(self) -> str: ...

@final
class ObAuth:
    """An application token or a bearer token; never shown."""

    @staticmethod
    def app_token(token: str) -> ObAuth: ...
    @staticmethod
    def bearer(token: str) -> ObAuth: ...
    @property
    def kind(self) -> str: ...

@final
class ObCall(_Drive):
    """One open-banking operation driven by the core's call engine."""

    def __new__(cls, config: ObConfig, auth: ObAuth, call: Dict[str, Any], entropy: bytes) -> ObCall: ...

@final
class TokenTicket:
    """One call's part in the token policy."""

    def __new__(cls) -> TokenTicket: ...

@final
class TokenPolicy:
    """The core's OAuth token policy, without I/O."""

    def __new__(
        cls,
        client_id: str,
        client_secret: str,
        environment: Environment,
        customer_scope: Optional[str] = None,
        renewal_margin: float = 60.0,
    ) -> TokenPolicy: ...
    def poll(self, ticket: TokenTicket, now: float) -> Tuple[Any, ...]: ...
    def on_token_response(
        self, ticket: TokenTicket, status: int, headers: List[Tuple[str, str]], body: bytes, now: float
    ) -> None: ...
    def on_token_transport_error(self, ticket: TokenTicket, kind: str, message: str) -> LeanError: ...
    def on_token_failed(self, ticket: TokenTicket, reason: str) -> None: ...
    def on_unauthorized(self, ticket: TokenTicket) -> bool: ...
    def record_events(self, on: bool) -> None: ...
    def take_events(self) -> List[Dict[str, Any]]: ...
    def customer_token_request(self, customer_id: str) -> Tuple[Any, ...]: ...

@final
class Token:
    """An OAuth access token and when it expires."""

    @staticmethod
    def parse(
        status: int, headers: List[Tuple[str, str]], body: bytes, received_at: float, renewal_margin: float = 60.0
    ) -> Token: ...
    @property
    def access_token(self) -> str: ...
    @property
    def expires_at(self) -> float: ...
    @property
    def renew_at(self) -> float: ...
    @property
    def scope(self) -> Optional[str]: ...
    def needs_renewal(self, now: float) -> bool: ...

@disjoint_base
class ObWebhookVerifier:
    """Verifies lean-signature webhooks with precomputed key state."""

    def __new__(cls, secrets: Union[str, bytes, Iterable[Union[str, bytes]]]) -> ObWebhookVerifier: ...
    def verify(self, payload: Union[bytes, bytearray, memoryview, str], signature: Optional[str]) -> None: ...
    def construct_event_json(self, payload: Union[bytes, bytearray, memoryview, str], signature: Optional[str]) -> str: ...

def ob_sign(payload: Union[bytes, bytearray, memoryview, str], secret: Union[str, bytes]) -> str: ...
def ob_validate(call: Dict[str, Any]) -> Optional[str]: ...

def core_facts() -> Dict[str, Any]: ...
