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

Each run first measures key B alone (``--alone-seconds``: the baseline its flood figures are
divided by, same server, same minute) and a "notebook": key N's 4 threads asking for the heavy
reads in parallel, alone and then beside B (``--notebook-seconds`` each; none of N's requests may
be refused). ``--variant NAME:VAR=VALUE,...`` runs this code again with those settings (the
per-key policy: cap, busy share), each variant in turn, all on the same database:

    python -m benchmarks.bench_flood --port 8012 --stall-at 0 \
        --variant cap4:MEDTWIN_API_CONCURRENCY_PER_KEY=4,MEDTWIN_API_BUSY_SHARE_PER_KEY=4 \
        --variant share1:MEDTWIN_API_CONCURRENCY_PER_KEY=4,MEDTWIN_API_BUSY_SHARE_PER_KEY=1

``--long build`` (or ``rank``) measures a long request instead of the flood: after B alone, a
write key A builds the patient's twin (``POST …/twins``; ``rank``: ``POST …/rankings``, a new
ranking) again and again for ``--seconds`` while B reads as before, and once during each of A's
long requests A sends a second request of its own (a light read) beside it. Prints B's p50/p95
beside A's long requests and × its figure alone, A's long requests (count, seconds, statuses),
and each second request's wait, status and ``Retry-After`` (docs/api.md's policy since stop 58:
a read takes its key's read lane, so it starts at once beside A's long write; before, it waited
its turn beside busy B until A's long request ended, at most ``MEDTWIN_API_SHARE_WAIT_S``, then
429)::

    python -m benchmarks.bench_flood --port 8012 --long build --runs 3 \
        --variant wait5:MEDTWIN_API_SHARE_WAIT_S=5

With ``--runs`` of 2 or more, every other run takes the codes and variants in the reverse order
(``--before`` last), so neither side always has the earlier, or the later, minutes of a run.
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
from collections import Counter
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


def _serve(src: Path, port: int, keys: str, settings: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, **settings, "PYTHONPATH": str(src), "MEDTWIN_API_KEYS": keys}
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
    return _request(conn, "GET", path, key)[0]


def _request(
    conn: http.client.HTTPConnection, method: str, path: str, key: str
) -> tuple[int, str | None]:
    """The status and ``Retry-After`` of one request (a POST sends an empty JSON body)."""
    headers = {"X-API-Key": key}
    body = None
    if method == "POST":
        headers["Content-Type"] = "application/json"
        body = b"{}"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status, response.getheader("Retry-After")


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


def _client(
    port: int, paths: tuple[str, ...], secret: str, patient: str, n: int, until: float, record: Any
) -> None:
    """GET ``paths`` in turn (from the ``n``-th) until ``until``; ``record(t0, status)``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while time.monotonic() < until:
        t0 = time.monotonic()
        try:
            status = _get(conn, paths[n % len(paths)].format(p=patient), secret)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            status = 0
        record(t0, status)
        n += 1


class _Phase:
    """Clients of one phase of a run, and what they recorded."""

    def __init__(self, args: argparse.Namespace, seconds: float) -> None:
        self.args = args
        self.began = time.monotonic()
        self.until = self.began + seconds
        self.light: list[tuple[float, float, int]] = []  # (at, seconds, status)
        self.counts: dict[str, dict[int, int]] = {}
        self.threads: list[threading.Thread] = []
        self.lock = threading.Lock()

    def timed(self, secret: str, patient: str | None = None) -> None:
        """One client reading the light paths (of ``patient``) one at a time, each timed."""

        def record(t0: float, status: int) -> None:
            self.light.append((t0 - self.began, time.monotonic() - t0, status))

        self._start(LIGHT, secret, 0, record, patient)

    def counted(self, name: str, secret: str, clients: int) -> None:
        """``clients`` threads reading the heavy paths without pause, statuses counted."""
        counts = self.counts.setdefault(name, {})

        def record(_t0: float, status: int) -> None:
            with self.lock:
                counts[status] = counts.get(status, 0) + 1

        for i in range(clients):
            self._start(HEAVY, secret, i, record)

    def _start(
        self, paths: tuple[str, ...], secret: str, n: int, record: Any, patient: str | None = None
    ) -> None:
        a = self.args
        t = threading.Thread(
            target=_client,
            args=(a.port, paths, secret, patient or a.patient, n, self.until, record),
        )
        t.start()
        self.threads.append(t)

    def join(self) -> None:
        for t in self.threads:
            t.join()

    def light_ms(self, since: float = 0.0, to: float = float("inf")) -> dict[str, float]:
        took = [s for at, s, _ in self.light if since <= at <= to]
        return {"p50_ms": 1000 * _pct(took, 0.5), "p95_ms": 1000 * _pct(took, 0.95)}


def flood(src: Path, args: argparse.Namespace, settings: dict[str, str]) -> dict[str, Any]:
    """One run (B alone, the notebook, the flood) against the code in ``src``; its figures."""
    keys_and_secrets = [
        new_key(name, scope)
        for name, scope in (("flood_a", "read"), ("flood_b", "read"), ("flood_n", "read"))
    ] + [new_key("flood_w", "write")]
    (a_secret, _), (b_secret, _), (n_secret, _), (w_secret, _) = keys_and_secrets
    keys = ",".join(k.settings_entry() for _, k in keys_and_secrets)
    server = _serve(src, args.port, keys, settings)
    try:
        alone = _Phase(args, args.alone_seconds)
        alone.timed(b_secret)
        alone.join()
        notebook = _Phase(args, args.notebook_seconds)
        notebook.counted("n", n_secret, 4)
        notebook.join()
        beside = _Phase(args, args.notebook_seconds)
        beside.counted("n", n_secret, 4)
        beside.timed(b_secret)
        beside.join()
        phase = _Phase(args, args.seconds)
        phase.counted("a", a_secret, args.clients)
        phase.timed(b_secret)
        stall: dict[str, Any] = {"until": phase.until}
        if args.stall_at > 0:
            time.sleep(args.stall_at)
            staller = threading.Thread(
                target=_stall, args=(args.port, w_secret, stall, phase.began)
            )
            staller.start()
            phase.threads.append(staller)
        phase.join()
        load = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(30)
    base = alone.light_ms()
    under = phase.light_ms()
    near = beside.light_ms()
    a_ok = phase.counts["a"].get(200, 0)
    return {
        "b_alone": base,
        "b_flood": under,
        "b_flood_ratio": {k: round(under[k] / base[k], 2) for k in base},
        "b_beside_notebook": near,
        "b_beside_notebook_ratio": {k: round(near[k] / base[k], 2) for k in base},
        # per phase: B alone may outrun its key's rate (50/s) on a quiet server: 429s there
        "b_not_200": {
            name: dict(sorted(Counter(st for _, _, st in p.light if st != 200).items()))
            for name, p in (("alone", alone), ("beside_notebook", beside), ("flood", phase))
        },
        "a_statuses": dict(sorted(phase.counts["a"].items())),
        "a_served_per_s": round(a_ok / args.seconds, 2),
        "notebook_alone_statuses": dict(sorted(notebook.counts["n"].items())),
        "notebook_beside_b_statuses": dict(sorted(beside.counts["n"].items())),
        "b_flood_p95_during_stall_ms": (
            phase.light_ms(stall["stalled_at"], stall.get("answered_at", args.seconds))["p95_ms"]
            if "stalled_at" in stall
            else None
        ),
        "stall": {k: v for k, v in stall.items() if k != "until"},
        "load_1min": load,
    }


LONG = {"build": "/v1/patients/{p}/twins", "rank": "/v1/patients/{p}/rankings"}


class _Long:
    """Key A's long requests one after another, and one second request of A's beside each."""

    def __init__(self, args: argparse.Namespace, phase: _Phase, secret: str) -> None:
        self.args, self.phase, self.secret = args, phase, secret
        self.done: list[tuple[float, int]] = []  # (seconds, status) of each long request
        self.second: list[dict[str, Any]] = []
        self.running = threading.Event()  # a long request is in progress
        self.ended = 0  # long requests answered so far

    def start(self) -> None:
        for target in (self._longs, self._seconds):
            t = threading.Thread(target=target)
            t.start()
            self.phase.threads.append(t)

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=600)

    def _longs(self) -> None:
        conn, path = self._connection(), LONG[self.args.long].format(p=self.args.patient)
        while time.monotonic() < self.phase.until:
            t0 = time.monotonic()
            self.running.set()
            try:
                status = _request(conn, "POST", path, self.secret)[0]
            except (OSError, http.client.HTTPException):
                conn.close()
                conn, status = self._connection(), 0
            self.ended += 1
            self.running.clear()
            self.done.append((time.monotonic() - t0, status))

    def _seconds(self) -> None:
        """1 s into each long request, A's light read beside it: its wait, status, Retry-After."""
        conn, path = self._connection(), LIGHT[0].format(p=self.args.patient)
        seen = -1
        while time.monotonic() < self.phase.until:
            if not self.running.wait(0.2):
                continue
            if self.ended == seen:
                # this long request had its second one: sleep, not spin (a spin here held the
                # GIL of this process beside B's timed client once the read was answered before
                # the long request ended: B at 1.5-7.6x alone instead of 1.2-3.6x, stop 58)
                time.sleep(0.05)
                continue
            seen = self.ended  # one second request per long request
            time.sleep(1.0)
            if not self.running.is_set():
                continue
            # a new connection each time: the server closes one idle for 5 s (uvicorn's
            # keep-alive), and a build that long left the next request on a closed one (status 0)
            conn.close()
            t0, before = time.monotonic(), self.ended
            try:
                status, retry = _request(conn, "GET", path, self.secret)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn, status, retry = self._connection(), 0, None
            self.second.append(
                {
                    "waited_s": round(time.monotonic() - t0, 2),
                    "status": status,
                    "retry_after": retry,
                    "after_its_long_request": self.ended > before,
                }
            )

    def figures(self) -> dict[str, Any]:
        took = [t for t, _ in self.done]
        waits = [x["waited_s"] for x in self.second]
        return {
            "a_long": {
                "n": len(took),
                "p50_s": round(_pct(took, 0.5), 2),
                "max_s": round(max(took, default=float("nan")), 2),
                "statuses": dict(sorted(Counter(st for _, st in self.done).items())),
            },
            "a_second": {
                "n": len(waits),
                "statuses": dict(sorted(Counter(x["status"] for x in self.second).items())),
                "waited_p50_s": round(_pct(waits, 0.5), 2),
                "waited_max_s": round(max(waits, default=float("nan")), 2),
                "answered_after_its_long_request": sum(
                    x["after_its_long_request"] for x in self.second
                ),
                "retry_after": sorted({x["retry_after"] for x in self.second} - {None}),
            },
        }


def long_run(src: Path, args: argparse.Namespace, settings: dict[str, str]) -> dict[str, Any]:
    """One ``--long`` run against the code in ``src``: B alone, then B beside A's long requests."""
    keys_and_secrets = [new_key("long_a", "write"), new_key("long_b", "read")]
    (a_secret, _), (b_secret, _) = keys_and_secrets
    keys = ",".join(k.settings_entry() for _, k in keys_and_secrets)
    server = _serve(src, args.port, keys, settings)
    try:
        # B reads another patient: A's new twin of --patient has no ranking yet (404s)
        alone = _Phase(args, args.alone_seconds)
        alone.timed(b_secret, args.reader_patient)
        alone.join()
        phase = _Phase(args, args.seconds)
        long = _Long(args, phase, a_secret)
        long.start()
        phase.timed(b_secret, args.reader_patient)
        phase.join()
        load = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(30)
    base, beside = alone.light_ms(), phase.light_ms()
    return {
        "b_alone": base,
        f"b_beside_{args.long}": beside,
        "ratio": {k: round(beside[k] / base[k], 2) for k in base},
        "b_not_200": dict(sorted(Counter(st for _, _, st in phase.light if st != 200).items())),
        **long.figures(),
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
    ap.add_argument("--stall-at", type=float, default=5.0, help="0: no stalled upload.")
    ap.add_argument("--alone-seconds", type=float, default=15.0, help="Key B alone first.")
    ap.add_argument("--notebook-seconds", type=float, default=15.0)
    ap.add_argument(
        "--long", choices=sorted(LONG), help="A long request of key A instead of the flood."
    )
    ap.add_argument("--runs", type=int, default=1, help="Each code/variant this many times.")
    ap.add_argument(
        "--reader-patient", default="SYN001", help="Key B's patient (--long): a ranked one."
    )
    ap.add_argument(
        "--variant",
        action="append",
        default=[],
        type=_variant,
        help="NAME:VAR=VALUE,... this code again with those settings (repeatable).",
    )
    args = ap.parse_args()
    here = Path(__file__).resolve().parents[1] / "src"
    with tempfile.TemporaryDirectory() as tmp:
        runs = [(args.before, _export(args.before, Path(tmp)), {})] if args.before else []
        variants = [(name, here, env) for name, env in args.variant]
        run = long_run if args.long else flood
        order = [*runs, *(variants or [("this code", here, {})])]
        for i in range(args.runs):  # in turn, so that each run's figures share its minutes
            for name, src, env in order if i % 2 == 0 else order[::-1]:
                print(f"{name} (run {i + 1}): {run(src, args, env)}", flush=True)  # noqa: T201


def _variant(text: str) -> tuple[str, dict[str, str]]:
    name, _, pairs = text.partition(":")
    env = dict(pair.split("=", 1) for pair in pairs.split(",") if pair)
    if not name or not all(k.startswith("MEDTWIN_") for k in env):
        raise argparse.ArgumentTypeError(f"{text!r}: give NAME:MEDTWIN_X=VALUE,...")
    return name, env


if __name__ == "__main__":
    main()
