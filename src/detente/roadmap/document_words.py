"""The roadmap's words in a document's language: horizons, phase labels, the recommendations'
part titles, and measure and category titles from the catalog's translations.

The roadmap package names these in English (:data:`detente.roadmap.sequence.HORIZON_WORDS`,
:data:`detente.roadmap.recommendations.SECTION_TITLES`); the documents translate them here
through the ``reports`` catalog, keyed by the same ids, so the domain keeps one vocabulary and
the report one translation. Titles of measures and categories are content: they come from
`measures.yaml` and the meeting file with their translations
(:func:`~detente.document.localize.local`, marked when missing), never from the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

from detente.diagnostics import InputError
from detente.document.context import ReportContext
from detente.document.localize import local
from detente.document.messages import N_
from detente.document.prose import Prose
from detente.roadmap.sequence import Phase

HORIZONS: Final = {
    "immediate": N_("immediate"),
    "within-a-year": N_("within a year"),
    "1-3-years": N_("1–3 years"),
    "longer": N_("longer term"),
}
PART_TITLES: Final = {
    "principles": N_("Shared principles"),
    "roadmap": N_("Phased roadmap"),
    "actors": N_("What each country could do"),
    "divergence": N_("Areas of divergence for further dialogue"),
    "ttx": N_("Insights from the tabletop exercise"),
    "next-steps": N_("Next steps"),
    "next-meeting": N_("Proposed next meeting"),
}


def horizon(ctx: ReportContext, value: str | None) -> str:
    """A rated horizon in words (`—` for none; an unknown id as written)."""
    if not value:
        return "—"
    found = HORIZONS.get(value)
    return ctx.gettext(found) if found is not None else value


def phase_label(ctx: ReportContext, phases: Sequence[Phase], phase: Phase) -> str:
    """The label of one phase, as :func:`detente.roadmap.sequence.phase_label` words it:
    its horizon, and `after phase N` when an earlier phase has the same horizon."""
    words = horizon(ctx, phase.horizon)
    earlier = [p for p in phases if p.number < phase.number and p.horizon == phase.horizon]
    if earlier:
        after = max(p.number for p in earlier)
        return ctx.gettext("%(horizon)s, after phase %(n)s", horizon=words, n=after)
    return words


def part_title(ctx: ReportContext, name: str, english: str) -> str:
    """The title of a part of the recommendations (`english` for a part not known here)."""
    found = PART_TITLES.get(name)
    return ctx.gettext(found) if found is not None else local(ctx, english)


REASONS: Final = {
    "divided": N_("divides delegations"),
    "one-neutral": N_("one delegation has no majority either way"),
    "uncertain": N_("many raters had no view (an information gap)"),
    "insufficient": N_("not rated by every delegation"),
}
"""The roadmap's reasons for further dialogue (:data:`detente.roadmap.sequence.REASONS`, by
tier), as msgids; a test keeps the two in step."""
_WAITING = re.compile(r"^its (reciprocal|prerequisite) (.+) is not agreed$")


def reason(ctx: ReportContext, recorded: str, title: Callable[[str], str]) -> str:
    """Why a measure waits for further dialogue, in the document's language. The roadmap records
    the reason as a sentence of a closed vocabulary (one per tier, or "its reciprocal/prerequisite
    <ids> is not agreed"); a sentence outside it is printed as recorded (marked). `title` gives a
    measure's title in the document's language."""
    from detente.roadmap.sequence import REASONS as RECORDED

    for tier, english in RECORDED.items():
        if recorded == english and tier in REASONS:
            return ctx.gettext(REASONS[tier])
    match = _WAITING.match(recorded)
    if match is None:
        return local(ctx, {"en": recorded})
    p = Prose(ctx.language)
    names = p.join([p.quote(title(mid)) for mid in match.group(2).split(", ")])
    if match.group(1) == "reciprocal":
        return ctx.gettext("its reciprocal measure %(measures)s is not agreed", measures=names)
    return ctx.gettext("its prerequisite %(measures)s is not agreed", measures=names)


def measure_titles(ctx: ReportContext) -> dict[str, object]:
    """Measure id → its title as `measures.yaml` gives it (with translations); empty when the
    folder has no catalog or it no longer loads (the record's English titles then stand)."""
    from detente.roadmap.catalog import load_catalog

    try:
        loaded = load_catalog(ctx.folder)
    except InputError:
        return {}
    return {} if loaded is None else {m.id: m.title for m in loaded.catalog.measures}


def titled(ctx: ReportContext, catalog: dict[str, object], measure_id: str, recorded: str) -> str:
    """A measure's title in the document's language: the catalog's translation, else the
    recorded title (marked in a document in another language)."""
    return local(ctx, catalog.get(measure_id, recorded))


__all__ = [
    "HORIZONS",
    "PART_TITLES",
    "REASONS",
    "horizon",
    "measure_titles",
    "part_title",
    "phase_label",
    "reason",
]
