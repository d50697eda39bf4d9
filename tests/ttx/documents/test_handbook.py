"""The facilitator handbook's exercise sections: run-of-show, staffing, rules in plain words,
MSEL order and hotwash questions (read from the rendered Markdown)."""

from __future__ import annotations

import re

from detente.ttx.scenario import InjectType
from tests.rendered import Rendered


def _section(md: str, title: str) -> str:
    start = md.index(f"## {title}\n")
    end = md.find("\n## ", start + 1)
    return md[start : end if end > 0 else len(md)]


def test_run_of_show_totals_the_session(rendered: dict[str, Rendered]) -> None:
    md = rendered["korea-2024"].file("facilitator-handbook", "md").read_text(encoding="utf-8")
    part = _section(md, "Run-of-show")
    assert "Opening brief" in part and "Hotwash" in part and "Coffee break" in part
    assert "| Total | 240 |" in part
    assert "exactly (240 minutes)" in part and "Warning" not in part


def test_staffing_per_playing_delegation(rendered: dict[str, Rendered]) -> None:
    for name in ("korea-2024", "ttx-small"):
        r = rendered[name]
        md = r.file("facilitator-handbook", "md").read_text(encoding="utf-8")
        part = _section(md, "Roles and staffing")
        scenario = r.inputs.scenario
        assert scenario is not None
        players = [a for a in scenario.players if a.delegation]
        assert part.count("| Evaluator |") == len(players)
        assert part.count("| Note-taker |") == len(players)
        assert part.count("| Exercise controller |") == 1


def test_every_rule_has_plain_words(rendered: dict[str, Rendered]) -> None:
    r = rendered["korea-2024"]
    md = r.file("facilitator-handbook", "md").read_text(encoding="utf-8")
    part = _section(md, "Adjudication rules")
    scenario = r.inputs.scenario
    assert scenario is not None
    reactions = re.findall(r"^\| [a-z0-9-]+ \|.*\| When .*\|$", part, flags=re.M)
    assert len(reactions) == len(scenario.reactions)
    assert part.count("Occurs when ") == len(scenario.outcomes)
    assert "clip(" in part and "kept between" in part


def test_msel_rows_in_delivery_order(rendered: dict[str, Rendered]) -> None:
    r = rendered["korea-2024"]
    md = r.file("facilitator-handbook", "md").read_text(encoding="utf-8")
    part = _section(md, "Master Scenario Events List")
    checked = 0
    for block in part.split("\n### Move ")[1:]:
        times = re.findall(r"^\| \d+ \| (\d\d:\d\d) \(\+\d+ min\) \|", block, flags=re.M)
        assert times == sorted(times)
        checked += len(times)
    assert checked > 0


def test_hotwash_asks_only_where_an_action_is_expected(rendered: dict[str, Rendered]) -> None:
    r = rendered["korea-2024"]
    md = r.file("facilitator-handbook", "md").read_text(encoding="utf-8")
    part = _section(md, "Hotwash questions")
    scenario = r.inputs.scenario
    assert scenario is not None
    assert "no action expected" not in part.lower()
    asked = {int(n) for n in re.findall(r"Inject \\#(\d+)", part)}
    expected = {
        i.number
        for i in scenario.msel
        if i.expected_actions and i.type is not InjectType.FACILITATION
    }
    assert asked == expected
