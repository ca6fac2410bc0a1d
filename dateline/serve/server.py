"""uvicorn as `dateline serve` runs it: connection guards below the app.

The app's own guards (rate, body size) see requests; these see connections,
which cost a slot of the server's connection limit from the moment they open,
whether or not a request ever arrives:

- a request's headers must arrive within `header_timeout` seconds of its first
  byte (of the connection, for the first request), so idle and half-sent
  connections (slowloris) are closed instead of holding their slot;
- a request body may pause at most `idle_timeout` seconds between chunks;
- one client address holds at most `per_client` connections; more are
  answered 429 and closed, so one client cannot take every slot;
- proxy headers (X-Forwarded-For) are read only from `trusted_proxies`, and
  those addresses are exempt from the per-client cap (their clients share it).
"""

from __future__ import annotations

import ipaddress
import json
from typing import Iterable

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

DEFAULT_HEADER_TIMEOUT = 10.0
DEFAULT_IDLE_TIMEOUT = 30.0
DEFAULT_PER_CLIENT = 20
KEEP_ALIVE = 5  # seconds an idle keep-alive connection waits for its next request (uvicorn's default)


def proxy_networks(addresses: Iterable[str]) -> list:
    """The trusted proxies as networks; ValueError names a bad entry."""
    networks = []
    for address in addresses:
        try:
            networks.append(ipaddress.ip_network(address.strip(), strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or network: {address!r}") from None
    return networks


def guarded_protocol(*, per_client: int, header_timeout: float, idle_timeout: float, trusted: list) -> type:
    """An HTTP/1.1 protocol class with the guards above, its counts shared by
    the connections of one server."""
    open_by_client: dict[str, int] = {}
    refusal = _response(429, f"too many connections from your address (at most {per_client})")

    def is_trusted(host: str) -> bool:
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(ip in net for net in trusted)

    class GuardedH11Protocol(H11Protocol):
        counted = None
        timer = None
        timer_state = None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            host = self.client[0] if self.client else None
            if host is not None and not is_trusted(host):
                if open_by_client.get(host, 0) >= per_client:
                    # Not counted against the server's connection limit either, for the moment it lasts.
                    self.connections.discard(self)
                    transport.write(refusal)
                    transport.close()
                    return
                open_by_client[host] = open_by_client.get(host, 0) + 1
                self.counted = host
            self._watch()

        def connection_lost(self, exc) -> None:
            self._stop_timer()
            if self.counted is not None:
                left = open_by_client.pop(self.counted) - 1
                if left:
                    open_by_client[self.counted] = left
                self.counted = None
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._watch(data_arrived=True)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._stop_timer()  # uvicorn's keep-alive timeout covers the wait for the next request

        def _watch(self, data_arrived: bool = False) -> None:
            if self.transport.is_closing():
                return self._stop_timer()
            state = self.conn.their_state
            if state is h11.IDLE and self.conn.our_state is h11.IDLE:
                # Waiting for headers: the clock runs from the first byte and is not reset by more bytes.
                if self.timer is None or self.timer_state is not h11.IDLE:
                    self._start_timer(header_timeout, h11.IDLE)
            elif state is h11.SEND_BODY:
                if data_arrived or self.timer_state is not h11.SEND_BODY:
                    self._start_timer(idle_timeout, h11.SEND_BODY)
            else:
                self._stop_timer()

        def _start_timer(self, seconds: float, state) -> None:
            self._stop_timer()
            self.timer = self.loop.call_later(seconds, self._expired)
            self.timer_state = state

        def _stop_timer(self) -> None:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = self.timer_state = None

        def _expired(self) -> None:
            self.timer = self.timer_state = None
            if not self.transport.is_closing():
                self.transport.close()

    return GuardedH11Protocol


def _response(status: int, message: str) -> bytes:
    body = json.dumps({"detail": message}).encode()
    reason = {429: b"Too Many Requests"}[status]
    return (b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\nretry-after: %d\r\n"
            b"connection: close\r\n\r\n" % (status, reason, len(body), KEEP_ALIVE)) + body


def config(app, host: str, port: int, *, max_connections: int = 200, per_client: int = DEFAULT_PER_CLIENT,
           header_timeout: float = DEFAULT_HEADER_TIMEOUT, idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
           trusted_proxies: Iterable[str] = (), log_level: str = "warning") -> uvicorn.Config:
    """The uvicorn configuration of `dateline serve`."""
    trusted = proxy_networks(trusted_proxies)
    protocol = guarded_protocol(per_client=per_client, header_timeout=header_timeout, idle_timeout=idle_timeout,
                                trusted=trusted)
    return uvicorn.Config(app, host=host, port=port, http=protocol, log_level=log_level, access_log=False,
                          limit_concurrency=max_connections, timeout_keep_alive=KEEP_ALIVE,
                          timeout_graceful_shutdown=5, proxy_headers=bool(trusted),
                          forwarded_allow_ips=[str(n) for n in trusted] or None)
