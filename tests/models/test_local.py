"""The real local model: SmolLM2-135M in-process and behind `python -m llama_cpp.server`.

Skipped only when llama-cpp-python is not installed (`pip install -e '.[model]'`; `make test`
installs it). Few requests, small token limits: these check the plumbing, not the model.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from detente.meeting.loader import load_meeting
from detente.models.client import OpenAIClient
from detente.models.config import ModelConfig
from detente.models.local import LocalClient, smollm2_path
from detente.seats.events import ModelCalled
from detente.seats.model import ModelSeat
from detente.seats.model_prompts import SeatView
from detente.seats.simulated import SimulatedDelegation
from tests.seats.test_model import OPTIONS, REQUEST

pytest.importorskip("llama_cpp")


def _seat(korea: Path, client: object) -> ModelSeat:
    folder = load_meeting(korea)
    assert folder.profiles is not None
    profile = folder.profiles.profile("USA")
    labels = {d.id: d.label for d in folder.profiles.dimensions}
    view = SeatView("USA", "United States", "USA", profile, labels, seed=1)
    fallback = SimulatedDelegation(folder.profiles, "USA", np.random.default_rng(1))
    return ModelSeat(view, client, fallback, reasks=1)  # type: ignore[arg-type]


def _check(seat: ModelSeat) -> list[ModelCalled]:
    decision = seat.answer(REQUEST)
    assert set(decision.actions) <= {o.id for o in OPTIONS} and len(decision.actions) <= 2
    calls = [e for e in seat.events if isinstance(e, ModelCalled)]
    assert calls and all(c.prompt_tokens > 0 for c in calls if c.outcome != "error")
    return calls


def test_in_process_local_model_answers_a_ttx_decision(korea: Path) -> None:
    with LocalClient(ModelConfig(temperature=0.0, seed=1, max_tokens=200)) as client:
        calls = _check(_seat(korea, client))
    assert calls[0].model.startswith("SmolLM2-135M-Instruct") and calls[0].server == "local"


@pytest.fixture
def llama_server() -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_path()),
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(600):  # the server is up when it lists its model
            if process.poll() is not None:
                err = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"llama_cpp.server exited: {err[-500:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_llama_cpp_server_process_answers_through_the_openai_client(
    korea: Path, llama_server: str
) -> None:
    config = ModelConfig(url=llama_server, model="smollm2", temperature=0.0, max_tokens=200)
    client = OpenAIClient(config)
    try:
        calls = _check(_seat(korea, client))
    finally:
        client.close()
    assert all(c.server == llama_server for c in calls)
    assert calls[-1].parameters["format"] in ("json_schema", "json_object")
