"""MSEL spreadsheets: CSV/XLSX export, import with header detection and mapping, round trips,
located errors, and the `detente ttx msel` commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from pydantic import TypeAdapter
from typer.testing import CliRunner

from detente.cli import app
from detente.diagnostics import InputError
from detente.sourcefile import load_model, read_yaml
from detente.ttx.msel import (
    COLUMNS,
    csv_text,
    format_trigger,
    msel_yaml,
    parse_mapping,
    parse_trigger,
    read_csv,
    read_msel,
    read_xlsx,
    table,
    write_csv,
    write_xlsx,
    xlsx_workbook,
)
from detente.ttx.scenario import Inject, InjectType, Scenario, Text, Trigger

ROOT = Path(__file__).resolve().parents[2]
DRILL = ROOT / "tests" / "fixtures" / "msel" / "harbour-drill"
INJECTS = TypeAdapter(list[Inject])


def sample() -> list[Inject]:
    """A small MSEL with every column used, translations, and awkward text."""
    return [
        Inject.model_validate(
            {
                "number": 1,
                "move": 1,
                "scenario_time": dt.datetime(2025, 3, 4, 6, 30),
                "offset": 5,
                "method": "Radio, channel 16",
                "from": "Pilot station",
                "to": ["NRD", "KES"],
                "title": {"en": 'The "Aurora" runs aground', "zh": "“极光号”搁浅", "ru": "Авария"},
                "text": {
                    "en": "Line one, with a comma.\nLine two; a semicolon.",
                    "zh": "第一行，\n第二行",
                },
                "expected_action": "Alert the other harbour",
                "expected_actions": ["open-line", "close-port"],
                "objective": "alerting",
                "evaluator_notes": "Time the first call.",
                "contingency": False,
                "effects": "spill += 5\nchannel[NRD,KES] = 0",
            }
        ),
        Inject(
            number=2,
            move=1,
            offset=20,
            type=InjectType.FACILITATION,
            title=Text(en="Prompt"),
            text=Text(en="=ask who owns the alert list"),
            trigger=Trigger(after=1),
            contingency=True,
        ),
        Inject(
            number=3,
            type=InjectType.INFORMATION,
            title=Text(en="Press"),
            text=Text(en="Birds"),
            scenario_time=dt.datetime(2025, 3, 4, 9, 0, 0, 250_000, tzinfo=dt.UTC),
            trigger=Trigger(condition="spill > 30 and channel[NRD,KES] == 0"),
        ),
        Inject(
            number=4,
            move=2,
            title=Text(en="Tow"),
            text=Text(en="Tug requested"),
            trigger=Trigger(scheduled=True, after=3, condition="spill < 50"),
        ),
        Inject(
            number=5, title=Text(en="Held back"), text=Text(en="Only by hand"), trigger=Trigger()
        ),
    ]


# --- round trips ---------------------------------------------------------------------------------


def test_csv_round_trip_gives_identical_injects(tmp_path: Path) -> None:
    path = tmp_path / "msel.csv"
    write_csv(sample(), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for UTF-8
    assert read_csv(path) == sample()


def test_xlsx_round_trip_gives_identical_injects(tmp_path: Path) -> None:
    path = tmp_path / "msel.xlsx"
    write_xlsx(sample(), path)
    assert read_xlsx(path) == sample()


def test_yaml_block_reloads_to_identical_injects(tmp_path: Path) -> None:
    text = msel_yaml(sample())
    assert text.startswith("msel:\n")
    assert "to: [NRD, KES]" in text and "trigger:\n      scheduled: false\n" in text
    path = tmp_path / "block.yaml"
    path.write_text(text, encoding="utf-8")
    assert INJECTS.validate_python(read_yaml(path).data["msel"]) == sample()


def _clean(text: str) -> bool:
    return text == text.strip() and "\r" not in text


_chars = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn"), max_codepoint=0x2FFFF),
    st.sampled_from(list(",\";'\n= 中文俄语Привет“”«»")),
)
texts = st.text(_chars, min_size=1, max_size=30).filter(lambda s: _clean(s) and s != "")
maybe_texts = st.one_of(st.just(""), texts)
ids = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,6}", fullmatch=True)
conditions = texts.filter(lambda s: ";" not in s)
triggers = st.builds(
    Trigger,
    scheduled=st.booleans(),
    condition=st.none() | conditions,
    after=st.none() | st.integers(1, 500),
)
times = (
    st.none()
    | st.datetimes(dt.datetime(1800, 1, 1), dt.datetime(2200, 1, 1))
    | st.datetimes(dt.datetime(1950, 1, 1), dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC))
)


@st.composite
def inject_lists(draw: st.DrawFn) -> list[Inject]:
    numbers = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=5, unique=True))
    out = []
    for number in numbers:
        out.append(
            Inject.model_validate(
                {
                    "number": number,
                    "move": draw(st.none() | st.integers(1, 12)),
                    "scenario_time": draw(times),
                    "offset": draw(st.integers(0, 600)),
                    "type": draw(st.sampled_from(list(InjectType))),
                    "method": draw(maybe_texts),
                    "from": draw(maybe_texts),
                    "to": draw(st.lists(ids, min_size=1, max_size=3)),
                    "title": {"en": draw(texts), "zh": draw(st.none() | texts)},
                    "text": {"en": draw(texts), "ru": draw(st.none() | texts)},
                    "expected_action": draw(maybe_texts),
                    "expected_actions": draw(st.lists(ids, max_size=3)),
                    "objective": draw(st.none() | ids),
                    "evaluator_notes": draw(maybe_texts),
                    "trigger": draw(triggers),
                    "contingency": draw(st.booleans()),
                    "effects": draw(st.none() | texts),
                }
            )
        )
    return out


@settings(max_examples=60, deadline=None)
@given(injects=inject_lists())
def test_any_msel_round_trips_through_csv_xlsx_and_yaml(
    injects: list[Inject], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    write_csv(injects, folder / "m.csv")
    assert read_csv(folder / "m.csv") == injects
    write_xlsx(injects, folder / "m.xlsx")
    assert read_xlsx(folder / "m.xlsx") == injects
    (folder / "m.yaml").write_text(msel_yaml(injects), encoding="utf-8")
    assert INJECTS.validate_python(read_yaml(folder / "m.yaml").data["msel"]) == injects


# --- triggers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "text"),
    [
        (Trigger(scheduled=True), "scheduled"),
        (Trigger(condition="a > 1"), "when: a > 1"),
        (Trigger(after=7), "after: 7"),
        (Trigger(scheduled=True, after=2, condition="x == 0"), "scheduled; after: 2; when: x == 0"),
        (Trigger(), "manual"),
    ],
)
def test_trigger_text_both_ways(trigger: Trigger, text: str) -> None:
    assert format_trigger(trigger) == text
    assert parse_trigger(text) == trigger


def test_trigger_spellings_people_use() -> None:
    assert parse_trigger("After inject #4") == Trigger(after=4)
    assert parse_trigger("if: tension > 70 ; Scheduled") == Trigger(
        condition="tension > 70", scheduled=True
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("after: x", "needs an inject number"),
        ("when:", "needs a condition"),
        ("at dawn", "is not a trigger"),
        ("manual; after: 2", "cannot be combined"),
        ("after: 1; after: 2", "twice"),
    ],
)
def test_bad_trigger_text_says_what_to_write(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_trigger(text)


# --- export shape --------------------------------------------------------------------------------


def test_export_headings_are_the_conventional_ones_with_translation_columns() -> None:
    columns, rows = table(sample())
    headings = [c.heading for c in columns]
    assert headings[:9] == [c.heading for c in COLUMNS[:9]]
    assert headings[8:14] == [
        "Title",
        "Title [zh]",
        "Title [ru]",
        "Inject Text",
        "Inject Text [zh]",
        "Inject Text [ru]",
    ]
    assert rows[0][headings.index("Inject Text [ru]")] is None
    assert rows[1][headings.index("Trigger")] == "after: 1"
    assert rows[0][headings.index("To")] == "NRD, KES"


def test_one_language_export_falls_back_to_english() -> None:
    columns, rows = table(sample(), language="ru")
    headings = [c.heading for c in columns]
    assert "Title [ru]" in headings and "Title" not in headings and "Title [zh]" not in headings
    titles = [row[headings.index("Title [ru]")] for row in rows]
    assert titles[:2] == ["Авария", "Prompt"]


def test_scenario_languages_add_empty_columns_for_translators() -> None:
    injects = [Inject(number=1, title=Text(en="T"), text=Text(en="X"))]
    assert "Title [ru]" not in csv_text(injects).splitlines()[0]
    assert "Title [ru]" in csv_text(injects, languages=["en", "ru"]).splitlines()[0]


def test_xlsx_is_laid_out_for_the_control_cell() -> None:
    book = xlsx_workbook(sample())
    ws = book["MSEL"]
    headings = [c.value for c in ws[1]]
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("1F3864")
    assert ws.freeze_panes == "B2"
    text_col = ws.cell(row=1, column=headings.index("Inject Text") + 1).column_letter
    assert ws.column_dimensions[text_col].width == 60
    assert ws.cell(row=2, column=1).alignment.wrap_text
    shaded = [ws.cell(row=r, column=1).fill.fgColor.rgb for r in range(2, 7)]
    assert [rgb.endswith("FFF2CC") for rgb in shaded] == [False, True, False, False, False]
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists == {'"inject,information,facilitation"', '"yes,no"'}
    type_letter = ws.cell(row=1, column=headings.index("Type") + 1).column_letter
    type_rule = next(dv for dv in ws.data_validations.dataValidation if "inject" in dv.formula1)
    assert f"{type_letter}2" in str(type_rule.sqref)
    assert isinstance(ws.cell(row=2, column=headings.index("Scenario Time") + 1).value, dt.datetime)
    assert ws.cell(row=3, column=headings.index("Inject Text") + 1).data_type == "s"
    assert book["Columns"]["A2"].value == "Event #"


# --- import tolerance ----------------------------------------------------------------------------


def _xlsx(path: Path, rows: list[list[object]], sheet: str = "Sheet") -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_import_finds_the_header_under_title_rows_and_reads_excel_values(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "x.xlsx",
        [
            ["Harbour Drill 2025 — Master Scenario Events List"],
            ["FOR THE CONTROL CELL ONLY"],
            [],
            [
                "event  NO",
                "MOVE",
                "Designated scenario time",
                "Offset",
                "inject type",
                "Subject",
                "Description",
                "Contingency inject",
                "Intended player",
            ],
            [
                1,
                1,
                dt.datetime(2025, 6, 12, 5, 35),
                dt.time(0, 15),
                "Information",
                "A",
                "Text A",
                "x",
                "NRD; KES",
            ],
            [None, None, None, None, None, None, None, None, None],
            [2.0, "2", "2025-06-12T09:00", "30", None, "B", "Text B", "No", None],
        ],
    )
    first, second = read_xlsx(path)
    assert first.number == 1 and first.offset == 15 and first.contingency
    assert first.type is InjectType.INFORMATION and first.to == ["NRD", "KES"]
    assert first.scenario_time == dt.datetime(2025, 6, 12, 5, 35)
    assert second.number == 2 and second.move == 2 and second.offset == 30
    assert second.scenario_time == dt.datetime(2025, 6, 12, 9, 0) and second.to == ["all"]
    assert second.type is InjectType.INJECT and not second.contingency


def test_import_reads_semicolon_separated_csv_and_strips_cells(tmp_path: Path) -> None:
    path = tmp_path / "eu.csv"
    path.write_text(
        "Nr.;Titel\nEvent #;Title;Inject Text;Method\n 7 ;T;Ein, zwei;  Funk \r\n", encoding="utf-8"
    )
    [inject] = read_csv(path)
    assert inject == Inject(number=7, title=Text(en="T"), text=Text(en="Ein, zwei"), method="Funk")


def test_map_option_handles_other_headings(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text(
        "Serial,Headline,Nachricht,Nachricht RU,Responsible Controller\n"
        "3,Fog,Dense fog,Туман,Anna\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_csv(path)
    assert "Nachricht: unknown heading 'Nachricht'" in str(caught.value)
    mapping = parse_mapping(
        ["Nachricht=text", "Nachricht RU=text[ru]", "Responsible Controller=ignore"]
    )
    [inject] = read_csv(path, mapping=mapping)
    assert inject.number == 3 and inject.title.en == "Fog"
    assert inject.text == Text(en="Dense fog", ru="Туман")


def test_bad_map_option_names_the_nearest_field() -> None:
    with pytest.raises(InputError, match=r"unknown field 'txt' \(did you mean 'text'\?\)"):
        parse_mapping(["Body=txt"])
    with pytest.raises(InputError, match="write 'Heading=field'"):
        parse_mapping(["Body"])


# --- bad input, located --------------------------------------------------------------------------

BAD_ROWS = [
    ["Event #", "Titel", "Inject Text", "Type", "Trigger", "Offset"],
    ["1", "A", "text", "inject", "scheduled", "5"],
    ["two", "B", "text", "briefing", "after: soon", "-3"],
]


def _messages(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(d) for d in exc.value.diagnostics]


def test_unknown_heading_without_mapping_suggests_one(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(",".join(r) for r in BAD_ROWS) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_csv(path, display="bad.csv")
    messages = _messages(caught)
    assert messages[0].startswith(
        "bad.csv:1:B Titel: unknown heading 'Titel': did you mean 'Title'? map it with --map"
    )
    assert any("no column for title" in m for m in messages)


def test_bad_cells_are_located_in_csv_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    rows = [["MSEL draft"], *BAD_ROWS]
    rows[1][1] = "Title"
    rows[2][2] = '"multi\nline"'  # this record spans lines 3-4, so the next starts on line 5
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_csv(path, display="bad.csv")
    assert _messages(caught) == [
        "bad.csv:5:A Event #: 'two' is not a whole number",
        "bad.csv:5:D Type: 'briefing' is not an inject type: use one of inject, information, "
        "facilitation",
        "bad.csv:5:E Trigger: 'after: soon' needs an inject number, e.g. 'after: 3'",
        "bad.csv:5:F Offset: -3: input should be greater than or equal to 0",
    ]


def test_bad_cells_are_located_as_sheet_cells_in_xlsx(tmp_path: Path) -> None:
    rows: list[list[object]] = [list(r) for r in BAD_ROWS]
    rows[0][1] = "Title"
    rows.append([3, "C", "text", "inject", "scheduled", 0])
    rows.append([3, "", "text", "inject", "when: x > 1", dt.datetime(2025, 1, 1)])
    path = _xlsx(tmp_path / "bad.xlsx", rows, sheet="Injects")
    with pytest.raises(InputError) as caught:
        read_msel(path, display="bad.xlsx")
    messages = _messages(caught)
    assert messages[0] == "bad.xlsx:Injects!A3 Event #: 'two' is not a whole number"
    assert "bad.xlsx:Injects!A5 Event #: Event # 3 is used already (line/row 4)" in messages
    assert "bad.xlsx:Injects!B5 Title: is required" in messages
    assert any(m.startswith("bad.xlsx:Injects!F5 Offset: ") for m in messages)


def test_file_level_problems_are_errors_not_tracebacks(tmp_path: Path) -> None:
    not_xlsx = tmp_path / "fake.xlsx"
    not_xlsx.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable XLSX workbook"):
        read_msel(not_xlsx)
    with pytest.raises(InputError, match="file not found"):
        read_msel(tmp_path / "missing.csv")
    with pytest.raises(InputError, match=r"save it as \.xlsx"):
        read_msel(tmp_path / "old.xls")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Event #,Title,Inject Text\n1,Caf\xe9,x\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_msel(latin)
    nothing = tmp_path / "nothing.csv"
    nothing.write_text("just,some\nwords,here\n", encoding="utf-8")
    with pytest.raises(InputError, match="no header row in the first 20 rows"):
        read_msel(nothing)
    book = _xlsx(tmp_path / "one.xlsx", [["Event #", "Title", "Inject Text"]])
    with pytest.raises(InputError, match="no sheet 'MSEL 2'; sheets: Sheet"):
        read_msel(book, sheet="MSEL 2")


# --- the commands --------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_export_then_import_gives_the_scenario_msel_back(tmp_path: Path) -> None:
    scenario, _ = load_model(DRILL / "scenario.yaml", Scenario)
    for suffix in ("csv", "xlsx"):
        sheet = tmp_path / f"drill.{suffix}"
        result = runner.invoke(app, ["ttx", "msel", "export", str(DRILL), "-o", str(sheet)])
        assert result.exit_code == 0, result.stderr
        assert "4 inject(s), 1 facilitation row(s)" in result.stderr
        out = tmp_path / f"{suffix}.yaml"
        result = runner.invoke(app, ["ttx", "msel", "import", str(sheet), "-o", str(out)])
        assert result.exit_code == 0, result.stderr
        data = read_yaml(out).data
        assert INJECTS.validate_python(data["msel"]) == scenario.msel
    assert load_workbook(tmp_path / "drill.xlsx")["MSEL"]["J1"].value == "Title [ru]"


def test_cli_export_csv_to_stdout_in_one_language() -> None:
    result = runner.invoke(app, ["ttx", "msel", "export", str(DRILL), "--language", "ru"])
    assert result.exit_code == 0
    header, first = result.stdout.splitlines()[:2]
    assert "Title [ru]" in header and "Title," not in header
    assert "Сигнал бедствия с танкера" in first


def test_cli_import_with_map_and_bad_input(tmp_path: Path) -> None:
    sheet = tmp_path / "ctrl.csv"
    sheet.write_text("Serial,Title,Message,Kind\n1,Fog,Dense,inject\n2,Ice,Thin,rumour\n")
    result = runner.invoke(app, ["ttx", "msel", "import", str(sheet), "--map", "Kind=type"])
    assert result.exit_code == 1
    assert f"{sheet}:3:D Kind: 'rumour' is not an inject type" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    sheet.write_text("Serial,Title,Message,Kind\n1,Fog,Dense,inject\n")
    result = runner.invoke(app, ["ttx", "msel", "import", str(sheet), "--map", "Kind=type"])
    assert result.exit_code == 0
    assert result.stdout == "msel:\n  - number: 1\n    title: Fog\n    text: Dense\n"


def test_cli_export_of_a_broken_scenario_is_located(tmp_path: Path) -> None:
    (tmp_path / "scenario.yaml").write_text("scenario:\n  id: x\n  titel: y\n", encoding="utf-8")
    result = runner.invoke(app, ["ttx", "msel", "export", str(tmp_path)])
    assert result.exit_code == 1
    assert "scenario.yaml:3:3 scenario.titel: unknown key 'titel'" in result.stderr
    assert "Traceback" not in result.stderr


def test_method_and_sender_are_translated_like_title_and_text(tmp_path: Path) -> None:
    injects = [
        Inject.model_validate(
            {
                "number": 1,
                "move": 1,
                "method": {"en": "Radio call", "vi": "Cuộc gọi vô tuyến"},
                "from": {"en": "Coast guard", "vi": "Cảnh sát biển"},
                "title": {"en": "Collision", "vi": "Va chạm"},
                "text": {"en": "Two boats collide.", "vi": "Hai tàu va chạm."},
            }
        ),
        Inject(number=2, title=Text(en="Calm"), text=Text(en="Nothing"), method=Text("Email")),
    ]
    headings = [c.heading for c in table(injects)[0]]
    assert headings.index("Delivery Method [vi]") == headings.index("Delivery Method") + 1
    assert headings.index("From [vi]") == headings.index("From") + 1
    write_csv(injects, tmp_path / "m.csv")
    assert read_csv(tmp_path / "m.csv") == injects
    write_xlsx(injects, tmp_path / "m.xlsx")
    assert read_xlsx(tmp_path / "m.xlsx") == injects
    (tmp_path / "m.yaml").write_text(msel_yaml(injects), encoding="utf-8")
    assert INJECTS.validate_python(read_yaml(tmp_path / "m.yaml").data["msel"]) == injects
    columns, rows = table(injects, language="vi")
    one = [c.heading for c in columns]
    assert rows[0][one.index("Delivery Method [vi]")] == "Cuộc gọi vô tuyến"
    assert rows[1][one.index("Delivery Method [vi]")] == "Email"  # English where untranslated
    assert rows[0][one.index("From [vi]")] == "Cảnh sát biển"
