"""What each request of a call did, for the result and every error: the
answer's status and request id (what Lean's support asks for), or how the
attempt failed below HTTP, and how long it took.

The values come from the core's attempt list (``Attempt::to_json``), read
here once; nothing is derived in Python."""

from __future__ import annotations

from datetime import timedelta

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, Optional, Tuple

__all__ = ["Attempt"]


class Attempt:
    """One request a call sent, and how it ended. Immutable.

    ``number`` counts from 1 over the whole call, lookups included;
    ``phase`` is ``"operation"``, or ``"lookup"`` for the read that checks
    what an uncertain create made. ``status`` and ``request_id`` are the
    answer's (``None`` when there was no answer, or no request id header);
    ``transport_error`` is ``"connect"``, ``"timeout"`` or ``"other"`` when
    the attempt failed below HTTP. ``elapsed`` is how long it took (``None``
    when the attempt never ended, as when the call was interrupted).
    Quote ``request_id`` to Lean's support.
    """

    __slots__ = ("number", "phase", "status", "request_id", "transport_error", "elapsed")

    number: int
    phase: str
    status: Optional[int]
    request_id: Optional[str]
    transport_error: Optional[str]
    elapsed: Optional[timedelta]

    def __init__(
        self,
        number: int,
        phase: str,
        status: Optional[int] = None,
        request_id: Optional[str] = None,
        transport_error: Optional[str] = None,
        elapsed: Optional[timedelta] = None,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "number", number)
        set_(self, "phase", phase)
        set_(self, "status", status)
        set_(self, "request_id", request_id)
        set_(self, "transport_error", transport_error)
        set_(self, "elapsed", elapsed)

    @classmethod
    def _from_core(cls, data: Dict[str, Any]) -> Attempt:
        """From the core's JSON form ``{"attempt", "phase", "status"?,
        "requestId"?, "transportError"?, "elapsedMs"?}``."""
        ms = data.get("elapsedMs")
        return cls(
            data["attempt"],
            data["phase"],
            data.get("status"),
            data.get("requestId"),
            data.get("transportError"),
            None if ms is None else timedelta(milliseconds=ms),
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Attempt is immutable: cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Attempt is immutable: cannot delete {name}")

    def _key(self) -> Tuple[Any, ...]:
        return (self.number, self.phase, self.status, self.request_id, self.transport_error, self.elapsed)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Attempt):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        shown = [f"number={self.number}", f"phase={self.phase!r}"]
        for name in ("status", "request_id", "transport_error", "elapsed"):
            value = getattr(self, name)
            if value is not None:
                shown.append(f"{name}={value!r}")
        return f"Attempt({', '.join(shown)})"

    def __reduce__(self) -> Any:
        return (Attempt, self._key())


def attempts_of(items: Optional[Iterable[Dict[str, Any]]]) -> Tuple[Attempt, ...]:
    """The core's attempt list (JSON dicts) as an immutable tuple."""
    return tuple(Attempt._from_core(item) for item in items or ())


Attempt.__module__ = "lean_sdk"
