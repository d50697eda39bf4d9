"""A calming chance event ("a quiet day": no actor, effects that only lower values) never happens
in a move where some act escalated — the narrative cannot say "No incidents are reported" after
"ROK forces return fire"."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from detente.meeting.loader import load_meeting
from detente.ttx.engine import Engine
from detente.ttx.pack import calming_effects, load_pack

ROOT = Path(__file__).resolve().parents[2]


def test_calming_effects_only_lower_values() -> None:
    assert calming_effects("tension -= 3")
    assert calming_effects("tension -= 3; talks += -1")
    assert not calming_effects("tension -= 3; talks += 1")
    assert not calming_effects("tension = 0")
    assert not calming_effects("tension -= risk")


def test_no_calming_event_in_a_move_where_something_escalated() -> None:
    folder = load_meeting(ROOT / "examples" / "korea-2024")
    c = load_pack(folder.root, meeting=folder).compiled
    calming = [e.index for e in c.chance if e.calming]
    assert calming, "the Korea scenario has calming chance events (a quiet day)"
    results = Engine(c, folder.profiles).run(3000, seed=5)
    escalating_actions = np.array([a.score > 0 for a in c.actions])
    escalating_reactions = np.array([c.actions[r.action].score > 0 for r in c.reactions])
    chosen = np.where(results.choices >= 0, results.choices, 0)
    acted = (results.applied & escalating_actions[chosen]).any(axis=(2, 3))  # (runs, moves)
    reacted = (results.reactions & escalating_reactions).any(axis=2)
    attributed = np.array([e.actor is not None and e.score > 0 for e in c.chance])
    by_chance = (results.chance & attributed).any(axis=2)
    escalated = acted | reacted | by_chance
    quiet = results.chance[:, :, calming].any(axis=2)
    assert quiet.any(), "calming events still happen in quiet moves"
    assert not (quiet & escalated).any()
