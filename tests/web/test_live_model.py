"""A live seat handed to a language model and back: answers recorded as model-drafted with their
model calls, a model that misses the request's deadline handed on to the simulated profile with
its late answer dropped, and a restarted meeting that replays the model's answers without it.
Every model here is the scripted fake server of tests/models (no real model)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from detente.document.drafted import MODEL_DRAFTED
from detente.document.summary import render_summary
from detente.meeting.state import meeting_state
from detente.models.config import ModelConfig
from detente.seats.live_models import LiveModels
from detente.store.log import Record
from tests.models.fake_server import FakeServer, fake_server
from tests.web.conftest import CORVAN, PEOPLE, SMALL_TTX, Person, Served, decide, serve

pytest.importorskip("openai")

POINT = {"topic-0": "Pilotage", "statement-0": "KES members speak", "source-0": "Harbour act"}


def _models(server: FakeServer, *, timeout: float = 30.0) -> LiveModels:
    config = ModelConfig(url=server.url, model="fake", timeout=timeout, retries=0)
    return LiveModels.from_config(config, notify=lambda line: None)


def _to_presentations(served: Served) -> Person:
    facilitator = served.join(PEOPLE["facilitator"])
    for _ in range(3):  # start breakfast, end breakfast, start session 1
        served.decide_open(facilitator)
    return facilitator


def _records(served: Served, kind: str) -> list[Record]:
    return [e.record for e in served.live.controller.log.entries if e.record.kind == kind]


def _wait_for(served: Served, kind: str, timeout: float = 20.0) -> list[Record]:
    """Wait until the log holds a record of `kind` (a model job ends in its own thread)."""
    log = served.live.controller.log
    with log.lock:
        log.changed.wait_for(lambda: kind in log.by_kind, timeout)
    return _records(served, kind)


@pytest.fixture
def modelled(harbour: Path, tmp_path: Path) -> Iterator[tuple[Served, FakeServer]]:
    with fake_server(["valid"]) as server:
        for served in serve(harbour, tmp_path / "out", models=_models(server)):
            yield served, server


def test_a_seat_handed_to_a_model_answers_with_its_calls_recorded(
    modelled: tuple[Served, FakeServer],
) -> None:
    served, server = modelled
    facilitator = _to_presentations(served)
    seats = facilitator.client.get("/facilitator/panel/seats").text
    assert seats.count('data-holder="model"') == 3 and "disabled" not in seats
    response = facilitator.post("/facilitator/seats/KES", {"holder": "model"})
    assert response.status_code == 200  # type: ignore[attr-defined]
    served.idle()
    answered = _records(served, "answer_simulated")
    assert answered and all(r.actor == "model:KES" for r in answered)
    calls = _records(served, "model_called")
    assert len(calls) >= len(answered) and all(c.visibility == "facilitator" for c in calls)
    assert all(c.payload["delegation"] == "KES" for c in calls) and server.requests
    # each answer follows its valid model call, both written by the runner, as in `detente run`
    entries = served.live.controller.log.entries
    for answer in answered:
        call = entries[answer.seq - 2].record
        assert call.kind == "model_called" and call.payload["outcome"] == "valid"
        assert call.actor == "KES"
    # the presentation was given in the model's words, labelled on the delegation's page
    assert "presentation_delivered" in {e.record.kind for e in served.live.controller.log.entries}
    kes = served.join(PEOPLE["KES"])
    assert "answered by a language model" in kes.client.get("/delegation/panel/requests").text
    assert "handed your seat to a language model" in kes.client.get("/delegation").text
    seats = facilitator.client.get("/facilitator/panel/seats").text
    row = seats[seats.index('data-delegation="KES"') :]
    assert "language model" in row[: row.index("<form")]
    # summary.md of the live record says whose words a model drafted
    records = [e.record for e in served.live.controller.log.entries]
    summary = render_summary(served.live.folder, meeting_state(records))
    assert f"{MODEL_DRAFTED} A language model held the seat of Kestrian Federation" in summary
    assert "Republic of Nordhavn" not in summary[summary.index(MODEL_DRAFTED) :].split("\n")[0]
    # hand back to the members: the next KES request waits for them
    response = facilitator.post("/facilitator/seats/KES", {"holder": "people"})
    assert response.status_code == 200  # type: ignore[attr-defined]
    for delegation in ("LOV", "NRD"):
        facilitator.post(f"/facilitator/seats/{delegation}", {"holder": "simulated"})
    served.idle()
    waiting = served.live.controller.status.waiting_for
    assert waiting and all(key.startswith("KES-") for key in waiting), waiting
    key = next(iter(waiting))
    calls = len(_records(served, "model_called"))
    assert not served.live.controller.models.jobs  # no model works on the members' request
    assert [e.record.kind for e in served.live.controller.log.by_key[key]] == ["seat_requested"]
    assert f'data-key="{key}"' in kes.client.get("/delegation/panel/requests").text
    assert len(_records(served, "model_called")) == calls
    assert not _records(served, "model_answer_dropped")


def test_a_model_that_misses_the_deadline_is_handed_on_and_its_answer_dropped(
    harbour: Path, tmp_path: Path
) -> None:
    with fake_server(["slow"], delay=4.0) as server:
        for served in serve(
            harbour, tmp_path / "out", models=_models(server), deadline_minutes=0.02
        ):  # requests close 1.2 s after they are asked; the model takes 4 s
            facilitator = _to_presentations(served)
            facilitator.post("/facilitator/seats/KES", {"holder": "model"})
            handed = _wait_for(served, "model_handed_on")
            assert handed[0].payload["key"] == "KES-1"
            assert "deadline" in handed[0].payload["reason"]
            fell = _records(served, "seat_fell_back")
            assert fell and fell[0].seq == handed[0].seq + 1
            answers = [
                r for r in _records(served, "answer_simulated") if r.payload["key"] == "KES-1"
            ]
            assert [r.actor for r in answers] == ["simulated:KES"]
            dropped = _wait_for(served, "model_answer_dropped")
            assert dropped[0].payload["key"] == "KES-1"
            assert dropped[0].seq > answers[0].seq and dropped[0].visibility == "facilitator"
            assert dropped[0].payload["calls"], dropped[0].payload
            # the late answer is recorded only as dropped: KES-1 has one answer, no model call
            keyed = [e.record.kind for e in served.live.controller.log.by_key["KES-1"]]
            assert keyed.count("answer_simulated") == 1
            assert not [c for c in _records(served, "model_called") if c.seq < dropped[0].seq]
            feed = facilitator.client.get("/facilitator/panel/feed").text
            assert "The language model did not answer for KES: handed on to the simulation." in feed
            assert "A language model&#39;s answer for KES was dropped." in feed
            before = [e.record for e in served.live.controller.log.entries]
    # restarted with no model: the hand-over replays, the dropped answer is skipped
    gone = LiveModels(None, "no model here", notify=lambda line: None)
    for served in serve(harbour, tmp_path / "out", models=gone):
        served.idle()
        controller = served.live.controller
        assert controller.status.error is None, controller.status.error
        assert not controller.replaying and controller.writer.verified > 0
        assert [e.record for e in controller.log.entries][: len(before)] == before


def test_a_restarted_meeting_replays_the_model_answers_without_the_model(
    harbour: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with fake_server(["valid"]) as server:
        for served in serve(harbour, out, models=_models(server)):
            facilitator = _to_presentations(served)
            facilitator.post("/facilitator/seats/KES", {"holder": "model"})
            served.idle()
            before = [e.record for e in served.live.controller.log.entries]
            assert any(r.actor == "model:KES" for r in before)
    # no model now: the restart replays the recorded calls and stops where the meeting was
    gone = LiveModels(None, "no model here", notify=lambda line: None)
    for served in serve(harbour, out, models=gone):
        served.idle()
        controller = served.live.controller
        assert controller.status.error is None, controller.status.error
        assert not controller.replaying and controller.writer.verified > 0
        again = [e.record for e in controller.log.entries]
        assert again[: len(before)] == before
        assert [r.kind for r in again[len(before) :]] == ["live_resumed"]
        seats = served.join(PEOPLE["facilitator"]).client.get("/facilitator/panel/seats").text
        assert "No language model: no model here" in seats


def test_a_seat_cannot_be_handed_to_a_model_when_none_is_configured(served: Served) -> None:
    served.live.controller.models = LiveModels(None, "set DETENTE_MODEL_URL")
    facilitator = served.join(PEOPLE["facilitator"])
    seats = facilitator.client.get("/facilitator/panel/seats").text
    assert seats.count('data-holder="model"') == 3
    assert "No language model: set DETENTE_MODEL_URL" in seats
    response = facilitator.post("/facilitator/seats/KES", {"holder": "model"})
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert "cannot be handed to a language model" in response.text  # type: ignore[attr-defined]
    assert not _records(served, "seat_assigned")


def test_a_late_answer_never_answers_twice(harbour: Path, tmp_path: Path) -> None:
    """Members answer while the model is still working: theirs counts, the model's is dropped."""
    with fake_server(["slow"], delay=2.0) as server:
        for served in serve(harbour, tmp_path / "out", models=_models(server)):
            facilitator = _to_presentations(served)
            facilitator.post("/facilitator/seats/KES", {"holder": "model"})
            while not server.requests:  # the model is working on KES-1
                time.sleep(0.05)
            facilitator.post("/facilitator/seats/KES", {"holder": "people"})
            kes = served.join(PEOPLE["KES"])
            assert kes.post("/delegation/requests/KES-1", POINT).status_code == 200  # type: ignore[attr-defined]
            dropped = _wait_for(served, "model_answer_dropped")
            assert dropped[0].payload["reason"] == "its members answered the request first"
            keyed = [e.record.kind for e in served.live.controller.log.by_key["KES-1"]]
            assert "answer_submitted" in keyed and "answer_simulated" not in keyed


def test_the_model_option_says_why_it_is_unavailable(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model.gguf"
    models = LiveModels.from_config(ModelConfig(model=str(missing)), notify=lambda line: None)
    assert models.opener is None
    assert models.option(True) in (
        f"{missing}: no such model file",
        "the local default model needs llama-cpp-python: pip install -e '.[model]'",
    )
    served_by_a_server = LiveModels.from_config(ModelConfig(url="http://127.0.0.1:9/v1"))
    assert served_by_a_server.option(True) == ""  # a server is not contacted until it is needed
    assert served_by_a_server.option(False) == "the delegation has no profile to fall back on"


def test_a_model_works_on_a_move_in_parallel_with_the_other_delegation(tmp_path: Path) -> None:
    """A move asks both delegations at once: the model holding BRV's seat answers while the
    runner still waits for ALD's members, and its answer is recorded when ALD has decided."""
    with fake_server(["valid"]) as server:
        for served in serve(SMALL_TTX, tmp_path / "out", seed=3, models=_models(server)):
            fac = served.join(CORVAN["facilitator"])
            decide(served, fac, {"note": ""}, "Start: Tabletop Exercise")
            decide(served, fac, {"note": ""}, "Open move 1: Trawlers in the strait")
            controller = served.live.controller
            assert set(controller.status.waiting_for) == {"ALD-1"}
            assert fac.post("/facilitator/seats/BRV", {"holder": "model"}).status_code == 200  # type: ignore[attr-defined]
            served.idle()  # idle only once the model's work on BRV-1 is done
            job = controller.models.jobs["BRV-1"]
            assert job.done and not job.error and server.requests
            assert set(controller.status.waiting_for) == {"ALD-1"}
            assert not _records(served, "model_called")  # recorded by the runner, in turn
            fac.post("/facilitator/seats/ALD", {"holder": "simulated"})
            served.idle()
            answers = {r.payload["key"]: r.actor for r in _records(served, "answer_simulated")}
            assert answers == {"ALD-1": "simulated:ALD", "BRV-1": "model:BRV"}
            calls = _records(served, "model_called")
            assert calls and {c.payload["delegation"] for c in calls} == {"BRV"}
            assert not _records(served, "model_answer_dropped")
