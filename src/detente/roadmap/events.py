"""The roadmap's vocabulary in the log: ratings, the roadmap, recommendations and commitments.

Each class registers its `kind` on definition; the roadmap plugin returns them from
:func:`detente.hooks.detente_events`, which is how :func:`detente.store.events.decode` finds them.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from detente.store.events import Event

# --- ratings, roadmap, recommendations and concluding remarks --------------------------------


class RatingsOpened(Event):
    """The facilitator opens rating of these measures of the catalog for `item_id`."""

    kind: ClassVar[str] = "ratings_opened"
    item_id: str
    measure_ids: list[str]


class RatingSubmitted(Event):
    """One participant's rating of one measure: `support` −2…+2, `feasibility` 1…5 and the
    `horizon` they think realistic. `participant` is a seat position (`USA-1`), never a person's
    id. A changed rating is a later event for the same participant and measure: the last one
    before `ratings_closed` counts. Observers' ratings (`observer`) are reported apart."""

    kind: ClassVar[str] = "rating_submitted"
    item_id: str
    participant: str
    measure_id: str
    support: int
    feasibility: int
    horizon: str
    delegation: str | None = None
    observer: bool = False


class RatingsClosed(Event):
    """Rating on `item_id` is closed; `ratings_submitted` counts the `rating_submitted` events
    (changes included); `note` says who did not rate and why, when anyone did not."""

    kind: ClassVar[str] = "ratings_closed"
    item_id: str
    ratings_submitted: int
    note: str = ""


class RoadmapAnalysed(Event):
    """Per measure: support by delegation with exact counts, consensus tier, feasibility and
    simulated effects on the exercise's outcomes. `result` is the JSON document of
    :mod:`detente.roadmap.analysis`."""

    kind: ClassVar[str] = "roadmap_analysed"
    item_id: str
    result: dict[str, Any]


class RoadmapRecorded(Event):
    """The phased roadmap and the measures for further dialogue
    (:mod:`detente.roadmap.sequence`)."""

    kind: ClassVar[str] = "roadmap_recorded"
    item_id: str
    roadmap: dict[str, Any]


class RecommendationClaim(BaseModel):
    """One claim of the recommendations draft: its section, text and the seq numbers of the
    events it derives from."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    section: str
    text: str
    sources: list[int] = []


class RecommendationsDrafted(Event):
    """The draft generated from the record (actor `system`): every claim with its sources."""

    kind: ClassVar[str] = "recommendations_drafted"
    item_id: str
    claims: list[RecommendationClaim]


class RecommendationEdited(Event):
    """The facilitator edits the draft (actor `facilitator`): `edit` replaces a claim's text,
    `strike` removes it, `add` adds a claim written by a person (`claim_id` new, `section` set)."""

    kind: ClassVar[str] = "recommendation_edited"
    item_id: str
    claim_id: str
    action: Literal["edit", "strike", "add"]
    text: str = ""
    section: str | None = None
    sources: list[int] = []


class RecommendationsAccepted(Event):
    """The facilitator accepts the recommendations (the draft with every edit before this)."""

    kind: ClassVar[str] = "recommendations_accepted"
    item_id: str
    claims: int
    edited: int


class CommitmentMade(Event):
    """A delegation's commitment to next steps in the concluding remarks: its words, the
    measures it commits to work for, the source where it restates a stated position, and the
    seq numbers of the events it derives from."""

    kind: ClassVar[str] = "commitment_made"
    item_id: str
    delegation: str
    text: str
    measures: list[str] = []
    source: str = ""
    derived_from: list[int] = []
