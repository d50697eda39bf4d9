"""Run `detente serve` as a real process (uvicorn) on a free loopback port, for the durability,
browser and PostgreSQL tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from detente.access import join_code, load_or_create_secret

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[str]
    base: str
    out: Path
    facilitator_link: str

    def code(self, person: str, generation: int = 0) -> str:
        return join_code(load_or_create_secret(self.out), person, generation)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def start(
    folder: Path,
    out: Path,
    *,
    port: int | None = None,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> Server:
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "detente",
            "serve",
            str(folder),
            "--out",
            str(out),
            "--port",
            str(port),
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("facilitator: "):
        process.kill()
        raise RuntimeError(
            f"serve did not start: {line!r} {process.stderr.read() if process.stderr else ''}"
        )
    scheme = "https" if "--tls" in args else "http"
    base = f"{scheme}://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(base + "/healthz", timeout=1, verify=False).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    else:
        process.kill()
        raise RuntimeError("serve did not answer /healthz")
    return Server(process, base, out, line.split(" ", 1)[1].strip())


def join(server: Server, person: str, generation: int = 0) -> tuple[httpx.Client, str]:
    """A client signed in as `person`, with its CSRF token."""
    client = httpx.Client(base_url=server.base, timeout=10, follow_redirects=True)
    page = client.get(f"/join/{server.code(person, generation)}")
    token = CSRF.search(page.text)
    assert token is not None
    response = client.post(
        "/join", data={"code": server.code(person, generation), "csrf": token.group(1)}
    )
    assert response.status_code == 200, response.text
    csrf = CSRF.search(response.text) or re.search(r'"X-CSRF-Token": "([^"]+)"', response.text)
    assert csrf is not None
    client.headers["hx-request"] = "true"  # acts answer with a fragment and X-Detente-Seq
    return client, csrf.group(1)
