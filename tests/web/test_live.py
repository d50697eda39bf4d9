"""The live meeting through HTTP: the runner waits for people, acts are events, views are
filtered by delegation, and a restarted app resumes where the meeting stopped."""

from __future__ import annotations

from pathlib import Path

from detente.models.config import ModelConfig
from detente.seats.live_models import LiveModels
from detente.store.log import EventStore
from tests.models.fake_server import fake_server
from tests.web.conftest import PEOPLE, Served, serve

POINT = {"topic-0": "Pilotage", "statement-0": "KES-PRIVATE-POSITION", "source-0": "Harbour act"}


def _to_presentations(served: Served) -> None:
    facilitator = served.join(PEOPLE["facilitator"])
    for _ in range(3):  # start breakfast, end breakfast, start session 1
        served.decide_open(facilitator)


def test_the_runner_waits_for_the_facilitator_and_the_delegation(served: Served) -> None:
    served.idle()
    assert [e.record.kind for e in served.live.controller.log.entries] == [
        "meeting_opened",
        "decision_requested",
    ]
    _to_presentations(served)
    kinds = [e.record.kind for e in served.live.controller.log.entries]
    assert kinds[-1] == "seat_requested"
    assert served.live.controller.status.waiting_for.keys() == {"KES-1"}


def test_a_delegation_answer_is_private_until_the_activity_makes_it_public(served: Served) -> None:
    _to_presentations(served)
    kes = served.join(PEOPLE["KES"])
    nrd = served.join(PEOPLE["NRD"])
    observer = served.join(PEOPLE["observer"])
    page = kes.client.get("/delegation").text
    assert 'data-key="KES-1"' in page
    assert 'data-key="KES-1"' not in nrd.client.get("/delegation").text
    draft = kes.post("/delegation/requests/KES-1/draft", POINT)
    assert draft.status_code == 200  # type: ignore[attr-defined]
    assert "KES-PRIVATE-POSITION" in kes.client.get("/delegation/panel/requests").text
    for other, path in ((nrd, "/delegation"), (observer, "/observer")):
        assert "KES-PRIVATE-POSITION" not in other.client.get(path).text
        assert "KES-PRIVATE-POSITION" not in other.client.get("/events?after=0&once=1").text
    response = kes.post("/delegation/requests/KES-1", POINT)
    assert response.status_code == 200  # type: ignore[attr-defined]
    seq = int(response.headers["x-detente-seq"])  # type: ignore[attr-defined]
    record = served.live.controller.log.entries[seq - 1].record
    assert record.kind == "answer_submitted" and record.visibility == "delegation:KES"
    served.idle()
    # the presentations activity delivered it publicly: now everyone sees it
    assert "KES-PRIVATE-POSITION" in observer.client.get("/observer").text
    # a second answer to the same request is refused
    again = kes.post("/delegation/requests/KES-1", POINT)
    assert again.status_code in (404, 409)  # type: ignore[attr-defined]


def test_bad_answers_are_refused_with_a_message_and_no_event(served: Served) -> None:
    _to_presentations(served)
    kes = served.join(PEOPLE["KES"])
    before = served.live.controller.log.seq
    response = kes.post("/delegation/requests/KES-1", {"topic-0": "only a topic"})
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "Each point needs a topic and a statement." in response.text  # type: ignore[attr-defined]
    assert served.live.controller.log.seq == before
    nrd = served.join(PEOPLE["NRD"])
    assert nrd.post("/delegation/requests/KES-1", POINT).status_code == 404  # type: ignore[attr-defined]


def test_delegation_notes_stay_in_the_delegation(served: Served) -> None:
    nrd = served.join(PEOPLE["NRD"])
    nrd2 = served.join(PEOPLE["NRD2"])
    kes = served.join(PEOPLE["KES"])
    observer = served.join(PEOPLE["observer"])
    projector = served.join(PEOPLE["projector"])
    facilitator = served.join(PEOPLE["facilitator"])
    assert nrd.post("/delegation/notes", {"text": "NRD-NOTE-42"}).status_code == 200  # type: ignore[attr-defined]
    assert "NRD-NOTE-42" in nrd2.client.get("/delegation").text
    assert "NRD-NOTE-42" in facilitator.client.get("/facilitator").text
    for other, path in ((kes, "/delegation"), (observer, "/observer"), (projector, "/projector")):
        assert "NRD-NOTE-42" not in other.client.get(path).text
        assert "NRD-NOTE-42" not in other.client.get("/events?after=0&once=1").text
    notes = [
        e.record for e in served.live.controller.log.entries if e.record.kind == "note_written"
    ]
    assert [n.visibility for n in notes] == ["delegation:NRD"]


def test_handing_seats_to_simulated_seats_finishes_the_item(served: Served) -> None:
    _to_presentations(served)
    facilitator = served.join(PEOPLE["facilitator"])
    for delegation in ("KES", "LOV", "NRD"):
        response = facilitator.post(f"/facilitator/seats/{delegation}", {"holder": "simulated"})
        assert response.status_code == 200  # type: ignore[attr-defined]
    served.idle()
    kinds = [e.record.kind for e in served.live.controller.log.entries]
    assert kinds.count("presentation_delivered") == 3
    assert kinds.count("clarification_exchanged") == 3
    assert kinds.count("answer_simulated") == 9
    assert kinds[-1] == "decision_requested"  # end of session 1, waiting for the facilitator


def test_each_answer_says_who_gave_it(harbour: Path, tmp_path: Path) -> None:
    """Members, the rule-based simulation and a language model answer under different labels,
    in every language; no simulated answer is said to come from a model."""
    with fake_server(["valid"]) as server:
        config = ModelConfig(url=server.url, model="fake", retries=0)
        models = LiveModels.from_config(config, notify=lambda line: None)
        for served in serve(harbour, tmp_path / "out", models=models):
            _answers_say_who_gave_them(served)


def _answers_say_who_gave_them(served: Served) -> None:
    _to_presentations(served)
    facilitator = served.join(PEOPLE["facilitator"])
    kes = served.join(PEOPLE["KES"], language="ru")
    kes.post("/delegation/requests/KES-1", POINT)  # KES's members answer the first request
    for delegation, holder in (("KES", "simulated"), ("LOV", "model"), ("NRD", "simulated")):
        response = facilitator.post(f"/facilitator/seats/{delegation}", {"holder": holder})
        assert response.status_code == 200  # type: ignore[attr-defined]
    served.idle()
    actors = {
        e.record.actor
        for e in served.live.controller.log.entries
        if e.record.kind == "answer_simulated"
    }
    assert actors == {"simulated:KES", "model:LOV", "simulated:NRD"}
    said = {
        (who, language): served.join(PEOPLE[who], language=language)
        .client.get("/delegation/panel/requests")
        .text
        for who in ("KES", "LOV")
        for language in ("en", "ru", "zh-Hans")
    }
    assert "answered by the delegation" in said["KES", "en"]
    assert "answered by the simulated seat" in said["KES", "en"]
    assert "ответила делегация" in said["KES", "ru"]
    assert "ответила симуляция" in said["KES", "ru"]
    assert "由模拟席位回答" in said["KES", "zh-Hans"]
    assert "answered by a language model" in said["LOV", "en"]
    assert "ответила языковая модель" in said["LOV", "ru"]
    assert "由语言模型回答" in said["LOV", "zh-Hans"]
    for language in ("en", "ru", "zh-Hans"):
        assert "модел" not in said["KES", language] and "模型" not in said["KES", language]
        assert (
            "simulated seat" not in said["LOV", language]
            and "симуляция" not in said["LOV", language]
        )
    seats = facilitator.client.get("/facilitator/panel/seats").text
    lov = seats[seats.index('data-delegation="LOV"') :]
    assert lov[: lov.index("</tr>")].count("language model") == 1
    feed = facilitator.client.get("/facilitator/panel/feed").text
    assert "A language model answered a request for LOV." in feed
    assert "The simulated NRD seat answered a request." in feed


def test_announcements_reach_every_role(served: Served) -> None:
    facilitator = served.join(PEOPLE["facilitator"])
    assert (
        facilitator.post("/facilitator/announce", {"text": "Coffee until 11:20"}).status_code == 200
    )  # type: ignore[attr-defined]
    for who, path in (
        ("NRD", "/delegation"),
        ("observer", "/observer"),
        ("projector", "/projector"),
    ):
        assert "Coffee until 11:20" in served.join(PEOPLE[who]).client.get(path).text


def test_a_restarted_app_resumes_at_the_same_item_and_request(
    harbour: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = serve(harbour, out, seed=11)
    served = next(first)
    _to_presentations(served)
    kes = served.join(PEOPLE["KES"])
    kes.post("/delegation/requests/KES-1", POINT)
    served.idle()
    assert set(served.live.controller.status.waiting_for) == {"LOV-1"}
    before = [e.record for e in served.live.controller.log.entries]
    first.close()

    second = serve(harbour, out, seed=999)  # the recorded seed wins
    served = next(second)
    served.idle()
    controller = served.live.controller
    assert controller.status.error is None
    assert set(controller.status.waiting_for) == {"LOV-1"}
    assert controller.seed == 11
    after = [e.record for e in controller.log.entries]
    assert after[: len(before)] == before
    assert [r.kind for r in after[len(before) :]] == ["live_resumed"]
    assert controller.writer.verified == sum(
        1
        for r in before
        if r.kind
        not in {"answer_submitted", "participant_joined", "decision_taken", "request_viewed"}
    )
    second.close()
    store = EventStore(f"sqlite:///{out / 'detente.db'}")
    assert [r.seq for r in store.read("harbour-2025")] == list(range(1, len(after) + 1))
    store.close()
