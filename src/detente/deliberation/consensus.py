"""Delegation-aware common-ground analysis of a vote matrix.

A Track-2 dialogue is not a crowd: three delegations of three experts each can be
outvoted by a handful of observers, and a statement that 7 of 9 experts agree with
may still be rejected by an entire delegation. Every measure in this module is
therefore computed *per delegation* first and only then combined, so that each
delegation weighs the same regardless of its size, and observers (participants whose
group is ``None``) never influence a delegation result. They get their own tally.

Everything here is a pure function of a :class:`VoteMatrix` and a participant ->
group mapping. The heavy lifting is vectorised over participants x statements with
numpy (one matrix product per vote kind); only the per-statement ranking and the
human labels loop in Python, over statements x delegations.

Notation, for delegation ``d`` and statement ``s`` (observers excluded)::

    A_d  number of members of d who agreed           (value +1)
    D_d  number who disagreed                        (value -1)
    K_d  number who passed                           (value 0, vote cast)
    S_d  = A_d + D_d + K_d, the number who voted at all
    P_d  = (A_d + 1) / (S_d + 2)

``P_d`` is the agreement probability with Laplace (add-one) smoothing: it is the
posterior mean of a Beta(1, 1) prior after ``S_d`` votes, so it is always strictly
inside (0, 1), equals 1/2 with no votes, and a 3/3 delegation (0.8) ranks below a
30/30 one (~0.97). A pass counts as a vote cast *without* agreement; participants who
never saw or never voted on a statement are not counted at all.

Nothing in the results is ever NaN or infinite, so :meth:`CommonGround.to_json_dict`
can be dumped with ``json.dumps(..., allow_nan=False)``.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final, Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "TIERS",
    "CommonGround",
    "ConsensusInputError",
    "Direction",
    "DivisiveEntry",
    "GroupTally",
    "SplitEntry",
    "StatementResult",
    "Tier",
    "VoteMatrix",
    "analyse",
]

Tier: TypeAlias = Literal[
    "unanimous", "majority", "uncertain", "one-neutral", "divided", "insufficient"
]
"""Consensus tier of one statement; see :func:`analyse` for the rules."""

TIERS: Final[tuple[Tier, ...]] = (
    "unanimous",
    "majority",
    "one-neutral",
    "uncertain",
    "divided",
    "insufficient",
)
"""All tiers, in the order they are reported (strongest agreement first)."""

Direction: TypeAlias = Literal["agrees-more", "agrees-less", "same"]
"""Whether a delegation agrees more or less with a statement than the other delegations."""

AGREE: Final = 1
DISAGREE: Final = -1
PASS: Final = 0

_MAX_LISTED = 5  # how many offending ids an error message names


class ConsensusInputError(ValueError):
    """The vote matrix, the group mapping or an option cannot be analysed.

    Raised eagerly, before any computation, with a message naming the offending
    participant, statement, group or option, so that a bad import fails loudly
    instead of producing a plausible-looking but wrong consensus report.
    """


def _preview(items: Iterable[str]) -> str:
    listed = sorted(items)
    shown = ", ".join(repr(x) for x in listed[:_MAX_LISTED])
    more = len(listed) - _MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _check_ids(kind: str, ids: Sequence[str]) -> tuple[str, ...]:
    if isinstance(ids, str):
        raise ConsensusInputError(f"{kind} ids must be a sequence of strings, not one string")
    out = tuple(ids)
    bad = [x for x in out if not isinstance(x, str) or not x]
    if bad:
        raise ConsensusInputError(f"{kind} ids must be non-empty strings; got {bad[:3]!r}")
    if len(set(out)) != len(out):
        dupes = [x for x, n in Counter(out).items() if n > 1]
        raise ConsensusInputError(f"duplicate {kind} ids: {_preview(dupes)}")
    return out


@dataclass(frozen=True)
class VoteMatrix:
    """Votes of participants (rows) on statements (columns).

    Attributes:
        participants: participant ids, one per row, unique non-empty strings.
        statements: statement ids, one per column, unique non-empty strings.
        values: integer array of shape ``(len(participants), len(statements))`` with
            ``1`` = agree, ``-1`` = disagree, ``0`` = pass. Stored as a read-only
            ``int8`` copy in which every cell with ``voted == False`` is ``0``.
        voted: boolean array of the same shape; ``False`` means "did not vote" (never
            shown the statement, or skipped it), which is distinct from a pass. If
            omitted, every cell counts as voted. Stored as a read-only copy.

    Construction validates everything and raises :class:`ConsensusInputError` on an
    empty matrix, mismatched shapes, non-integer values, duplicate ids, or any value
    outside ``{-1, 0, 1}`` (even in a cell marked as not voted: such a value means the
    import is confused about its encoding). For a float array that uses NaN for
    "did not vote" use :meth:`from_float`; for ``(participant, statement, vote)``
    triples use :meth:`from_records`.
    """

    participants: Sequence[str]
    statements: Sequence[str]
    values: NDArray[np.int8]
    voted: NDArray[np.bool_] | None = None

    def __post_init__(self) -> None:
        participants = _check_ids("participant", self.participants)
        statements = _check_ids("statement", self.statements)
        if not participants or not statements:
            raise ConsensusInputError(
                f"empty vote matrix: {len(participants)} participants x "
                f"{len(statements)} statements"
            )
        shape = (len(participants), len(statements))
        values = np.asarray(self.values)
        if values.shape != shape:
            raise ConsensusInputError(
                f"values has shape {values.shape}, expected {shape} (participants x statements)"
            )
        if values.dtype == np.bool_ or not np.issubdtype(values.dtype, np.integer):
            raise ConsensusInputError(
                f"values must be an integer array (1/-1/0), got dtype {values.dtype}; "
                "use VoteMatrix.from_float for a float array with NaN for missing votes"
            )
        unknown = ~np.isin(values, (AGREE, DISAGREE, PASS))
        if unknown.any():
            i, j = (int(x) for x in np.argwhere(unknown)[0])
            raise ConsensusInputError(
                f"unknown vote value {values[i, j].item()!r} by participant {participants[i]!r} "
                f"on statement {statements[j]!r} ({int(unknown.sum())} such cells); "
                "allowed: 1 agree, -1 disagree, 0 pass"
            )
        if self.voted is None:
            voted = np.ones(shape, dtype=np.bool_)
        else:
            voted_in = np.asarray(self.voted)
            if voted_in.shape != shape:
                raise ConsensusInputError(
                    f"voted mask has shape {voted_in.shape}, expected {shape}"
                )
            if voted_in.dtype != np.bool_:
                raise ConsensusInputError(f"voted mask must be boolean, got {voted_in.dtype}")
            voted = voted_in.copy()
        clean = np.where(voted, values, 0).astype(np.int8)
        clean.flags.writeable = False
        voted.flags.writeable = False
        object.__setattr__(self, "participants", participants)
        object.__setattr__(self, "statements", statements)
        object.__setattr__(self, "values", clean)
        object.__setattr__(self, "voted", voted)

    @property
    def mask(self) -> NDArray[np.bool_]:
        """The ``voted`` mask (never ``None`` after construction)."""
        assert self.voted is not None  # set by __post_init__
        return self.voted

    @classmethod
    def from_float(
        cls, participants: Sequence[str], statements: Sequence[str], values: NDArray[Any]
    ) -> VoteMatrix:
        """Build from a float array where NaN means "did not vote".

        Non-NaN cells must be exactly ``1.0``, ``-1.0`` or ``0.0``; anything else
        (including ``inf`` or ``0.5``) raises :class:`ConsensusInputError`.
        """
        try:
            arr = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ConsensusInputError(f"values are not numeric: {exc}") from exc
        missing = np.isnan(arr)
        filled = np.where(missing, 0.0, arr)
        bad = ~np.isin(filled, (1.0, -1.0, 0.0))
        if bad.any():
            raise ConsensusInputError(
                f"unknown vote value {filled[tuple(np.argwhere(bad)[0])].item()!r}; allowed: "
                "1 agree, -1 disagree, 0 pass, NaN did not vote"
            )
        return cls(participants, statements, filled.astype(np.int8), ~missing)

    @classmethod
    def from_records(
        cls,
        participants: Sequence[str],
        statements: Sequence[str],
        records: Iterable[tuple[str, str, int]],
    ) -> VoteMatrix:
        """Build from ``(participant_id, statement_id, vote)`` triples.

        Cells without a record are "did not vote". A later record for the same cell
        replaces an earlier one (a participant changing their mind). Unknown ids or
        vote values raise :class:`ConsensusInputError`.
        """
        p_index = {p: i for i, p in enumerate(_check_ids("participant", participants))}
        s_index = {s: j for j, s in enumerate(_check_ids("statement", statements))}
        values = np.zeros((len(p_index), len(s_index)), dtype=np.int8)
        voted = np.zeros(values.shape, dtype=np.bool_)
        for pid, sid, vote in records:
            if pid not in p_index:
                raise ConsensusInputError(f"vote by unknown participant {pid!r}")
            if sid not in s_index:
                raise ConsensusInputError(f"vote on unknown statement {sid!r}")
            if isinstance(vote, bool) or vote not in (AGREE, DISAGREE, PASS):
                raise ConsensusInputError(
                    f"unknown vote value {vote!r} by {pid!r} on {sid!r}; "
                    "allowed: 1 agree, -1 disagree, 0 pass"
                )
            values[p_index[pid], s_index[sid]] = vote
            voted[p_index[pid], s_index[sid]] = True
        return cls(participants, statements, values, voted)


@dataclass(frozen=True)
class GroupTally:
    """Vote counts of one group (a delegation, or all observers) on one statement.

    ``voted = agree + disagree + passes``; ``p_agree = (agree + 1) / (voted + 2)``,
    which is strictly between 0 and 1 and equals 0.5 when nobody voted.
    """

    group: str
    agree: int
    disagree: int
    passes: int
    voted: int
    p_agree: float

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (the pass count is under the key ``"pass"``)."""
        return {
            "agree": self.agree,
            "disagree": self.disagree,
            "pass": self.passes,
            "voted": self.voted,
            "p_agree": self.p_agree,
        }

    @classmethod
    def from_json_dict(cls, group: str, data: Mapping[str, Any]) -> GroupTally:
        """The tally :meth:`to_json_dict` wrote for `group`."""
        return cls(
            group,
            int(data["agree"]),
            int(data["disagree"]),
            int(data["pass"]),
            int(data["voted"]),
            float(data["p_agree"]),
        )


@dataclass(frozen=True)
class StatementResult:
    """Per-statement outcome.

    Attributes:
        statement_id: the statement.
        groups: one :class:`GroupTally` per delegation, in delegation order.
        tier: the consensus tier (see :func:`analyse`).
        label: human summary with exact counts, e.g.
            ``"USA 3/3 agree, CHN 2/3 (1 disagree), RUS 3/3"``: agreeing / voted per
            delegation, with disagreements and passes in parentheses when present and
            ``"no votes"`` for a delegation that did not vote.
        pass_rate: total passes / total votes over delegations (0.0 if nobody voted).
        min_p: ``min_d P_d``, the primary common-ground score.
        geo_mean_p: geometric mean over delegations of ``P_d``, the tie-breaker.
    """

    statement_id: str
    groups: tuple[GroupTally, ...]
    tier: Tier
    label: str
    pass_rate: float
    min_p: float
    geo_mean_p: float

    def group(self, delegation: str) -> GroupTally:
        """The tally of one delegation; ``KeyError`` if it is not a delegation."""
        for tally in self.groups:
            if tally.group == delegation:
                return tally
        raise KeyError(delegation)

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return {
            "statement_id": self.statement_id,
            "tier": self.tier,
            "label": self.label,
            "pass_rate": self.pass_rate,
            "min_p": self.min_p,
            "geo_mean_p": self.geo_mean_p,
            "groups": {t.group: t.to_json_dict() for t in self.groups},
        }

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any]) -> StatementResult:
        """The result :meth:`to_json_dict` wrote (groups in the written order)."""
        return cls(
            statement_id=str(data["statement_id"]),
            groups=tuple(GroupTally.from_json_dict(g, t) for g, t in data["groups"].items()),
            tier=_tier(data["tier"]),
            label=str(data["label"]),
            pass_rate=float(data["pass_rate"]),
            min_p=float(data["min_p"]),
            geo_mean_p=float(data["geo_mean_p"]),
        )


@dataclass(frozen=True)
class DivisiveEntry:
    """The delegation that stands furthest from the others on one statement.

    ``gap = |p_delegation - p_rest|`` where ``p_rest = (A_rest + 1) / (S_rest + 2)``
    pools the votes of *all other delegations* (observers excluded) with the same
    smoothing as ``P_d``. ``direction`` is ``"agrees-more"`` if the delegation agrees
    more than the rest, ``"agrees-less"`` if less, ``"same"`` if the gap is zero.
    """

    statement_id: str
    delegation: str
    direction: Direction
    gap: float
    p_delegation: float
    p_rest: float
    tier: Tier

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict: the fields by name."""
        return asdict(self)

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any]) -> DivisiveEntry:
        """The entry :meth:`to_json_dict` wrote."""
        direction = data["direction"]
        if direction not in ("agrees-more", "agrees-less", "same"):
            raise ValueError(f"unknown direction {direction!r}")
        return cls(
            statement_id=str(data["statement_id"]),
            delegation=str(data["delegation"]),
            direction=direction,
            gap=float(data["gap"]),
            p_delegation=float(data["p_delegation"]),
            p_rest=float(data["p_rest"]),
            tier=_tier(data["tier"]),
        )


@dataclass(frozen=True)
class SplitEntry:
    """A statement on which one delegation's own members are split.

    ``measure = min(agree, disagree) / voted``; it is 0 when the delegation is
    unanimous either way and at most 1/2 (an even agree/disagree split with no passes).
    """

    statement_id: str
    agree: int
    disagree: int
    passes: int
    voted: int
    measure: float

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (the pass count is under the key ``"pass"``)."""
        return {
            "statement_id": self.statement_id,
            "agree": self.agree,
            "disagree": self.disagree,
            "pass": self.passes,
            "voted": self.voted,
            "measure": self.measure,
        }

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any]) -> SplitEntry:
        """The entry :meth:`to_json_dict` wrote."""
        return cls(
            str(data["statement_id"]),
            int(data["agree"]),
            int(data["disagree"]),
            int(data["pass"]),
            int(data["voted"]),
            float(data["measure"]),
        )


def _empty_splits() -> Mapping[str, tuple[SplitEntry, ...]]:
    return MappingProxyType({})


def _tier(value: object) -> Tier:
    if value not in TIERS:
        raise ValueError(f"unknown tier {value!r}")
    return value


@dataclass(frozen=True)
class CommonGround:
    """Result of :func:`analyse`.

    Attributes:
        delegations: delegation labels, in the order used everywhere below.
        per_statement: one :class:`StatementResult` per statement, in matrix order.
        common_ground: ids of all statements except ``insufficient`` ones, best
            common ground first (see :func:`analyse` for the ordering).
        divisive: one :class:`DivisiveEntry` per statement that has an eligible
            delegation, most divisive first.
        splits: delegation -> statements on which it is internally split, most split
            first. Every delegation is a key, possibly with an empty tuple.
        observers: the observers' tally per statement (group label ``"observers"``),
            in matrix order; all zeros when there are no observers.
        n_observers: how many matrix rows are observers.
        pass_threshold: the threshold used for the ``uncertain`` tier.
    """

    delegations: tuple[str, ...]
    per_statement: tuple[StatementResult, ...]
    common_ground: tuple[str, ...]
    divisive: tuple[DivisiveEntry, ...]
    splits: Mapping[str, tuple[SplitEntry, ...]] = field(default_factory=_empty_splits)
    observers: tuple[GroupTally, ...] = ()
    n_observers: int = 0
    pass_threshold: float = 0.2

    @property
    def tiers(self) -> dict[Tier, list[str]]:
        """Tier -> statement ids in matrix order; every tier is a key.

        The lists partition the statements: each statement is in exactly one.
        """
        out: dict[Tier, list[str]] = {t: [] for t in TIERS}
        for result in self.per_statement:
            out[result.tier].append(result.statement_id)
        return out

    def statement(self, statement_id: str) -> StatementResult:
        """The result for one statement; ``KeyError`` if unknown."""
        for result in self.per_statement:
            if result.statement_id == statement_id:
                return result
        raise KeyError(statement_id)

    def to_json_dict(self) -> dict[str, Any]:
        """JSON-ready dict with keys ``delegations``, ``tiers``, ``common_ground``,
        ``divisive``, ``splits``, ``per_statement`` and ``observers``.

        Contains only str, int, finite float, list and dict, so it can be dumped
        with ``json.dumps(..., allow_nan=False)``.
        """
        return {
            "delegations": list(self.delegations),
            "tiers": {t: ids for t, ids in self.tiers.items()},
            "common_ground": list(self.common_ground),
            "divisive": [e.to_json_dict() for e in self.divisive],
            "splits": {
                d: [e.to_json_dict() for e in self.splits.get(d, ())] for d in self.delegations
            },
            "per_statement": [r.to_json_dict() for r in self.per_statement],
            "observers": {
                "count": self.n_observers,
                "per_statement": [
                    {"statement_id": sid, **t.to_json_dict()}
                    for sid, t in zip(
                        (r.statement_id for r in self.per_statement), self.observers, strict=True
                    )
                ],
            },
        }

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any], pass_threshold: float = 0.2) -> CommonGround:
        """The result :meth:`to_json_dict` wrote, so that a reader of a record sees the same
        type the analysis returned. The document does not keep the pass threshold; it is
        `pass_threshold` (the analysis default unless the caller knows better)."""
        observers = data["observers"]
        return cls(
            delegations=tuple(str(d) for d in data["delegations"]),
            per_statement=tuple(StatementResult.from_json_dict(r) for r in data["per_statement"]),
            common_ground=tuple(str(s) for s in data["common_ground"]),
            divisive=tuple(DivisiveEntry.from_json_dict(e) for e in data["divisive"]),
            splits=MappingProxyType(
                {
                    str(d): tuple(SplitEntry.from_json_dict(e) for e in entries)
                    for d, entries in data["splits"].items()
                }
            ),
            observers=tuple(
                GroupTally.from_json_dict("observers", t) for t in observers["per_statement"]
            ),
            n_observers=int(observers["count"]),
            pass_threshold=pass_threshold,
        )


def _resolve_groups(
    matrix: VoteMatrix,
    groups: Mapping[str, str | None],
    delegations: Sequence[str] | None,
) -> tuple[tuple[str, ...], NDArray[np.intp]]:
    """Validate the mapping; return delegation order and a row -> group index array.

    The index array holds ``-1`` for observers.
    """
    participants = tuple(matrix.participants)
    missing = [p for p in participants if p not in groups]
    if missing:
        raise ConsensusInputError(
            f"participants without a group entry (use None for observers): {_preview(missing)}"
        )
    bad_labels = {
        repr(g) for g in groups.values() if g is not None and (not isinstance(g, str) or not g)
    }
    if bad_labels:
        raise ConsensusInputError(
            f"group labels must be non-empty strings or None: {', '.join(sorted(bad_labels))}"
        )
    labels = {g for g in groups.values() if g is not None}
    if delegations is None:
        order = tuple(sorted(labels))
    else:
        order = _check_ids("delegation", delegations)
        undeclared = labels - set(order)
        if undeclared:
            raise ConsensusInputError(
                f"group labels not among the declared delegations: {_preview(undeclared)}"
            )
    if len(order) < 2:
        raise ConsensusInputError(
            f"need at least two delegations to find common ground, got {len(order)}"
            + (f" ({order[0]!r})" if order else "")
        )
    index = {d: k for k, d in enumerate(order)}
    rows = np.array(
        [-1 if groups[p] is None else index[str(groups[p])] for p in participants],
        dtype=np.intp,
    )
    sizes = np.bincount(rows[rows >= 0], minlength=len(order))
    empty = [order[k] for k in np.flatnonzero(sizes == 0)]
    if empty:
        raise ConsensusInputError(
            f"delegations with no members in the vote matrix: {_preview(empty)}"
        )
    return order, rows


def _label(tallies: Sequence[GroupTally]) -> str:
    parts: list[str] = []
    said_agree = False
    for t in tallies:
        if t.voted == 0:
            parts.append(f"{t.group} no votes")
            continue
        text = f"{t.group} {t.agree}/{t.voted}"
        if not said_agree:
            text += " agree"
            said_agree = True
        extra = []
        if t.disagree:
            extra.append(f"{t.disagree} disagree")
        if t.passes:
            extra.append(f"{t.passes} pass")
        if extra:
            text += f" ({', '.join(extra)})"
        parts.append(text)
    return ", ".join(parts)


def _check_fraction(name: str, value: float, *, low_open: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConsensusInputError(f"{name} must be a number, got {value!r}")
    v = float(value)
    if not (math.isfinite(v) and low_open < v <= high):
        raise ConsensusInputError(f"{name} must be in ({low_open}, {high}], got {value!r}")
    return v


def analyse(
    matrix: VoteMatrix,
    groups: Mapping[str, str | None],
    *,
    pass_threshold: float = 0.2,
    split_threshold: float = 1 / 3,
    min_votes: int = 1,
    delegations: Sequence[str] | None = None,
) -> CommonGround:
    """Delegation-aware common ground, divisive statements and splits.

    Args:
        matrix: the votes.
        groups: participant id -> delegation label, or ``None`` for an observer.
            Every matrix participant must have an entry; extra entries (people who
            are on the roster but not in the matrix) are allowed and ignored, but
            their labels still declare a delegation (see "Errors").
        pass_threshold: the ``uncertain`` tier applies when the delegations' overall
            pass rate is ``>=`` this; in (0, 1].
        split_threshold: a delegation is split on a statement when
            ``min(A_d, D_d) / S_d >=`` this; in (0, 1/2]. With the default 1/3 a
            2-agree/1-disagree delegation of three counts as split.
        min_votes: a delegation with fewer than this many votes on a statement makes
            that statement ``insufficient``; at least 1.
        delegations: the delegation labels, in the order used for labels and results.
            Defaults to the sorted distinct non-None labels of ``groups``.

    Tiers, with ``S = sum_d S_d`` and ``K = sum_d K_d`` over delegations only, are
    assigned by the first rule that matches, in this precedence order:

    1. ``insufficient``: some delegation has ``S_d < min_votes`` (by default: some
       delegation cast no vote at all). Nothing can be said about cross-delegation
       agreement, so this overrides everything.
    2. ``unanimous``: ``A_d = S_d`` for every delegation (every voter agreed; a pass
       breaks unanimity).
    3. ``majority``: ``2 A_d > S_d`` for every delegation (strict majority agrees; a
       tie is not a majority).
    4. ``uncertain``: ``K / S >= pass_threshold``. Checked *after* the agreeing tiers
       on purpose: a majority of every delegation agreeing is a positive finding even
       if others passed, but when no such finding exists, many passes mean the
       disagreement (or neutrality) may be an information gap rather than a real
       divide, and it is reported as such instead of as ``one-neutral``/``divided``.
    5. ``one-neutral``: exactly one delegation lacks a majority agreeing, and it is
       neutral: neither ``2 A_d > S_d`` nor ``2 D_d > S_d``.
    6. ``divided``: everything else (some delegation majority-disagrees, or two or
       more are not agreeing).

    Common-ground ranking: statements that are not ``insufficient``, sorted by
    ``min_d P_d`` descending (the least convinced delegation decides), then by the
    geometric mean ``(prod_d P_d) ** (1/n)`` descending, then by statement id. The
    comparison is exact (rational arithmetic on the counts), so equal count profiles
    always tie and the id decides deterministically.

    Divisive ranking: for each statement and each *eligible* delegation
    (``S_d >= min_votes`` and the other delegations cast at least one vote),
    ``gap_d = |P_d - P_rest|`` where ``P_rest = (A_rest + 1) / (S_rest + 2)`` pools
    all other delegations. The statement's entry is the delegation with the largest
    gap (earlier delegation on an exact tie); entries are sorted by gap descending,
    then statement id. Statements with no eligible delegation are omitted.

    Splits: for each delegation, statements with ``S_d > 0`` and
    ``min(A_d, D_d) / S_d >= split_threshold`` (so both agree and disagree are
    present), sorted by that measure descending, then statement id.

    Observers (group ``None``) are tallied per statement with the same formulas under
    the group label ``"observers"`` and never enter any delegation figure or tier.

    Errors: :class:`ConsensusInputError` if the matrix has a single participant, a
    participant has no group entry, a label is not a non-empty string, fewer than two
    delegations exist, a delegation has no member in the matrix, a group label is not
    among explicitly given ``delegations``, or an option is out of range.

    Complexity: O(participants x statements x delegations) in numpy, plus
    O(statements x delegations) Python work; 2000 x 200 with 3 delegations takes a
    few milliseconds.
    """
    pass_thr, split_thr = _check_options(matrix, pass_threshold, split_threshold, min_votes)
    order, rows = _resolve_groups(matrix, groups, delegations)
    statements = tuple(matrix.statements)
    counts = _count_votes(matrix, rows, len(order))
    tiers, pass_rate, insufficient = _tiers(counts, min_votes, pass_thr)
    results = _statement_results(statements, order, counts, tiers, pass_rate)
    return CommonGround(
        delegations=order,
        per_statement=results,
        common_ground=_common_ground_order(statements, counts, insufficient),
        divisive=_divisive(statements, order, counts, results, min_votes),
        splits=MappingProxyType(_splits(statements, order, counts, split_thr)),
        observers=_observer_tallies(counts),
        n_observers=counts.n_observers,
        pass_threshold=pass_thr,
    )


def _check_options(
    matrix: VoteMatrix, pass_threshold: float, split_threshold: float, min_votes: int
) -> tuple[float, float]:
    """The pass and split thresholds as floats, after checking every option of :func:`analyse`
    and that the matrix has at least two participants."""
    pass_thr = _check_fraction("pass_threshold", pass_threshold, low_open=0.0, high=1.0)
    split_thr = _check_fraction("split_threshold", split_threshold, low_open=0.0, high=0.5)
    if isinstance(min_votes, bool) or not isinstance(min_votes, numbers.Integral) or min_votes < 1:
        raise ConsensusInputError(f"min_votes must be an integer >= 1, got {min_votes!r}")
    if len(matrix.participants) < 2:
        raise ConsensusInputError(
            "need at least two participants (one per delegation) to find common ground, "
            f"got {len(matrix.participants)}"
        )
    return pass_thr, split_thr


@dataclass(frozen=True)
class _Counts:
    """The vote counts of every delegation (rows, in delegation order) on every statement
    (columns), the observers' counts per statement, and the same counts as nested lists for
    the exact (rational) comparisons, which loop in Python."""

    agree: NDArray[np.int64]
    disagree: NDArray[np.int64]
    passes: NDArray[np.int64]
    voted: NDArray[np.int64]
    observers: NDArray[np.int64]
    """(3, statements): the observers' agree, disagree and pass counts."""
    n_observers: int

    @property
    def p(self) -> NDArray[np.float64]:
        """``P_d`` of every delegation and statement (add-one smoothing)."""
        p: NDArray[np.float64] = (self.agree + 1) / (self.voted + 2)
        return p

    def lists(self) -> tuple[list[list[int]], ...]:
        """Agree, disagree, pass and voted counts as nested lists [group][statement]."""
        return (
            self.agree.tolist(),
            self.disagree.tolist(),
            self.passes.tolist(),
            self.voted.tolist(),
        )


def _count_votes(matrix: VoteMatrix, rows: NDArray[np.intp], n_groups: int) -> _Counts:
    """Counts by one (groups + observers) x participants one-hot matrix times a participants x
    statements 0/1 matrix per vote kind. A BLAS float product is exact here: every partial sum
    is an integer below 2**24 (float32) or 2**53."""
    obs_rows = rows < 0
    member_idx = np.where(obs_rows, n_groups, rows)  # observers are the last row
    ftype = np.float32 if len(rows) < 2**24 else np.float64
    member = (member_idx[None, :] == np.arange(n_groups + 1)[:, None]).astype(ftype)
    values = matrix.values
    voted = matrix.mask
    agree_all, disagree_all, passes_all = (
        np.rint(member @ kind.astype(ftype)).astype(np.int64)  # (groups + 1, statements)
        for kind in (values == AGREE, values == DISAGREE, voted & (values == PASS))
    )
    agree, disagree, passes = agree_all[:-1], disagree_all[:-1], passes_all[:-1]
    return _Counts(
        agree=agree,
        disagree=disagree,
        passes=passes,
        voted=agree + disagree + passes,
        observers=np.stack([agree_all[-1], disagree_all[-1], passes_all[-1]]),
        n_observers=int(obs_rows.sum()),
    )


def _tiers(
    counts: _Counts, min_votes: int, pass_thr: float
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.bool_]]:
    """Each statement's tier (an index into :data:`TIERS`) by the precedence rules of
    :func:`analyse`, its pass rate over the delegations, and whether it is insufficient."""
    agree, n_voted = counts.agree, counts.voted
    maj_agree = 2 * agree > n_voted
    maj_disagree = 2 * counts.disagree > n_voted
    not_agreeing = ~maj_agree
    total_voted = n_voted.sum(axis=0)
    total_pass = counts.passes.sum(axis=0)
    pass_rate: NDArray[np.float64] = np.divide(
        total_pass,
        total_voted,
        out=np.zeros(n_voted.shape[1], dtype=np.float64),
        where=total_voted > 0,
    )
    insufficient: NDArray[np.bool_] = np.asarray((n_voted < min_votes).any(axis=0))
    unanimous = (agree == n_voted).all(axis=0) & ~insufficient
    majority = maj_agree.all(axis=0) & ~insufficient & ~unanimous
    decided = insufficient | unanimous | majority
    # Compare the correctly rounded ratio, not K >= thr * S: K/S equals the double
    # nearest to the rational, so 1/5 >= 0.2 holds exactly as a user would expect.
    uncertain = (total_voted > 0) & (pass_rate >= pass_thr) & ~decided
    decided |= uncertain
    one_neutral = (
        (not_agreeing.sum(axis=0) == 1) & ~(not_agreeing & maj_disagree).any(axis=0) & ~decided
    )
    tier_codes = np.full(n_voted.shape[1], TIERS.index("divided"), dtype=np.intp)
    for name, mask in (
        ("insufficient", insufficient),
        ("unanimous", unanimous),
        ("majority", majority),
        ("uncertain", uncertain),
        ("one-neutral", one_neutral),
    ):
        tier_codes[mask] = TIERS.index(name)
    return tier_codes, pass_rate, insufficient


def _statement_results(
    statements: tuple[str, ...],
    order: tuple[str, ...],
    counts: _Counts,
    tier_codes: NDArray[np.intp],
    pass_rate: NDArray[np.float64],
) -> tuple[StatementResult, ...]:
    """One :class:`StatementResult` per statement, in matrix order (Python over statements x
    delegations only)."""
    p = counts.p
    min_p = p.min(axis=0)
    geo_mean = np.exp(np.log(p).mean(axis=0))
    a_l, d_l, k_l, s_l = counts.lists()
    p_l = p.tolist()
    results: list[StatementResult] = []
    for j, sid in enumerate(statements):
        tallies = tuple(
            GroupTally(order[g], a_l[g][j], d_l[g][j], k_l[g][j], s_l[g][j], p_l[g][j])
            for g in range(len(order))
        )
        results.append(
            StatementResult(
                statement_id=sid,
                groups=tallies,
                tier=TIERS[int(tier_codes[j])],
                label=_label(tallies),
                pass_rate=float(pass_rate[j]),
                min_p=float(min_p[j]),
                geo_mean_p=float(geo_mean[j]),
            )
        )
    return tuple(results)


def _common_ground_order(
    statements: tuple[str, ...], counts: _Counts, insufficient: NDArray[np.bool_]
) -> tuple[str, ...]:
    """The statements that are not insufficient, best common ground first: by ``min_d P_d``,
    then the product of ``P_d`` (the geometric mean's order), then id. Exact rational keys, so
    equal count profiles tie exactly and the id decides."""
    a_l, _, _, s_l = counts.lists()
    n_groups = len(a_l)

    def key(j: int) -> tuple[Fraction, Fraction, str]:
        ps = [Fraction(a_l[g][j] + 1, s_l[g][j] + 2) for g in range(n_groups)]
        return (-min(ps), -math.prod(ps, start=Fraction(1)), statements[j])

    return tuple(statements[j] for j in sorted(np.flatnonzero(~insufficient).tolist(), key=key))


def _divisive(
    statements: tuple[str, ...],
    order: tuple[str, ...],
    counts: _Counts,
    results: tuple[StatementResult, ...],
    min_votes: int,
) -> tuple[DivisiveEntry, ...]:
    """For each statement, the eligible delegation furthest from the pooled rest (exact
    rational gaps; the earlier delegation on a tie), most divisive first, then by id."""
    agree, n_voted = counts.agree, counts.voted
    rest_agree = agree.sum(axis=0)[None, :] - agree
    rest_voted = n_voted.sum(axis=0)[None, :] - n_voted
    p_rest = (rest_agree + 1) / (rest_voted + 2)
    eligible = (n_voted >= min_votes) & (rest_voted >= 1)
    a_l, _, _, s_l = counts.lists()
    p_l = counts.p.tolist()
    ra_l, rs_l, pr_l = rest_agree.tolist(), rest_voted.tolist(), p_rest.tolist()
    scored: list[tuple[Fraction, str, DivisiveEntry]] = []
    for j in np.flatnonzero(eligible.any(axis=0)).tolist():
        best: tuple[Fraction, int, Fraction] | None = None
        for g in range(len(order)):
            if not eligible[g, j]:
                continue
            diff = Fraction(a_l[g][j] + 1, s_l[g][j] + 2) - Fraction(ra_l[g][j] + 1, rs_l[g][j] + 2)
            if best is None or abs(diff) > best[0]:
                best = (abs(diff), g, diff)
        assert best is not None  # the statement has an eligible delegation
        gap, g, diff = best
        direction: Direction = "agrees-more" if diff > 0 else "agrees-less" if diff < 0 else "same"
        entry = DivisiveEntry(
            statement_id=statements[j],
            delegation=order[g],
            direction=direction,
            gap=float(gap),
            p_delegation=p_l[g][j],
            p_rest=pr_l[g][j],
            tier=results[j].tier,
        )
        scored.append((-gap, statements[j], entry))
    scored.sort(key=lambda t: (t[0], t[1]))
    return tuple(e for _, _, e in scored)


def _splits(
    statements: tuple[str, ...], order: tuple[str, ...], counts: _Counts, split_thr: float
) -> dict[str, tuple[SplitEntry, ...]]:
    """Delegation -> the statements its own members are split on, most split first, then id."""
    n_voted = counts.voted
    smaller = np.minimum(counts.agree, counts.disagree)
    measure = np.divide(
        smaller, n_voted, out=np.zeros(n_voted.shape, dtype=np.float64), where=n_voted > 0
    )
    is_split = (n_voted > 0) & (measure >= split_thr)
    a_l, d_l, k_l, s_l = counts.lists()
    m_l = measure.tolist()
    splits: dict[str, tuple[SplitEntry, ...]] = {}
    for g, d in enumerate(order):
        js = sorted(
            np.flatnonzero(is_split[g]).tolist(),
            key=lambda j: (-Fraction(min(a_l[g][j], d_l[g][j]), s_l[g][j]), statements[j]),
        )
        splits[d] = tuple(
            SplitEntry(statements[j], a_l[g][j], d_l[g][j], k_l[g][j], s_l[g][j], m_l[g][j])
            for j in js
        )
    return splits


def _observer_tallies(counts: _Counts) -> tuple[GroupTally, ...]:
    """The observers' tally per statement, in matrix order, under the label "observers"."""
    obs_voted = counts.observers.sum(axis=0)
    obs_p = (counts.observers[0] + 1) / (obs_voted + 2)
    oa, od, ok = (c.tolist() for c in counts.observers)
    ov, op = obs_voted.tolist(), obs_p.tolist()
    return tuple(GroupTally("observers", oa[j], od[j], ok[j], ov[j], op[j]) for j in range(len(ov)))
