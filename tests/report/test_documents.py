"""Every document for every test meeting: PDF pages, headings, fonts, languages, HTML, Markdown."""

from __future__ import annotations

import re

import pytest

from detente.document.sections import requests
from tests.rendered import Rendered, pdf_fonts, pdf_pages, pdf_text
from tests.report.test_renderers import check_html

PACK_HEADINGS = {
    "en": ["Welcome", "Objectives", "Programme", "Participants", "Joining the meeting app"],
    "zh": ["欢迎辞", "会议目标", "会议日程", "与会者", "登录会议应用"],
    "ru": [
        "Добро пожаловать",
        "Цели встречи",
        "Программа",
        "Участники",
        "Вход в приложение встречи",
    ],
}
TTX_PACK_HEADINGS = {
    "en": ["Tabletop exercise: background", "Rules of play", "Options open to your delegation"],
    "zh": ["桌面推演：背景", "推演规则", "贵代表团可选的行动"],
    "ru": ["Штабная игра: предыстория", "Правила игры", "Действия, доступные вашей делегации"],
}
HANDBOOK = ["About this handbook", "Sessions and running notes"]
HANDBOOK_TTX = [
    "Exercise overview",
    "Timings per move",
    "Master Scenario Events List",
    "Adjudication rules",
    "Hotwash questions",
    "Situation briefs and decision questions",
]
MEETING = [
    "About this report",
    "Executive summary",
    "Purpose and objectives",
    "Programme as held",
    "Outcome of every session",
    "Annex: participants",
]
AAR = ["Exercise overview"]


def expected_headings(r: Rendered, slug: str) -> list[str]:
    has_ttx = r.inputs.scenario is not None
    if slug.startswith("pack-"):
        request = next(q for q in requests(r.folder, "pack") if q.slug == slug)
        lang = request.language if request.language in PACK_HEADINGS else "en"
        ttx = TTX_PACK_HEADINGS[lang][: 2 if slug == "pack-observers" else 3]  # no options
        return PACK_HEADINGS[lang] + (ttx if has_ttx else [])
    if slug == "facilitator-handbook":
        return HANDBOOK + (HANDBOOK_TTX if has_ttx else [])
    if slug == "meeting-report":
        discussed = any(i.activity == "discussion" for _, i in r.folder.meeting.items())
        return MEETING + (["Common ground and divergences"] if discussed else [])
    assert slug in ("after-action-report", "after-action-report-facilitator")
    return AAR


def all_documents(rendered: dict[str, Rendered]) -> list[tuple[Rendered, str]]:
    return [(r, slug) for r in rendered.values() for slug in r.files]


def test_expected_documents_are_made(rendered: dict[str, Rendered]) -> None:
    korea = rendered["korea-2024"]
    assert {
        "pack-CHN",
        "pack-RUS",
        "pack-USA",
        "pack-observers",
        "facilitator-handbook",
        "meeting-report",
    } <= set(korea.files)
    harbour = rendered["harbour-2025"]
    assert {
        "pack-NRD",
        "pack-KES",
        "pack-LOV",
        "pack-observers",
        "facilitator-handbook",
        "meeting-report",
    } <= set(harbour.files)
    for r in rendered.values():
        for slug, formats in r.files.items():
            assert set(formats) == {"html", "pdf", "md"}, slug


def test_pdfs_have_non_blank_pages_and_every_heading(rendered: dict[str, Rendered]) -> None:
    for r, slug in all_documents(rendered):
        pdf = r.file(slug, "pdf")
        pages = pdf_pages(pdf)
        assert len(pages) >= 1, slug
        for number, page in enumerate(pages, 1):
            assert float(page.std()) > 3.0, f"{r.name}/{slug} page {number} is blank"
        text = " ".join(pdf_text(pdf).split())
        for heading in expected_headings(r, slug):
            assert heading in text, f"{r.name}/{slug}: missing heading {heading!r}"


def test_page_counts_are_plausible(rendered: dict[str, Rendered]) -> None:
    korea = rendered["korea-2024"]
    # one join page per member comes after the rest of the pack
    for slug in ("pack-CHN", "pack-RUS", "pack-USA"):
        assert len(pdf_pages(korea.file(slug, "pdf"))) >= 3 + 3
    assert len(pdf_pages(korea.file("meeting-report", "pdf"))) >= 3


def test_chinese_pack_embeds_a_cjk_font_and_extracts_chinese(
    rendered: dict[str, Rendered],
) -> None:
    pdf = rendered["korea-2024"].file("pack-CHN", "pdf")
    fonts = pdf_fonts(pdf)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk)  # embedded
    text = pdf_text(pdf)
    assert "与会者资料包" in text and "代表团" in text
    assert "2024年8月24日–26日" in "".join(text.split())  # CLDR's interval, thin spaces


def test_russian_pack_extracts_cyrillic(rendered: dict[str, Rendered]) -> None:
    text = pdf_text(rendered["korea-2024"].file("pack-RUS", "pdf"))
    assert "Пакет участника" in text
    # the delegation's name: translated, or in English behind the missing-translation marker
    assert re.search(r"Делегация: (\[en\] Russian Federation|Российская Федерация)", text)
    assert "24—26августа2024г." in "".join(text.split())  # CLDR's interval


def test_html_parses_and_is_self_contained(rendered: dict[str, Rendered]) -> None:
    for r, slug in all_documents(rendered):
        html = r.file(slug, "html").read_text(encoding="utf-8")
        check_html(html)
        assert "<link" not in html and "<script" not in html
        for external in ('src="http', "src='http", 'href="http', "url(http", "@import"):
            assert external not in html, f"{r.name}/{slug}: {external}"
        for heading in expected_headings(r, slug):
            assert heading in html, f"{r.name}/{slug}: {heading}"


def test_markdown_has_the_headings(rendered: dict[str, Rendered]) -> None:
    for r, slug in all_documents(rendered):
        md = r.file(slug, "md").read_text(encoding="utf-8")
        for heading in expected_headings(r, slug):
            assert f"## {heading}" in md.replace("\\", ""), f"{r.name}/{slug}: {heading}"


def test_handbook_is_marked_confidential_on_every_page(rendered: dict[str, Rendered]) -> None:
    for r in rendered.values():
        pdf = r.file("facilitator-handbook", "pdf")
        pages = pdf_text(pdf).split("\f")
        pages = [p for p in pages if p.strip()]
        assert len(pages) == len(pdf_pages(pdf))
        for page in pages:
            assert "CONFIDENTIAL" in page


@pytest.mark.parametrize("name", ["korea-2024", "harbour-2025", "ttx-small"])
def test_rendering_is_reproducible(rendered: dict[str, Rendered], name: str) -> None:
    from detente.report.render import make_documents

    r = rendered[name]
    again = make_documents(r.inputs, ["pack", "meeting"], ["pdf", "html"], r.out / "again")
    for made in again:
        for path in made.files:
            assert path.read_bytes() == r.file(made.request.slug, path.suffix[1:]).read_bytes()
