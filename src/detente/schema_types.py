"""The constrained field types and the strict base model shared by every input-file schema.

`meeting.yaml`, `scenario.yaml`, `delegations.yaml`, `statements.yaml` and `measures.yaml` name
things by the same kind of identifier and reject the same mistakes (unknown keys, empty text), so
the rules are declared once here: a file format that changed one of them alone would accept an id
its neighbours refuse. This module imports nothing of détente, so any package may use it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$", min_length=1)]
"""An identifier written in a file: starts with a letter; letters, digits, `_`, `.` and `-`."""

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Text that must say something: surrounding white space is stripped, and nothing left is an
error."""

Weight = Annotated[float, Field(ge=-1.0, le=1.0)]
"""An interest weight or tag in [-1, 1] (1: strongly serves or wants it; -1: works against it)."""


class Strict(BaseModel):
    """Base of every file schema: unknown keys are errors (a typo gets a "did you mean", never a
    silently ignored field) and parsed values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)
