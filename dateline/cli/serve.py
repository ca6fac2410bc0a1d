"""`dateline serve`: the web app and JSON API over a store, with uvicorn."""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from pathlib import Path

from dateline.cli import common
from dateline.store import DEFAULT_DB

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
SETTINGS = ("db", "host", "port", "api_key", "lock_reads", "max_body", "rate", "burst", "max_connections",
            "max_client_connections", "header_timeout", "trusted_proxies")
DEFAULTS = {"db": DEFAULT_DB, "host": "127.0.0.1", "port": 8000, "api_key": None, "lock_reads": False,
            "max_body": 5.0, "rate": 50.0, "burst": 200, "max_connections": 200, "max_client_connections": 20,
            "header_timeout": 10.0, "trusted_proxies": []}


def add_command(commands) -> None:
    p = commands.add_parser("serve", help="serve the web app and JSON API over a store",
                            description="Serve the map, timeline, stories and quotes pages and the JSON API "
                                        "(/api/, described by /openapi.json) over a corpus store. Binds to loopback "
                                        "unless told otherwise. Writes need an API key.")
    p.add_argument("--db", metavar="FILE", help=f"the store (default {DEFAULT_DB})")
    p.add_argument("--host", metavar="ADDR", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, metavar="N", help="port (default 8000)")
    p.add_argument("--api-key", metavar="KEY", help="key for writes (or DATELINE_API_KEY, or api_key in --config)")
    p.add_argument("--lock-reads", action="store_true", default=None, help="reads need the API key too")
    p.add_argument("--max-body", type=common.positive_float, metavar="MB",
                   help="largest request body accepted, in MB (default 5)")
    p.add_argument("--rate", type=common.non_negative_float, metavar="N",
                   help="requests per second per client before 429 (default 50; 0: no limit)")
    p.add_argument("--burst", type=common.positive_int, metavar="N",
                   help="requests a client may send at once (default 200)")
    p.add_argument("--max-connections", type=common.positive_int, metavar="N",
                   help="connections served at once before 503 (default 200)")
    p.add_argument("--max-client-connections", type=common.positive_int, metavar="N",
                   help="connections one client address may hold open; more get 429 (default 20)")
    p.add_argument("--header-timeout", type=common.positive_float, metavar="SECONDS",
                   help="time a client has to send a request's headers before the connection is closed (default 10)")
    p.add_argument("--trusted-proxy", dest="trusted_proxies", action="append", metavar="ADDR",
                   help="a reverse proxy whose X-Forwarded-For header is believed (an address or network; repeat "
                        "for several). Without one, proxy headers are ignored and clients are told apart by address")
    p.add_argument("--config", metavar="FILE.toml",
                   help="settings file: the option names above, e.g. api_key = \"...\"")
    p.set_defaults(run=cmd_serve)


def settings(args) -> dict:
    """Command line over DATELINE_API_KEY over the config file over defaults."""
    found = dict(DEFAULTS)
    if args.config:
        found.update(read_config(args.config))
    if os.environ.get("DATELINE_API_KEY"):
        found["api_key"] = os.environ["DATELINE_API_KEY"]
    for name in SETTINGS:
        value = getattr(args, name, None)
        if value is not None:
            found[name] = value
    return found


def read_config(path: str) -> dict:
    import tomllib

    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise common.Fatal(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise common.Fatal(f"{path}: not TOML ({exc})") from None
    data = {k.replace("-", "_"): v for k, v in data.items()}
    unknown = set(data) - set(SETTINGS)
    if unknown:
        raise common.Fatal(f"{path}: unknown setting(s) {', '.join(sorted(unknown))} (known: {', '.join(SETTINGS)})")
    for name, value in data.items():
        default = DEFAULTS[name]
        if isinstance(default, list):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise common.Fatal(f"{path}: {name} should be a list of strings, not {value!r}")
            continue
        kind = str if default is None else type(default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            wanted = {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}[kind]
            raise common.Fatal(f"{path}: {name} should be {wanted}, not {value!r}")
        data[name] = value
    return data


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_serve(args) -> int:
    from dateline.store import is_postgres

    from dateline.serve import server

    s = settings(args)
    try:
        server.proxy_networks(s["trusted_proxies"])
    except ValueError as exc:
        raise common.Fatal(f"trusted proxy: {exc}") from None
    if not is_postgres(s["db"]) and not Path(s["db"]).is_file():
        raise common.Fatal(f"{s['db']}: no such store (create one with `dateline ingest FOLDER --db {s['db']}`)")
    if not is_loopback(s["host"]) and not (s["api_key"] and s["lock_reads"]):
        print(f"dateline: warning: listening on {s['host']}, reachable from other machines, with reads open to "
              "anyone; use --lock-reads and an API key to restrict them", file=sys.stderr)
    _check_port(s["host"], s["port"])
    if not s["api_key"]:
        print("dateline: no API key set: writes (POST /api/articles) are refused", file=sys.stderr)

    import uvicorn

    from dateline.serve.app import create_app

    _fewer_malloc_arenas()

    app = create_app(s["db"], api_key=s["api_key"], lock_reads=s["lock_reads"],
                     max_body_bytes=int(s["max_body"] * 2**20), rate=s["rate"], burst=s["burst"])
    shown = f"[{s['host']}]" if ":" in s["host"] else s["host"]
    print(f"dateline: serving {_display(s['db'])} at http://{shown}:{s['port']}/ "
          "(API at /api/, described by /openapi.json); Ctrl-C stops", file=sys.stderr, flush=True)
    uvicorn.Server(server.config(app, s["host"], s["port"], max_connections=s["max_connections"],
                                 per_client=s["max_client_connections"], header_timeout=s["header_timeout"],
                                 trusted_proxies=s["trusted_proxies"])).run()
    return common.EXIT_OK


def _fewer_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives each new thread its own heap arena, up to 8 per core; with
    the server's pool of request threads those arenas keep freed memory, and
    the process grew for minutes under load. Two arenas keep it flat, at no
    measurable cost in requests/s. MALLOC_ARENA_MAX, when set, wins."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return
    import ctypes

    M_ARENA_MAX = -8
    try:
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, arenas)
    except (OSError, AttributeError):
        pass  # not glibc


def _display(db: str) -> str:
    from dateline.store import is_postgres

    if is_postgres(db):
        from dateline.store.postgres import redact

        return redact(db)
    return db


def _check_port(host: str, port: int) -> None:
    """Fail with one line, not uvicorn's log, when the address is taken or not ours."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except (OSError, OverflowError) as exc:
        raise common.Fatal(f"cannot listen on {host}:{port} ({getattr(exc, 'strerror', None) or exc})") from None


def _port(value: str) -> int:
    import argparse

    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}")
    return int(value)
