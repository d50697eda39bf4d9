"""Feed lines for the tabletop exercise and its reflection."""

from __future__ import annotations

from detente.store.log import Record
from detente.web.api import Message, describes

Line = tuple[Message, tuple[str, ...]] | None


@describes("ttx_exercise_started")
def _started(r: Record) -> Line:
    return ("The exercise begins: %(title)s", {"title": r.payload["title"]}), (
        str(r.payload["background"]),
    )


@describes("ttx_move_started")
def _move(r: Record) -> Line:
    p = r.payload
    return ("Move %(n)s: %(title)s", {"n": p["move"], "title": p["title"]}), (str(p["brief"]),)


@describes("ttx_inject_released")
def _inject(r: Record) -> Line:
    p = r.payload
    return ("Inject %(n)s: %(title)s", {"n": p["number"], "title": p["title"]}), (str(p["text"]),)


@describes("ttx_decision")
def _decision(r: Record) -> Line:
    p = r.payload
    body = tuple(str(a) for a in p["actions"]) + (
        (f"“{p['statement']}”",) if p["statement"] else ()
    )
    return (
        "%(delegation)s decided for move %(n)s.",
        {"delegation": p["delegation"], "n": p["move"]},
    ), body


@describes("ttx_adjudication_proposed")
def _proposed(r: Record) -> Line:
    p = r.payload
    body = tuple(
        f"{a['actor']}: {a['label']} ({'applied' if a['applied'] else 'blocked'})"
        for a in p["actions"]
    )
    return ("The engine's adjudication of move %(n)s", {"n": p["move"]}), body


@describes("ttx_adjudication_overridden")
def _overridden(r: Record) -> Line:
    p = r.payload
    return ("Adjudication of move %(n)s overridden", {"n": p["move"]}), (
        str(p["effects"]),
        str(p["rationale"]),
    )


@describes("ttx_mechanics_audit")
def _audit(_r: Record) -> Line:
    return None


@describes("ttx_narrative")
def _narrative(r: Record) -> Line:
    p = r.payload
    body = (str(p["text"]), *(f"{d}: “{t}”" for d, t in dict(p["statements"]).items()))
    return ("What happened in move %(n)s", {"n": p["move"]}), body


@describes("ttx_exercise_ended")
def _ended(r: Record) -> Line:
    p = r.payload
    return ("The exercise ended after %(n)s moves.", {"n": p["moves_played"]}), tuple(
        str(o["label"]) for o in p["outcomes"]
    )


@describes("reflection_timeline")
def _timeline(_r: Record) -> Line:
    return None


@describes("reflection_escalation_curve")
def _curve(_r: Record) -> Line:
    return ("The escalation curve of the exercise is recorded.", {}), ()


@describes("reflection_turning_point")
def _turning(r: Record) -> Line:
    return ("Turning point in move %(n)s", {"n": r.payload["move"]}), (str(r.payload["detail"]),)


@describes("reflection_inject_assessed")
def _assessed(_r: Record) -> Line:
    return None


@describes("reflection_hotwash_question")
def _question(r: Record) -> Line:
    return ("Hotwash question %(n)s", {"n": r.payload["number"]}), (str(r.payload["text"]),)
