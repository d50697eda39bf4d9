"""The measures catalog (`measures.yaml`): the seed's "full list of steps … on a separate printout".

Each measure belongs to one of the roadmap session's step categories (the `steps` of the meeting's
roadmap item), names who would act, a realistic horizon, prerequisites and reciprocal measures, the
interest dimensions it serves (so simulated experts can rate it), its precedent and source, and —
where it makes sense — a scenario modifier in the tabletop-exercise format (what changes in the
exercise if the measure is in force).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from detente.schema_types import Id, NonEmpty, Strict, Weight
from detente.ttx.scenario import LocalText, Modifier


class Horizon(StrEnum):
    """When a measure could realistically be in force, in order."""

    IMMEDIATE = "immediate"
    WITHIN_A_YEAR = "within-a-year"
    ONE_TO_THREE_YEARS = "1-3-years"
    LONGER = "longer"

    @property
    def rank(self) -> int:
        return list(Horizon).index(self)


class Measure(Strict):
    """One cooperative measure.

    - `category`: id of a step category of the meeting's roadmap session.
    - `actors`: who would act (delegations or others: `DPRK`, `ROK`, `JPN`, `UN` …).
    - `prerequisites`: measures that must be in force first (a cycle is an error).
    - `reciprocal`: measures that trade against this one (e.g. the two halves of
      "suspension for suspension"); the roadmap keeps them in the same phase.
    - `tags`: how much the measure serves each interest dimension (-1…1).
    - `modifier`: what changes in the tabletop exercise when the measure is in force.
    """

    id: Id
    title: LocalText
    description: LocalText
    category: Id
    actors: list[NonEmpty] = Field(min_length=1)
    horizon: Horizon
    prerequisites: list[Id] = []
    reciprocal: list[Id] = []
    tags: dict[Id, Weight] = {}
    contribution: LocalText | None = Field(
        default=None, description="how the step would contribute (the seed's question)"
    )
    precedent: str = ""
    source: NonEmpty
    catalog_ref: str = Field(default="", description="id in the reference catalog, if any")
    modifier: Modifier | None = None


class Catalog(Strict):
    """The whole `measures.yaml`."""

    measures: list[Measure] = Field(min_length=1)

    def measure(self, measure_id: str) -> Measure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(measure_id)
