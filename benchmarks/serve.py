"""Web app and API load benchmark (not a test).

Builds (or reuses) a store with 100,000 synthetic events (benchmarks/ingest.py's
generator), starts `dateline serve` on loopback as a subprocess and drives it
from this process with a few concurrent clients, a bounded number of requests
and a time cap. Reports requests/s and p50/p95 latency per query, and the time
to load the first page (/) with its static files.

--stress: the load test. Reads mixed with keyed writes (POST /api/articles)
at 10x the normal request rate while `dateline ingest` writes to the same
store and another client holds 200 idle connections open (--idle).
Reports status counts (only 2xx, 404, and the deliberate 429/503 are
clean), lost writes (every 2xx write must read back), the server's memory
over time, and the ingest's result.

    .venv/bin/python benchmarks/serve.py                    # 100,000 events
    .venv/bin/python benchmarks/serve.py --stress --seconds 60
    .venv/bin/python benchmarks/serve.py --db bench.db      # keep and reuse the store
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Optional

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

KEY = "bench-key"
NORMAL_RATE = 20.0  # requests/s of a handful of people using the app at once

# (name, path) of the common queries; ids are filled in from the store.
QUERIES = [
    ("events type+country+since", "/api/events?type=ASSAULT&country=UA&since=2025-07-01"),
    ("events country+date range", "/api/events?country=UA&since=2025-12-01&until=2025-12-31"),
    ("events place", "/api/events?place=Kyiv"),
    ("events page 20 (offset 1000)", "/api/events?type=PROTEST&offset=1000"),
    ("quotes speaker", "/api/quotes?speaker=Ushakov"),
    ("quotes words", "/api/quotes?text=talks"),
    ("stories country", "/api/stories?country=UA"),
    ("story page", "/api/stories/story-000042"),
    ("search", "/api/search?q=draft%20office"),
    ("article", "/api/articles/bench-000042"),
]


# --- the store and the server ---------------------------------------------------

def build_store(path: Path, n_events: int) -> None:
    from ingest import fill_events  # benchmarks/ingest.py

    from dateline.store import Store

    t = time.perf_counter()
    with Store.open(path) as store:
        fill_events(store, n_events)
        complete_stories(store)
    print(f"  (filled {n_events:,} events in {time.perf_counter() - t:.1f}s)", file=sys.stderr)


def complete_stories(store) -> None:
    """fill_events stores story rows only; give each evidence its event so the
    story page is a whole Story, as dateline.merge would store it."""
    rows = store.conn.execute("SELECT id, json FROM stories").fetchall()
    with store.transaction():
        for story_id, text in rows:
            story = json.loads(text)
            for report in story.get("evidence") or []:
                report.setdefault("event", {"type": story["type"], "summary": story["summary"]})
            store.conn.execute("UPDATE stories SET json = ? WHERE id = ?", (json.dumps(story), story_id))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`dateline serve` in a subprocess on a free loopback port."""

    def __init__(self, db: Path, *extra: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cmd = [sys.executable, "-m", "dateline", "serve", "--db", str(db), "--port", str(self.port),
                    "--api-key", KEY, *extra]

    def __enter__(self):
        self.proc = subprocess.Popen(self.cmd, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited: {self.proc.stderr.read()}")
            try:
                if httpx.get(self.url + "/api/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit("server did not start in 120 s")

    def rss_mb(self) -> float:
        import psutil

        return psutil.Process(self.proc.pid).memory_info().rss / 2**20

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# --- latency ----------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def drive(url: str, path: str, requests: int, clients: int, seconds: float) -> dict:
    """`requests` GETs of one path from `clients` threads (closed loop), at most `seconds`."""
    latencies, codes, lock = [], collections.Counter(), threading.Lock()
    counter = itertools.count()
    deadline = time.monotonic() + seconds

    def client():
        with httpx.Client(base_url=url, timeout=30) as http:
            while next(counter) < requests and time.monotonic() < deadline:
                t = time.perf_counter()
                r = http.get(path)
                r.read()
                with lock:
                    latencies.append((time.perf_counter() - t) * 1000)
                    codes[r.status_code] += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - start
    return {"n": len(latencies), "rps": len(latencies) / wall, "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95), "codes": dict(codes)}


def first_page(url: str, repeat: int = 5) -> float:
    """Median ms to fetch / and every /static/ file it links, as a browser with an empty cache would."""
    times = []
    for _ in range(repeat):
        with httpx.Client(base_url=url, timeout=30) as http:
            t = time.perf_counter()
            html = http.get("/")
            html.raise_for_status()
            for asset in sorted(set(re.findall(r'(?:src|href)="(/static/[^"]+)"', html.text))):
                http.get(asset).raise_for_status()
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


# --- stress -----------------------------------------------------------------------

class IdleClient:
    """One client (its own loopback address) holding `n` connections open
    without finishing a request, half of them with headers begun: reopened as
    soon as the server closes them, for as long as it runs."""

    def __init__(self, url: str, n: int, source: str = "127.0.0.2"):
        self.port = int(url.rsplit(":", 1)[1])
        self.n, self.source = n, source
        self.closed_by_server = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _open(self, i: int) -> Optional[socket.socket]:
        try:
            sock = socket.socket()
            sock.bind((self.source, 0))
            sock.connect(("127.0.0.1", self.port))
            if i % 2:
                sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
            sock.setblocking(False)
            return sock
        except OSError:
            return None

    def _hold(self) -> None:
        socks = [self._open(i) for i in range(self.n)]
        while not self.stop.wait(0.2):
            for i, sock in enumerate(socks):
                try:
                    if sock is not None and sock.recv(4096) == b"":
                        raise ConnectionResetError
                    if sock is not None:
                        continue  # answered 429 and about to close
                except BlockingIOError:
                    continue  # still open and idle
                except OSError:
                    pass
                if sock is not None:
                    sock.close()
                    self.closed_by_server += 1
                socks[i] = self._open(i)
        for sock in socks:
            if sock is not None:
                sock.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(10)


def stress(url: str, *, seconds: float, rate: float, write_share: float = 0.05, workers: int = 32,
           rss=None, key: str = KEY, seed: int = 5, reads: Optional[list[str]] = None, idle: int = 0) -> dict:
    """Open-loop load: requests started at `rate` per second for `seconds`,
    a `write_share` of them POST /api/articles with the key, the rest GETs
    of `reads` (default: the common queries), while another client holds
    `idle` connections open without a request (IdleClient). Then every write
    answered 2xx is read back."""
    rng = random.Random(seed)
    reads = reads or [path for _, path in QUERIES]
    codes, lock = collections.Counter(), threading.Lock()
    written, errors, unavailable = [], collections.Counter(), collections.Counter()
    memory = []
    counter = itertools.count()
    start = time.monotonic()
    end = start + seconds
    plan = [rng.random() < write_share for _ in range(int(rate * seconds) + 1)]

    def worker():
        with httpx.Client(base_url=url, timeout=60) as http:
            while True:
                i = next(counter)
                due = start + i / rate
                if due >= end or i >= len(plan):
                    return
                time.sleep(max(0.0, due - time.monotonic()))
                try:
                    if plan[i]:
                        article_id = f"stress-{seed}-{i}"
                        r = http.post("/api/articles", headers={"X-API-Key": key}, json=stress_article(article_id, i))
                        if 200 <= r.status_code < 300:
                            with lock:
                                written.append(article_id)
                        kind = "write"
                    else:
                        r = http.get(rng.choice(reads))
                        kind = "read"
                    with lock:
                        codes[(kind, r.status_code)] += 1
                        if r.status_code == 503:
                            unavailable[r.text[:120]] += 1
                except httpx.HTTPError as exc:
                    with lock:
                        errors[type(exc).__name__] += 1

    def sample_memory():
        while time.monotonic() < end:
            memory.append((round(time.monotonic() - start, 1), rss()))
            time.sleep(1)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    if rss:
        threads.append(threading.Thread(target=sample_memory))
    with IdleClient(url, idle) as idler:
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    elapsed = time.monotonic() - start
    lost = []
    with httpx.Client(base_url=url, timeout=60, headers={"X-API-Key": key}) as http:
        for article_id in written:
            if patient_get(http, f"/api/articles/{article_id}").status_code != 200:
                lost.append(article_id)
    return {"seconds": elapsed, "sent": sum(codes.values()), "codes": codes, "errors": dict(errors),
            "writes_ok": len(written), "lost": lost, "memory": memory, "idle_closed": idler.closed_by_server,
            "unavailable": dict(unavailable)}


CITIES = ["Mombasa", "Lyon", "Kharkiv", "Porto", "Manila", "Khartoum", "Chittagong", "Ballinasloe"]
REPORTS = [
    "Police arrested {n} people in {city} on {day} during protests over fuel prices, a police commander said.",
    "A drone strike on {city} killed {n} people on {day}, regional officials said.",
    "The council of {city} agreed on {day} to build {n} new schools, the mayor told reporters.",
]


def stress_article(article_id: str, i: int) -> dict:
    """A short news report; the same event recurs now and then, as in a real
    feed, so stories grow as well as multiply."""
    text = REPORTS[i % 3].format(n=i % 40 + 2, city=CITIES[i // 3 % 8], day=("Monday", "Tuesday", "Friday")[i % 7 % 3])
    return {"id": article_id, "title": f"Report {i}", "source": f"Outlet {i % 7}",
            "published": f"2025-07-{1 + i // 24 % 28:02d}", "text": f"{text} Filed as report {i}."}


def patient_get(http: httpx.Client, path: str, tries: int = 30) -> httpx.Response:
    """GET that waits out 429 and 503 as told by Retry-After."""
    for _ in range(tries):
        r = http.get(path)
        if r.status_code not in (429, 503):
            return r
        time.sleep(float(r.headers.get("retry-after", 1)))
    return r


def unclean(codes: collections.Counter) -> int:
    """Responses that are neither success, a missing id, nor a deliberate 429/503."""
    return sum(n for (_, code), n in codes.items() if code >= 500 and code != 503)


def write_corpus(folder: Path, n: int) -> Path:
    from ingest import synthetic_corpus  # benchmarks/ingest.py

    path = folder / "ingest.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for a in synthetic_corpus(n, seed=23):
            f.write(json.dumps(a.model_dump(exclude_none=True) | {"id": "ingest-" + a.id}) + "\n")
    return path


# --- main -------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--db", help="store to use (built there with --events synthetic events if missing)")
    ap.add_argument("--requests", type=int, default=400, help="requests per query (default %(default)s)")
    ap.add_argument("--clients", type=int, default=4, help="concurrent clients (default %(default)s)")
    ap.add_argument("--seconds", type=float, default=20, help="time cap per query, or the stress run's length")
    ap.add_argument("--stress", action="store_true", help="the load test at 10x the normal rate")
    ap.add_argument("--ingest", type=int, default=200, help="articles `dateline ingest` adds during --stress")
    ap.add_argument("--idle", type=int, default=200,
                    help="connections another client (127.0.0.2) holds open idle during --stress")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "serve.db"
        if not db.exists():
            build_store(db, args.events)
        if args.stress:
            run_stress(db, args, Path(tmp))
        else:
            run_latency(db, args)


def run_latency(db: Path, args) -> None:
    with Server(db, "--rate", "0") as srv:
        drive(srv.url, "/api/events?limit=5", 50, 2, 10)  # warm up
        print(f"API on {db.stat().st_size / 2**20:.0f} MB store (`dateline serve` on loopback, clients in this "
              f"process; {args.requests} requests per query and client count; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        print(f"  {'query':30} {'1 client: req/s':>15} {'p50':>6} {'p95 ms':>7}   "
              f"{args.clients} clients: req/s {'p50':>6} {'p95 ms':>7}")
        for name, path in QUERIES:
            one = drive(srv.url, path, args.requests, 1, args.seconds)
            many = drive(srv.url, path, args.requests, args.clients, args.seconds)
            bad = {c: n for c, n in (one["codes"] | many["codes"]).items() if c != 200}
            print(f"  {name:30} {one['rps']:15.0f} {one['p50']:6.1f} {one['p95']:7.1f}   "
                  f"{many['rps']:17.0f} {many['p50']:6.1f} {many['p95']:7.1f}" + (f"  not 200: {bad}" if bad else ""))
        print(f"First page (/ and its static files, empty cache): {first_page(srv.url):.0f} ms (median of 5)")


def run_stress(db: Path, args, tmp: Path) -> None:
    rate = NORMAL_RATE * 10
    corpus = write_corpus(tmp, args.ingest)
    with Server(db) as srv:
        print(f"Stress: {rate:.0f} requests/s (10x normal) for {args.seconds:.0f}s, 5% keyed writes, "
              f"while `dateline ingest` adds {args.ingest} articles to the same store and another client "
              f"holds {args.idle} idle connections")
        ingest = subprocess.Popen([sys.executable, "-m", "dateline", "ingest", str(corpus), "--db", str(db),
                                   "--no-progress"], stderr=subprocess.PIPE, text=True)
        r = stress(srv.url, seconds=args.seconds, rate=rate, rss=srv.rss_mb, idle=args.idle)
        ingest_err = ingest.communicate(timeout=600)[1].strip().splitlines()
        print(f"  sent {r['sent']:,} in {r['seconds']:.1f}s ({r['sent'] / r['seconds']:.0f}/s); connection errors: "
              f"{r['errors'] or 0}")
        for (kind, code), n in sorted(r["codes"].items()):
            print(f"    {kind:5} {code}: {n:,}")
        print(f"  5xx other than 503: {unclean(r['codes'])}; 503s: {sum(n for (_, c), n in r['codes'].items() if c == 503)}")
        for reason, n in r["unavailable"].items():
            print(f"    503 x{n}: {reason}")
        print(f"  idle connections of the other client closed by the server (refused or timed out, then "
              f"reopened): {r['idle_closed']:,}")
        print(f"  writes answered 2xx: {r['writes_ok']}, lost (not readable afterwards): {len(r['lost'])}")
        mem = r["memory"]
        if mem:
            half = mem[len(mem) // 2:]
            print(f"  server RSS: start {mem[0][1]:.0f} MB, middle {mem[len(mem) // 2][1]:.0f} MB, "
                  f"end {mem[-1][1]:.0f} MB; over the second half "
                  f"{max(m for _, m in half) - min(m for _, m in half):.1f} MB "
                  "of variation")
            print("  RSS (s, MB): " + ", ".join(f"{t:.0f}:{m:.0f}" for t, m in mem[::max(1, len(mem) // 12)]))
        print(f"  concurrent ingest: exit {ingest.returncode}; {ingest_err[-1] if ingest_err else ''}")


if __name__ == "__main__":
    main()
