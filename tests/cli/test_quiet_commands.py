"""What a person running a command sees: no library warnings, no traceback
on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A page whose publication time carries a zone name dateutil cannot place:
# parsing it makes dateutil warn (UnknownTimezoneWarning).
PAGE = """<!DOCTYPE html><html><head><title>Port strike enters third day</title>
<meta property="article:published_time" content="2024-03-03 10:15 EDT"></head>
<body><article><h1>Port strike enters third day</h1>
<p>Dock workers in Felixstowe stayed off the job for a third day on Sunday as talks between the union
and the port operator broke up without agreement, the union said.</p>
<p>"We are ready to talk at any hour, but not to accept a pay cut," a union spokesperson told reporters
outside the main gate.</p></article></body></html>
"""


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    return dict(env, PYTHONPATH=str(ROOT), **extra)


def test_analyze_prints_no_library_warning(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    samples = sorted(str(p) for p in (ROOT / "samples").iterdir() if p.suffix in (".txt", ".html", ".jsonl"))
    r = subprocess.run([sys.executable, "-m", "dateline", "analyze", "page.html", *samples, "-o", "out.jsonl"],
                       cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert '"published":"2024-03-03"' in (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    # The warning is real, and shown to a developer who asks for warnings.
    r = subprocess.run([sys.executable, "-W", "always", "-m", "dateline", "analyze", "page.html", "-o", "out.json"],
                       cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300)
    assert "UnknownTimezoneWarning" in r.stderr


def test_serve_stops_on_ctrl_c_without_a_traceback(sample_db):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "dateline", "serve", "--db", str(sample_db), "--port", str(port)],
                            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            # a test runner started in the background may ignore SIGINT
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode in (0, 130), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err and "CancelledError" not in err
    assert "Ctrl-C stops" in err
