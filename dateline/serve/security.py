"""API keys: writes always need one, reads only when the server locks them."""

from __future__ import annotations

import hmac
from typing import Optional

from fastapi import HTTPException, Request


def presented_key(request: Request) -> Optional[str]:
    """The key sent as `Authorization: Bearer KEY` or `X-API-Key: KEY`."""
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


def key_matches(expected: str, given: Optional[str]) -> bool:
    # compare_digest takes the same time however much of the key is right.
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def require_key(request: Request, action: str) -> None:
    expected = request.app.state.api_key
    if not expected:
        raise HTTPException(403, f"{action} is disabled: start the server with an API key "
                                 "(--api-key, DATELINE_API_KEY or api_key in --config)")
    if not key_matches(expected, presented_key(request)):
        raise HTTPException(401, "missing or wrong API key (send Authorization: Bearer KEY or X-API-Key: KEY)",
                            headers={"WWW-Authenticate": "Bearer"})


def write_access(request: Request) -> None:
    """FastAPI dependency of every endpoint that changes the store."""
    require_key(request, "writing")


def read_access(request: Request) -> None:
    """FastAPI dependency of every read endpoint: open unless reads are locked."""
    if request.app.state.lock_reads:
        require_key(request, "reading")


def has_key(request: Request) -> bool:
    """True when the request carries the server's key (its work is keyed, not anonymous)."""
    expected = request.app.state.api_key
    return bool(expected) and key_matches(expected, presented_key(request))
