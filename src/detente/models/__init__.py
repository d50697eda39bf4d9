"""Language models for model seats: one client for any OpenAI-compatible server, an offline
in-process default (llama-cpp-python with SmolLM2-135M-Instruct), and a replay client that answers
from a recorded meeting. The heavy packages (`openai`, `llama_cpp`) are imported only when a client
is opened, so the base install works without the `model` extra.

The face: other packages import only the modules in ``__all__`` (tests/test_layering.py checks
every import); every other module is the package's own.

- ``client`` — the client contract and the OpenAI-compatible client;
- ``config`` — where a model lives and how it is called;
- ``local`` — the offline default (llama.cpp with SmolLM2);
- ``replay`` — answers from a record's model calls;
- ``schema`` — checking a model's JSON against the prompts' schema subset.
"""

__all__ = [
    "client",
    "config",
    "local",
    "replay",
    "schema",
]
