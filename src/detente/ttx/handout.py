"""What a delegation is handed when a move opens — one source for the printed handout and the
live delegate screen.

:func:`handout_content` returns the move's brief, the MSEL rows the release plan hands to the
delegation at the move's start (:func:`detente.ttx.release.handout_injects`), its decision
questions and its options, in one language. `legal` narrows the options to those open *now*
(the ids of a live :class:`~detente.ttx.requests.TtxDecisionRequest`); without it (a handout
printed before the exercise, when the state at move N is not known) every option of the actor is
listed and `conditional` is True so the sheet says preconditions are checked at adjudication.
Facilitator-only columns (expected actions, evaluator notes) and other players' questions or
options are never read.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from detente.ttx.release import handout_injects
from detente.ttx.scenario import Scenario, Text, Visibility


@dataclass(frozen=True)
class HandoutInject:
    number: int
    title: Text
    text: Text
    sender: Text
    method: Text


@dataclass(frozen=True)
class HandoutOption:
    id: str
    label: Text
    description: Text | None
    private: bool


@dataclass(frozen=True)
class HandoutContent:
    """The sheet of one move for one player actor (`actor` None: observers, no questions or
    options). Texts stay translation maps; the caller picks the language."""

    move: int
    title: Text
    scenario_time: str
    minutes: int
    brief: Text
    injects: tuple[HandoutInject, ...]
    questions: tuple[Text, ...]
    options: tuple[HandoutOption, ...]
    conditional: bool
    max_actions: int


def handout_content(
    scenario: Scenario, move: int, actor: str | None, legal: Collection[str] | None = None
) -> HandoutContent:
    """The handout of `move` for `actor`; see the module docstring. Raises KeyError for a move
    the scenario does not have."""
    found = next((m for m in scenario.moves if m.number == move), None)
    if found is None:
        raise KeyError(f"move {move}")
    options: tuple[HandoutOption, ...] = ()
    questions: tuple[Text, ...] = ()
    if actor is not None:
        questions = tuple(found.questions.get(actor, []))
        options = tuple(
            HandoutOption(a.id, a.label, a.description, a.visibility is Visibility.PRIVATE)
            for a in scenario.actions
            if actor in a.actors and (legal is None or a.id in legal)
        )
    injects = tuple(
        HandoutInject(i.number, i.title, i.text, i.sender, i.method)
        for i in handout_injects(scenario, move, actor)
    )
    return HandoutContent(
        move=found.number,
        title=found.title,
        scenario_time=f"{found.scenario_time:%Y-%m-%d %H:%M}",
        minutes=found.minutes,
        brief=found.brief,
        injects=injects,
        questions=questions,
        options=options,
        conditional=legal is None,
        max_actions=scenario.scenario.max_actions_per_move,
    )


__all__ = ["HandoutContent", "HandoutInject", "HandoutOption", "handout_content"]
