"""Delegation profiles: the declared interests and stated positions that drive simulated seats.

A profile describes a *national perspective*, never the named experts in the room. Interest
weights live on named dimensions declared once per meeting (`delegations.yaml`), so scenario
actions, discussion statements and roadmap measures can be tagged with the same dimensions and
weighed by simulated seats.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from detente.schema_types import Id, NonEmpty, Strict, Weight


class Dimension(Strict):
    """A named interest dimension, e.g. `regional_stability`."""

    id: Id
    label: NonEmpty
    description: str = ""


class Position(Strict):
    """A stated position of a delegation's government on one topic, with its source.

    `dimensions` says which interests the position speaks to; presentations and simulated votes
    use it to pick what a delegation would say.
    """

    topic: NonEmpty
    statement: NonEmpty
    source: NonEmpty
    dimensions: list[Id] = []


class Profile(Strict):
    """How a simulated delegation weighs things.

    - `interests`: weight in [-1, 1] per dimension (1: strongly wants more of it; -1: opposes it;
      missing: indifferent).
    - `temperature`: softmax temperature for choices (lower is more predictable).
    - `spread`: standard deviation of each expert's individual deviation from the delegation's
      weights, so three experts of one delegation need not agree.
    """

    delegation: Id
    interests: dict[Id, Weight]
    temperature: float = Field(default=0.5, gt=0.0, le=10.0)
    spread: float = Field(default=0.15, ge=0.0, le=1.0)
    positions: list[Position] = Field(min_length=1)


class Profiles(Strict):
    """The whole `delegations.yaml` file."""

    dimensions: list[Dimension] = Field(min_length=1)
    profiles: list[Profile] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Profiles:
        ids = [d.id for d in self.dimensions]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate dimension id(s): {', '.join(sorted(dup))}")
        return self

    def profile(self, delegation_id: str) -> Profile:
        for p in self.profiles:
            if p.delegation == delegation_id:
                return p
        raise KeyError(delegation_id)

    @property
    def dimension_ids(self) -> list[str]:
        return [d.id for d in self.dimensions]
