"""The paper room's printouts: a ballot per discussion and participant, a rating sheet per
roadmap session and participant, and the roadmap session's list of measures.

Each ballot and rating sheet carries its sheet code (:mod:`detente.paper.codes`) naming the item
and the seat position (`USA-1`, `observer-1`) the answers are recorded under — the same seat
positions the app and the simulated seats use, so paper and device answers fold alike. Sheets
are in the participant's delegation's language (observers: English).
"""

from __future__ import annotations

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
        for seat, delegation, language in seats(inputs):
            slug = f"ballot-{item.id}-{seat}"
            audience = Audience("delegation", delegation) if delegation else Audience("observers")
            request = Request("paper", audience, language, slug)
            ctx = inputs.context(request)
            code = sheet_code(meeting.meeting.id, "B", item.id, seat)
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
                    Paragraph(
                        ctx.gettext("Sheet code: %(code)s", code=code),
                        lead=ctx.gettext("Seat %(seat)s", seat=seat),
                    ),
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
            doc = _doc(ctx, slug, ctx.gettext("Ballot"), code, section)
            out.append(Made(request, warnings=list(doc.warnings), document=doc))
    return out


def rating_sheets(inputs: ReportInputs) -> list[Made]:
    loaded = load_catalog(inputs.folder)
    if loaded is None or loaded.item.id is None:
        return []
    meeting = inputs.folder.meeting
    item = loaded.item
    assert item.id is not None
    out: list[Made] = []
    for seat, delegation, language in seats(inputs):
        slug = f"rating-{item.id}-{seat}"
        audience = Audience("delegation", delegation) if delegation else Audience("observers")
        request = Request("paper", audience, language, slug)
        ctx = inputs.context(request)
        code = sheet_code(meeting.meeting.id, "R", item.id, seat)
        blocks: list[Heading | Paragraph | Table] = [
            Paragraph(
                ctx.gettext("Sheet code: %(code)s", code=code),
                lead=ctx.gettext("Seat %(seat)s", seat=seat),
            ),
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
        doc = _doc(ctx, slug, ctx.gettext("Rating sheet"), code, section)
        out.append(Made(request, warnings=list(doc.warnings), document=doc))
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
