"""The model client contract, and the client for OpenAI-compatible chat-completions servers.

A client never raises for a model's or a server's failure: :meth:`ModelClient.complete` returns a
:class:`Completion` whose `error` says what went wrong (server down, timeout, HTTP 500 …), so a
seat can record it and fall back. Output is constrained by the request's JSON schema where the
server supports it (`response_format` `json_schema`; servers that reject it — llama-cpp-python's
server answers HTTP 500 — are asked with `json_object` plus the schema, llama.cpp's extension, from
then on). Whatever the server claims, the seat validates every output afterwards.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from detente.models.config import ModelConfig

Message = dict[str, str]


@dataclass(frozen=True)
class Call:
    """One chat-completions call: who asks (the delegation), the messages and the JSON schema
    the answer must follow."""

    delegation: str
    messages: tuple[Message, ...]
    schema: dict[str, Any]
    name: str = "answer"
    max_tokens: int | None = None
    """Overrides the configured max tokens (a ballot of many statements needs more)."""

    @property
    def prompt_hash(self) -> str:
        """SHA-256 of the messages and the schema (canonical JSON)."""
        text = json.dumps(
            {"messages": list(self.messages), "schema": self.schema, "max": self.max_tokens},
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Completion:
    """What came back. `error` is non-empty when there is no usable output (`raw` is then what
    little there was); `finish` is the server's finish reason (`length`: cut at max_tokens)."""

    raw: str
    model: str
    server: str
    parameters: dict[str, Any] = field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0
    finish: str = ""
    error: str = ""


class ModelClient(Protocol):
    """Anything that completes a :class:`Call`. Whoever opens a client closes it (frees a local
    model, an HTTP connection pool) when the run is over."""

    @property
    def server(self) -> str: ...

    def complete(self, call: Call) -> Completion: ...

    def close(self) -> None: ...


class Breaker:
    """Counts consecutive transport failures; when `limit` is reached the server counts as down
    and only every `limit`-th call is tried, so a dead server does not cost a timeout per
    request for the rest of the meeting."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.failures = 0
        self.skipped = 0

    @property
    def down(self) -> bool:
        return self.failures >= self.limit

    def allow(self) -> bool:
        if not self.down:
            return True
        self.skipped += 1
        if self.skipped >= self.limit:
            self.skipped = 0
            return True
        return False

    def record(self, ok: bool) -> None:
        self.failures = 0 if ok else self.failures + 1


def _error_text(exc: Exception) -> str:
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    text = str(exc).splitlines()[0] if str(exc) else name
    if status is not None:
        return f"HTTP {status}: {text[:200]}"
    return f"{name}: {text[:200]}"


class OpenAIClient:
    """Chat completions through the `openai` package against any compatible server."""

    def __init__(self, config: ModelConfig) -> None:
        try:
            import openai
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelUnavailable(
                "model seats need the `openai` package: pip install -e '.[model]'"
            ) from exc
        self._config = config
        self._openai = openai
        self._client = openai.OpenAI(
            base_url=config.url,
            api_key=config.key or "not-needed",
            timeout=config.timeout,
            max_retries=0,
        )
        self._mode = "json_schema"
        self._breaker = Breaker(config.breaker)

    @property
    def server(self) -> str:
        return self._config.url

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()

    def _format(self, mode: str, call: Call) -> dict[str, Any]:
        if mode == "json_schema":
            return {
                "type": "json_schema",
                "json_schema": {"name": call.name, "schema": call.schema, "strict": True},
            }
        return {"type": "json_object", "schema": call.schema}

    def complete(self, call: Call) -> Completion:
        config = self._config
        parameters = {**config.parameters(call.max_tokens), "format": self._mode}
        model = config.model or "default"
        if not self._breaker.allow():
            return Completion(
                "",
                model,
                self.server,
                parameters,
                error=f"server {self.server} is down (skipped after repeated failures)",
            )
        start = time.perf_counter()
        error = ""
        for _attempt in range(1 + max(0, config.retries)):
            try:
                create: Any = self._client.chat.completions.create
                response = create(
                    model=model,
                    messages=list(call.messages),
                    response_format=self._format(self._mode, call),
                    temperature=config.temperature,
                    seed=config.seed,
                    max_tokens=parameters["max_tokens"],
                )
            except self._openai.APIStatusError as exc:
                error = _error_text(exc)
                if self._mode == "json_schema" and exc.status_code in (400, 422, 500, 501):
                    # the server may not take json_schema: try json_object + schema, once
                    self._mode = "json_object"
                    parameters["format"] = self._mode
                    continue
                if exc.status_code < 500:
                    break
                continue
            except (self._openai.APIConnectionError, self._openai.APITimeoutError) as exc:
                error = _error_text(exc)
                continue
            except Exception as exc:  # a malformed response body, bad JSON from the server …
                error = _error_text(exc)
                continue
            self._breaker.record(True)
            return _completion(response, model, self.server, parameters, start)
        self._breaker.record(False)
        return Completion(
            "",
            model,
            self.server,
            parameters,
            latency_ms=round((time.perf_counter() - start) * 1000),
            error=error,
        )


def _completion(
    response: Any, model: str, server: str, parameters: dict[str, Any], start: float
) -> Completion:
    latency = round((time.perf_counter() - start) * 1000)
    choices = getattr(response, "choices", None) or []
    if not choices:
        return Completion("", model, server, parameters, latency_ms=latency, error="no choices")
    choice = choices[0]
    message = choice.message
    usage = getattr(response, "usage", None)
    refusal = getattr(message, "refusal", None)
    return Completion(
        raw=message.content or "",
        model=str(getattr(response, "model", "") or model),
        server=server,
        parameters=parameters,
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        latency_ms=latency,
        finish=str(choice.finish_reason or ""),
        error=f"the model refused: {refusal}" if refusal else "",
    )


class ModelUnavailable(Exception):
    """The model cannot be opened at all (package missing, model file missing)."""


def open_client(config: ModelConfig) -> ModelClient:
    """The client `config` asks for: the in-process local default or an HTTP server.
    Raises :class:`ModelUnavailable` with a one-line reason when it cannot be opened."""
    if config.local:
        from detente.models.local import LocalClient

        return LocalClient(config)
    return OpenAIClient(config)
