"""Probe a running ``medtwin serve`` with bad input on every route of its ``/openapi.json``.

Each operation the server declares gets: no key, a wrong key, a read key on a write route, a
method the path does not take; each path parameter as ``''``, ``../x``, ``%00``, a 10 kB id,
``ß``, an emoji, right-to-left text and the real id with its case swapped; each query parameter
as a wrong type, negative, ``1e308``, ``99999999999999999999`` and given twice; each JSON body
empty, not JSON, JSON of the wrong type, nested 10,000 levels, 10 MB, under another
Content-Type, with an extra field and gzip-encoded; each form body (the upload routes, whose file
parts may be ``.gz``) empty, not a form, 10 MB, with an extra field and with a ``.gz`` file part
that is not gzip, cut short, or a gzip bomb. ``GET /health`` follows each route.

Per request it records the status, whether the body is the project's error JSON
(``{"error", "detail"}``, strings), whether it leaks a traceback, an internal path, Cypher or a
secret, the time taken and whether the server still answered ``/health``. It prints a summary
table per route and the findings; ``--json FILE`` writes every row.

The probe never changes the database: write routes (POST, DELETE) are sent a patient id that does
not exist (``--nobody``), so every probe of them ends in a refusal; the real ids (a patient, its
latest twin version, a ranked drug, an input, a cohort) are read from the server and used only by
GET routes. Stdlib HTTP to 127.0.0.1 only.

    python -m benchmarks.api_probe --port 8015                 # starts its own ``medtwin serve``
    python -m benchmarks.api_probe --port 8015 --read-key K1 --write-key K2 --json rows.json
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

NOBODY = "probe_nobody_0"
BOUNDARY = "medtwin-probe-boundary"
MB10 = 10 * 1024 * 1024

# What a body must never show a client (the probe's own values are removed from it first).
LEAKS = {
    "traceback": re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+"),
    "internal path": re.compile(
        r"(?<![\w.])/(?:work|home|tmp|usr|opt|root|var|srv)/[\w.+-]+/|site-packages|\.py\b"
    ),
    "cypher": re.compile(
        r"\b(?:MATCH|MERGE|UNWIND|OPTIONAL MATCH|DETACH DELETE)\s*\(|\bRETURN\s+[a-z_]+\.|"
        r"Neo\.(?:Client|Database|Transient)Error"
    ),
    "secret": re.compile(r"mtk_[A-Za-z0-9_-]{20,}|password\s*[=:]|bolt://|neo4j://", re.I),
}


@dataclass
class Row:
    """One probe request and what came back."""

    route: str
    method: str
    probe: str
    target: str
    status: int | None
    error_shape: bool
    leaks: list[str]
    ms: float
    up: bool = True
    detail: str = ""
    problems: list[str] = field(default_factory=list)


class Client:
    """One connection per request (a refused body may close it), 429s waited out."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout

    def send(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None = None
    ) -> tuple[int | None, bytes, dict[str, str], float]:
        """Status (``None``: no answer), body, headers and milliseconds of one request."""
        for _ in range(5):
            status, data, head, ms = self._once(method, path, headers, body)
            if status != 429:
                return status, data, head, ms
            time.sleep(float(head.get("retry-after", "1")) + 0.1)
        return status, data, head, ms

    def _once(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int | None, bytes, dict[str, str], float]:
        head = {"Host": "127.0.0.1", "Connection": "close", **headers}
        if body is not None:
            head["Content-Length"] = str(len(body))
        request = f"{method} {path} HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in head.items()
        )
        t0 = time.perf_counter()
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
        try:
            try:
                sock.sendall(request.encode("utf-8") + b"\r\n")
                for i in range(0, len(body or b""), 1 << 16):
                    sock.sendall((body or b"")[i : i + (1 << 16)])
            except (BrokenPipeError, ConnectionResetError):
                pass  # a server may answer (413) and close before the body is all sent
            response = http.client.HTTPResponse(sock, method=method)
            try:
                response.begin()
                data = response.read()
            except TimeoutError:
                return None, b"(no answer within the timeout)", {}, _ms(t0)
            except (OSError, http.client.HTTPException) as e:
                return None, f"(connection {type(e).__name__})".encode(), {}, _ms(t0)
            return response.status, data, {k.lower(): v for k, v in response.getheaders()}, _ms(t0)
        finally:
            sock.close()


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)


def error_shape(data: bytes) -> bool:
    """Whether ``data`` is the project's error body: a JSON object of strings error and detail."""
    try:
        body = json.loads(data)
    except ValueError:
        return False
    return (
        isinstance(body, dict)
        and isinstance(body.get("error"), str)
        and isinstance(body.get("detail"), str)
    )


def leaks(data: bytes, sent: str, secrets: tuple[str, ...], *, error: bool) -> list[str]:
    """Kinds of internal detail in ``data`` that the request itself did not send."""
    text = data.decode("utf-8", "replace").replace(sent, "")
    # the report shows its Cypher for Neo4j Browser on purpose: Cypher counts in refusals only
    kinds = [k for k in LEAKS if error or k != "cypher"]
    found = [kind for kind in kinds if LEAKS[kind].search(text)]
    if any(s and s in text for s in secrets) and "secret" not in found:
        found.append("secret")
    return found


# --------------------------------------------------------------------------- probes


def path_values(real: str) -> list[tuple[str, str]]:
    """(label, raw path segment) of each odd path value; the segment is sent as is."""
    q = urllib.parse.quote
    return [
        ("empty", ""),
        ("dot-dot", "../x"),
        ("nul", "%00"),
        ("10 kB", "A" * 10_240),
        ("sharp s", q("ß")),
        ("emoji", q("\U0001f9ec")),
        ("rtl", q("\u05e9\u05dc\u05d5\u05dd\u202e")),
        ("case", q(real.swapcase()) if real.swapcase() != real else q(real + "x")),
    ]


QUERY_VALUES = [
    ("wrong type", "abc"),
    ("negative", "-1"),
    ("1e308", "1e308"),
    ("20 digits", "99999999999999999999"),
]


FIELD_VALUES = [
    ("wrong type", b'"abc"'),
    ("negative", b"-1"),
    ("1e308", b"1e308"),
    ("20 digits", b"99999999999999999999"),
    ("list", b"[[1]]"),
    ("nul", b'"\\u0000"'),
]
"""Each field of a JSON body alone as these (JSON text)."""


def nested(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def json_bodies(valid: dict[str, Any]) -> list[tuple[str, dict[str, str], bytes]]:
    """(label, extra headers, body) of each odd JSON body."""
    js = {"Content-Type": "application/json"}
    ok = json.dumps(valid).encode()
    return [
        ("empty", js, b""),
        ("not JSON", js, b"{not json"),
        ("wrong type", js, b"[1, 2]"),
        ("string", js, b'"x"'),
        ("nested 10,000", js, nested(10_000)),
        ("10 MB", js, b'{"x": "' + b"a" * MB10 + b'"}'),
        ("text/plain", {"Content-Type": "text/plain"}, ok),
        ("no Content-Type", {}, ok),
        ("extra field", js, json.dumps({**valid, "zz_extra": 1}).encode()),
        ("gzip encoded", {**js, "Content-Encoding": "gzip"}, gzip.compress(ok)),
    ]


def form(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    for name, (filename, payload) in files.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + payload
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


BOMB_MIB = 512
"""What the gzip bomb decompresses to (MEDTWIN_MAX_INPUT_MB is 128 by default)."""


def gzip_bomb(mib: int) -> bytes:
    """A DE table gzipped to ~1/1000 of ``mib`` MiB: one 1 MiB member repeated, which any gzip
    reader reads as one stream (RFC 1952 2.2), so the bomb costs no time to build. Its rows are
    1 KiB (a long note column), so the decompressed size passes MEDTWIN_MAX_INPUT_MB before the
    rows pass MEDTWIN_MAX_INPUT_ROWS."""
    row = b"STAT1\t2.0\t0.001\t" + b"n" * 1007 + b"\n"
    member = gzip.compress(row * 1024, 9)  # 1 MiB of rows
    return gzip.compress(b"gene\tlog2fc\tpadj\tnote\n") + member * mib


def form_bodies(schema: dict[str, Any]) -> list[tuple[str, dict[str, str], bytes]]:
    """(label, extra headers, body) of each odd form body of a form ``schema``."""
    mp = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    props = schema.get("properties", {})
    files = [k for k, p in props.items() if "contentMediaType" in json.dumps(p)]
    fields = {"patient_id": NOBODY} if "patient_id" in props else {}
    file = files[0] if files else "file"
    table = b"gene\tlog2fc\tpadj\nSTAT1\t2.0\t0.001\n"
    bomb = gzip_bomb(BOMB_MIB)
    return [
        ("empty", mp, b""),
        ("not a form", mp, b"just bytes, no boundary"),
        ("JSON Content-Type", {"Content-Type": "application/json"}, b"{}"),
        ("no boundary", {"Content-Type": "multipart/form-data"}, form(fields, {})),
        ("10 MB file", mp, form(fields, {file: ("big.tsv", table + b"A\t1\t1\n" * (MB10 // 6))})),
        ("extra field", mp, form({**fields, "zz_extra": "1"}, {file: ("t.tsv", table)})),
        (".gz not gzip", mp, form(fields, {file: ("t.tsv.gz", table)})),
        (".gz cut short", mp, form(fields, {file: ("t.tsv.gz", gzip.compress(table)[:20])})),
        (f".gz bomb ({BOMB_MIB} MiB)", mp, form(fields, {file: ("b.tsv.gz", bomb)})),
    ]


@dataclass
class Op:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def writes(self) -> bool:
        return self.method in ("post", "delete", "put", "patch")

    def params(self, where: str) -> list[dict[str, Any]]:
        return [p for p in self.spec.get("parameters", []) if p["in"] == where]


class Probe:
    """Every probe of every operation of a server's OpenAPI."""

    def __init__(self, client: Client, read: str, write: str, real: dict[str, str]) -> None:
        self.client = client
        self.read = read
        self.write = write
        self.real = real
        self.rows: list[Row] = []

    def url(self, op: Op, override: dict[str, str] | None = None) -> str:
        values = {
            p["name"]: (
                NOBODY if op.writes and p["name"] == "patient_id" else self.real.get(p["name"], "1")
            )
            for p in op.params("path")
        }
        quoted = {k: urllib.parse.quote(v, safe="") for k, v in values.items()}
        quoted.update(override or {})
        return re.sub(r"\{(\w+)\}", lambda m: quoted[m.group(1)], op.path)

    def required(self, op: Op, but: str = "") -> str:
        """The route's required query parameters (but ``but``), as the real twin version."""
        names = [p["name"] for p in op.params("query") if p.get("required") and p["name"] != but]
        return "&".join(f"{n}={self.real.get('version', '1')}" for n in names)

    def run(self, op: Op) -> None:
        secured = bool(op.spec.get("security"))
        required = self.required(op)
        base = self.url(op) + (f"?{required}" if required else "")
        auth = {"X-API-Key": self.write if op.writes else self.read}
        if not op.writes and secured:
            # a read route that needs a write key (the audit trail): probe it with one
            status = self.client.send("GET", base, auth)[0]
            if status == 403:
                auth = {"X-API-Key": self.write}
        if secured:
            self.do(op, "auth", "no key", op.method.upper(), base, {})
            self.do(
                op, "auth", "wrong key", op.method.upper(), base, {"X-API-Key": "mtk_" + "x" * 43}
            )
            self.do(
                op, "auth", "bearer empty", op.method.upper(), base, {"Authorization": "Bearer"}
            )
            if op.writes:
                self.do(op, "auth", "read key", op.method.upper(), base, {"X-API-Key": self.read})
        if not op.writes:
            self.do(op, "baseline", "real ids", op.method.upper(), base, auth)
        self.do(op, "method", "PATCH", "PATCH", base, auth)
        method = op.method.upper()
        tail = f"?{required}" if required else ""
        for p in op.params("path"):
            name = p["name"]
            for label, raw in path_values(self.real.get(name, "1")):
                if label == "case" and p["schema"].get("type") != "string":
                    continue  # a number has no case
                self.do(op, f"path {name}", label, method, self.url(op, {name: raw}) + tail, auth)
        for p in op.params("query"):
            name = p["name"]
            rest = self.required(op, but=name)
            for label, value in [*QUERY_VALUES, ("twice", f"1&{name}=1")]:
                query = "&".join(q for q in (rest, f"{name}={value}") if q)
                self.do(op, f"query {name}", label, method, f"{self.url(op)}?{query}", auth)
        content = op.spec.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            for label, extra, body in json_bodies({}):
                self.do(op, "body", label, method, base, {**auth, **extra}, body)
            js = {**auth, "Content-Type": "application/json"}
            for name in self.resolve(content["application/json"]["schema"]).get("properties", {}):
                for label, value in FIELD_VALUES:
                    body = b'{"%s": %s}' % (name.encode(), value)
                    self.do(op, f"field {name}", label, method, base, js, body)
        if "multipart/form-data" in content:
            schema = self.resolve(content["multipart/form-data"]["schema"])
            for label, extra, body in form_bodies(schema):
                self.do(op, "form", label, method, base, {**auth, **extra}, body)
            mp = {**auth, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
            props = schema.get("properties", {})
            fields = {"patient_id": NOBODY} if "patient_id" in props else {}
            # a required file goes along (a drug-target table), so the field itself is read
            table = ("t.tsv", b"drug_id\tgene\nT1\tTNF\n")
            needed = schema.get("required", [])
            files = {n: table for n in needed if "contentMediaType" in json.dumps(props[n])}
            for name, prop in props.items():
                if name in fields or "contentMediaType" in json.dumps(prop):
                    continue
                for label, value in QUERY_VALUES:
                    body = form({**fields, name: value}, files)
                    self.do(op, f"form field {name}", label, method, base, mp, body)

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        refs = [s for s in schema.get("anyOf", []) if "$ref" in s]  # an optional body
        ref = (refs[0] if refs else schema).get("$ref", "")
        return self.components.get(ref.rsplit("/", 1)[-1], schema) if ref else schema

    components: dict[str, Any] = {}

    def do(
        self,
        op: Op,
        probe: str,
        target: str,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None = None,
    ) -> None:
        if body is None and method in ("POST", "PUT", "PATCH"):
            body = b""
        status, data, _, ms = self.client.send(method, url, headers, body)
        sent = urllib.parse.unquote(url)
        row = Row(
            route=op.path,
            method=op.method.upper(),
            probe=probe,
            target=target,
            status=status,
            error_shape=error_shape(data),
            leaks=leaks(data, sent, (self.read, self.write), error=(status or 500) >= 400),
            ms=ms,
            detail=data[:300].decode("utf-8", "replace"),
        )
        row.problems = problems(row, op)
        self.rows.append(row)

    def health(self) -> bool:
        status, _, _, _ = self.client.send("GET", "/health", {})
        return status == 200


def problems(row: Row, op: Op) -> list[str]:
    """What is wrong with one answer: a 5xx, no answer, a leak, a non-error body, a 2xx."""
    out = []
    if row.status is None:
        out.append("no answer")
    elif row.status >= 500:
        out.append(f"{row.status}")
    elif row.status < 400 and op.writes:
        out.append(f"{row.status} on a write probe")
    elif row.status < 400 and row.probe.startswith(("auth", "method", "body", "form")):
        out.append(f"{row.status} accepted")
    if row.target == "case" and op.spec.get("security") and 200 <= (row.status or 0) < 300:
        out.append(f"{row.status} for an id that differs only in case")
    if row.status is not None and row.status >= 400 and not row.error_shape:
        out.append("not the error body")
    if row.leaks:
        out.append("leaks " + ", ".join(row.leaks))
    documented = op.spec.get("responses", {})
    # told before routing, on every route: a path no route matches, a method, the limits
    before_routing = {405, 429} | ({404} if '"error":"NotFound"' in row.detail else set())
    status = row.status or 0
    if status >= 400 and status not in before_routing and str(status) not in documented:
        out.append(f"{row.status} undocumented")
    return out


def discover(client: Client, read: str, given: dict[str, str]) -> dict[str, str]:
    """Real ids for the GET routes: patient, twin version, ranked drug, input, cohort."""
    real = dict(given)
    key = {"X-API-Key": read}

    def get(path: str) -> Any:
        status, data, _, _ = client.send("GET", path, key)
        return json.loads(data) if status == 200 else None

    if "patient_id" not in real:
        page = get("/v1/patients?limit=1") or [{}]
        real["patient_id"] = str(page[0].get("id", NOBODY))
    pid = urllib.parse.quote(real["patient_id"], safe="")
    patient = get(f"/v1/patients/{pid}") or {}
    inputs = patient.get("input_list") or [{}]
    real.setdefault("input_id", str(inputs[0].get("id", "1")).rsplit("/", 1)[-1])
    real.setdefault("name", str((patient.get("metadata") or {}).get("cohort", "cohort")))
    versions = patient.get("twin_versions") or [1]
    real.setdefault("version", str(max(versions)))
    ranking = get(f"/v1/patients/{pid}/rankings/latest?limit=1") or {}
    drugs = ranking.get("drugs") or [{}]
    real.setdefault("drug_id", str(drugs[0].get("drug_id", "DB00001")))
    return real


def summary(rows: list[Row]) -> str:
    """A table per route: requests, statuses, problems, slowest answer, server up."""
    lines = [
        f"{'method':6} {'route':52} {'n':>4} {'statuses':44} {'5xx':>3} {'shape':>5} "
        f"{'leak':>4} {'hang':>4} {'max ms':>8} up"
    ]
    seen: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        seen.setdefault((row.method, row.route), []).append(row)
    for (method, route), group in seen.items():
        statuses = Counter(str(r.status) for r in group)
        text = " ".join(f"{s}:{n}" for s, n in sorted(statuses.items()))
        lines.append(
            f"{method:6} {route[:52]:52} {len(group):4} {text[:44]:44} "
            f"{sum(1 for r in group if r.status and r.status >= 500):3} "
            f"{sum(1 for r in group if r.status and r.status >= 400 and not r.error_shape):5} "
            f"{sum(1 for r in group if r.leaks):4} "
            f"{sum(1 for r in group if r.status is None):4} "
            f"{max(r.ms for r in group):8.0f} {'yes' if all(r.up for r in group) else 'NO'}"
        )
    bad = [r for r in rows if r.problems]
    lines.append(f"\n{len(rows)} requests, {len(bad)} with a problem")
    for r in bad:
        lines.append(
            f"  {r.method} {r.route} [{r.probe}: {r.target}] {r.status}: "
            f"{'; '.join(r.problems)} — {r.detail[:160]!r}"
        )
    return "\n".join(lines)


def serve(port: int) -> tuple[subprocess.Popen[bytes], str, str]:
    """``medtwin serve`` on ``port`` with a fresh read and write key (the MEDTWIN_* settings)."""
    from medtwin.api_keys import new_key

    read, read_key = new_key("probe_read", "read")
    write, write_key = new_key("probe_write", "write")
    keys = ",".join(f"{k.name}:{k.scope}:{k.sha256}" for k in (read_key, write_key))
    server = subprocess.Popen(
        [sys.executable, "-m", "medtwin", "serve", "--port", str(port), "--log-level", "warning"],
        env={**os.environ, "MEDTWIN_API_KEYS": keys},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    client = Client(port, 5)
    while time.monotonic() < deadline:
        try:
            if client.send("GET", "/health", {})[0] == 200:
                return server, read, write
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"medtwin serve on port {port} did not answer /health within 120 s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=8015)
    ap.add_argument("--read-key", default=os.environ.get("MEDTWIN_PROBE_READ_KEY"))
    ap.add_argument("--write-key", default=os.environ.get("MEDTWIN_PROBE_WRITE_KEY"))
    ap.add_argument("--only", default="", help="Only routes whose path holds this text.")
    ap.add_argument("--timeout", type=float, default=120.0, help="Seconds before 'no answer'.")
    ap.add_argument("--patient", help="The patient the GET routes read (default: the first).")
    ap.add_argument("--json", metavar="FILE", help="Write every row as JSON.")
    args = ap.parse_args()
    server = None
    if not (args.read_key and args.write_key):
        server, args.read_key, args.write_key = serve(args.port)
    try:
        client = Client(args.port, args.timeout)
        status, data, _, _ = client.send("GET", "/openapi.json", {})
        if status != 200:
            raise SystemExit(f"GET /openapi.json answered {status}")
        spec = json.loads(data)
        Probe.components = spec.get("components", {}).get("schemas", {})
        real = discover(client, args.read_key, {"patient_id": args.patient} if args.patient else {})
        print(f"real ids of the GET routes: {real}", file=sys.stderr)
        probe = Probe(client, args.read_key, args.write_key, real)
        t0 = time.monotonic()
        for path, ops in spec["paths"].items():
            if args.only not in path:
                continue
            for method, op_spec in ops.items():
                op = Op(method, path, op_spec)
                start = len(probe.rows)
                probe.run(op)
                up = probe.health()
                for row in probe.rows[start:]:
                    row.up = up
                    if not up:
                        row.problems.append("server down after the route")
                print(
                    f"{method.upper():6} {path}: {len(probe.rows) - start} requests",
                    file=sys.stderr,
                )
        print(summary(probe.rows))
        print(f"{time.monotonic() - t0:.0f} s", file=sys.stderr)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as out:
                json.dump([asdict(r) for r in probe.rows], out, indent=1)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
