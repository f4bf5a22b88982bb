"""The exceptions of lean_sdk, one class per error kind of the core.

Every failure is a :class:`LeanError` with a stable ``code`` shared by every
language of the SDK (``validation``, ``not_found``, ``transport``...), so
code written against one host reads the same in another. The native module
builds them through :func:`_from_core` from the core's JSON form of the
error: the details are never re-derived here.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

    from ._attempts import Attempt


class LeanError(Exception):
    """Base of every error the SDK raises; catch it to catch them all.

    ``code`` is the stable machine code (``internal`` for a bug in the SDK,
    including a caught Rust panic). ``attempts`` lists every request the
    call sent before failing (:class:`lean_sdk.Attempt`: status, request
    id, transport failure, time taken), so each request id can be quoted
    to Lean's support; it is empty for an error raised before anything
    was sent (invalid input, configuration).
    """

    code: str
    attempts: Tuple[Attempt, ...]

    def __init__(self, message: str, *, code: str = "internal") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.attempts = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class FieldError:
    """One refused input field: ``field`` is the API's wire name
    (``firstName``), ``code`` the reason (``required``, ``too_long``...)."""

    __slots__ = ("field", "code", "message")

    def __init__(self, field: str, code: str, message: str) -> None:
        self.field = field
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"FieldError(field={self.field!r}, code={self.code!r}, message={self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FieldError):
            return NotImplemented
        return (self.field, self.code, self.message) == (other.field, other.code, other.message)

    def __hash__(self) -> int:
        return hash((self.field, self.code, self.message))


class ValidationError(LeanError):
    """The input was refused before anything was sent. ``errors`` lists
    every failing field at once, so a form can show them all."""

    def __init__(self, message: str, errors: List[FieldError]) -> None:
        super().__init__(message, code="validation")
        self.errors = errors


class ConfigurationError(LeanError):
    """The client is set up wrongly: the key, the base URL, or an
    operation the environment does not offer (an application submitted to
    production)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="configuration")


class ApiError(LeanError):
    """The API answered with an error status (after any retries).

    ``status`` is the HTTP status, ``message`` the API's own message (or a
    description of the status; ``str(error)`` adds the status), ``body`` the raw body text, ``request_id``
    the id to give Lean support, ``retry_after`` the seconds the API asked
    to wait, ``errors`` the field errors the API listed. ``api_code`` is the
    API's own code from the body where it sends one (open banking:
    ``CUSTOMER_ALREADY_EXISTS``, ``INVALID_PARAMETERS``, and ``FAILED`` for a
    data call the bank could not answer, reported with status 200).
    ``granular_status_code`` says why such a ``FAILED`` answer failed, where
    Lean says (``CONSENT_EXPIRED``, ``ACCOUNT_NOT_FOUND``...): branch on it to
    tell a consent the customer must renew from a bank that is down.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "api_error",
        status: int = 0,
        body: str = "",
        api_message: Optional[str] = None,
        request_id: Optional[str] = None,
        retry_after: Optional[float] = None,
        errors: Optional[List[FieldError]] = None,
        api_code: Optional[str] = None,
        granular_status_code: Optional[str] = None,
    ) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.body = body
        # The API's own words; str(error) adds the status for logs.
        self.message = api_message if api_message is not None else message
        self.request_id = request_id
        self.retry_after = retry_after
        self.errors = errors or []
        self.api_code = api_code
        self.granular_status_code = granular_status_code


class BadRequestError(ApiError):
    """400: the API refused the request; never retried."""


class AuthenticationError(ApiError):
    """401: the API key was refused (production keys also need an
    allow-listed IP address); in open banking, the application token, the
    OAuth token or the client credentials."""


class NotFoundError(ApiError):
    """404: no such customer, gig or special payment."""


class RateLimitError(ApiError):
    """429 after every retry: too many requests."""


class ServiceUnavailableError(ApiError):
    """503 after every retry: the API is down for a moment."""


class ServerError(ApiError):
    """Another 5xx after every retry."""


class TransportError(LeanError):
    """The request could not be completed over the network.

    Raised by the clients once retrying is over or not safe. When
    ``outcome_unknown`` is true an attempt may have been applied and was
    not re-sent (the SDK re-sends only what is safe to repeat: reads,
    requests with an idempotency key, gigs looked up by their ``gig_id``):
    look the record up before creating it again. ``idempotency_key`` is the
    ``Idempotency-Key`` every attempt carried (special payments): passing
    it again within 24 hours completes the payment at most once.
    ``sent_ids`` holds the ids you chose that were sent, by wire name
    (``{"gigId": "g1"}``, ``{"app_user_id": "u1"}``): look the record up by
    them. The message says what to do next.

    A custom transport may raise it (or any exception) to report a failed
    attempt; ``kind`` then tells the engine whether the request may have
    been applied: ``"connect"`` (it was not), ``"timeout"`` or ``"other"``
    (what any other exception counts as).
    """

    def __init__(
        self,
        message: str,
        *,
        outcome_unknown: bool = False,
        kind: str = "other",
        idempotency_key: Optional[str] = None,
        sent_ids: Optional[Dict[str, str]] = None,
    ) -> None:
        super().__init__(message, code="transport")
        self.outcome_unknown = outcome_unknown
        self.kind = kind
        self.idempotency_key = idempotency_key
        self.sent_ids: Dict[str, str] = dict(sent_ids or {})


class InvalidResponseError(LeanError):
    """A success status whose body is not what the API documents.

    ``applied`` is true when the operation was not a read: the API
    answered 2xx, so it applied it (the payment was made) even though the
    answer could not be read. Do not send it again with a fresh key: look
    it up with ``sent_ids`` or ``idempotency_key`` (the key it carried);
    ``body`` is the raw answer.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        body: str = "",
        applied: bool = False,
        idempotency_key: Optional[str] = None,
        sent_ids: Optional[Dict[str, str]] = None,
    ) -> None:
        super().__init__(message, code="invalid_response")
        self.status = status
        self.body = body
        self.applied = applied
        self.idempotency_key = idempotency_key
        self.sent_ids: Dict[str, str] = dict(sent_ids or {})


class RedirectError(LeanError):
    """The server answered with a redirect (3xx), which the SDK never
    follows: credentials stay on the configured origin. ``status`` is the
    status, ``location`` the ``Location`` it pointed to (``None`` when
    absent). Configure the base URL the redirect names if you trust it."""

    def __init__(self, message: str, *, status: int = 0, location: Optional[str] = None) -> None:
        super().__init__(message, code="redirect")
        self.status = status
        self.location = location


class ConflictError(LeanError):
    """A retried create found a record with the same id but different
    content: the id was reused for another payout. Nothing new was made."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="conflict")


class WebhookSignatureError(LeanError):
    """A webhook's signature is missing (``signature_missing``), malformed
    (``signature_malformed``) or wrong (``signature_mismatch``). Answer the
    request with 400 and do not act on it."""

    def __init__(self, message: str, *, code: str = "signature_mismatch") -> None:
        super().__init__(message, code=code)


class WebhookPayloadError(LeanError):
    """A correctly signed webhook body that is not a valid event envelope."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="invalid_payload")


class WebhookBodyTooLargeError(LeanError):
    """A webhook request body longer than the reader's ``limit`` (by its
    ``Content-Length``, or by what arrived): answer HTTP 413. Nothing past
    the limit was read. ``status`` is 413."""

    status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the webhook body is larger than {limit} bytes, so it was not read: answer 413 "
            "(pass limit= to the body reader if your webhooks are genuinely larger)",
            code="payload_too_large",
        )
        self.limit = limit


_API_CLASSES = {
    "bad_request": BadRequestError,
    "unauthorized": AuthenticationError,
    "not_found": NotFoundError,
    "rate_limited": RateLimitError,
    "service_unavailable": ServiceUnavailableError,
    "server_error": ServerError,
    "api_error": ApiError,
}


def _field_errors(items: Any) -> List[FieldError]:
    return [FieldError(e["field"], e["code"], e["message"]) for e in items or ()]


def _from_core(error: Dict[str, Any]) -> LeanError:
    """Builds the exception for the core's JSON form of an error, with the
    attempts the call made."""
    built = _build(error)
    attempts = error.get("attempts")
    if attempts:
        from ._attempts import attempts_of

        built.attempts = attempts_of(attempts)
    return built


def _build(error: Dict[str, Any]) -> LeanError:
    code = error.get("code", "internal")
    message = error.get("message", "")
    if code == "validation":
        return ValidationError(message, _field_errors(error.get("fieldErrors")))
    if code == "configuration":
        return ConfigurationError(message)
    if code in _API_CLASSES:
        wait = error.get("retryAfterMs")
        return _API_CLASSES[code](
            message,
            code=code,
            status=error.get("status", 0),
            body=error.get("body", ""),
            api_message=error.get("apiMessage"),
            request_id=error.get("requestId"),
            retry_after=None if wait is None else wait / 1000,
            errors=_field_errors(error.get("fieldErrors")),
            api_code=error.get("apiCode"),
            granular_status_code=error.get("granularStatusCode"),
        )
    if code == "transport":
        return TransportError(
            message,
            outcome_unknown=bool(error.get("outcomeUnknown")),
            idempotency_key=error.get("idempotencyKey"),
            sent_ids=error.get("sentIds"),
        )
    if code == "invalid_response":
        return InvalidResponseError(
            message,
            status=error.get("status", 0),
            body=error.get("body", ""),
            applied=bool(error.get("applied")),
            idempotency_key=error.get("idempotencyKey"),
            sent_ids=error.get("sentIds"),
        )
    if code == "redirect":
        return RedirectError(message, status=error.get("status", 0), location=error.get("location"))
    if code == "conflict":
        return ConflictError(message)
    if code.startswith("signature_"):
        return WebhookSignatureError(message, code=code)
    if code == "invalid_payload":
        return WebhookPayloadError(message)
    return LeanError(message, code=code)


def _error_classes(base: type) -> List[type]:
    subclasses: List[type] = base.__subclasses__()
    return [base, *(c for sub in subclasses for c in _error_classes(sub))]


# Shown as lean_sdk.NotFoundError in tracebacks, where users import them
# (every class here is exported by lean_sdk).
for _class in (FieldError, *_error_classes(LeanError)):
    _class.__module__ = "lean_sdk"
