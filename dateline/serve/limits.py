"""Request guards as plain ASGI middleware: a request body size limit (413)
and a per-client token bucket (429). Both answer with a JSON message and never
read more of a refused body than they must."""

from __future__ import annotations

import json
import logging
import math
import threading
import time

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

log = logging.getLogger("dateline.serve")


async def send_json(send, status: int, message: str, headers: tuple = ()) -> None:
    body = json.dumps({"detail": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(HTTPException):
    """Raised while the body is read: FastAPI passes HTTPExceptions through
    its body parsing, so the client gets this 413 and not a parsing error."""


class BodySizeLimit:
    """Refuses bodies over max_bytes: at once from Content-Length, or as soon
    as the streamed chunks pass the limit (chunked uploads have no length)."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    def _message(self) -> str:
        return f"request body too large (limit {self.max_bytes:,} bytes)"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_bytes
            except ValueError:
                return await send_json(send, 400, "bad Content-Length header")
            if too_big:
                return await send_json(send, 413, self._message(), ((b"connection", b"close"),))

        received = 0
        started = False

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(413, self._message())
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await send_json(send, 413, self._message(), ((b"connection", b"close"),))


class TokenBuckets:
    """One bucket per client: `rate` tokens a second up to `burst`."""

    MAX_CLIENTS = 10_000  # forget idle clients beyond this so memory stays bounded

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, max(1, burst)
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds to wait."""
        now = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if len(self.buckets) > self.MAX_CLIENTS:
                self._forget(now)
            if tokens >= 1:
                self.buckets[client] = (tokens - 1, now)
                return 0.0
            self.buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate

    def _forget(self, now: float) -> None:
        full = self.burst / self.rate
        for key in [k for k, (_, last) in self.buckets.items() if now - last > full]:
            del self.buckets[key]


class RateLimit:
    """429 with Retry-After for a client over its rate. Static files are free."""

    def __init__(self, app, rate: float, burst: int):
        self.app = app
        self.buckets = TokenBuckets(rate, burst)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("?", 0))[0]
        wait = self.buckets.take(client)
        if wait:
            retry = str(max(1, math.ceil(wait))).encode()
            return await send_json(send, 429, "too many requests; slow down", ((b"retry-after", retry),))
        await self.app(scope, receive, send)


class QuietDisconnects:
    """A client that goes away while its body is read is no server error: one
    log line, not uvicorn's traceback of several KB each time (log flooding)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        try:
            await self.app(scope, receive, send)
        except ClientDisconnect:
            client = (scope.get("client") or ("?", 0))[0]
            log.warning("client %s disconnected during %s %r", client, scope["method"], scope["path"][:100])
