"""Who is asking: join codes exchanged for signed session cookies, CSRF tokens, rate limits.

- **Identities.** Every person of `meeting.yaml` (delegates, observers, facilitators) plus the
  projector (`@projector`, a screen, not a person) and, when the meeting file names no
  facilitator, `@facilitator`. Ids starting with `@` cannot clash with meeting ids.
- **Join codes** come from :mod:`detente.access` (80-bit HMAC codes from the per-meeting
  `join-secret` in the output folder). Revoking a code is a `code_revoked` event; the person's
  code generation is the number of those events, so the revoked code no longer matches and
  every session issued under it stops working.
- **Sessions** are cookies signed with `itsdangerous` under a key kept in the output folder
  (`web-session-key`, mode 0600): HttpOnly, SameSite=Strict, holding the person, their code
  generation, a CSRF token and their language. Leaving ends the session server-side: the log
  records the hash of its token (`session_ended`) and the cookie no longer opens a page.
- **CSRF.** Every state-changing request must carry the session's token (form field `csrf` or
  header `X-CSRF-Token`); the join form, which has no session yet, uses a double-submit cookie.
- **Rate limits.** Failed join attempts are limited per client address and per code typed
  (sliding windows); a valid code always joins, so nobody's typos lock a colleague out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from detente.access import (
    join_code,
    load_or_create_secret,
    load_or_create_secret_file,
    person_for_code,
)
from detente.meeting.model import Meeting, Role

PROJECTOR = "@projector"
FACILITATOR_ID = "@facilitator"
SESSION_KEY_FILE = "web-session-key"
WRITES_PER_WINDOW = 30
WRITE_WINDOW = 10.0
SESSION_DAYS = 14
"""A session lasts two weeks: longer than any meeting, short enough to expire after it."""


@dataclass(frozen=True)
class Identity:
    """Someone (or the projector) who may join."""

    person: str
    role: str
    """`facilitator`, `delegate`, `observer` or `projector`."""
    delegation: str | None
    name: str
    language: str


def identities(meeting: Meeting) -> dict[str, Identity]:
    """Everyone who may join, by id (meeting file order, then the projector)."""
    found = {
        p.id: Identity(p.id, p.role.value, p.delegation, p.name, p.language) for p in meeting.people
    }
    if not any(p.role is Role.FACILITATOR for p in meeting.people):
        found[FACILITATOR_ID] = Identity(FACILITATOR_ID, "facilitator", None, "Facilitator", "en")
    found[PROJECTOR] = Identity(PROJECTOR, "projector", None, "Projector", "en")
    return found


@dataclass(frozen=True)
class Session:
    person: str
    generation: int
    csrf: str
    language: str


class RateLimiter:
    """At most `limit` failures per `window` seconds per key (thread-safe)."""

    def __init__(self, limit: int = 10, window: float = 300.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, key: str) -> bool:
        if self.limit <= 0:  # no limit
            return False
        now = time.monotonic()
        with self._lock:
            times = self._failures.get(key)
            if times is None:
                return False
            while times and now - times[0] > self.window:
                times.popleft()
            return len(times) >= self.limit

    def fail(self, key: str) -> None:
        with self._lock:
            self._failures.setdefault(key, deque()).append(time.monotonic())


class Gatekeeper:
    """Join codes and sessions for one meeting."""

    def __init__(self, out: Path, meeting: Meeting) -> None:
        self.meeting_id = meeting.meeting.id
        self.people = identities(meeting)
        self.secret = load_or_create_secret(out)
        key = load_or_create_secret_file(out / SESSION_KEY_FILE)
        self.serializer = URLSafeTimedSerializer(key, salt=f"detente-session:{self.meeting_id}")
        self.cookie = "detente_" + "".join(c if c.isalnum() else "_" for c in self.meeting_id)
        self.limiter = RateLimiter()
        self.writes = RateLimiter(limit=WRITES_PER_WINDOW, window=WRITE_WINDOW)
        """Every delegate write (draft, answer, ballot, note) per person: a person typing and
        saving by hand stays far below it; a script flooding the log does not."""

    def code(self, person: str, generations: dict[str, int]) -> str:
        """The person's current join code."""
        return join_code(self.secret, person, generations.get(person, 0))

    def person_for(self, code: str, generations: dict[str, int]) -> str | None:
        return person_for_code(self.secret, code, list(self.people), generations)

    def issue(self, person: str, generation: int, language: str) -> str:
        """A signed cookie value for a new session."""
        return self.serializer.dumps(
            {"p": person, "g": generation, "c": secrets.token_urlsafe(24), "l": language}
        )

    def relabel(self, session: Session, language: str) -> str:
        """The same session in another language (same CSRF token)."""
        return self.serializer.dumps(
            {"p": session.person, "g": session.generation, "c": session.csrf, "l": language}
        )

    def read(self, value: str | None, generations: dict[str, int]) -> Session | None:
        """The session a cookie holds, or None when unsigned, expired, unknown or revoked."""
        if not value:
            return None
        try:
            data = self.serializer.loads(value, max_age=SESSION_DAYS * 86400)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        person, generation = data.get("p"), data.get("g")
        if not isinstance(person, str) or person not in self.people:
            return None
        if generation != generations.get(person, 0):
            return None
        return Session(person, int(generation), str(data.get("c", "")), str(data.get("l", "en")))

    def language(self, value: str | None) -> str | None:
        """The language a signed cookie names, even when its session ended (revoked or past
        logout), so the refusal that says so is in the person's language."""
        if not value:
            return None
        try:
            data = self.serializer.loads(value, max_age=SESSION_DAYS * 86400)
        except BadSignature:
            return None
        found = data.get("l") if isinstance(data, dict) else None
        return found if isinstance(found, str) else None


def session_hash(session: Session) -> str:
    """What the log keeps of an ended session: the SHA-256 of its CSRF token (never the token)."""
    return hashlib.sha256(session.csrf.encode()).hexdigest()


def same_token(expected: str, given: str | None) -> bool:
    """Constant-time CSRF comparison (an empty expected token never matches)."""
    return bool(expected) and given is not None and hmac.compare_digest(expected, given)
