"""One read key floods heavy reads, another reads lightly, and an upload stalls in the middle.

Starts ``medtwin serve`` on the configured (demo) database with three keys: key A's ``--clients``
threads ask in turn, without pause, for a patient's report, ``rankings/latest?limit=500``,
``twins/latest/graph`` and ``/v1/patients?limit=1000`` (each on its own keep-alive connection,
ignoring ``Retry-After``); key B reads ``GET /v1/patients/{id}`` and ``rankings/latest?limit=10``
one at a time; at ``--stall-at`` seconds a write key W sends the headers and half the body of a
patient upload, then nothing. Prints B's p50/p95 over the run and while the upload stalled, A's
200/429 counts, and when the stalled upload was answered (and with what). ``--before REF`` runs
the same flood first against that commit's ``src/`` (exported with ``git archive``), same
database. Needs a database with the demo patients (``medtwin demo``) and ``--port`` free.

    python -m benchmarks.bench_flood --before a9a521f --port 8013
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from medtwin.api_keys import new_key

HEAVY = (
    "/v1/patients/{p}/report",
    "/v1/patients/{p}/rankings/latest?limit=500",
    "/v1/patients/{p}/twins/latest/graph",
    "/v1/patients?limit=1000",
)
LIGHT = ("/v1/patients/{p}", "/v1/patients/{p}/rankings/latest?limit=10")


def _serve(src: Path, port: int, keys: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(src), "MEDTWIN_API_KEYS": keys}
    server = subprocess.Popen(
        [sys.executable, "-m", "medtwin", "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"the server on port {port} did not start within 120 s")


def _get(conn: http.client.HTTPConnection, path: str, key: str) -> int:
    conn.request("GET", path, headers={"X-API-Key": key})
    response = conn.getresponse()
    response.read()
    return response.status


def _stall(port: int, key: str, out: dict[str, Any], began: float) -> None:
    boundary = "flood-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="patient_id"\r\n\r\nSTALL1\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="de"; filename="de.tsv"\r\n\r\n'
        + "gene\tlog2fc\tpadj\n" * 200
        + f"\r\n--{boundary}--\r\n"
    ).encode()
    conn = socket.create_connection(("127.0.0.1", port), timeout=600)
    conn.sendall(
        (
            f"POST /v1/patients HTTP/1.1\r\nHost: bench\r\nX-API-Key: {key}\r\nContent-Type: "
            f"multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        + body[: len(body) // 2]
    )
    out["stalled_at"] = time.monotonic() - began
    conn.settimeout(max(1.0, out["until"] - time.monotonic()))
    try:
        answer = conn.recv(65536)
        out["answered_at"] = time.monotonic() - began
        out["answer"] = answer.split(b"\r\n", 1)[0].decode()
    except TimeoutError:
        out["answer"] = "no answer before the end of the run"
    conn.close()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def flood(src: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One run of the flood against the code in ``src``; its figures."""
    (a_secret, a), (b_secret, b), (w_secret, w) = (
        new_key("flood_a", "read"),
        new_key("flood_b", "read"),
        new_key("flood_w", "write"),
    )
    keys = ",".join(k.settings_entry() for k in (a, b, w))
    server = _serve(src, args.port, keys)
    began = time.monotonic()
    until = began + args.seconds
    heavy: dict[int, int] = {}
    light: list[tuple[float, float, int]] = []  # (at, seconds, status)
    stall: dict[str, Any] = {"until": until}
    lock = threading.Lock()

    def client(paths: tuple[str, ...], secret: str, n: int, record: Any) -> None:
        """GET ``paths`` in turn (from the ``n``-th) until the end; ``record(t0, status)``."""
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
        while time.monotonic() < until:
            t0 = time.monotonic()
            try:
                status = _get(conn, paths[n % len(paths)].format(p=args.patient), secret)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
                status = 0
            record(t0, status)
            n += 1

    def count_heavy(_t0: float, status: int) -> None:
        with lock:
            heavy[status] = heavy.get(status, 0) + 1

    def time_light(t0: float, status: int) -> None:
        light.append((t0 - began, time.monotonic() - t0, status))

    threads = [
        threading.Thread(target=client, args=(HEAVY, a_secret, i, count_heavy))
        for i in range(args.clients)
    ]
    threads.append(threading.Thread(target=client, args=(LIGHT, b_secret, 0, time_light)))
    for t in threads:
        t.start()
    time.sleep(args.stall_at)
    staller = threading.Thread(target=_stall, args=(args.port, w_secret, stall, began))
    staller.start()
    for t in [*threads, staller]:
        t.join()
    load = os.getloadavg()[0]
    server.terminate()
    server.wait(30)
    end = stall.get("answered_at", args.seconds)
    during = [s for at, s, _ in light if stall.get("stalled_at", 0) <= at <= end]
    all_light = [s for _, s, _ in light]
    return {
        "light_n": len(light),
        "light_not_200": sum(1 for _, _, st in light if st != 200),
        "light_p50_ms": 1000 * _pct(all_light, 0.5),
        "light_p95_ms": 1000 * _pct(all_light, 0.95),
        "light_p95_during_stall_ms": 1000 * _pct(during, 0.95),
        "heavy_statuses": dict(sorted(heavy.items())),
        "stall": {k: v for k, v in stall.items() if k != "until"},
        "load_1min": load,
    }


def _export(ref: str, into: Path) -> Path:
    archive = into / "src.tar"
    with archive.open("wb") as f:
        subprocess.run(["git", "archive", ref, "src"], check=True, stdout=f)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", help="Git ref to flood first (its src/ exported).")
    ap.add_argument("--port", type=int, default=8013)
    ap.add_argument("--patient", default="GSM389703")
    ap.add_argument("--clients", type=int, default=20, help="Key A's heavy-read threads.")
    ap.add_argument("--seconds", type=float, default=45.0)
    ap.add_argument("--stall-at", type=float, default=5.0)
    args = ap.parse_args()
    here = Path(__file__).resolve().parents[1] / "src"
    with tempfile.TemporaryDirectory() as tmp:
        runs = [(args.before, _export(args.before, Path(tmp)))] if args.before else []
        for name, src in [*runs, ("this code", here)]:
            print(f"{name}: {flood(src, args)}", flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
