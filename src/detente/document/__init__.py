"""The document toolkit: what a plugin uses to contribute to the meeting's documents.

It knows no domain (no tabletop exercise, vote or roadmap module is imported), so domains import
it freely; the host that renders and writes documents (:mod:`detente.report`) imports it too, and
no domain ever imports that host.

- the document model (:mod:`detente.document.model`): blocks, sections, documents;
- the registry the documents are assembled from (:mod:`detente.document.sections`): sections,
  session outcomes, headers, readiness checks, the executive summary's one-line session
  summaries and the document kinds built outside the section registry;
- what a section reads (:mod:`detente.document.context`): the record as one audience may see it;
- text helpers: :mod:`~detente.document.localize` (the document's language),
  :mod:`~detente.document.attribution` (Chatham House Rule wording),
  :mod:`~detente.document.prose` (catalogued sentences), :mod:`~detente.document.messages`;
- shared blocks (:mod:`~detente.document.common`) and figures (:mod:`~detente.document.plots`).

The face (``__all__``, which tests/test_layering.py holds every import to): the names below, which
most sections need, and the toolkit's modules for the rest.
"""

from detente.document.attribution import Counts, plural, sentence_list, view
from detente.document.context import (
    Audience,
    DocumentUnavailable,
    ReportContext,
    item_label,
    ttx_items,
)
from detente.document.localize import local, local_blocks, missing_note
from detente.document.model import (
    Block,
    BulletList,
    Document,
    Figure,
    Heading,
    KeyValue,
    Marking,
    PageBreak,
    Paragraph,
    Section,
    Table,
)
from detente.document.sections import (
    KINDS,
    Request,
    document_header,
    document_ready,
    outcomes_for,
    report_section,
    session_outcome,
)

__all__ = [
    "KINDS",
    "Audience",
    "Block",
    "BulletList",
    "Counts",
    "Document",
    "DocumentUnavailable",
    "Figure",
    "Heading",
    "KeyValue",
    "Marking",
    "PageBreak",
    "Paragraph",
    "ReportContext",
    "Request",
    "Section",
    "Table",
    "attribution",
    "common",
    "context",
    "document_header",
    "document_ready",
    "drafted",
    "figure_text",
    "inputs",
    "item_label",
    "local",
    "local_blocks",
    "localize",
    "messages",
    "missing_note",
    "model",
    "outcomes_for",
    "plots",
    "plural",
    "prose",
    "report_section",
    "sections",
    "sentence_list",
    "session_outcome",
    "summary",
    "ttx_items",
    "view",
]
