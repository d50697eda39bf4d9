"""The `roadmap`, `recommendations` and `remarks` activities (Sessions 6 and 7 of the seed and the
concluding remarks).

- **roadmap**: the facilitator puts the measures catalog (`measures.yaml`) to the room, every
  delegation's seat rates each measure for its members (support, feasibility, realistic horizon;
  see :mod:`detente.roadmap.ratings`), rating closes, and the analysis (with the simulated effect
  of each measure on the exercise, when the meeting has a scenario pack), the sequenced roadmap
  and its plots are recorded.
- **recommendations**: the draft is generated from the record, the facilitator reviews it (edits
  are events) and accepts it (:mod:`detente.roadmap.recommendations`).
- **remarks**: each delegation's seat gives its commitment to next steps, recorded per
  delegation.

Raters are seat positions (`USA-1` …), never person ids, as for votes
(:func:`detente.ballots.voter_ids`). Observers rate apart; in simulation no seat
answers for them and the record says so rather than inventing their ratings. A seat's rating
outside its range, or by someone outside the delegation, is dropped and noted (facilitator
only), never recorded.

The sweep inside a run is kept cheap: :data:`SWEEP_RUNS` runs per arm (baseline and each
measure), 2,000 by default — about five seconds for the 43 measures with modifiers of the Korea
example on one core — or the value of the environment variable :data:`RUNS_VARIABLE`. Precise
estimates come from `detente roadmap DIR --runs N`, which recomputes them from the same record.
When the catalog or its modifiers have errors, or the pack is missing, the activity records why
in a note and goes on without what it cannot compute; it never makes up a roadmap.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Final

from detente.ballots import collect, voter_ids
from detente.diagnostics import Diagnostic, InputError
from detente.meeting.context import ActivityContext
from detente.meeting.events import FacilitatorNote
from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Item
from detente.roadmap.analysis import (
    GroupSupport,
    RoadmapAnalysis,
    analyse_ratings,
    analysis_from_json,
    simulate_effects,
)
from detente.roadmap.catalog import (
    MEASURES_FILE,
    LoadedCatalog,
    compile_modifiers,
    load_catalog,
)
from detente.roadmap.events import (
    CommitmentMade,
    RecommendationEdited,
    RecommendationsAccepted,
    RecommendationsDrafted,
    RoadmapAnalysed,
    RoadmapRecorded,
)
from detente.roadmap.measures import Measure
from detente.roadmap.plots import write_plots
from detente.roadmap.ratings import (
    RATINGS,
    RatingRequest,
    RatingSheet,
    rating_items,
    sheets_from_records,
)
from detente.roadmap.recommendations import (
    CommitmentRequest,
    DraftClaim,
    EditError,
    Offer,
    ReviewRecommendations,
    check_edits,
    draft_recommendations,
)
from detente.roadmap.sequence import Roadmap, build_roadmap, roadmap_from_json
from detente.seats.base import SeatCannotAnswer
from detente.store.events import SYSTEM, Event, decode
from detente.store.log import Record
from detente.store.visibility import ALL, FACILITATOR
from detente.ttx.pack import has_pack, load_pack

SWEEP_RUNS: Final = 2000
"""Simulated runs per arm (baseline and each measure) inside `detente run`."""
RUNS_VARIABLE: Final = "DETENTE_ROADMAP_RUNS"
"""Environment variable that overrides :data:`SWEEP_RUNS` (0 turns the sweep off)."""
SEED_BOUND: Final = 2**62


def sweep_runs() -> int:
    """Runs per arm for the sweep inside a run: :data:`RUNS_VARIABLE` or :data:`SWEEP_RUNS`.
    Raises :class:`ValueError` for a value that is not a non-negative integer."""
    raw = os.environ.get(RUNS_VARIABLE)
    if raw is None or not raw.strip():
        return SWEEP_RUNS
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{RUNS_VARIABLE}={raw!r} is not a whole number of runs") from None
    if value < 0:
        raise ValueError(f"{RUNS_VARIABLE}={raw!r} is negative")
    return value


def _note(ctx: ActivityContext, item_id: str, text: str, visibility: str = ALL) -> None:
    ctx.emit(FacilitatorNote(item_id=item_id, text=text), actor=SYSTEM, visibility=visibility)


def catalog_or_note(ctx: ActivityContext, item_id: str) -> LoadedCatalog | None:
    """The folder's checked catalog, or None after recording why there is none."""
    try:
        loaded = load_catalog(ctx.folder)
    except InputError as exc:
        _note(
            ctx,
            item_id,
            f"The roadmap was not built: {MEASURES_FILE} has {len(exc.diagnostics)} error(s); "
            "run `detente roadmap` to see them.",
        )
        _note(ctx, item_id, str(exc), FACILITATOR)
        return None
    if loaded is None:
        _note(
            ctx,
            item_id,
            f"The roadmap was not built: this meeting folder has no measures catalog "
            f"({MEASURES_FILE} is missing).",
        )
    return loaded


def collect_ratings(ctx: ActivityContext, item: Item, measures: Sequence[Measure]) -> RatingSheet:
    """Open rating on `measures`, ask every delegation's seat for its members' ratings, record
    each valid rating, close rating, and return the item's rating sheet (the mechanism, with
    what is dropped and noted, is :func:`detente.ballots.collect`)."""
    assert item.id is not None
    items = rating_items(measures)
    room = tuple(d.id for d in ctx.folder.meeting.delegations)
    members_of = {d: voter_ids(ctx.folder.meeting, d) for d in room}
    requests = {d: RatingRequest(item.id, items, m, room) for d, m in members_of.items()}
    collect(ctx, item.id, RATINGS, [m.id for m in measures], requests, members_of)
    return sheets_from_records(ctx.emitted)[item.id]


def analyse_and_sequence(
    folder: MeetingFolder,
    loaded: LoadedCatalog,
    sheet: RatingSheet,
    *,
    runs: int,
    seed: int,
) -> tuple[RoadmapAnalysis, Roadmap]:
    """The analysis (with simulated effects when `runs` > 0 and the folder has a scenario) and
    the roadmap built from it. Shared by the activity and `detente roadmap`. Raises
    :class:`InputError` when the scenario pack or a modifier has errors."""
    meeting = folder.meeting
    effects = simulate_effects(folder, loaded, runs=runs, seed=seed)
    analysis = analyse_ratings(
        sheet,
        [(m.id, m.category) for m in loaded.measures],
        [d.id for d in meeting.delegations],
        effects=effects.effects,
        outcomes=effects.outcomes,
        runs=effects.runs,
        effects_note=effects.note,
        seed=effects.seed,
    )
    roadmap = build_roadmap(analysis, loaded.catalog, [c.id for c in loaded.categories])
    return analysis, roadmap


def check_measures_file(folder: MeetingFolder) -> list[Diagnostic]:
    """Every located error and warning of the folder's measures catalog, its modifiers compiled
    against the scenario pack when the folder has a valid one ([] when it has no catalog)."""
    try:
        loaded = load_catalog(folder)
    except InputError as exc:
        return exc.diagnostics
    if loaded is None:
        return []
    found = list(loaded.warnings)
    if not has_pack(folder.root):
        return found
    try:
        pack = load_pack(folder.root, meeting=folder)
    except InputError:
        return found  # the scenario's own check reports its errors
    try:
        compile_modifiers(loaded, pack)
    except InputError as exc:
        found += exc.diagnostics
    return found


def roadmap(ctx: ActivityContext, item: Item) -> None:
    """Run the roadmap session; see the module docstring."""
    assert item.id is not None
    loaded = catalog_or_note(ctx, item.id)
    if loaded is None:
        return
    for warning in loaded.warnings:
        _note(ctx, item.id, str(warning), FACILITATOR)
    ctx.advance(5)
    sheet = collect_ratings(ctx, item, loaded.measures)
    try:
        runs = sweep_runs()
    except ValueError as exc:
        _note(ctx, item.id, f"{exc}; no simulated effects were computed", FACILITATOR)
        runs = 0
    try:
        analysis, built = analyse_and_sequence(
            ctx.folder,
            loaded,
            sheet,
            runs=runs,
            seed=int(ctx.rng.integers(SEED_BOUND)),
        )
    except InputError as exc:
        _note(
            ctx,
            item.id,
            f"The roadmap was not built: the measures' modifiers or the scenario pack have "
            f"{len(exc.diagnostics)} error(s); run `detente roadmap` to see them.",
        )
        _note(ctx, item.id, str(exc), FACILITATOR)
        return
    ctx.emit(RoadmapAnalysed(item_id=item.id, result=analysis.to_json()), actor=SYSTEM)
    ctx.emit(RoadmapRecorded(item_id=item.id, roadmap=built.to_json()), actor=SYSTEM)
    if ctx.out_dir is not None:
        title = f"Session {item.session}" if item.session else item.title
        write_plots(analysis, built, loaded, ctx.out_dir / "plots", prefix=item.id, title=title)


def recommendations(ctx: ActivityContext, item: Item) -> None:
    """Draft the recommendations from the record, have the facilitator review them, accept."""
    assert item.id is not None
    claims = draft_recommendations(ctx.folder.meeting, ctx.emitted)
    if not claims:
        _note(
            ctx,
            item.id,
            "No recommendations were drafted: the record holds no common ground, roadmap or "
            "exercise to draw them from.",
        )
        return
    ctx.emit(RecommendationsDrafted(item_id=item.id, claims=claims), actor=SYSTEM)
    request = ReviewRecommendations(
        item.id, tuple(DraftClaim(c.id, c.section, c.text) for c in claims)
    )
    review = ctx.facilitator.decide(request)
    edits = review.edits
    try:
        check_edits(claims, edits)
    except EditError as exc:
        _note(ctx, item.id, f"The facilitator's edits were not applied: {exc}", FACILITATOR)
        edits = ()
    kept = len(claims)
    for e in edits:
        ctx.emit(
            RecommendationEdited(
                item_id=item.id,
                claim_id=e.claim_id,
                action=e.action,
                text=e.text,
                section=e.section,
            ),
            actor=FACILITATOR,
        )
        kept += {"add": 1, "strike": -1, "edit": 0}[e.action]
    ctx.advance(30)
    ctx.emit(
        RecommendationsAccepted(item_id=item.id, claims=kept, edited=len(edits)),
        actor=FACILITATOR,
    )


def _latest(records: Sequence[Record]) -> tuple[dict[str, Record], dict[str, Event]]:
    found: dict[str, Record] = {}
    events: dict[str, Event] = {}
    for r in records:
        if r.kind in (RoadmapRecorded.kind, RoadmapAnalysed.kind):
            found[r.kind] = r
            events[r.kind] = decode(r)
    return found, events


def offers_for(delegation: str, roadmap: Roadmap, analysis: RoadmapAnalysis) -> tuple[Offer, ...]:
    """The roadmap measures as commitments one delegation could make."""
    out = []
    for e in roadmap.entries.values():
        try:
            mine: GroupSupport | None = analysis.measure(e.measure_id).group(delegation)
        except KeyError:
            mine = None
        mean = mine.mean_support if mine is not None else None
        out.append(
            Offer(
                e.measure_id,
                e.title,
                e.phase,
                delegation in e.actors,
                mine.stance if mine is not None else "not rated",
                float(mean) if mean is not None else 0.0,
            )
        )
    return tuple(out)


def remarks(ctx: ActivityContext, item: Item) -> None:
    """Each delegation's commitment to next steps, from its seat, recorded per delegation."""
    assert item.id is not None
    meeting = ctx.folder.meeting
    found, events = _latest(ctx.emitted)
    recorded = events.get(RoadmapRecorded.kind)
    analysed = events.get(RoadmapAnalysed.kind)
    derived = [found[k].seq for k in (RoadmapAnalysed.kind, RoadmapRecorded.kind) if k in found]
    dialogue: tuple[str, ...] = ()
    requests = {}
    typed: tuple[Roadmap, RoadmapAnalysis] | None = None
    if isinstance(recorded, RoadmapRecorded) and isinstance(analysed, RoadmapAnalysed):
        typed = roadmap_from_json(recorded.roadmap), analysis_from_json(analysed.result)
        dialogue = tuple(e.title for e in typed[0].further_dialogue)
    for d in meeting.delegations:
        offers = offers_for(d.id, *typed) if typed is not None else ()
        requests[d.id] = CommitmentRequest(item.id, d.name, offers, dialogue)
    answers = ctx.ask_all(requests)
    for delegation, answer in answers.items():
        if isinstance(answer, SeatCannotAnswer):
            _note(ctx, item.id, f"{delegation}: {answer}", FACILITATOR)
            continue
        offered = {o.measure_id for o in requests[delegation].offers}
        ctx.emit(
            CommitmentMade(
                item_id=item.id,
                delegation=delegation,
                text=answer.text,
                measures=[m for m in answer.measures if m in offered],
                source=answer.source,
                derived_from=derived,
            ),
            actor=delegation,
        )
        ctx.advance(3)


__all__ = [
    "RUNS_VARIABLE",
    "SWEEP_RUNS",
    "analyse_and_sequence",
    "catalog_or_note",
    "collect_ratings",
    "offers_for",
    "recommendations",
    "remarks",
    "roadmap",
    "sweep_runs",
]
