"""How the circulated meeting report speaks of views: Chatham House by construction.

By default (`attribution: room` in meeting.yaml) a view is reported for the room as a whole —
"all participants agreed", "most participants agreed", "a minority agreed", "participants were
divided" — never per person and never per delegation. With `attribution: delegation` a
delegation's *majority stance* may be named, but only for delegations of at least
:data:`MIN_GROUP` people, and never with counts (a "2 of 3" is a split inside a delegation, which
points at a person). The thresholds are shares of the participants who voted or rated; passes
count as having no view.

Every meeting-report section that states a view builds its wording here, so the rule is one
function, and the tests check the rendered report for what it must not contain.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from detente.document.context import ReportContext
from detente.document.messages import N_
from detente.names import plural as plural  # re-exported: the report modules' one plural

MIN_GROUP = 3
"""The smallest delegation whose majority stance may be named (attribution: delegation)."""


@dataclass(frozen=True)
class Counts:
    """One group's votes or ratings on one statement or measure."""

    agree: int
    disagree: int
    passes: int

    @property
    def total(self) -> int:
        return self.agree + self.disagree + self.passes

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.agree + other.agree, self.disagree + other.disagree, self.passes + other.passes
        )


def room_phrase(c: Counts) -> str:
    """The view of the room as a whole, in words, from the pooled counts: an English msgid of
    the ``reports`` catalog (:func:`view` gives it in the document's language)."""
    if c.total == 0:
        return N_("no views were recorded")
    agree, disagree, passes = c.agree / c.total, c.disagree / c.total, c.passes / c.total
    if c.agree == c.total:
        return N_("all participants agreed")
    if c.disagree == c.total:
        return N_("all participants disagreed")
    if agree >= 2 / 3:
        if c.disagree:
            return N_("most participants agreed; a minority disagreed")
        return N_("most participants agreed")
    if disagree >= 2 / 3:
        if c.agree:
            return N_("most participants disagreed; a minority agreed")
        return N_("most participants disagreed")
    if passes >= 1 / 2:
        return N_("many participants had no view")
    if agree > 1 / 2:
        return N_("a majority agreed, a minority did not")
    if disagree > 1 / 2:
        if c.agree:
            return N_("a majority disagreed, a minority agreed")
        return N_("a majority disagreed")
    return N_("participants were divided")


def stance(c: Counts) -> str:
    """A delegation's majority stance without its counts: agreed, disagreed or no majority (an
    English msgid, as :func:`room_phrase`)."""
    if c.agree * 2 > c.total:
        return N_("agreed")
    if c.disagree * 2 > c.total:
        return N_("disagreed")
    return N_("no majority either way")


def by_delegation(ctx: ReportContext) -> bool:
    """Whether the meeting file allows naming delegations' stances (`attribution: delegation`)."""
    return ctx.folder.meeting.meeting.attribution == "delegation"


def nameable(ctx: ReportContext, delegation: str) -> bool:
    """A delegation whose stance may be named: attribution by delegation, and at least
    :data:`MIN_GROUP` delegates."""
    return by_delegation(ctx) and len(ctx.folder.meeting.members(delegation)) >= MIN_GROUP


def view(ctx: ReportContext, groups: Mapping[str, Counts]) -> str:
    """The wording of one view: the room's, followed (attribution: delegation only) by the
    majority stance of each delegation large enough to be named."""
    pooled = sum(groups.values(), Counts(0, 0, 0))
    text = ctx.gettext(room_phrase(pooled))
    if by_delegation(ctx):
        from detente.document.localize import local
        from detente.document.prose import Prose

        named = [
            ctx.gettext(
                "%(delegation)s: %(stance)s",
                delegation=local(ctx, ctx.folder.meeting.delegation(d).name),
                stance=ctx.gettext(stance(c)),
            )
            for d, c in groups.items()
            if nameable(ctx, d) and c.total
        ]
        if named:
            stances = Prose(ctx.language).series(named)
            text = ctx.gettext("%(view)s (%(stances)s)", view=text, stances=stances)
    return text


def sentence_list(items: Sequence[str], conjunction: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


_PLURAL_S = re.compile(r"\b(\d+) ((?:[A-Za-z-]+ )?)([A-Za-z-]+)\(s\)")


def fix_plurals(text: str) -> str:
    """Text recorded by other parts of détente with `N thing(s)` written out properly
    (`1 thing`, `2 things`), for documents that quote it."""

    def one(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return f"{n} {m.group(2)}{m.group(3) if n == 1 else m.group(3) + 's'}"

    return _PLURAL_S.sub(one, text)
