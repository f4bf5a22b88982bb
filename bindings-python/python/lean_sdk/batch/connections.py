"""The batch's connections: one kept-alive connection per worker.

Each worker of the runner sends its calls one after the other, so it needs
one connection of its own, never one from a shared pool: a pool of as many
connections as workers spends its time looking over all of them for an
idle one (and queueing a request that finds them all momentarily taken),
on every request and every answer. One single-connection ``httpx`` client
per worker keeps that work to one connection, opens no more connections
than there are workers, and keeps each open between rows (a new one costs
a handshake with Lean's servers).
"""

from __future__ import annotations

import contextvars
from typing import Any, List

import lean_sdk

__all__ = ["WORKER", "ConnectionPerWorker"]

#: The number of the runner's worker running in this task (from 0).
WORKER: contextvars.ContextVar[int] = contextvars.ContextVar("lean_sdk_batch_worker", default=0)


class ConnectionPerWorker:
    """An async transport sending each worker's requests on that worker's
    own kept-alive connection (``workers`` of them at most)."""

    def __init__(self, workers: int, timeout: float = 30.0) -> None:
        try:
            import httpx
        except ImportError as error:  # pragma: no cover - depends on the install
            raise ImportError("paying a file needs httpx: pip install 'lean-sdk[httpx]'") from error
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=60.0)
        tls = httpx.create_ssl_context()  # one for all workers: each reads the whole CA bundle
        self._clients: List[Any] = [
            httpx.AsyncClient(timeout=timeout, follow_redirects=False, limits=limits, verify=tls) for _ in range(workers)
        ]
        self._transports = [lean_sdk.HttpxTransport(timeout, client=client) for client in self._clients]

    async def __call__(self, request: lean_sdk.HttpRequest) -> lean_sdk.HttpResponse:
        return await self._transports[WORKER.get() % len(self._transports)](request)

    async def aclose(self) -> None:
        """Closes every worker's connection."""
        for client in self._clients:
            await client.aclose()
