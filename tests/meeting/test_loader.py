"""Loading a meeting folder: every kind of bad input is an InputError located in the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from detente.diagnostics import InputError
from detente.meeting.loader import load_meeting
from detente.meeting.model import ItemKind, Role

Edit = Callable[[Path, Callable[[str], str]], Path]


def errors_of(folder: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_meeting(folder)
    return [str(d) for d in info.value.diagnostics]


def line_of(folder: Path, needle: str) -> int:
    text = (folder / "meeting.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(text, start=1) if needle in line)


def test_korea_example_loads_completely(korea: Path) -> None:
    folder = load_meeting(korea)
    m = folder.meeting
    assert m.meeting.timezone == "Europe/Istanbul"
    assert [d.id for d in m.delegations] == ["CHN", "RUS", "USA"]
    assert sum(p.role is Role.DELEGATE for p in m.people) == 9
    assert len(m.observers) == 2
    assert all(len(m.members(d.id)) == 3 for d in m.delegations)
    sessions = [it for _, it in m.items() if it.kind is ItemKind.SESSION]
    assert [s.session for s in sessions] == [1, 2, 3, 4, 5, 6, 7]
    assert len(m.item("session-2").questions) == 3
    assert len(m.item("session-3").questions) == 4
    assert len(m.item("session-6").steps) == 4
    assert [p.delegation for p in m.item("session-1").presentation_order] == ["CHN", "RUS", "USA"]
    assert len(m.meeting.objectives) == 2
    assert folder.profiles is not None
    assert {p.delegation for p in folder.profiles.profiles} == {"CHN", "RUS", "USA"}


def test_every_item_gets_a_unique_id(korea: Path, harbour: Path) -> None:
    for root in (korea, harbour):
        ids = [it.id for _, it in load_meeting(root).meeting.items()]
        assert None not in ids
        assert len(ids) == len(set(ids))


def test_bad_time_names_file_line_column_and_path(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(harbour, lambda t: t.replace('end: "10:00"', 'end: "10:70"', 1))
    line = line_of(folder, '"10:70"')
    (message,) = errors_of(folder)
    assert message == (
        f"meeting.yaml:{line}:14 programme[0].items[1].end: "
        "'10:70' is not a time (write HH:MM, 24-hour)"
    )


def test_yaml_syntax_error_is_located(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(harbour, lambda t: t.replace("  title: Baltic", "  title: [Baltic", 1))
    (message,) = errors_of(folder)
    assert message.startswith("meeting.yaml:")
    assert "YAML syntax" in message
    line = int(message.split(":")[1])
    assert line >= line_of(folder, "[Baltic")


def test_unknown_key_suggests_the_right_one(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(harbour, lambda t: t.replace("  organizer:", "  organiser:", 1))
    messages = errors_of(folder)
    line = line_of(folder, "organiser:")
    unknown = [m for m in messages if "unknown key" in m]
    assert unknown == [
        f"meeting.yaml:{line}:3 meeting.organiser: unknown key 'organiser' "
        "(did you mean 'organizer'?)"
    ]
    # the suggestion says what is wrong; a second "organizer: is required" would mislead
    assert not any("is required" in m for m in messages)


def test_wrong_type_is_reported_with_value(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(harbour, lambda t: t.replace("minutes: 10", "minutes: ten", 1))
    (message,) = errors_of(folder)
    assert "programme[0].items[1].parts[1].minutes: 'ten'" in message
    assert "integer" in message


def test_unknown_delegation_reference(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(
        harbour, lambda t: t.replace("delegation: KES\n", "delegation: KSE\n", 1)
    )
    (message,) = errors_of(folder)
    assert "people[2].delegation: unknown delegation 'KSE' (did you mean 'KES'?)" in message
    assert message.startswith(f"meeting.yaml:{line_of(folder, 'KSE')}:")


def test_unknown_delegation_in_presentation_order(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(
        harbour, lambda t: t.replace("            delegation: LOV", "            delegation: XXX")
    )
    (message,) = errors_of(folder)
    assert "programme[0].items[1].parts[2].delegation: unknown delegation 'XXX'" in message


def test_duplicate_ids(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(harbour, lambda t: t.replace("id: erik-sand", "id: ada-lind", 1))
    (message,) = errors_of(folder)
    assert "people[1].id: duplicate person id 'ada-lind' (first defined at line" in message


def test_empty_required_field(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(
        harbour, lambda t: t.replace("title: Baltic Harbour Safety Dialogue", 'title: ""', 1)
    )
    (message,) = errors_of(folder)
    assert "meeting.title: must not be empty" in message


def test_missing_start_for_a_session(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(harbour, lambda t: t.replace('        start: "10:00"\n', "", 1))
    (message,) = errors_of(folder)
    assert "programme[0].items[2].start: a session item needs a start time" in message


def test_unknown_time_zone(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(harbour, lambda t: t.replace("Europe/Warsaw", "Europe/Gdynia", 1))
    (message,) = errors_of(folder)
    assert "meeting.timezone: 'Europe/Gdynia' is not an IANA time zone" in message


def test_all_errors_are_reported_at_once(harbour: Path, edited_meeting: Edit) -> None:
    def edit(text: str) -> str:
        return text.replace('end: "10:00"', 'end: "25:00"', 1).replace("role: observer", "role: x")

    messages = errors_of(edited_meeting(harbour, edit))
    assert len(messages) == 2


def test_profile_with_undeclared_dimension(harbour: Path, tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "m"
    shutil.copytree(harbour, target)
    path = target / "delegations.yaml"
    text = path.read_text(encoding="utf-8")
    first_dim = text.split("interests:")[1].split(":")[0].strip()
    path.write_text(text.replace(f"{first_dim}:", "nonsense_dim:", 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_meeting(target)
    assert any("unknown dimension 'nonsense_dim'" in str(d) for d in info.value.diagnostics)
    assert all(d.file == "delegations.yaml" and d.line > 0 for d in info.value.diagnostics)


def test_missing_folder_and_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a meeting folder"):
        load_meeting(tmp_path / "nope")
    with pytest.raises(InputError, match="file not found"):
        load_meeting(tmp_path)


def test_an_observer_may_be_declared_non_voting(harbour: Path, edited_meeting: Edit) -> None:
    from detente.ballots import observer_ids

    folder = edited_meeting(
        harbour,
        lambda t: t.replace("    role: observer\n", "    role: observer\n    votes: false\n"),
    )
    meeting = load_meeting(folder).meeting
    assert [p.voting for p in meeting.observers] == [False]
    assert observer_ids(meeting) == ()
    assert observer_ids(load_meeting(harbour).meeting) == ("observer-1",)


def test_only_observers_set_votes(harbour: Path, edited_meeting: Edit) -> None:
    folder = edited_meeting(
        harbour,
        lambda t: t.replace("    role: facilitator\n", "    role: facilitator\n    votes: true\n"),
    )
    (message,) = errors_of(folder)
    assert "votes: only an observer may set 'votes'" in message


def test_an_observer_with_a_delegation_gets_the_right_article(
    harbour: Path, edited_meeting: Edit
) -> None:
    folder = edited_meeting(
        harbour,
        lambda t: t.replace("    role: observer\n", "    role: observer\n    delegation: PL\n"),
    )
    assert any("an observer belongs to no delegation" in m for m in errors_of(folder))


@pytest.mark.parametrize(
    ("zone", "hint"),
    [
        ("Europe/Warzaw", "did you mean 'Europe/Warsaw'?"),
        ("Bangkok", "did you mean 'Asia/Bangkok'?"),
        ("+03:00", "write an IANA name"),
    ],
)
def test_unknown_time_zone_suggests_a_near_zone(
    zone: str, hint: str, harbour: Path, edited_meeting: Edit
) -> None:
    folder = edited_meeting(
        harbour, lambda t: t.replace("timezone: Europe/Warsaw", f'timezone: "{zone}"')
    )
    (message,) = errors_of(folder)
    assert hint in message and "Istanbul" not in message
