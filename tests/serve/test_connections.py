"""Connection guards of `dateline serve` (dateline.serve.server), over real
HTTP on loopback: idle and half-sent connections, one client holding many
connections, and proxy headers. A second client is a second loopback address
(127.0.0.2), which Linux routes to the same host."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import pytest

from dateline.serve.app import create_app
from test_api_server import Served


def connect_from(source: str, port: int) -> socket.socket:
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(0.05)
    try:
        while data := sock.recv(4096):
            if not data.startswith(b"HTTP/1.1 429"):
                return False
        return True  # end of stream, after the refusal if any
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def test_two_hundred_idle_connections_from_one_client_do_not_turn_others_away(sample_db):
    with Served(create_app(str(sample_db), rate=0), header_timeout=3.0) as srv:
        try:
            idle = [connect_from("127.0.0.2", srv.port) for _ in range(200)]
        except OSError as exc:
            pytest.skip(f"no second loopback address here ({exc})")
        for n, sock in enumerate(idle):
            if n % 2:
                sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")  # headers begun, never ended
        time.sleep(0.3)
        with httpx.Client(base_url=srv.url, timeout=10) as http:
            codes = [http.get("/api/health").status_code for _ in range(20)]
        assert codes == [200] * 20
        # Beyond its 20 connections the client was refused at once; the 20 it kept are closed
        # when the header timeout passes.
        refused = sum(closed_by_server(s) for s in idle)
        assert refused == 180
        time.sleep(3.5)
        assert all(closed_by_server(s) for s in idle)
        for sock in idle:
            sock.close()


def read_response(sock) -> bytes:
    """One whole HTTP response: headers and a Content-Length body may come in
    separate segments, and a second recv must not start inside the first body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def test_a_request_with_its_headers_sent_in_time_is_served(sample_db):
    with Served(create_app(str(sample_db), rate=0), header_timeout=1.0) as srv:
        with connect_from("127.0.0.1", srv.port) as sock:
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
            time.sleep(0.5)
            sock.sendall(b"\r\n")
            sock.settimeout(10)
            assert read_response(sock).startswith(b"HTTP/1.1 200")
            # Kept alive: the next request has the header timeout afresh.
            time.sleep(0.7)
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_response(sock).startswith(b"HTTP/1.1 200")


def test_x_forwarded_for_is_ignored_unless_from_a_trusted_proxy(sample_db):
    def codes(srv) -> list[int]:
        with httpx.Client(base_url=srv.url, timeout=10) as http:
            return [http.get("/api/health", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                    for n in range(6)]

    with Served(create_app(str(sample_db), rate=1, burst=3)) as srv:
        assert codes(srv)[-1] == 429  # rotating the header is no way around the rate limit
    with Served(create_app(str(sample_db), rate=1, burst=3), trusted_proxies=["127.0.0.0/8"]) as srv:
        assert codes(srv) == [200] * 6  # behind a trusted proxy each forwarded client has its own rate


def test_serve_refuses_a_trusted_proxy_that_is_not_an_address(sample_db):
    r = subprocess.run([sys.executable, "-m", "dateline", "serve", "--db", str(sample_db), "--trusted-proxy", "proxy"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == ["dateline: error: trusted proxy: not an IP address or network: 'proxy'"]
