"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for fault tests.

Each POST to `/v1/chat/completions` takes the next behaviour of the script (the last one repeats):
`valid` answers the smallest answer the request's JSON schema allows; the others are the faults a
model seat must survive (garbage, truncated JSON, an off-menu action, ten actions, an empty
answer, a refusal, HTTP 500, a slow answer, a participant's name in the text).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def minimal(schema: dict[str, Any]) -> Any:
    """The smallest value that satisfies one of the prompts' schemas."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {k: minimal(v) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [minimal(schema["items"]) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return "We support calm and dialogue."
    if kind == "integer":
        return int(schema.get("minimum", 0))
    return None


def _schema(body: dict[str, Any]) -> dict[str, Any]:
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return dict(fmt["json_schema"]["schema"])
    return dict(fmt.get("schema") or {})


def _with_text(value: Any, text: str) -> Any:
    if isinstance(value, dict):
        return {k: _with_text(v, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_text(v, text) for v in value]
    return text if isinstance(value, str) and value.startswith("We support") else value


def content(behaviour: str, schema: dict[str, Any]) -> tuple[str | None, str, str | None]:
    """(content, finish_reason, refusal) for one behaviour."""
    answer = minimal(schema)
    if behaviour == "garbage":
        return "<<<%%% not json at all", "stop", None
    if behaviour == "truncated":
        return json.dumps(answer)[:12], "length", None
    if behaviour == "empty":
        return "", "stop", None
    if behaviour == "refusal":
        return None, "stop", "I'm sorry, I can't take part in a war game."
    if behaviour in ("offmenu", "ten") and isinstance(answer, dict) and "actions" in answer:
        menu = schema["properties"]["actions"]["items"].get("enum", ["x"])
        if behaviour == "offmenu":
            answer["actions"] = ["launch-everything"]
        else:
            answer["actions"] = [menu[i % len(menu)] for i in range(10)]
    if behaviour.startswith("name:"):
        answer = _with_text(answer, f"As {behaviour[5:]} told me, we support calm.")
    return json.dumps(answer), "stop", None


class FakeServer:
    """The server's state: its script, the requests it got, its base URL."""

    def __init__(self, script: Sequence[str]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.url = ""

    def next(self) -> str:
        index = min(len(self.requests) - 1, len(self.script) - 1)
        return self.script[index]


@contextmanager
def fake_server(script: Sequence[str], *, delay: float = 0.0) -> Iterator[FakeServer]:
    """Run a scripted server for the `with` block (behaviour `slow` sleeps `delay` seconds)."""
    state = FakeServer(script)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append(body)
            behaviour = state.next()
            if behaviour == "500":
                self._send(500, {"error": {"message": "internal error", "type": "server"}})
                return
            if behaviour == "slow":
                time.sleep(delay)
                behaviour = "valid"
            if behaviour == "nojsonschema":
                if (body.get("response_format") or {}).get("type") == "json_schema":
                    self._send(500, {"error": {"message": "json_schema unsupported"}})
                    return
                behaviour = "valid"
            text, finish, refusal = content(behaviour, _schema(body))
            self._send(
                200,
                {
                    "id": f"c{len(state.requests)}",
                    "object": "chat.completion",
                    "created": 0,
                    "model": "fake-model",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text, "refusal": refusal},
                            "finish_reason": finish,
                        }
                    ],
                    "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
                },
            )

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
