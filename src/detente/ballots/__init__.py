"""The ballot: one mechanism for everything the room answers member by member (votes on
statements, ratings of measures), configured once per kind. See :mod:`detente.ballots.ballot`."""

from detente.ballots.ballot import (
    BallotKind,
    Tally,
    collect,
    decode_or_raise,
    observer_ids,
    records_of,
    replayed,
    voter_ids,
)

__all__ = [
    "BallotKind",
    "Tally",
    "collect",
    "decode_or_raise",
    "observer_ids",
    "records_of",
    "replayed",
    "voter_ids",
]
