"""Load a meeting folder: `meeting.yaml` (required) and `delegations.yaml` (profiles, optional).

The loader validates the schema, then the cross-references the schema cannot see (a person's
delegation exists, ids are unique, a presentation slot names a delegation that is present). Every
problem is an :class:`~detente.diagnostics.InputError` with file, line, column and field path.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from detente.diagnostics import Diagnostic, InputError, PathPart
from detente.meeting.model import Item, ItemKind, Meeting, Role, with_item_ids
from detente.seats.profiles import Profiles
from detente.sourcefile import SourceFile, duplicates, keyed, load_model
from detente.text import language_keys, match_language, unknown_language

MEETING_FILE = "meeting.yaml"
PROFILES_FILE = "delegations.yaml"


@dataclass(frozen=True)
class MeetingFolder:
    """A loaded meeting folder. `profiles` is None when the folder declares none."""

    root: Path
    meeting: Meeting
    source: SourceFile
    profiles: Profiles | None = None
    profiles_source: SourceFile | None = None

    @property
    def name(self) -> str:
        return self.root.resolve().name


def check_references(meeting: Meeting, source: SourceFile) -> list[Diagnostic]:
    """Errors the schema cannot express: unknown references, duplicate ids, missing times."""
    pos = source.positions
    diags: list[Diagnostic] = []
    delegation_ids = {d.id for d in meeting.delegations}
    diags += duplicates(source, keyed(("delegations",), meeting.delegations), "delegation id")
    diags += duplicates(source, keyed(("people",), meeting.people), "person id")
    objectives = keyed(("meeting", "objectives"), meeting.meeting.objectives)
    diags += duplicates(source, objectives, "objective id")
    diags += _check_people(meeting, source, delegation_ids)
    diags += check_languages(meeting, source)
    for d in meeting.delegations:
        if not meeting.members(d.id):
            idx = meeting.delegations.index(d)
            diags.append(
                pos.diagnostic(("delegations", idx), f"delegation '{d.id}' has no delegates")
            )
    start, end = meeting.meeting.start_date, meeting.meeting.end_date
    if end < start:
        diags.append(pos.diagnostic(("meeting", "end_date"), "end_date is before start_date"))
    diags += _check_programme(meeting, source, delegation_ids)
    return diags


def _check_people(
    meeting: Meeting, source: SourceFile, delegation_ids: set[str]
) -> list[Diagnostic]:
    """Each person's delegation exists and fits the role (delegates have one, nobody else
    does); only observers set `votes`."""
    pos = source.positions
    diags: list[Diagnostic] = []
    for i, person in enumerate(meeting.people):
        path: tuple[PathPart, ...] = ("people", i, "delegation")
        if person.delegation is not None and person.delegation not in delegation_ids:
            diags.append(
                pos.diagnostic(path, _unknown("delegation", person.delegation, delegation_ids))
            )
        if person.role is Role.DELEGATE and person.delegation is None:
            diags.append(pos.diagnostic(("people", i), "a delegate needs a 'delegation'"))
        if person.role is not Role.DELEGATE and person.delegation is not None:
            diags.append(
                pos.diagnostic(path, f"{article(person.role.value)} belongs to no delegation")
            )
        if person.votes is not None and person.role is not Role.OBSERVER:
            diags.append(
                pos.diagnostic(
                    ("people", i, "votes"),
                    "only an observer may set 'votes' (delegates always vote, facilitators never)",
                )
            )
    return diags


def _check_programme(
    meeting: Meeting, source: SourceFile, delegation_ids: set[str]
) -> list[Diagnostic]:
    """Each day lies within the meeting's dates; each item keeps its rules and names known
    delegations; item ids and question or step ids are unique."""
    pos = source.positions
    diags: list[Diagnostic] = []
    start, end = meeting.meeting.start_date, meeting.meeting.end_date
    item_ids: list[tuple[tuple[PathPart, ...], str]] = []
    question_ids: list[tuple[tuple[PathPart, ...], str]] = []
    for di, day in enumerate(meeting.programme):
        if not start <= day.date <= end:
            diags.append(
                pos.diagnostic(
                    ("programme", di, "date"),
                    f"{day.date} is outside the meeting's dates ({start} to {end})",
                )
            )
        for ii, item in enumerate(day.items):
            base: tuple[PathPart, ...] = ("programme", di, "items", ii)
            if item.id is not None:
                item_ids.append(((*base, "id"), item.id))
            diags += _item_rules(item, base, source)
            for pi, part in enumerate(item.parts):
                if part.delegation is not None and part.delegation not in delegation_ids:
                    diags.append(
                        pos.diagnostic(
                            (*base, "parts", pi, "delegation"),
                            _unknown("delegation", part.delegation, delegation_ids),
                        )
                    )
            for qi, q in enumerate(item.questions):
                question_ids.append(((*base, "questions", qi, "id"), q.id))
            for si, s in enumerate(item.steps):
                question_ids.append(((*base, "steps", si, "id"), s.id))
    diags += duplicates(source, item_ids, "item id")
    diags += duplicates(source, question_ids, "question or step id")
    return diags


def check_languages(meeting: Meeting, source: SourceFile) -> list[Diagnostic]:
    """Every language the file uses is one of `meeting.languages`: translations of its texts,
    a delegation's or a person's `language`."""
    pos = source.positions
    declared = meeting.meeting.languages
    listed = ", ".join(declared)
    diags = [
        pos.diagnostic(path, unknown_language(code, declared), key=True)
        for path, code in language_keys(meeting, declared)
    ]
    speakers: list[tuple[tuple[PathPart, ...], str]] = []
    speakers += [
        (("delegations", i, "language"), d.language) for i, d in enumerate(meeting.delegations)
    ]
    speakers += [(("people", i, "language"), p.language) for i, p in enumerate(meeting.people)]
    for path, code in speakers:
        if match_language(code, declared) is None:
            diags.append(
                pos.diagnostic(
                    path,
                    f"language '{code}' is not one of the meeting's languages ({listed}); "
                    "add it to meeting.languages, or documents for it fall back to English",
                )
            )
    return diags


def _item_rules(item: Item, base: tuple[PathPart, ...], source: SourceFile) -> list[Diagnostic]:
    """Which times and numbers an item needs, by kind."""
    pos = source.positions
    item_kind = item.kind
    out = []
    if item_kind is not ItemKind.ARRIVAL and item.start is None:
        out.append(
            pos.diagnostic((*base, "start"), f"{article(item_kind.value)} item needs a start time")
        )
    if item_kind in {ItemKind.SESSION, ItemKind.BREAK, ItemKind.REMARKS} and item.end is None:
        out.append(
            pos.diagnostic((*base, "end"), f"{article(item_kind.value)} item needs an end time")
        )
    if item_kind is ItemKind.SESSION and item.session is None:
        out.append(pos.diagnostic(base, "a session needs its 'session' number"))
    if item_kind is not ItemKind.SESSION and item.session is not None:
        out.append(pos.diagnostic((*base, "session"), "only sessions carry a session number"))
    return out


def article(word: str) -> str:
    """`word` with its indefinite article: "an observer", "an arrival", "a session"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def _unknown(what: str, value: str, known: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(sorted(known))})"
    return f"unknown {what} '{value}'{hint}"


def check_profiles(meeting: Meeting, profiles: Profiles, source: SourceFile) -> list[Diagnostic]:
    """A profile names a delegation of the meeting and only declared dimensions."""
    pos = source.positions
    delegation_ids = {d.id for d in meeting.delegations}
    dims = set(profiles.dimension_ids)
    diags: list[Diagnostic] = []
    by_delegation = keyed(("profiles",), profiles.profiles, "delegation")
    diags += duplicates(source, by_delegation, "profile for delegation")
    for i, profile in enumerate(profiles.profiles):
        if profile.delegation not in delegation_ids:
            diags.append(
                pos.diagnostic(
                    ("profiles", i, "delegation"),
                    _unknown("delegation", profile.delegation, delegation_ids),
                )
            )
        for dim in profile.interests:
            if dim not in dims:
                diags.append(
                    pos.diagnostic(
                        ("profiles", i, "interests", dim),
                        _unknown("dimension", dim, dims),
                        key=True,
                    )
                )
        for pi, position in enumerate(profile.positions):
            for di, dim in enumerate(position.dimensions):
                if dim not in dims:
                    diags.append(
                        pos.diagnostic(
                            ("profiles", i, "positions", pi, "dimensions", di),
                            _unknown("dimension", dim, dims),
                        )
                    )
    return diags


def load_meeting(root: Path) -> MeetingFolder:
    """Load and check a meeting folder; raise :class:`InputError` listing every error found."""
    root = Path(root)
    if not root.is_dir():
        raise InputError([Diagnostic(str(root), 0, 0, (), "not a meeting folder")])
    meeting, source = load_model(root / MEETING_FILE, Meeting)
    diags = check_references(meeting, source)
    profiles = profiles_source = None
    if (root / PROFILES_FILE).exists():
        profiles, profiles_source = load_model(root / PROFILES_FILE, Profiles)
        diags += check_profiles(meeting, profiles, profiles_source)
    if diags:
        raise InputError(diags)
    return MeetingFolder(root, with_item_ids(meeting), source, profiles, profiles_source)
