"""Drafted recommendation claims of the roadmap's parts, rewritten in a document's language.

The recommendations drafter (:mod:`detente.roadmap.recommendations`) records each generated
claim as an English sentence. For the parts it writes from the roadmap alone — "Phase N (label):
A; B." and "<delegation> could act on: A (phase 1); B (phase 2)." or "No roadmap measure that
<delegation> supports names it …" — the sentence is rebuilt here from the recorded roadmap,
with the measures' and delegations' translated names. A claim that does not read as one of
these (edited, written by a person, or another part) is returned as None and printed as recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from detente.document.context import ReportContext
from detente.document.localize import local
from detente.document.prose import Prose
from detente.meeting.model import Delegation
from detente.roadmap.document_words import phase_label
from detente.roadmap.sequence import Roadmap

_PHASE = re.compile(r"^Phase (\d+) \(")
_ACTS = re.compile(r"^(?P<name>.+) could act on: (?P<listed>.+)\.$")
_NONE = re.compile(
    r"^No roadmap measure that (?P<name>.+) supports names it among those who would act; its "
    r"delegation supports (?P<backed>\d+) of the (?P<total>\d+) measures on the roadmap\.$"
)
_LISTED = re.compile(r"^(?P<title>.+) \(phase (?P<phase>\d+)\)$")


def roadmap_claim(
    ctx: ReportContext, text: str, roadmap: Roadmap, title: Callable[[str], str]
) -> str | None:
    """A generated claim of the parts `roadmap` and `actors` in the document's language, or
    None when `text` is not one (`title`: a measure id's title in the document's language)."""
    p = Prose(ctx.language)
    phase_match = _PHASE.match(text)
    if phase_match is not None:
        number = int(phase_match.group(1))
        phase = next((ph for ph in roadmap.phases if ph.number == number), None)
        if phase is None:
            return None
        return p.sentence(
            ctx.gettext(
                "Phase %(n)s (%(label)s): %(measures)s.",
                n=number,
                label=phase_label(ctx, roadmap.phases, phase),
                measures=p.series([title(m) for m in phase.measures]),
            )
        )
    delegation = _delegation(ctx, text)
    if delegation is None:
        return None
    name = local(ctx, delegation.name)
    none = _NONE.match(text)
    if none is not None:
        return ctx.ngettext(
            "No roadmap measure that %(delegation)s supports names it among those who would act; "
            "its delegation supports %(n)s of the %(total)s measures on the roadmap.",
            "No roadmap measure that %(delegation)s supports names it among those who would act; "
            "its delegation supports %(n)s of the %(total)s measures on the roadmap.",
            int(none.group("backed")),
            delegation=name,
            total=int(none.group("total")),
        )
    acts = _ACTS.match(text)
    if acts is None:
        return None
    by_title = {entry.title: mid for mid, entry in roadmap.entries.items()}
    items = []
    for listed in acts.group("listed").split("; "):
        found = _LISTED.match(listed)
        if found is None or found.group("title") not in by_title:
            return None
        items.append(
            ctx.gettext(
                "%(measure)s (phase %(n)s)",
                measure=title(by_title[found.group("title")]),
                n=int(found.group("phase")),
            )
        )
    return p.sentence(
        ctx.gettext(
            "%(delegation)s could act on: %(measures)s.",
            delegation=name,
            measures=p.series(items),
        )
    )


def _delegation(ctx: ReportContext, text: str) -> Delegation | None:
    """The delegation whose English name the claim opens with (or names after "that")."""
    for d in ctx.folder.meeting.delegations:
        english = str(d.name)
        if text.startswith(f"{english} could act on: ") or text.startswith(
            f"No roadmap measure that {english} supports "
        ):
            return d
    return None


__all__ = ["roadmap_claim"]
