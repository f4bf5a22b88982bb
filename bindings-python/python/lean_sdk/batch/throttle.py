"""A back-off shared by every worker of a batch.

The core already retries each call after a 429 or a 503, waiting as the
API asked; but the other workers would keep sending meanwhile and meet the
same refusal. This transport wraps the client's own and, when any answer
is 429 or 503, holds every following attempt until the API's
``Retry-After`` (or a doubling pause when it names none) has passed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Awaitable, Callable, Optional

from lean_sdk import HttpRequest, HttpResponse

__all__ = ["SharedBackoff"]

log = logging.getLogger("lean_sdk.batch")

_SLOW_DOWN = (429, 503)


class SharedBackoff:
    """An async transport over ``inner`` that pauses all attempts after a
    429 or 503. ``first_pause`` doubles while refusals continue, up to
    ``max_pause``; ``Retry-After`` is honoured up to ``max_pause`` too."""

    def __init__(
        self,
        inner: Callable[[HttpRequest], Awaitable[HttpResponse]],
        *,
        first_pause: float = 0.25,
        max_pause: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._inner = inner
        self._clock = clock
        self._sleep = sleep
        self._first = first_pause
        self._max = max_pause
        self._next_pause = first_pause
        self._resume_at = 0.0
        #: How many answers asked the whole batch to slow down.
        self.pauses = 0

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        while True:
            wait = self._resume_at - self._clock()
            if wait <= 0:
                break
            await self._sleep(wait)
        response = await self._inner(request)
        if response.status in _SLOW_DOWN:
            self._slow_down(response.status, _retry_after(response))
        elif 200 <= response.status < 300:
            self._next_pause = self._first
        return response

    async def aclose(self) -> None:
        """Closes the wrapped transport's connections."""
        close = getattr(self._inner, "aclose", None)
        if close is not None:
            await close()

    def _slow_down(self, status: int, asked: Optional[float]) -> None:
        pause = min(asked if asked is not None else self._next_pause, self._max)
        if asked is None:
            self._next_pause = min(self._next_pause * 2, self._max)
        resume_at = self._clock() + pause
        if resume_at > self._resume_at:
            self._resume_at = resume_at
            self.pauses += 1
            log.info("the API answered %d: every worker pauses %.2f s", status, pause)


def _retry_after(response: HttpResponse) -> Optional[float]:
    """``Retry-After`` in seconds (HTTP dates are left to the core's own
    retry; the shared pause then doubles instead)."""
    for name, value in response.headers.items():
        if name.lower() == "retry-after":
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
    return None
