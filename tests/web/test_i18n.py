"""The interface catalogs cover every message the app shows, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from detente.web.app import REFUSALS
from detente.web.feed_control import UNDONE
from detente.web.i18n import LOCALE_DIR, from_accept_language, localize, translator
from tests.web.conftest import PEOPLE, Served

WEB = Path(__file__).resolve().parents[2] / "src" / "detente" / "web"
TEMPLATES = WEB.parent / "templates" / "web"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# messages built in Python: (msgid, {...}) tuples, FormError / ActRefused messages, join errors
PY_MESSAGES = re.compile(
    r'\(\s*"([^"]+)",\s*\{|FormError\(\s*"([^"]+)"|ActRefused\(\s*\d+,\s*"([^"]+)"|error="([^"]+)"'
)


def used_messages() -> set[str]:
    found = set()
    for _, _, message, *_ in extract_from_dir(
        str(TEMPLATES), method_map=[("**.html", "jinja2")], keywords={"_": None, "_n": (1, 2)}
    ):
        found.add(message if isinstance(message, str) else message[0])
    for path in [*WEB.glob("*.py"), *WEB.parent.glob("*/web_*.py")]:  # the host's, the domains
        for match in PY_MESSAGES.finditer(path.read_text(encoding="utf-8")):
            found.add(next(g for g in match.groups() if g))
    return found | set(REFUSALS.values()) | set(UNDONE.values()) | {"The facilitator undid an act."}


@pytest.mark.parametrize("folder", ["zh_Hans", "ru"])
def test_every_message_is_translated_with_its_placeholders(folder: str) -> None:
    with (LOCALE_DIR / folder / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    translated = {}
    for m in catalog:
        if isinstance(m.id, tuple):  # a plural: every form of the language, each with %(n)s
            forms = list(m.string)
            assert len(forms) == catalog.num_plurals and all("%(n)s" in f for f in forms), m.id
            translated[m.id[0]] = forms[-1]
        elif m.id:
            translated[m.id] = m.string
    used = used_messages()
    assert len(used) > 80
    missing = sorted(m for m in used if not translated.get(m))
    assert missing == []
    for msgid in used:
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(translated[msgid])), msgid


def test_content_fields_fall_back_to_english() -> None:
    assert localize({"en": "Tension", "zh": "紧张", "ru": "Напряжённость"}, "zh-Hans") == "紧张"
    assert localize({"en": "Tension", "zh": "紧张"}, "ru") == "Tension"
    assert localize("plain", "ru") == "plain"
    assert from_accept_language("ru-RU,ru;q=0.9,en;q=0.5") == "ru"
    assert from_accept_language("zh-CN,zh;q=0.9") == "zh-Hans"
    assert from_accept_language("de-DE,pl;q=0.9") == "en"
    assert translator("ru")("Started: %(title)s", title="X") == "Начато: X"


def test_each_person_sees_the_interface_in_their_language(served: Served) -> None:
    chinese = served.join(PEOPLE["KES"], language="zh-Hans")
    russian = served.join(PEOPLE["LOV"], language="ru")
    english = served.join(PEOPLE["NRD"])
    assert "实时动态" in chinese.client.get("/delegation").text
    assert "Лента событий" in russian.client.get("/delegation").text
    assert "Live feed" in english.client.get("/delegation").text
    response = english.client.post(
        "/language", data={"csrf": english.csrf, "language": "ru"}, follow_redirects=True
    )
    assert "Лента событий" in response.text


@pytest.mark.parametrize("language", ["zh-Hans", "ru"])
def test_every_request_status_is_translated(language: str) -> None:
    """Statuses are shown as `_(status)` (the console's board and arrivals), which the
    extraction above cannot see; each has its translation, a model's answer its own."""
    _ = translator(language)
    statuses = (
        *("open", "answered", "simulated", "model", "missed", "closed"),
        *("not opened", "opened", "drafted"),  # the board's words for an open request
    )
    said = {status: _(status) for status in statuses}
    assert all(said[s] != s for s in statuses), said
    assert len(set(said.values())) == len(statuses)
