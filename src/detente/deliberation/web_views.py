"""Votes and ratings as each viewer may see them: a member's own ballot, the common-ground chart,
the live ranking of measures.

A member's marks are delegation-only drafts while the ballot is open: the member and their
delegation see them, the facilitator sees every delegation's (the *live* common-ground view and
ranking, built from records they may see), and nobody else sees anything until the facilitator
closes the ballot and the activity records the votes (`vote_cast`) or ratings
(`rating_submitted`) publicly under seat positions. Observers and the projector are therefore
shown the chart of a *closed* vote only: a running tally is delegation-private material.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from detente.deliberation.standing import standing, tier_of
from detente.meeting.loader import MeetingFolder
from detente.store.log import Record
from detente.web.api import PendingRequest, Snapshot, Viewer, visible_entries


@dataclass(frozen=True)
class MyBallot:
    """The viewer's own marks on an open member ballot (votes or ratings)."""

    key: str
    position: str | None
    marks: dict[str, str]
    changes: int
    """How many times the viewer marked this ballot (every mark is kept in the log)."""


def my_ballot(request: PendingRequest, person: str) -> MyBallot:
    marks: dict[str, str] = {}
    position: str | None = None
    changes = 0
    for _seq, _time, who, fields in request.history:
        if who != person:
            continue
        changes += 1
        position = fields.get("member", position)
        marks.update({k: v for k, v in fields.items() if k != "member"})
    return MyBallot(request.key, position, marks, changes)


@dataclass(frozen=True)
class Bar:
    """One delegation's votes on one statement."""

    delegation: str
    agree: int
    disagree: int
    passed: int
    members: int

    @property
    def missing(self) -> int:
        return max(0, self.members - self.agree - self.disagree - self.passed)


@dataclass(frozen=True)
class StatementBars:
    statement_id: str
    text: str
    bars: tuple[Bar, ...]

    @property
    def tier(self) -> str:
        """The statement's consensus tier from the delegations' votes, by the analysis's rules."""
        return tier_of((b.agree, b.disagree, b.passed) for b in self.bars)

    @property
    def common(self) -> bool:
        """Common ground as every document calls it (:mod:`detente.deliberation.standing`): a
        majority of the voters of every delegation agrees."""
        return bool(self.bars) and standing(self.tier) == "agreed"


@dataclass(frozen=True)
class CommonGround:
    item_id: str
    status: str
    """`open` (live, facilitator only) or `closed` (the public record)."""
    statements: tuple[StatementBars, ...]


def _members(folder: MeetingFolder) -> dict[str, int]:
    return {d.id: len(folder.meeting.members(d.id)) for d in folder.meeting.delegations}


def _bars(
    folder: MeetingFolder,
    statements: Sequence[tuple[str, str]],
    votes: Mapping[tuple[str, str], str],
    delegation_of: Mapping[str, str],
) -> tuple[StatementBars, ...]:
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (participant, statement), value in votes.items():
        delegation = delegation_of.get(participant)
        if delegation is not None:
            counts[(statement, delegation)][value] += 1
    members = _members(folder)
    out = []
    for sid, words in statements:
        bars = tuple(
            Bar(
                d,
                counts[(sid, d)]["agree"],
                counts[(sid, d)]["disagree"],
                counts[(sid, d)]["pass"],
                members[d],
            )
            for d in members
        )
        out.append(StatementBars(sid, words, bars))
    return tuple(out)


def common_ground(
    folder: MeetingFolder, snap: Snapshot, viewer: Viewer, requests: Sequence[PendingRequest]
) -> CommonGround | None:
    """The latest discussion vote: live from the members' marks while voting is open (only for
    the facilitator, who may see every delegation's drafts), from the public `vote_cast` records
    once it is closed (for everyone)."""
    records = [
        e.record
        for e in visible_entries(
            snap.of(
                "statement_added",
                "statement_edited",
                "voting_opened",
                "vote_cast",
                "voting_closed",
            ),
            viewer,
        )
    ]
    opened = [r for r in records if r.kind == "voting_opened"]
    if not opened:
        return None
    head = opened[-1]
    item_id = str(head.payload["item_id"])
    texts = {  # the latest wording: an edit (before voting opened) replaces the added text
        str(r.payload["statement_id"]): str(r.payload["text"])
        for r in records
        if r.kind in ("statement_added", "statement_edited") and r.payload["item_id"] == item_id
    }
    statements = [(sid, texts.get(sid, sid)) for sid in head.payload["statement_ids"]]
    closed = any(r.kind == "voting_closed" and r.seq > head.seq for r in records)
    if closed:
        votes: dict[tuple[str, str], str] = {}
        delegation_of: dict[str, str] = {}
        for r in records:
            if r.kind == "vote_cast" and r.seq > head.seq and r.payload["item_id"] == item_id:
                p = r.payload
                votes[(str(p["participant"]), str(p["statement_id"]))] = str(p["vote"])
                if p.get("delegation") and not p.get("observer"):
                    delegation_of[str(p["participant"])] = str(p["delegation"])
        return CommonGround(item_id, "closed", _bars(folder, statements, votes, delegation_of))
    if viewer.role != "facilitator":
        return CommonGround(item_id, "open", ())
    votes, delegation_of = _entered(requests, "vote_request", item_id)
    return CommonGround(item_id, "open", _bars(folder, statements, votes, delegation_of))


def _entered(
    requests: Sequence[PendingRequest], request_type: str, item_id: str
) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """What members have entered so far in the item's open requests of `request_type`:
    (member, statement or measure id) → the form field's value (the latest entry wins), and
    each member's delegation."""
    marks: dict[tuple[str, str], str] = {}
    delegation_of: dict[str, str] = {}
    for req in requests:
        if req.request_type != request_type or req.request.get("item_id") != item_id:
            continue
        for _seq, _time, _who, fields in req.history:
            member = fields.get("member")
            if not member:
                continue
            delegation_of[member] = str(req.delegation)
            for key, value in fields.items():
                if key != "member":
                    marks[(member, key)] = value
    return marks, delegation_of


@dataclass(frozen=True)
class RankRow:
    measure_id: str
    title: str
    mean_support: float
    raters: int
    by_delegation: tuple[tuple[str, float, int], ...]
    """(delegation, mean support, raters)."""
    mean_feasibility: float


@dataclass(frozen=True)
class Ranking:
    item_id: str
    status: str
    rows: tuple[RankRow, ...]


def ranking(
    folder: MeetingFolder,
    snap: Snapshot,
    viewer: Viewer,
    requests: Sequence[PendingRequest],
    catalog_titles: Mapping[str, str] | None = None,
) -> Ranking | None:
    """Measures ranked by mean support (then feasibility): live from the members' marks for the
    facilitator while rating is open, from the public `rating_submitted` records once closed.
    Titles come from `catalog_titles` (the measures catalog, in the viewer's language), else
    from the rating requests the viewer may see, else the measure ids."""
    records = [
        e.record
        for e in visible_entries(
            snap.of("ratings_opened", "rating_submitted", "ratings_closed"), viewer
        )
    ]
    opened = [r for r in records if r.kind == "ratings_opened"]
    if not opened:
        return None
    head = opened[-1]
    item_id = str(head.payload["item_id"])
    closed = any(r.kind == "ratings_closed" and r.seq > head.seq for r in records)
    titles: dict[str, str] = dict(catalog_titles or {})
    if closed:
        marks, delegation_of = _submitted_marks(records, head.seq, item_id)
    elif viewer.role == "facilitator":
        marks, delegation_of = _live_marks(requests, item_id, titles)
    else:
        return Ranking(item_id, "open", ())
    for req in requests:
        for m in req.request.get("measures", ()) if req.request_type == "rating_request" else ():
            titles.setdefault(str(m["measure_id"]), str(m["title"]))
    ids = [str(mid) for mid in head.payload["measure_ids"]]
    rows = [_rank_row(mid, marks, delegation_of, titles) for mid in ids]
    rows.sort(key=lambda row: (-row.mean_support, -row.mean_feasibility, row.measure_id))
    return Ranking(item_id, "closed" if closed else "open", tuple(rows))


Marks = dict[tuple[str, str], tuple[int, int]]
"""(participant, measure id) → (support, feasibility)."""


def _submitted_marks(
    records: Sequence[Record], after: int, item_id: str
) -> tuple[Marks, dict[str, str]]:
    """The marks of the item's `rating_submitted` records after seq `after`, and each rater's
    delegation."""
    marks: Marks = {}
    delegation_of: dict[str, str] = {}
    for r in records:
        p = r.payload
        if r.kind == "rating_submitted" and r.seq > after and p["item_id"] == item_id:
            marks[(str(p["participant"]), str(p["measure_id"]))] = (
                int(p["support"]),
                int(p["feasibility"]),
            )
            if p.get("delegation"):
                delegation_of[str(p["participant"])] = str(p["delegation"])
    return marks, delegation_of


def _live_marks(
    requests: Sequence[PendingRequest], item_id: str, titles: dict[str, str]
) -> tuple[Marks, dict[str, str]]:
    """The marks members have entered so far in the item's open rating requests, and each
    member's delegation; the requests' measure titles are added to `titles` (first wins)."""
    for req in requests:
        if req.request_type == "rating_request" and req.request.get("item_id") == item_id:
            for m in req.request.get("measures", ()):
                titles.setdefault(str(m["measure_id"]), str(m["title"]))
    entered, delegation_of = _entered(requests, "rating_request", item_id)
    marks: Marks = {}
    for key, value in entered.items():
        support, feasibility, _horizon = value.split("|")
        marks[key] = (int(support), int(feasibility))
    return marks, delegation_of


def _rank_row(
    mid: str, marks: Marks, delegation_of: Mapping[str, str], titles: Mapping[str, str]
) -> RankRow:
    """One measure's row: mean support overall and per delegation, and mean feasibility."""
    mine = [(who, v) for (who, m), v in marks.items() if m == mid]
    supports = [v[0] for _, v in mine]
    by: dict[str, list[int]] = defaultdict(list)
    for who, v in mine:
        by[delegation_of.get(who, "?")].append(v[0])
    return RankRow(
        mid,
        titles.get(mid, mid),
        sum(supports) / len(supports) if supports else 0.0,
        len(supports),
        tuple((d, sum(s) / len(s), len(s)) for d, s in sorted(by.items())),
        sum(v[1] for _, v in mine) / len(mine) if mine else 0.0,
    )
