"""The read-only views' routes (observer, projector): the page, each panel, an unknown panel.
Who may read them is checked route by route in test_access."""

from __future__ import annotations

import pytest

from tests.web.conftest import PEOPLE, Served

VIEWS = {
    "observer": ("/observer", ("programme", "exercise", "ground", "feed")),
    "projector": ("/projector", ("screen",)),
}


@pytest.mark.parametrize("view", list(VIEWS))
def test_a_read_only_view_serves_its_page_and_panels_only(served: Served, view: str) -> None:
    prefix, panels = VIEWS[view]
    person = served.join(PEOPLE[view])
    page = person.client.get(prefix)
    assert page.status_code == 200 and "<html" in page.text
    for name in panels:
        assert person.client.get(f"{prefix}/panel/{name}").status_code == 200, name
    other = "decisions"  # a facilitator's panel, in no read-only view
    missing = person.client.get(f"{prefix}/panel/{other}")
    assert missing.status_code == 404 and missing.text == "no such panel"
