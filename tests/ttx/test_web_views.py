"""The live app's exercise view follows an exercise into its later parts."""

from __future__ import annotations

from pathlib import Path

from detente.meeting.loader import load_meeting
from detente.meeting.runner import run_meeting
from detente.store.log import EventStore
from detente.ttx.pack import load_pack
from detente.ttx.web_views import exercise
from detente.web.livelog import LiveLog
from detente.web.views import Viewer
from tests.ttx.test_split_exercise import split_folder


def test_the_view_shows_the_moves_of_every_part(tmp_path: Path) -> None:
    folder = split_folder(tmp_path)
    store = EventStore(f"sqlite:///{tmp_path / 'log.db'}")
    meeting = load_meeting(folder)
    run_meeting(meeting, store, seed=0)
    log = LiveLog(store, "corvan-2025")  # loads the stored record
    view = exercise(load_pack(folder, meeting=meeting), log.snapshot(), Viewer("facilitator"), "en")
    assert view is not None
    assert view.item_id == "session-1" and view.parts == ("session-1", "session-2")
    assert view.move is not None and view.move.number == 2  # part II's move, not part I's
    assert sorted(n.move for n in view.narratives) == [1, 2]
    assert view.ended
