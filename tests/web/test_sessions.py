"""Sessions, codes and limits: leaving ends a session on the server, the facilitator rotates
their own code, join links are hidden until asked for, the join sheet follows revocations,
delegate writes are bounded in size and rate, the log is private to its owner, and
X-Forwarded-For is believed only from a proxy named with --proxy."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import httpx

from detente.web.commands import write_join_sheet
from tests.web.conftest import CORVAN, PEOPLE, Served, decide
from tests.web.server import start


def test_leaving_ends_the_session_on_the_server(served: Served) -> None:
    delegate = served.join(PEOPLE["NRD"])
    cookies = dict(delegate.client.cookies)
    response = delegate.client.post("/logout", data={"csrf": delegate.csrf}, follow_redirects=False)
    assert response.status_code == 303
    replay = served.client()
    replay.cookies.update(cookies)  # the old cookie, replayed
    assert replay.get("/delegation", follow_redirects=False).status_code == 303  # to /join
    refused = replay.post(
        "/delegation/notes",
        data={"csrf": delegate.csrf, "text": "after leaving"},
        headers={"hx-request": "true"},
    )
    assert refused.status_code == 401
    assert "session has ended" in refused.text
    # joining again gives a new session that works
    again = served.join(PEOPLE["NRD"])
    assert again.client.get("/delegation").status_code == 200


def test_the_facilitator_rotates_their_own_code(served: Served) -> None:
    facilitator = served.join(PEOPLE["facilitator"])
    old = served.live.gate.code(PEOPLE["facilitator"], served.live.generations)
    response = facilitator.post(f"/facilitator/people/{PEOPLE['facilitator']}/revoke")
    assert response.status_code == 200  # type: ignore[attr-defined]
    target = response.headers["HX-Redirect"]  # type: ignore[attr-defined]
    new = served.live.gate.code(PEOPLE["facilitator"], served.live.generations)
    assert new != old and target == f"/join/{new}"
    assert facilitator.client.get("/facilitator", follow_redirects=False).status_code == 303
    assert served.join(PEOPLE["facilitator"]).client.get("/facilitator").status_code == 200


def test_join_links_are_hidden_until_asked_and_the_sheet_follows_revocations(
    served: Served, tmp_path: Path
) -> None:
    sheet = tmp_path / "join-sheet.html"
    served.live.join_sheet = lambda: write_join_sheet(served.live, "http://venue:8000", sheet)
    served.live.join_sheet()
    facilitator = served.join(PEOPLE["facilitator"])
    people = facilitator.client.get("/facilitator/panel/people").text
    link = re.search(r'<details data-test="code"><summary>[^<]+</summary><code', people)
    assert link is not None  # every link sits in a closed <details>
    assert '<details data-test="code" open' not in people
    old = served.live.gate.code(PEOPLE["KES"], served.live.generations)
    assert old in sheet.read_text()
    response = facilitator.post(f"/facilitator/people/{PEOPLE['KES']}/revoke")
    assert response.status_code == 200  # type: ignore[attr-defined]
    new = served.live.gate.code(PEOPLE["KES"], served.live.generations)
    text = sheet.read_text()
    assert new in text and old not in text


def test_delegate_writes_are_bounded_in_size_and_rate(exercise: Served) -> None:
    facilitator = exercise.join(CORVAN["facilitator"])
    decide(exercise, facilitator, {"note": ""}, "Start: Tabletop Exercise")
    decide(exercise, facilitator, {"note": ""}, "Open move 1")
    delegate = exercise.join(CORVAN["ALD"])
    page = delegate.client.get("/delegation/panel/requests").text
    key = re.search(r'data-key="([A-Z]+-\d+)"', page)
    assert key is not None
    draft = f"/delegation/requests/{key.group(1)}/draft"
    before = exercise.live.controller.log.seq
    long = delegate.post(draft, {"statement": "x" * 5000})
    assert long.status_code == 422  # type: ignore[attr-defined]
    assert "longer than 4000 characters" in long.text  # type: ignore[attr-defined]
    many = delegate.post(draft, {f"f{i}": "x" for i in range(100)})
    assert many.status_code == 413  # type: ignore[attr-defined]
    assert exercise.live.controller.log.seq == before
    statuses = [delegate.post(draft, {"statement": f"draft {i}"}).status_code for i in range(40)]  # type: ignore[attr-defined]
    assert 429 in statuses and statuses[0] == 200
    refused = delegate.post(draft, {"statement": "one more"})
    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert "wait a few seconds" in refused.text  # type: ignore[attr-defined]


def test_the_log_is_private_to_its_owner(served: Served) -> None:
    database = served.live.out / "detente.db"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    for name in ("join-secret", "web-session-key"):
        path = served.live.out / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


def test_forwarded_for_is_believed_only_from_a_named_proxy(harbour: Path, tmp_path: Path) -> None:
    server = start(harbour, tmp_path / "out")
    try:
        client = httpx.Client(base_url=server.base, timeout=10)
        statuses = []
        for i in range(12):  # a rotating X-Forwarded-For from 127.0.0.1: still one address
            page = client.get("/join").text
            token = re.search(r'name="csrf" value="([^"]+)"', page)
            assert token is not None
            response = client.post(
                "/join",
                data={"code": "2222-2222-2222-2222", "csrf": token.group(1)},
                headers={"X-Forwarded-For": f"10.0.0.{i}"},
            )
            statuses.append(response.status_code)
        assert statuses[-1] == 429, statuses
    finally:
        server.stop()


def test_tls_on_the_laptop(harbour: Path, tmp_path: Path) -> None:
    """`--tls` makes a venue certificate once (key 0600), serves HTTPS with Secure cookies and
    shows the certificate's fingerprint on the join sheet and the projector."""
    out = tmp_path / "out"
    server = start(harbour, out, args=("--tls",))
    try:
        assert server.base.startswith("https://")
        key = out / "tls-key.pem"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        from detente.web.tls import fingerprint

        printed = fingerprint(out / "tls-cert.pem")
        assert printed in (out / "join-sheet.html").read_text()
        client = httpx.Client(base_url=server.base, timeout=10, verify=False)
        code = server.code("@projector")
        page = client.get(f"/join/{code}").text
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token is not None
        response = client.post(
            "/join", data={"code": code, "csrf": token.group(1)}, follow_redirects=False
        )
        assert response.status_code == 303
        assert "secure" in response.headers["set-cookie"].lower()
        assert printed in client.get("/projector").text
    finally:
        server.stop()
    # a restart keeps the same certificate (people checked its fingerprint once)
    again = start(harbour, out, args=("--tls",))
    try:
        assert fingerprint(out / "tls-cert.pem") == printed
    finally:
        again.stop()
