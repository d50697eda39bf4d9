"""The paper room's printouts: a ballot per discussion and participant, a rating sheet per
roadmap session and participant, and the roadmap session's list of measures.

Each ballot and rating sheet carries its sheet code (:mod:`detente.paper.codes`) naming the item
and the seat position (`USA-1`, `observer-1`) the answers are recorded under — the same seat
positions the app and the simulated seats use, so paper and device answers fold alike. Sheets
are in the participant's delegation's language (observers: English).
"""

from __future__ import annotations

from dataclasses import dataclass

from detente.ballots import observer_ids, voter_ids
from detente.deliberation.statements import load_statements
from detente.document.context import Audience, ReportContext
from detente.document.inputs import Made, ReportInputs
from detente.document.localize import local, missing_note
from detente.document.model import Document, Heading, Marking, Paragraph, Section, Table
from detente.document.sections import Request, document_maker
from detente.paper.codes import sheet_code
from detente.roadmap.catalog import load_catalog

BOX = "☐"
SUPPORT_SCALE = "−2  −1  0  +1  +2"
FEASIBILITY_SCALE = "1  2  3  4  5"
HORIZON_SCALE = "I  Y  3  L"


def seats(inputs: ReportInputs) -> list[tuple[str, str | None, str]]:
    """(seat position, delegation or None, language) of everyone who votes and rates."""
    meeting = inputs.folder.meeting
    out: list[tuple[str, str | None, str]] = [
        (seat, d.id, d.language) for d in meeting.delegations for seat in voter_ids(meeting, d.id)
    ]
    out += [(seat, None, "en") for seat in observer_ids(meeting)]
    return out


@dataclass(frozen=True)
class _SeatSheet:
    """One seat's sheet for one item: the request for the seat's audience in its language, what
    the sheet's sections read, and the code the answers come back under."""

    seat: str
    request: Request
    ctx: ReportContext
    code: str

    def code_line(self) -> Paragraph:
        """The line that opens the sheet: its seat and code."""
        return Paragraph(
            self.ctx.gettext("Sheet code: %(code)s", code=self.code),
            lead=self.ctx.gettext("Seat %(seat)s", seat=self.seat),
        )

    def made(self, title: str, section: Section) -> Made:
        doc = _doc(self.ctx, self.request.slug, title, self.code, section)
        return Made(self.request, warnings=list(doc.warnings), document=doc)


def seat_sheets(inputs: ReportInputs, kind: str, letter: str, item_id: str) -> list[_SeatSheet]:
    """A sheet per voting seat (:func:`seats`) for item `item_id`: slug `<kind>-<item>-<seat>`,
    sheet code with `letter` (B ballot, R rating)."""
    meeting_id = inputs.folder.meeting.meeting.id
    out = []
    for seat, delegation, language in seats(inputs):
        audience = Audience("delegation", delegation) if delegation else Audience("observers")
        request = Request("paper", audience, language, f"{kind}-{item_id}-{seat}")
        code = sheet_code(meeting_id, letter, item_id, seat)
        out.append(_SeatSheet(seat, request, inputs.context(request), code))
    return out


def _doc(ctx: ReportContext, slug: str, title: str, subtitle: str, section: Section) -> Document:
    meeting = ctx.folder.meeting.meeting
    footer = f"{local(ctx, meeting.title)} · {local(ctx, meeting.location)}"
    note = missing_note(ctx, key="doc.missing_translations")
    if note is not None:
        section = Section(section.id, section.title, (*section.blocks, note))
    return Document(
        kind="paper",
        slug=slug,
        title=title,
        subtitle=subtitle,
        language=ctx.language,
        marking=Marking.NONE,
        marking_text="",
        cover=(),
        sections=(section,),
        footer=footer,
        warnings=tuple(ctx.warnings()),
    )


def ballots(inputs: ReportInputs) -> list[Made]:
    loaded = load_statements(inputs.folder)
    if loaded is None:
        return []
    meeting = inputs.folder.meeting
    out: list[Made] = []
    for _, item in meeting.items():
        if item.activity != "discussion" or item.id is None:
            continue
        statements = loaded.statements.for_item(item.id)
        if not statements:
            continue
        for sheet in seat_sheets(inputs, "ballot", "B", item.id):
            ctx = sheet.ctx
            columns = (
                "#",
                ctx.pgettext("ballot", "Statement"),
                ctx.gettext("Agree"),
                ctx.gettext("Disagree"),
                ctx.gettext("Pass"),
            )
            rows = tuple(
                (str(n), local(ctx, s.text), BOX, BOX, BOX)
                for n, s in enumerate(statements, start=1)
            )
            section = Section(
                "ballot",
                local(ctx, item.title),
                (
                    sheet.code_line(),
                    Paragraph(
                        ctx.gettext(
                            "Tick one box per statement. Pass means no view or not your issue. "
                            "Leave a statement blank to not vote on it."
                        ),
                        tone="muted",
                    ),
                    Table(columns, rows, widths=(0.5, 6, 1, 1, 1)),
                ),
            )
            out.append(sheet.made(ctx.gettext("Ballot"), section))
    return out


def rating_sheets(inputs: ReportInputs) -> list[Made]:
    loaded = load_catalog(inputs.folder)
    if loaded is None or loaded.item.id is None:
        return []
    item = loaded.item
    assert item.id is not None
    out: list[Made] = []
    for sheet in seat_sheets(inputs, "rating", "R", item.id):
        ctx = sheet.ctx
        blocks: list[Heading | Paragraph | Table] = [
            sheet.code_line(),
            Paragraph(
                ctx.gettext(
                    "For each measure circle support (−2 strongly oppose … +2 strongly "
                    "support), feasibility (1 not feasible … 5 readily feasible) and the "
                    "horizon you think realistic (I immediate, Y within a year, 3 one to three "
                    "years, L longer)."
                ),
                tone="muted",
            ),
        ]
        columns = (
            "#",
            ctx.gettext("Measure"),
            ctx.gettext("Support"),
            ctx.gettext("Feasibility"),
            ctx.gettext("Horizon"),
        )
        for category in item.steps:
            measures = [m for m in loaded.catalog.measures if m.category == category.id]
            if not measures:
                continue
            blocks.append(Heading(local(ctx, category.title)))
            rows = tuple(
                (m.id, local(ctx, m.title), SUPPORT_SCALE, FEASIBILITY_SCALE, HORIZON_SCALE)
                for m in measures
            )
            blocks.append(Table(columns, rows, widths=(1.6, 4, 1.8, 1.6, 1.2)))
        section = Section("rating", local(ctx, item.title), tuple(blocks))
        out.append(sheet.made(ctx.gettext("Rating sheet"), section))
    return out


def measures_list(inputs: ReportInputs) -> list[Made]:
    """Session's full list of steps, as its own printout (one per language in the room)."""
    loaded = load_catalog(inputs.folder)
    if loaded is None or loaded.item.id is None:
        return []
    languages = dict.fromkeys(["en", *(d.language for d in inputs.folder.meeting.delegations)])
    out: list[Made] = []
    for language in languages:
        slug = f"measures-{loaded.item.id}" + ("" if language == "en" else f"-{language}")
        request = Request("paper", Audience("public"), language, slug)
        ctx = inputs.context(request)
        blocks: list[Heading | Paragraph | Table] = []
        for category in loaded.item.steps:
            measures = [m for m in loaded.catalog.measures if m.category == category.id]
            if not measures:
                continue
            blocks.append(Heading(local(ctx, category.title)))
            for m in measures:
                blocks.append(Heading(f"{m.id} — {local(ctx, m.title)}", level=3))
                blocks.append(Paragraph(local(ctx, m.description)))
                blocks.append(
                    Paragraph(
                        ctx.gettext("Who would act: %(actors)s", actors=", ".join(m.actors)),
                        tone="muted",
                    )
                )
        section = Section("measures", local(ctx, loaded.item.title), tuple(blocks))
        doc = _doc(
            ctx, slug, ctx.gettext("List of measures"), local(ctx, loaded.item.title), section
        )
        out.append(Made(request, warnings=list(doc.warnings), document=doc))
    return out


@document_maker("paper")
def paper_documents(inputs: ReportInputs) -> list[Made]:
    """Every paper-room printout of the meeting."""
    out = ballots(inputs) + rating_sheets(inputs) + measures_list(inputs)
    if not out:
        made = Made(Request("paper", Audience("public"), "en", "paper"))
        made.unavailable = "the meeting has no discussion statements and no measures catalog"
        out.append(made)
    return out
