"""Fetching URLs: limits, refused local addresses, and no way around the check
by DNS rebinding. Runs a real HTTP server on loopback."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dateline.ingest import InputError
from dateline.ingest.fetch import check_host, fetch

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>
<item><title>Strike</title><link>http://example.org/a</link><description>A drone hit a depot, officials said.</description></item>
</channel></rss>"""


class _Site(BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):
        type(self).hits.append(self.path)
        if self.path == "/redirect-out":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        body = FEED if self.path == "/feed.xml" else b"x" * 5000
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server.server_address[1]
    server.shutdown()


def test_a_loopback_site_is_refused_unless_allowed(site):
    base, _ = site
    with pytest.raises(InputError, match="private or local"):
        fetch(base + "/feed.xml")
    assert fetch(base + "/feed.xml", allow_private=True).startswith(b"<?xml")


def test_size_limit_and_non_http_redirects_are_refused(site):
    base, _ = site
    with pytest.raises(InputError, match="limit"):
        fetch(base + "/big", allow_private=True, max_bytes=1000)
    with pytest.raises(InputError):
        fetch(base + "/redirect-out", allow_private=True)


def test_dns_rebinding_cannot_reach_a_local_server(site, monkeypatch):
    """A name that resolves to a public address when checked and to loopback
    afterwards must never reach the local server: the connection goes to the
    address that was checked."""
    _, port = site
    real = socket.getaddrinfo
    answers = iter(["203.0.113.200", "127.0.0.1", "127.0.0.1", "127.0.0.1"])

    def rebinding(host, *args, **kwargs):
        if host == "news.rebind.test":
            address = next(answers, "127.0.0.1")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, *args, **kwargs)

    # 203.0.113.0/24 counts as reserved for documentation, so make the first
    # answer pass the check the way a real public address would.
    monkeypatch.setattr("dateline.ingest.fetch._is_local", lambda ip: str(ip) == "127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    _Site.hits.clear()
    with pytest.raises(InputError):
        fetch(f"http://news.rebind.test:{port}/feed.xml", timeout=1.0)
    assert _Site.hits == []


@pytest.mark.parametrize("address", ["100.64.0.1", "100.100.100.200", "fec0::1", "2002:7f00:1::1", "2002:808:808::1",
                                     "64:ff9b::a9fe:a9fe", "64:ff9b:1::1", "::ffff:169.254.169.254", "192.0.0.170",
                                     "198.18.0.1", "224.0.0.251", "ff05::1", "0.0.0.0", "::"])
def test_every_address_that_is_not_global_unicast_is_refused(address):
    # Calls the check alone: literal addresses resolve without DNS, and nothing connects.
    with pytest.raises(InputError, match="private or local"):
        check_host(f"http://[{address}]/" if ":" in address else f"http://{address}/")


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700::1111", "64:ff9b::808:808"])
def test_global_addresses_pass_the_check(address):
    check_host(f"http://[{address}]/" if ":" in address else f"http://{address}/")
