"""The built-in transports (the pooled httpx ones, the default of every
client, and urllib) against local servers: a redirect is an answer, never
followed, so credentials stay on the configured origin; a whole attempt
is bounded by the timeout; a client closes the pool it made."""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any, Iterator

import pytest

import lean_sdk
from lean_sdk import openbanking

from _support import Server


@pytest.fixture
def servers() -> Iterator[Any]:
    other = Server(200)
    redirecting = Server(307, [("location", other.url + "/api/gig")])
    yield redirecting, other
    redirecting.stop()
    other.stop()


def check_refused(error: BaseException, redirecting: Server, other: Server) -> None:
    assert isinstance(error, lean_sdk.RedirectError), repr(error)
    assert other.seen == [], "a redirect was followed to another origin"
    assert len(redirecting.seen) == 1
    assert (error.code, error.status, error.location) == ("redirect", 307, other.url + "/api/gig")
    assert "/api/gig" in str(error)


def test_payouts_sync_client_follows_no_redirect(servers: Any) -> None:
    redirecting, other = servers
    client = lean_sdk.LeanClient("sk_redirect_key", base_url=redirecting.url + "/api", max_retries=0)
    with pytest.raises(lean_sdk.LeanError) as refused:
        client.create_gig(partner_user_id="u1", gig_id="g1", total_amount="15.00", tips="0", expenses="0",
                          description="d", start_time="2021-03-01T21:04:04", end_time="2021-03-01T21:31:05")
    check_refused(refused.value, redirecting, other)


def test_payouts_async_client_follows_no_redirect(servers: Any) -> None:
    redirecting, other = servers

    async def main() -> BaseException:
        async with lean_sdk.AsyncLeanClient("sk_redirect_key", base_url=redirecting.url + "/api", max_retries=0) as client:
            with pytest.raises(lean_sdk.LeanError) as refused:
                await client.list_gigs()
            return refused.value

    check_refused(asyncio.run(main()), redirecting, other)


@pytest.mark.parametrize("credential", ["app_token", "oauth"])
def test_open_banking_client_follows_no_redirect(servers: Any, credential: str) -> None:
    redirecting, other = servers
    arguments = {"app_token": "app-redirect-token"} if credential == "app_token" else {"client_id": "id", "client_secret": "secret-redirect"}
    environment = openbanking.Environment.custom(redirecting.url, redirecting.url)
    client = openbanking.OpenBankingClient(environment=environment, max_retries=0, **arguments)  # type: ignore[arg-type]
    with pytest.raises(lean_sdk.LeanError) as refused:
        client.create_customer(app_user_id="u1")
    check_refused(refused.value, redirecting, other)


class Drip:
    """A loopback server that answers 200 and then sends its body a byte
    at a time, each within any per-read timeout."""

    def __init__(self, size: int = 40, interval: float = 0.05) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.done = threading.Event()

        def serve() -> None:
            while not self.done.is_set():
                try:
                    connection, _ = self.listener.accept()
                except OSError:
                    return
                with connection:
                    connection.recv(65536)
                    connection.sendall(f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\n\r\n".encode())
                    try:
                        for _ in range(size):
                            if self.done.wait(interval):
                                break
                            connection.sendall(b" ")
                    except OSError:
                        pass

        threading.Thread(target=serve, daemon=True).start()

    def stop(self) -> None:
        self.done.set()
        self.listener.close()


def test_the_timeout_bounds_a_whole_attempt_even_when_the_body_drips() -> None:
    drip = Drip()
    request = lean_sdk.HttpRequest("GET", drip.url + "/api/gig", {})
    try:
        for transport in (lean_sdk.UrllibTransport(timeout=0.3), lean_sdk.HttpxSyncTransport(timeout=0.3)):
            with pytest.raises(lean_sdk.TransportError) as slow:
                transport(request)
            assert slow.value.kind == "timeout", transport

        async def main() -> None:
            transport = lean_sdk.HttpxTransport(timeout=0.3)
            try:
                with pytest.raises(lean_sdk.TransportError) as slow:
                    await transport(request)
                assert slow.value.kind == "timeout"
            finally:
                await transport.aclose()

        asyncio.run(main())
    finally:
        drip.stop()


def test_a_client_closes_the_pool_it_made_and_not_one_it_was_given() -> None:
    import httpx

    server = Server(200, body=b"[]")
    try:
        with lean_sdk.LeanClient("sk_pool_key", base_url=server.url + "/api") as client:
            assert isinstance(client._transport, lean_sdk.HttpxSyncTransport)
            client.list_gigs()
            pool = client._transport._client
            assert isinstance(pool, httpx.Client) and not pool.is_closed
        assert pool.is_closed
        client.list_gigs()  # used again: a new pool
        client.close()

        given = httpx.Client(follow_redirects=False)
        with lean_sdk.LeanClient("sk_pool_key", base_url=server.url + "/api",
                                 transport=lean_sdk.HttpxSyncTransport(client=given)) as client:
            client.list_gigs()
        assert not given.is_closed
        given.close()

        with openbanking.OpenBankingClient("app-pool-token", base_url=server.url) as ob:
            assert isinstance(ob._transport, lean_sdk.HttpxSyncTransport)
        assert len(server.seen) == 3
    finally:
        server.stop()
