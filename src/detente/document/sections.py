"""The four documents and the registry their sections plug into.

- ``pack`` — participant pack, one per delegation (in the delegation's language where
  translations exist) and one for observers;
- ``handbook`` — facilitator handbook (controller/evaluator), confidential;
- ``aar`` — the tabletop exercise's after-action report in two editions: for the participants
  (public record plus what was released after the exercise) and for the facilitation team (the
  full evaluation against the MSEL's expected actions, private moves included);
- ``meeting`` — the meeting report under the Chatham House Rule.

A section is a function ``(ReportContext) -> Section | None`` registered with
``@report_section(document="meeting", order=40)``. Sections run in `order`; one returning None
is left out (its data does not exist yet). A document's *readiness* check says, before any
section runs, whether the document can be made at all — e.g. the after-action report before
the exercise session has run raises :class:`DocumentUnavailable` naming that session.

Plugins register their sections from :func:`detente.hooks.detente_report_sections`, called the
first time a document is made (:func:`load`).
Per-session outcomes in the meeting report use the finer hook :func:`session_outcome`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from detente import plugins
from detente.document.context import Audience, DocumentUnavailable, ReportContext
from detente.document.model import Block, Document, Marking, Section
from detente.meeting.loader import MeetingFolder
from detente.meeting.model import Role
from detente.meeting.state import HeldItem

if TYPE_CHECKING:
    from detente.document.inputs import Made, ReportInputs

KINDS = ("pack", "handbook", "aar", "meeting")

SectionFn = Callable[[ReportContext], Section | None]
OutcomeFn = Callable[[ReportContext, HeldItem], Sequence[Block] | None]
F = TypeVar("F", bound=SectionFn)
G = TypeVar("G", bound=OutcomeFn)


@dataclass(frozen=True)
class _Registered:
    document: str
    order: int
    fn: SectionFn


_sections: list[_Registered] = []
_outcomes: list[tuple[str, OutcomeFn]] = []


def report_section(document: str, order: int) -> Callable[[F], F]:
    """Register a section function for `document` (one of :data:`KINDS`) at position `order`."""
    if document not in KINDS:
        raise ValueError(f"unknown document {document!r} (one of {', '.join(KINDS)})")

    def decorate(fn: F) -> F:
        if not any(r.fn is fn and r.document == document for r in _sections):
            _sections.append(_Registered(document, order, fn))
        return fn

    return decorate


def session_outcome(activity: str) -> Callable[[G], G]:
    """Register how the outcome of a held item run by `activity` reads in the meeting report:
    ``(ctx, held) -> blocks`` (or None when nothing was recorded). Views are attributed to
    delegations, never to people."""

    def decorate(fn: G) -> G:
        if (activity, fn) not in _outcomes:
            _outcomes.append((activity, fn))
        return fn

    return decorate


def load() -> None:
    """Have every plugin register its sections and outcomes (each plugin once)."""
    plugins.load_once("detente_report_sections", _contents)


def _contents() -> list[str]:
    return (
        [f"{r.document}:{r.order}:{r.fn.__qualname__}" for r in _sections]
        + [f"outcome:{name}:{fn.__qualname__}" for name, fn in _outcomes]
        + [f"document:{kind}:{fn.__qualname__}" for kind, fn in _makers.items()]
    )


def sections_for(document: str) -> list[SectionFn]:
    load()
    return [r.fn for r in sorted(_sections, key=lambda r: r.order) if r.document == document]


def outcomes_for(activity: str) -> list[OutcomeFn]:
    load()
    return [fn for name, fn in _outcomes if name == activity]


# --- the executive summary's one line per session ----------------------------------------------

SummaryLine = Callable[[ReportContext, HeldItem], str | None]
_summary_lines: dict[str, list[SummaryLine]] = {}


def summary_line(activity: str) -> Callable[[SummaryLine], SummaryLine]:
    """Register how a held item run by `activity` reads in the executive summary, in the
    document's language: one sentence (ending with a full stop) after the session's name, or
    None to fall back to the generic line. This is the executive summary's only source of
    per-session lines: every domain registers its activities' lines here, from its report-sections
    module; the first non-None answer wins."""

    def decorate(fn: SummaryLine) -> SummaryLine:
        registered = _summary_lines.setdefault(activity, [])
        if fn not in registered:
            registered.append(fn)
        return fn

    return decorate


def summary_lines_for(activity: str) -> list[SummaryLine]:
    """The one-line summaries registered for `activity`, in registration order."""
    return list(_summary_lines.get(activity, []))


def summary_line_of(ctx: ReportContext, held: HeldItem, activity: str) -> str | None:
    """The line of the first function registered for `activity` that has one for `held` (None
    when none has). `activity` need not be the one `held` ran: a session that also heard
    presentations, or a hotwash that put statements to a vote, borrows that activity's line."""
    for fn in summary_lines_for(activity):
        line = fn(ctx, held)
        if line is not None:
            return line
    return None


_glance: list[SummaryLine] = []


def glance_provider(fn: SummaryLine) -> SummaryLine:
    """Register the function that writes a held session's line "at a glance" in the executive
    summary (the meeting report registers its own); a section pointing a reader from its own
    text to that line asks :func:`glance`, so a domain never imports the meeting report."""
    if fn not in _glance:
        _glance.append(fn)
    return fn


def glance(ctx: ReportContext, held: HeldItem) -> str | None:
    """The executive summary's line for `held` (None when no provider is registered or it has
    nothing to say)."""
    for fn in _glance:
        line = fn(ctx, held)
        if line is not None:
            return line
    return None


# --- documents made outside the section registry ------------------------------------------------

Maker = Callable[["ReportInputs"], "list[Made]"]
"""Every document of one kind (e.g. a handout per delegation and move), with the reason when
there is none to make."""

_makers: dict[str, Maker] = {}


def document_maker(kind: str) -> Callable[[Maker], Maker]:
    """Register how documents of `kind` are made when they are not assembled from sections (one
    maker per kind): the plugin decides how many documents there are and for whom. Register it
    from :func:`detente.hooks.detente_report_sections`."""

    def decorate(fn: Maker) -> Maker:
        _makers[kind] = fn
        return fn

    return decorate


def maker_for(kind: str) -> Maker | None:
    """The maker registered for `kind` (every plugin's sections loaded first), or None."""
    load()
    return _makers.get(kind)


# --- which documents, for whom ----------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One document to make: kind, audience, language and the file name stem."""

    kind: str
    audience: Audience
    language: str
    slug: str


def requests(folder: MeetingFolder, kind: str, languages: Sequence[str] = ("en",)) -> list[Request]:
    """The documents of one kind: a pack per delegation (in its language) plus one for observers
    (when the meeting has observers); the meeting report in each of `languages`
    (`meeting-report`, `meeting-report-zh`, …); one of each other kind, in English."""
    meeting = folder.meeting
    if kind == "pack":
        out = [
            Request("pack", Audience("delegation", d.id), d.language, f"pack-{d.id}")
            for d in meeting.delegations
        ]
        if any(p.role is Role.OBSERVER for p in meeting.people):
            out.append(Request("pack", Audience("observers"), "en", "pack-observers"))
        return out
    if kind == "handbook":
        return [Request("handbook", Audience("facilitator"), "en", "facilitator-handbook")]
    if kind == "aar":
        return [
            Request("aar", Audience("participants"), "en", "after-action-report"),
            Request("aar", Audience("facilitator"), "en", "after-action-report-facilitator"),
        ]
    if kind == "meeting":
        return [
            Request("meeting", Audience("public"), code, edition_slug("meeting-report", code))
            for code in dict.fromkeys(languages)
        ]
    raise ValueError(f"unknown document kind {kind!r}")


def edition_slug(stem: str, language: str) -> str:
    """The file name stem of a document's edition in `language` (English: the stem itself)."""
    return stem if language == "en" else f"{stem}-{language}"


# --- readiness and assembly --------------------------------------------------------------------

Header = Callable[[ReportContext], tuple[str, str, Marking, str, tuple[tuple[str, str], ...]]]
"""(title, subtitle, marking, marking text, cover rows) of a document."""
Ready = Callable[[ReportContext], None]

_headers: dict[str, Header] = {}
_ready: dict[str, Ready] = {}


def document_header(document: str) -> Callable[[Header], Header]:
    """Register the title block of a document kind (one per kind)."""

    def decorate(fn: Header) -> Header:
        _headers[document] = fn
        return fn

    return decorate


def document_ready(document: str) -> Callable[[Ready], Ready]:
    """Register the readiness check of a document kind: raise DocumentUnavailable when the
    data it needs does not exist yet."""

    def decorate(fn: Ready) -> Ready:
        _ready[document] = fn
        return fn

    return decorate


def build(request: Request, ctx: ReportContext) -> Document:
    """Assemble one document: readiness check, then every registered section in order."""
    load()
    check = _ready.get(request.kind)
    if check is not None:
        check(ctx)
    sections = tuple(s for fn in sections_for(request.kind) if (s := fn(ctx)) is not None)
    if not sections:
        raise DocumentUnavailable(f"nothing to put in the {request.kind} document yet")
    title, subtitle, marking, marking_text, cover = _headers[request.kind](ctx)
    meeting = ctx.folder.meeting.meeting
    from detente.document.localize import local
    from detente.document.simulation import footer_mark, notice

    mark = footer_mark(ctx)
    return Document(
        kind=request.kind,
        slug=request.slug,
        title=title,
        subtitle=subtitle,
        language=ctx.language,
        marking=marking,
        marking_text=marking_text,
        cover=cover,
        sections=sections,
        footer=f"{mark} · {local(ctx, meeting.title)}"
        if mark
        else f"{local(ctx, meeting.title)} · {local(ctx, meeting.location)}",
        warnings=tuple(ctx.warnings()),
        notice=notice(ctx),
    )


__all__ = [
    "KINDS",
    "DocumentUnavailable",
    "Request",
    "build",
    "document_header",
    "document_maker",
    "document_ready",
    "edition_slug",
    "glance",
    "glance_provider",
    "maker_for",
    "outcomes_for",
    "report_section",
    "requests",
    "session_outcome",
    "summary_line",
    "summary_line_of",
    "summary_lines_for",
]
