"""JSON that stays data: article text and headlines are whatever the web
sent us, so <, > and & are written as \\u escapes (a browser that sniffs the
response as HTML finds no tag in it), and every response says nosniff."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


class SafeJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        # A lone surrogate has no UTF-8 form; backslashreplace writes it as its JSON escape (\ud800).
        return text.translate(ESCAPES).encode("utf-8", "backslashreplace")


async def http_error(request: Request, exc: HTTPException):
    """API errors as escaped JSON; other paths (the HTML pages) keep FastAPI's handling."""
    if not request.url.path.startswith("/api/"):
        return await http_exception_handler(request, exc)
    return SafeJSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def store_error(request: Request, exc: Exception):
    """An API read whose store cannot be opened (dateline.serve.stores): 503, the reason as the detail."""
    return await http_error(request, HTTPException(503, str(exc)))


async def validation_error(request: Request, exc: RequestValidationError):
    """Bad query parameters: FastAPI's 422 answer (it echoes the input), escaped."""
    if not request.url.path.startswith("/api/"):
        return await request_validation_exception_handler(request, exc)
    return SafeJSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)


class SecurityHeaders:
    """ASGI middleware: nosniff and no framing on every response."""

    HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
               (b"referrer-policy", b"same-origin")]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in self.HEADERS if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)


class HeadAndRelativeRedirects:
    """ASGI middleware for two things the routes leave out. HEAD is answered
    wherever GET is, as GET's status and headers without the body. A redirect
    to this same server (a trailing slash removed) gets a relative Location:
    the absolute one repeated the request's Host header, which the client
    chooses."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        host = next((v for k, v in scope["headers"] if k == b"host"), None)

        async def answer(message):
            if message["type"] == "http.response.start" and host:
                message["headers"] = [(k, _relative(v, host) if k.lower() == b"location" else v)
                                      for k, v in message.get("headers", [])]
            elif message["type"] == "http.response.body" and head:
                message = dict(message, body=b"")
            await send(message)

        await self.app(scope, receive, answer)


def _relative(location: bytes, host: bytes) -> bytes:
    for scheme in (b"http://", b"https://"):
        prefix = scheme + host
        if location.startswith(prefix) and location[len(prefix):len(prefix) + 1] in (b"/", b"?", b""):
            return location[len(prefix):] or b"/"
    return location
