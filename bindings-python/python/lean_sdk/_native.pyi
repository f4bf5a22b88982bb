"""Type stubs of the native module (Rust, pyo3). Checked against the built
module by ``mypy.stubtest`` in the tests, so a stale stub fails."""

from typing import Any, Dict, Iterable, List, Optional, Tuple, Union, final

from typing_extensions import disjoint_base

__all__ = ["SDK_VERSION", "Config", "Call", "WebhookVerifier", "sign", "validate", "_trigger_panic"]

SDK_VERSION: str

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
class Call:
    """One operation driven by the core's call engine."""

    def __new__(cls, config: Config, call: Dict[str, Any], entropy: bytes) -> Call: ...
    def poll(self) -> Tuple[Any, ...]: ...
    def on_response(self, status: int, headers: List[Tuple[str, str]], body: bytes) -> None: ...
    def on_transport_error(self, kind: str, message: str) -> None: ...
    @property
    def idempotency_key(self) -> Optional[str]: ...
    @property
    def attempts(self) -> int: ...

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
