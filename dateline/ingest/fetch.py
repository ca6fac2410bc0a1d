"""Fetching URLs under limits: http(s) only, a size cap, a timeout, and no
private, loopback, link-local or reserved address unless `allow_private`.

The address check happens where the connection is made: the host name is
resolved once, every address it resolves to is checked, and the socket is
opened to a checked address. A name that answers with a public address to a
first lookup and a private one to the next (DNS rebinding) therefore cannot
steer the request inside the network. Redirects open new connections and are
checked the same way. Environment proxies are not used, since the check would
then apply to the proxy rather than to the site.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from typing import Optional
from urllib.parse import urlparse

from dateline.ingest.common import DEFAULT_MAX_BYTES, InputError, size_label

DEFAULT_TIMEOUT = 20.0
USER_AGENT = "dateline (+https://dateline.invalid)"


def is_url(name: str) -> bool:
    return str(name).lower().startswith(("http://", "https://"))


# Python's is_global still counts these as global: site-local IPv6 (deprecated,
# routed inside sites), 6to4 (deprecated; relays reach any IPv4 address) and
# the local-use NAT64 prefix. The well-known NAT64 prefix is judged by the IPv4
# address it carries.
NOT_GLOBAL_V6 = [ipaddress.ip_network(n) for n in ("fec0::/10", "2002::/16", "64:ff9b:1::/48")]
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _is_local(ip: ipaddress._BaseAddress) -> bool:
    """Anything but a global unicast address: an allow-list (is_global), not a
    list of private ranges that misses carrier NAT (100.64.0.0/10) and the like."""
    if ip.version == 6:
        if any(ip in net for net in NOT_GLOBAL_V6):
            return True
        if ip in NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return not ip.is_global or ip.is_multicast


def resolve(host: str, port: int, allow_private: bool = False) -> list[str]:
    """The addresses of `host`, each checked; raises InputError if any is local."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"cannot resolve {host} ({exc})") from None
    addresses = []
    for info in infos:
        address = info[4][0]
        ip = ipaddress.ip_address(address.split("%")[0])
        if not allow_private and _is_local(ip):
            raise InputError(f"{host} is a private or local address ({ip}); use --allow-private to fetch it")
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise InputError(f"cannot resolve {host} (no address)")
    return addresses


def check_host(url: str, allow_private: bool = False) -> None:
    """Refuse URLs that are not http(s), or whose host resolves to a local address."""
    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"not an http(s) URL: {url}")
    resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), allow_private)


def _connect_checked(host: str, port: int, timeout, source_address, allow_private: bool) -> socket.socket:
    last: Optional[OSError] = None
    for address in resolve(host, port, allow_private):
        try:
            return socket.create_connection((address, port), timeout, source_address)
        except OSError as exc:
            last = exc
    raise last or OSError(f"cannot connect to {host}")


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, allow_private: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_private = allow_private

    def connect(self):
        self.sock = _connect_checked(self.host, self.port, self.timeout, self.source_address, self.allow_private)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, allow_private: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_private = allow_private

    def connect(self):
        sock = _connect_checked(self.host, self.port, self.timeout, self.source_address, self.allow_private)
        # The certificate is verified against the name asked for, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, allow_private: bool):
        super().__init__()
        self.allow_private = allow_private

    def http_open(self, req):
        return self.do_open(self._connection, req)

    def _connection(self, *args, **kwargs):
        return _CheckedHTTPConnection(*args, allow_private=self.allow_private, **kwargs)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, allow_private: bool):
        super().__init__()
        self.allow_private = allow_private

    def https_open(self, req):
        return self.do_open(self._connection, req, context=self._context)

    def _connection(self, *args, **kwargs):
        return _CheckedHTTPSConnection(*args, allow_private=self.allow_private, **kwargs)


class _HttpOnlyRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlparse(newurl).scheme not in ("http", "https"):
            raise InputError(f"redirect to a non-http(s) URL: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, allow_private: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
          timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The body of `url`, at most `max_bytes`; InputError with a one-line reason otherwise."""
    if urlparse(url).scheme not in ("http", "https") or not urlparse(url).hostname:
        raise InputError(f"not an http(s) URL: {url}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _CheckedHTTPHandler(allow_private),
                                         _CheckedHTTPSHandler(allow_private), _HttpOnlyRedirect())
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except InputError:
        raise
    except Exception as exc:  # URLError (wrapping our InputError too), HTTPError, timeouts, bad status lines
        reason = getattr(exc, "reason", None)
        if isinstance(reason, InputError):
            raise reason from None
        raise InputError(f"cannot fetch {url} ({exc})") from None
    if len(data) > max_bytes:
        raise InputError(f"{url} is over the {size_label(max_bytes)} limit")
    return data
