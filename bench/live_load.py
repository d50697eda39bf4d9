"""Load on the live app: 300 participants on server-sent events while 50 acts/s are submitted.

Usage: .venv/bin/python bench/live_load.py [--clients 300] [--rate 50] [--seconds 60]

Starts `detente serve` (the small harbour-2025 meeting, SQLite in a temporary folder) on a free
loopback port, opens `--clients` event streams (delegates of the three delegations, observers
and the facilitator, several streams per session), then submits acts on a fixed schedule
(open loop): 80% delegation notes (private: reach that delegation's streams and the
facilitator's), 20% announcements (reach every stream). For each act it measures

- submit latency: the POST until its acknowledgement (sent after the event committed);
- delivery latency: the POST's start until the act's position has reached *every* stream that
  may see it (the slowest entitled stream);
- lost acts: acknowledged acts missing from the log, or never delivered to an entitled stream
  within 10 s after the run (must be 0); failed acts (no acknowledgement within 30 s) are
  counted apart;
- the server process's CPU time during the acts (from /proc), per act: unlike the latencies it
  hardly depends on what else the machine runs (the load generator shares it).

In the same run, a bare FastAPI endpoint (one route, no sessions, views or streams) does the same
append to the same database file, at the same rate; the report gives our ratio to it.
All traffic stays on 127.0.0.1; every loop is bounded in time and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

from detente.store.log import Draft, EventStore

ROOT = Path(__file__).resolve().parents[1]
HARBOUR = ROOT / "tests" / "fixtures" / "harbour-2025"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
ID_LINE = re.compile(rb"^id: (\d+)$", re.M)
DELEGATES = {
    "NRD": ["ada-lind", "erik-sand"],
    "KES": ["marta-kowal", "piotr-zaleski"],
    "LOV": ["jonas-brandt", "lena-vogt"],
}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc): what the server cost, which
    does not depend on what else the machine is running, unlike the latencies."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bare_app(db: str) -> FastAPI:
    """The baseline: one FastAPI route appending the same kind of event to the same database,
    under a lock and at the next position, as the app does — no sessions, views or streams.

    (Defined at module level: with postponed annotations, FastAPI resolves `Request` from the
    module's globals; a function-local import made it a required query parameter, and every
    request of the first run failed with 422.)"""
    store = EventStore(f"sqlite:///{db}")
    app = FastAPI()
    lock = threading.Lock()

    @app.post("/write")
    async def write(request: Request) -> PlainTextResponse:
        text = (await request.body()).decode()
        with lock:
            (record,) = store.append(
                "bare",
                [
                    Draft(
                        dt.datetime.now(dt.UTC),
                        "bench",
                        "note_written",
                        "delegation:NRD",
                        {"author": "bench", "item_id": None, "text": text},
                    )
                ],
            )
        return PlainTextResponse("ok", headers={"X-Detente-Seq": str(record.seq)})

    return app


def bare_server(port: int, db: str) -> None:
    uvicorn.run(bare_app(db), host="127.0.0.1", port=port, access_log=False, log_level="warning")


def start(cmd: list[str], ready: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **(env or {})},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(ready, timeout=1).status_code < 500:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"server did not start: {cmd}")


def join(base: str, code: str) -> tuple[str, str]:
    with httpx.Client(base_url=base, follow_redirects=True, timeout=10) as client:
        page = client.get(f"/join/{code}")
        token = CSRF.search(page.text)
        assert token
        home = client.post("/join", data={"code": code, "csrf": token.group(1)})
        csrf = CSRF.search(home.text)
        assert csrf
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        return cookie, csrf.group(1)


class Stream:
    """One participant's event stream over a raw socket; remembers when each id arrived."""

    def __init__(self, scope: str) -> None:
        self.scope = scope  # "all" (facilitator), a delegation id, or "public"
        self.arrivals: list[tuple[int, float]] = []

    async def run(self, port: int, cookie: str, after: int, stop: asyncio.Event) -> None:
        """Read the stream in chunks until `stop` (cheap on the client: one read per chunk,
        every `id:` in a chunk arrived when the chunk did)."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            (
                f"GET /events?after={after} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Cookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        stopping = asyncio.create_task(stop.wait())
        tail = b""
        try:
            while not stop.is_set():
                reading = asyncio.create_task(reader.read(65536))
                done, _ = await asyncio.wait(
                    {reading, stopping}, return_when=asyncio.FIRST_COMPLETED
                )
                if reading not in done:
                    reading.cancel()
                    break
                chunk = reading.result()
                if not chunk:
                    break
                now = time.perf_counter()
                data = tail + chunk
                cut = data.rfind(b"\n")
                tail = data[cut + 1 :]
                ids = ID_LINE.findall(data[: cut + 1])
                if ids:
                    self.arrivals.append((max(int(i) for i in ids), now))
        finally:
            stopping.cancel()
            writer.close()

    def first_at_or_after(self, seq: int) -> float | None:
        for got, at in self.arrivals:
            if got >= seq:
                return at
        return None


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


async def submit_loop(
    base: str, plan: list[tuple[str, str, str]], rate: float, seconds: float, bare: bool = False
) -> list[tuple[str, float, float, int | None]]:
    """Submit acts at `rate`/s for `seconds`: (scope, start, acknowledged, seq) each."""
    results: list[tuple[str, float, float, int | None]] = []
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        t0 = time.perf_counter()
        tasks = []
        n = int(rate * seconds)

        async def one(i: int) -> None:
            scope, cookie, csrf = plan[i % len(plan)]
            await asyncio.sleep(max(0.0, t0 + i / rate - time.perf_counter()))
            start = time.perf_counter()
            path = "/facilitator/announce" if scope == "public" else "/delegation/notes"
            if bare:
                path = "/write"
            try:
                response = await client.post(
                    path,
                    data={"csrf": csrf, "text": f"act {i}"},
                    headers={"Cookie": cookie, "HX-Request": "true"},
                )
                seq = (
                    int(response.headers["x-detente-seq"]) if response.status_code == 200 else None
                )
            except httpx.HTTPError:
                seq = None
            results.append((scope, start, time.perf_counter(), seq))

        for i in range(n):
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
    return results


async def main_async(args: argparse.Namespace) -> dict[str, object]:
    tmp = Path(tempfile.mkdtemp(prefix="detente-load-"))
    out = tmp / "out"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(
        [
            sys.executable,
            "-m",
            "detente",
            "serve",
            str(HARBOUR),
            "--out",
            str(out),
            "--port",
            str(port),
            # the bench sends a whole room's notes through six delegates' sessions (~7 a second
            # each); the per-person write limit, meant for one person typing, would refuse them
            "--write-limit",
            "0",
        ],
        base + "/healthz",
    )
    try:
        from detente.access import join_code, load_or_create_secret

        secret = load_or_create_secret(out)
        sessions: dict[str, tuple[str, str]] = {}
        members = [p for people in DELEGATES.values() for p in people]
        for person in ["facilitator", "observer-1", *members]:
            sessions[person] = join(base, join_code(secret, person))
        scopes = (
            [("all", "facilitator")]
            + [("public", "observer-1")]
            + [(d, p) for d, people in DELEGATES.items() for p in people]
        )
        streams: list[Stream] = []
        stop = asyncio.Event()
        tasks = []
        for i in range(args.clients):
            scope, person = scopes[i % len(scopes)]
            stream = Stream(scope)
            streams.append(stream)
            tasks.append(asyncio.create_task(stream.run(port, sessions[person][0], 0, stop)))
        await asyncio.sleep(3)  # let every stream connect and drain the backlog
        for s in streams:
            s.arrivals.clear()
        rng = random.Random(1)
        plan = []
        for _ in range(1000):
            if rng.random() < 0.2:
                plan.append(("public", *sessions["facilitator"]))
            else:
                d = rng.choice(list(DELEGATES))
                plan.append((d, *sessions[rng.choice(DELEGATES[d])]))
        cpu_server = cpu_seconds(server.pid)
        cpu_client = time.process_time()
        acts = await submit_loop(base, plan, args.rate, args.seconds)
        cpu_server = cpu_seconds(server.pid) - cpu_server
        cpu_client = time.process_time() - cpu_client
        await asyncio.sleep(10)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        delivered: list[float] = []
        failed = sum(1 for a in acts if a[3] is None)
        lost = 0
        for scope, start_t, _ack, seq in acts:
            if seq is None:
                continue
            entitled = [
                s for s in streams if s.scope == "all" or scope == "public" or s.scope == scope
            ]
            times = [s.first_at_or_after(seq) for s in entitled]
            if any(t is None for t in times):
                lost += 1
                continue
            delivered.append(max(t for t in times if t is not None) - start_t)
        store = EventStore(f"sqlite:///{out / 'detente.db'}")
        logged = {r.seq for r in store.read("harbour-2025")}
        store.close()
        lost += sum(1 for a in acts if a[3] is not None and a[3] not in logged)
        ours_submit = [a[2] - a[1] for a in acts if a[3] is not None]
    finally:
        server.terminate()
        server.wait(10)
    # the bare endpoint, same database file, same rate
    bare_port = free_port()
    bare = start(
        [sys.executable, __file__, "--bare-server", str(bare_port), str(out / "detente.db")],
        f"http://127.0.0.1:{bare_port}/docs",
    )
    try:
        bare_acts = await submit_loop(
            f"http://127.0.0.1:{bare_port}", [("x", "", "")], args.rate, args.seconds, bare=True
        )
    finally:
        bare.terminate()
        bare.wait(10)
    bare_submit = [a[2] - a[1] for a in bare_acts if a[3] is not None]
    ms = 1000.0
    return {
        "clients": args.clients,
        "rate": args.rate,
        "seconds": args.seconds,
        "acts": len(acts),
        "failed": failed,
        "lost": lost,
        "server_cpu_s": round(cpu_server, 2),
        "server_cpu_ms_per_act": round(1000 * cpu_server / max(1, len(acts)), 2),
        "client_cpu_s": round(cpu_client, 2),
        "submit_p50_ms": round(pct(ours_submit, 0.5) * ms, 2),
        "submit_p99_ms": round(pct(ours_submit, 0.99) * ms, 2),
        "delivery_p50_ms": round(pct(delivered, 0.5) * ms, 2),
        "delivery_p99_ms": round(pct(delivered, 0.99) * ms, 2),
        "bare_acts": len(bare_acts),
        "bare_failed": sum(1 for a in bare_acts if a[3] is None),
        "bare_submit_p50_ms": round(pct(bare_submit, 0.5) * ms, 2),
        "bare_submit_p99_ms": round(pct(bare_submit, 0.99) * ms, 2),
        "ratio_submit_p50": round(pct(ours_submit, 0.5) / max(pct(bare_submit, 0.5), 1e-9), 2),
        "ratio_submit_p99": round(pct(ours_submit, 0.99) / max(pct(bare_submit, 0.99), 1e-9), 2),
        "mean_delivery_ms": round(statistics.fmean(delivered) * ms, 2) if delivered else None,
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--bare-server":
        bare_server(int(sys.argv[2]), sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args)), indent=2))


if __name__ == "__main__":
    main()
