"""Chatham House Rule in the meeting report; facilitator-only and other delegations' material
never in a pack."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from detente.meeting.model import Role
from detente.report.render import make_documents
from detente.ttx.scenario import InjectType, Visibility
from tests.rendered import Rendered, pdf_text

# A "sentence carrying a view" is, concretely, every sentence of the rendered report outside
# the participants annex: cover, summary, programme, session outcomes, tables, captions.
# Only the annex may name people or affiliations.
SENTENCE = re.compile(r"(?<=[.!?。！？])\s+|\n+")


class _Text(HTMLParser):
    """Text of an HTML report with the annex section removed."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.skip_from: int | None = None
        self.out: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "br", "col"):
            return
        self.depth += 1
        if tag == "style":
            self.in_style = True
        classes = dict(attrs).get("class") or ""
        if tag == "section" and "annex" in classes.split() and self.skip_from is None:
            self.skip_from = self.depth

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False
        if self.skip_from == self.depth:
            self.skip_from = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.skip_from is None and not self.in_style:
            self.out.append(data)


def identities(r: Rendered) -> list[str]:
    """Every name (as written, in title case, and given-name order) and affiliation of every
    delegate and observer."""
    found: list[str] = []
    for person in r.folder.meeting.people:
        if person.role is Role.FACILITATOR:
            continue
        parts = person.name.split()
        found += [person.name, person.name.title(), " ".join(reversed(parts)).title()]
        if person.affiliation:
            found.append(person.affiliation)
    return [f for f in found if len(f) >= 4]


def offending(text: str, names: list[str]) -> list[tuple[str, str]]:
    hits = []
    for sentence in SENTENCE.split(text):
        low = sentence.lower()
        hits += [(n, sentence) for n in names if n.lower() in low]
    return hits


def test_meeting_report_names_nobody_outside_the_annex(rendered: dict[str, Rendered]) -> None:
    for r in rendered.values():
        names = identities(r)
        html = r.file("meeting-report", "html").read_text(encoding="utf-8")
        parser = _Text()
        parser.feed(html)
        body = " ".join(parser.out)
        assert offending(body, names) == [], r.name
        # the annex really is there and really names them (so the check above can fail)
        assert offending(html, names), r.name
        pdf = pdf_text(r.file("meeting-report", "pdf"))
        before_annex = pdf.split("Annex: participants")[0]
        assert "Annex: participants" in pdf
        assert offending(before_annex, names) == [], r.name
        md = r.file("meeting-report", "md").read_text(encoding="utf-8").replace("\\", "")
        assert offending(md.split("## Annex: participants")[0], names) == [], r.name


def test_the_annex_can_be_switched_off(rendered: dict[str, Rendered]) -> None:
    from detente.report.render import make_documents

    r = rendered["harbour-2025"]
    r.inputs.annex = False
    try:
        (made,) = make_documents(r.inputs, ["meeting"], ["md"], r.out / "no-annex")
    finally:
        r.inputs.annex = True
    text = made.files[0].read_text(encoding="utf-8").replace("\\", "")
    assert "Annex: participants" not in text
    assert offending(text, identities(r)) == []


def facilitator_only(r: Rendered) -> list[str]:
    """Texts only the facilitation team may see: facilitation injects, expected actions,
    evaluator notes, inject texts (delivered live), reactions and chance events."""
    scenario = r.inputs.scenario
    assert scenario is not None
    texts: list[str] = []
    for inject in scenario.msel:
        texts += [inject.expected_action, inject.evaluator_notes, inject.text.en]
        if inject.type is InjectType.FACILITATION:
            texts.append(inject.title.en)
    for reaction in scenario.reactions:
        texts += [reaction.when]
    for chance in scenario.chance:
        texts += [chance.label.en, chance.effects]
    for outcome in scenario.outcomes:
        texts += [outcome.when]
    return [t for t in texts if t and len(t) >= 12]


def others_private(r: Rendered, delegation: str | None) -> list[str]:
    """Other players' decision questions and private actions."""
    scenario = r.inputs.scenario
    assert scenario is not None
    own = next((a.id for a in scenario.players if a.delegation == delegation), None)
    texts: list[str] = []
    mine: set[str] = set()
    for move in scenario.moves:
        for actor, questions in move.questions.items():
            variants = [q.get(lang) for q in questions for lang in ("en", "zh", "ru")]
            if actor == own:
                mine.update(variants)
            else:
                texts += variants
    for action in scenario.actions:
        if action.visibility is Visibility.PRIVATE and own not in action.actors:
            texts.append(action.label.en)
    # a question put to every player in the same words is not another delegation's secret
    return [t for t in texts if len(t) >= 12 and t not in mine]


def _pack_texts(r: Rendered, slug: str) -> list[str]:
    return [
        " ".join(pdf_text(r.file(slug, "pdf")).split()),
        r.file(slug, "html").read_text(encoding="utf-8"),
        r.file(slug, "md").read_text(encoding="utf-8").replace("\\", ""),
    ]


def test_packs_hold_nothing_facilitator_only_or_from_another_delegation(
    rendered: dict[str, Rendered],
) -> None:
    checked = 0
    for r in rendered.values():
        if r.inputs.scenario is None:
            continue
        secret = facilitator_only(r)
        assert secret, r.name
        for slug in (s for s in r.files if s.startswith("pack-")):
            delegation = None if slug == "pack-observers" else slug.removeprefix("pack-")
            forbidden = secret + others_private(r, delegation)
            for text in _pack_texts(r, slug):
                flat = " ".join(text.split())
                leaks = [f for f in forbidden if " ".join(f.split()) in flat]
                assert leaks == [], f"{r.name}/{slug}: {leaks[:3]}"
            checked += 1
    assert checked >= 3


def test_a_delegations_handouts_hold_its_own_questions(
    rendered: dict[str, Rendered], tmp_path: Path
) -> None:
    """Questions are handed out when their move opens (issue #16), not printed in the pack."""
    r = rendered["ttx-small"]
    scenario = r.inputs.scenario
    assert scenario is not None
    made = make_documents(r.inputs, ["handouts"], ["pdf"], tmp_path)
    files = {m.request.slug: m.files[0] for m in made if m.files}
    for player in scenario.players:
        assert player.delegation is not None
        lang = next(d.language for d in r.folder.meeting.delegations if d.id == player.delegation)
        for move in scenario.moves:
            text = " ".join(
                pdf_text(files[f"handout-{player.delegation}-move-{move.number}"]).split()
            )
            for question in move.questions.get(player.id, []):
                assert " ".join(question.get(lang).split()) in text
