"""The recommendations draft and the Framework for Future Engagement, built from the record; the
facilitator's edits; and the delegations' commitments in the concluding remarks.

:func:`draft_recommendations` reads a meeting's record (the events appended so far) and writes a
structured draft in these sections (:data:`SECTIONS`):

- **principles** — shared principles: the statements of the discussion sessions on which every
  delegation had a majority (tiers `unanimous` and `majority` of the recorded common-ground
  analyses);
- **roadmap** — the phased roadmap, one claim per phase;
- **actors** — what each delegation's country could do: the roadmap measures that name it among
  those who would act and that its delegation supports;
- **divergence** — the measures for further dialogue, with supporters and objectors by delegation;
- **ttx** — insights from the tabletop exercise: how it ended, its public turning points, and
  for each outcome the roadmap measure with the largest
  simulated effect whose interval excludes zero;
- **next-steps** and **next-meeting** — phase 1 first, further dialogue on what divides, and a
  proposed next meeting.

Every claim carries the seq numbers of the events it derives from, so a reader can check it
against the record. A section whose data is not in the record is left out, never filled in.
Claims are non-attributed by construction: they are built only from delegation-level results and
public events, and name delegations (or "a participant"), never a person.

The draft is one event (`recommendations_drafted`, actor `system`). The facilitator reviews it
(:class:`ReviewRecommendations`; the automatic facilitator accepts the draft as generated); each
edit is a `recommendation_edited` event (actor `facilitator`) and acceptance is
`recommendations_accepted`, so :func:`recommendations_from_records` can say of every final claim
whether it was generated, edited or added by a person.

In the concluding remarks each delegation's seat answers a :class:`CommitmentRequest`: a
simulated seat commits its delegation to up to :data:`COMMITMENTS` roadmap measures it supports
(those it would act on first, earlier phases first) and restates its most salient stated position
with its source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from detente.deliberation.events import (
    AnalysisRecorded,
    StatementAdded,
    StatementEdited,
    StatementWithdrawn,
)
from detente.deliberation.recorded import recorded_analysis
from detente.deliberation.standing import COMMON_GROUND
from detente.meeting.facilitator import automatic_decision
from detente.meeting.model import Meeting
from detente.names import plural
from detente.roadmap.analysis import analysis_from_json
from detente.roadmap.events import (
    CommitmentMade,
    RecommendationClaim,
    RecommendationEdited,
    RecommendationsAccepted,
    RecommendationsDrafted,
    RoadmapAnalysed,
    RoadmapRecorded,
)
from detente.roadmap.sequence import DialogueEntry, phase_label, roadmap_from_json
from detente.seats.base import Request
from detente.seats.replay import first_recorded, replay_answer
from detente.seats.simulated import SimulatedDelegation, simulated_answer
from detente.store.events import Event, decode, known
from detente.store.log import Record
from detente.store.visibility import ALL
from detente.ttx.events import ReflectionTurningPoint, TtxExerciseEnded
from detente.ttx.sweep import Interval

SECTIONS: Final = (
    "principles",
    "roadmap",
    "actors",
    "divergence",
    "ttx",
    "next-steps",
    "next-meeting",
)
SECTION_TITLES: Final = {
    "principles": "Shared principles",
    "roadmap": "Phased roadmap",
    "actors": "What each country could do",
    "divergence": "Areas of divergence for further dialogue",
    "ttx": "Insights from the tabletop exercise",
    "next-steps": "Next steps",
    "next-meeting": "Proposed next meeting",
}
COMMON_TIERS: Final = COMMON_GROUND
NEXT_MEETING_MONTHS: Final = 6
"""The draft proposes the next meeting within this many months (the facilitator may edit it)."""
COMMITMENTS: Final = 3
"""How many roadmap measures a simulated delegation commits to at most."""


def _name(meeting: Meeting, delegation: str) -> str:
    try:
        return meeting.delegation(delegation).name
    except KeyError:
        return delegation


def _names(meeting: Meeting, delegations: Iterable[str]) -> str:
    names = [_name(meeting, d) for d in delegations]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _points(value: float) -> str:
    return f"{value * 100:+.1f}".replace("-", "−")


@dataclass
class _Found:
    """The events the draft derives from, with their seq numbers."""

    statements: dict[str, tuple[int, StatementAdded]]
    analyses: list[tuple[int, AnalysisRecorded]]
    roadmap: tuple[int, RoadmapRecorded] | None
    measures: tuple[int, RoadmapAnalysed] | None
    turning: list[tuple[int, ReflectionTurningPoint]]
    ended: tuple[int, TtxExerciseEnded] | None


def _find(records: Iterable[Record]) -> _Found:
    found = _Found({}, [], None, None, [], None)
    for record in records:
        if not known(record.kind):
            continue
        event = decode(record)
        public = record.visibility == ALL
        if isinstance(event, StatementAdded):
            found.statements[event.statement_id] = (record.seq, event)
        elif isinstance(event, StatementEdited) and event.statement_id in found.statements:
            seq, added = found.statements[event.statement_id]
            found.statements[event.statement_id] = (
                seq,
                added.model_copy(update={"text": event.text}),
            )
        elif isinstance(event, StatementWithdrawn):
            found.statements.pop(event.statement_id, None)
        elif isinstance(event, AnalysisRecorded):
            found.analyses.append((record.seq, event))
        elif isinstance(event, RoadmapRecorded):
            found.roadmap = (record.seq, event)
        elif isinstance(event, RoadmapAnalysed):
            found.measures = (record.seq, event)
        elif isinstance(event, ReflectionTurningPoint) and public:
            found.turning.append((record.seq, event))
        elif isinstance(event, TtxExerciseEnded) and public:
            found.ended = (record.seq, event)
    return found


class _Draft:
    def __init__(self) -> None:
        self.claims: list[RecommendationClaim] = []
        self._count: dict[str, int] = {}

    def add(self, section: str, text: str, sources: Iterable[int]) -> None:
        self._count[section] = self._count.get(section, 0) + 1
        self.claims.append(
            RecommendationClaim(
                id=f"{section}-{self._count[section]}",
                section=section,
                text=text,
                sources=sorted(set(sources)),
            )
        )


def _principles(draft: _Draft, found: _Found) -> None:
    for seq, analysis in found.analyses:
        result = recorded_analysis(analysis)
        for sid in result.consensus:
            row = result.statement(sid)
            if row is None or row.tier not in COMMON_TIERS or sid not in found.statements:
                continue
            st_seq, statement = found.statements[sid]
            draft.add("principles", f"{statement.text} ({row.label})", (seq, st_seq))


def _roadmap_sections(draft: _Draft, found: _Found, meeting: Meeting) -> None:
    if found.roadmap is None:
        return
    r_seq, recorded = found.roadmap
    a_seq = found.measures[0] if found.measures is not None else r_seq
    roadmap = roadmap_from_json(recorded.roadmap)
    entries = roadmap.entries
    analysis = analysis_from_json(found.measures[1].result) if found.measures is not None else None

    def supports(measure_id: str, delegation: str) -> bool:
        return analysis is not None and analysis.stance(measure_id, delegation) == "supports"

    for phase in roadmap.phases:
        titles = "; ".join(entries[m].title for m in phase.measures)
        draft.add(
            "roadmap",
            f"Phase {phase.number} ({phase_label(roadmap.phases, phase)}): {titles}.",
            (r_seq, a_seq),
        )
    for d in meeting.delegations:
        mine = [m for m in entries.values() if d.id in m.actors and supports(m.measure_id, d.id)]
        if mine:
            listed = "; ".join(f"{m.title} (phase {m.phase})" for m in mine)
            text = f"{d.name} could act on: {listed}."
        else:
            backed = sum(1 for m in entries.values() if supports(m.measure_id, d.id))
            text = (
                f"No roadmap measure that {d.name} supports names it among those who would act; "
                f"its delegation supports {backed} of the {len(entries)} measures on the roadmap."
            )
        draft.add("actors", text, (r_seq, a_seq))
    for entry in roadmap.further_dialogue:
        stances = entry.stances
        parts = []
        if stances.supports:
            parts.append(f"supported by {_names(meeting, stances.supports)}")
        if stances.objects:
            parts.append(f"opposed by {_names(meeting, stances.objects)}")
        if stances.neutral:
            parts.append(f"no majority either way in {_names(meeting, stances.neutral)}")
        stance = "; ".join(parts) or "not rated"
        draft.add(
            "divergence",
            f"{entry.title}: {entry.reason} — {stance} ({entry.label}).",
            (r_seq, a_seq),
        )


def _ttx(draft: _Draft, found: _Found, meeting: Meeting) -> None:
    if found.ended is not None:
        seq, ended = found.ended
        outcomes = "; ".join(f"{o.label} (move {o.move})" for o in ended.outcomes) or "none"
        draft.add(
            "ttx",
            f"The exercise ran {plural(ended.moves_played, 'move')}; outcomes that occurred: "
            f"{outcomes}.",
            (seq,),
        )
    for seq, point in found.turning:
        draft.add("ttx", f"Turning point in move {point.move}: {point.detail}", (seq,))
    if found.measures is None or found.roadmap is None:
        return
    m_seq, analysed = found.measures
    result = analysis_from_json(analysed.result)
    on_roadmap = {
        mid: e.title for mid, e in roadmap_from_json(found.roadmap[1].roadmap).entries.items()
    }
    for outcome, label in sorted(result.outcomes.items()):  # stored key order varies
        best: tuple[float, str, Interval] | None = None
        for m in result.measures:
            effect = m.clear_effect(outcome)
            if m.measure_id not in on_roadmap or effect is None:
                continue
            diff = effect.difference
            if best is None or abs(diff.estimate) > abs(best[0]):
                best = (diff.estimate, m.measure_id, diff)
        if best is None:
            continue
        _, mid, diff = best
        draft.add(
            "ttx",
            f"In the simulated exercise ({result.runs} runs per arm), {on_roadmap[mid]} changes "
            f"the probability of “{label}” by {_points(diff.estimate)} points (95% interval "
            f"{_points(diff.low)} to {_points(diff.high)}), the largest change among the "
            "roadmap's measures.",
            (m_seq, found.roadmap[0]),
        )


def _next(draft: _Draft, found: _Found, meeting: Meeting) -> None:
    sources: list[int] = [seq for seq, _ in found.analyses]
    dialogue: tuple[DialogueEntry, ...] = ()
    if found.roadmap is not None:
        r_seq, recorded = found.roadmap
        sources = [r_seq]
        roadmap = roadmap_from_json(recorded.roadmap)
        if roadmap.phases:
            first = "; ".join(roadmap.entries[m].title for m in roadmap.phases[0].measures)
            draft.add("next-steps", f"Begin with phase 1: {first}.", (r_seq,))
        dialogue = roadmap.further_dialogue
        divided = [d.title for d in dialogue if d.tier in ("divided", "one-neutral")]
        gaps = [d.title for d in dialogue if d.tier == "uncertain"]
        waiting = len(dialogue) - len(divided) - len(gaps)
        if divided:
            wait = (
                f" ({waiting} further measure(s) wait on them or on their reciprocal)"
                if waiting
                else ""
            )
            draft.add(
                "next-steps",
                f"Continue the dialogue on the measures that divide delegations{wait}: "
                f"{'; '.join(divided)}.",
                (r_seq,),
            )
        if gaps:
            draft.add(
                "next-steps",
                f"Close the information gaps on the measures where many had no view: "
                f"{'; '.join(gaps)}.",
                (r_seq,),
            )
    elif found.analyses:
        draft.add(
            "next-steps",
            "Take forward the shared principles above and return to the statements on which "
            "delegations differed.",
            sources,
        )
    if not sources:
        return
    agenda = (
        f"to review progress on phase 1 and take up the {len(dialogue)} measure(s) for "
        "further dialogue"
        if found.roadmap is not None
        else "to review progress on the shared principles"
    )
    draft.add(
        "next-meeting",
        f"A next meeting of {_names(meeting, [d.id for d in meeting.delegations])} in the same "
        f"format within {NEXT_MEETING_MONTHS} months, {agenda}.",
        sources,
    )


def draft_recommendations(meeting: Meeting, records: Sequence[Record]) -> list[RecommendationClaim]:
    """The structured draft from the record; see the module docstring."""
    found = _find(records)
    draft = _Draft()
    _principles(draft, found)
    _roadmap_sections(draft, found, meeting)
    _ttx(draft, found, meeting)
    _next(draft, found, meeting)
    order = {s: i for i, s in enumerate(SECTIONS)}
    return sorted(draft.claims, key=lambda c: order[c.section])


# --- the facilitator's review --------------------------------------------------------------------


@dataclass(frozen=True)
class DraftClaim:
    """A claim as the facilitator sees it."""

    claim_id: str
    section: str
    text: str


@dataclass(frozen=True)
class Edit:
    """One edit: `edit` replaces the text of `claim_id`, `strike` removes it, `add` adds a claim
    (`claim_id` new, `section` one of :data:`SECTIONS`)."""

    claim_id: str
    action: Literal["edit", "strike", "add"]
    text: str = ""
    section: str | None = None


@dataclass(frozen=True)
class Review:
    """The facilitator's review: the edits, in order (none: accept the draft as generated)."""

    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True)
class ReviewRecommendations(Request[Review]):
    """Review the recommendations draft of `item_id`."""

    item_id: str
    claims: tuple[DraftClaim, ...]


@automatic_decision(ReviewRecommendations)
def _accept_as_drafted(_request: ReviewRecommendations) -> Review:
    return Review()


class EditError(ValueError):
    """An edit that cannot apply (unknown claim, unknown section, empty text, duplicate id)."""


def check_edits(claims: Sequence[RecommendationClaim], edits: Sequence[Edit]) -> None:
    """Raise :class:`EditError` unless every edit applies, in order."""
    ids = {c.id for c in claims}
    for e in edits:
        if e.action == "add":
            if e.claim_id in ids:
                raise EditError(f"claim '{e.claim_id}' already exists")
            if e.section not in SECTIONS:
                raise EditError(f"unknown section {e.section!r} (sections: {', '.join(SECTIONS)})")
            ids.add(e.claim_id)
        elif e.claim_id not in ids:
            raise EditError(f"no claim '{e.claim_id}' to {e.action}")
        elif e.action == "strike":
            ids.discard(e.claim_id)
        if e.action != "strike" and not e.text.strip():
            raise EditError(f"{e.action} of '{e.claim_id}' has no text")


Origin = Literal["generated", "edited", "added"]


@dataclass(frozen=True)
class FinalClaim:
    """A claim of the final recommendations and who wrote it: `generated` (as drafted),
    `edited` (a person changed the text) or `added` (written by a person)."""

    id: str
    section: str
    text: str
    sources: tuple[int, ...]
    origin: Origin
    edited_by: tuple[int, ...] = ()


@dataclass(frozen=True)
class FinalRecommendations:
    """The recommendations of one item as the record holds them (`accepted`: seq of the
    acceptance, 0 if not accepted yet)."""

    item_id: str
    drafted: int
    claims: tuple[FinalClaim, ...]
    accepted: int = 0

    def section(self, name: str) -> list[FinalClaim]:
        return [c for c in self.claims if c.section == name]


def recommendations_from_records(records: Iterable[Record]) -> FinalRecommendations | None:
    """Fold the last recommendations draft of the record with the edits that follow it."""
    current: FinalRecommendations | None = None
    claims: dict[str, FinalClaim] = {}
    for record in records:
        if record.kind == RecommendationsDrafted.kind:
            event = decode(record)
            assert isinstance(event, RecommendationsDrafted)
            claims = {
                c.id: FinalClaim(c.id, c.section, c.text, tuple(c.sources), "generated")
                for c in event.claims
            }
            current = FinalRecommendations(event.item_id, record.seq, ())
        elif record.kind == RecommendationEdited.kind and current is not None:
            edit = decode(record)
            assert isinstance(edit, RecommendationEdited)
            old = claims.get(edit.claim_id)
            if edit.action == "strike":
                claims.pop(edit.claim_id, None)
            elif edit.action == "edit" and old is not None:
                claims[edit.claim_id] = FinalClaim(
                    old.id,
                    old.section,
                    edit.text,
                    old.sources,
                    "added" if old.origin == "added" else "edited",
                    (*old.edited_by, record.seq),
                )
            elif edit.action == "add":
                claims[edit.claim_id] = FinalClaim(
                    edit.claim_id,
                    edit.section or "next-steps",
                    edit.text,
                    tuple(edit.sources),
                    "added",
                    (record.seq,),
                )
        elif record.kind == RecommendationsAccepted.kind and current is not None:
            current = FinalRecommendations(current.item_id, current.drafted, (), record.seq)
        if current is not None:
            order = {s: i for i, s in enumerate(SECTIONS)}
            ordered = sorted(claims.values(), key=lambda c: order.get(c.section, len(order)))
            current = FinalRecommendations(
                current.item_id, current.drafted, tuple(ordered), current.accepted
            )
    return current


# --- concluding remarks: commitments -------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """A roadmap measure a delegation could commit to: its phase, whether the delegation's
    country is among those who would act, and the delegation's own stance and mean support."""

    measure_id: str
    title: str
    phase: int
    acts: bool
    stance: str
    mean_support: float


@dataclass(frozen=True)
class Commitment:
    """A delegation's commitment: its words, the measures it commits to, and the source of the
    position it restates (empty when it restates none)."""

    text: str
    measures: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class CommitmentRequest(Request[Commitment]):
    """Give the delegation's commitment to next steps in the concluding remarks of `item_id`."""

    item_id: str
    delegation_name: str
    offers: tuple[Offer, ...] = ()
    dialogue: tuple[str, ...] = ()
    """Titles of the measures for further dialogue."""


@simulated_answer(CommitmentRequest)
def _simulated_commitment(seat: SimulatedDelegation, request: CommitmentRequest) -> Commitment:
    """Commit to the supported roadmap measures the country would act on first (earlier phases,
    stronger support), then others it supports; restate the most salient stated position."""
    supported = [o for o in request.offers if o.stance == "supports"]
    chosen = sorted(supported, key=lambda o: (not o.acts, o.phase, -o.mean_support, o.measure_id))
    chosen = chosen[:COMMITMENTS]
    name = request.delegation_name
    parts = []
    if chosen:
        acts = [o.title for o in chosen if o.acts]
        backs = [o.title for o in chosen if not o.acts]
        if acts:
            parts.append(f"The delegation of {name} commits to work for: {'; '.join(acts)}")
        if backs:
            lead = "; and to support" if acts else f"The delegation of {name} commits to support:"
            parts.append(f"{lead} {'; '.join(backs)}")
        text = "".join(parts) + "."
    else:
        text = f"The delegation of {name} commits to continue this dialogue."
    if request.dialogue:
        text += " It will keep the measures that still divide the room on the agenda."
    positions = seat.profile.positions
    best = max(range(len(positions)), key=lambda i: (seat.salience(positions[i]), -i))
    position = positions[best]
    text += f" On {position.topic}, it restates its position: {position.statement}"
    return Commitment(text, tuple(o.measure_id for o in chosen), position.source)


@replay_answer(CommitmentRequest)
def _replayed_commitment(
    delegation: str, request: CommitmentRequest, events: Sequence[Event]
) -> Commitment | None:
    event = first_recorded(events, CommitmentMade, request.item_id, delegation=delegation)
    return (
        Commitment(event.text, tuple(event.measures), event.source) if event is not None else None
    )


__all__ = [
    "COMMITMENTS",
    "NEXT_MEETING_MONTHS",
    "SECTIONS",
    "SECTION_TITLES",
    "Commitment",
    "CommitmentRequest",
    "DraftClaim",
    "Edit",
    "EditError",
    "FinalClaim",
    "FinalRecommendations",
    "Offer",
    "Review",
    "ReviewRecommendations",
    "check_edits",
    "draft_recommendations",
    "recommendations_from_records",
]
