"""Join codes for the live meeting app: who may join, derived from one per-meeting secret.

Contract (shared with the web issue, which exchanges codes for sessions and handles revocation):

- **The secret.** Each meeting's output folder holds `join-secret` (32 random bytes, hex), created
  once by :func:`load_or_create_secret` with file mode 0600 and never rewritten. Deleting the file
  rotates every code of the meeting at once. A secret file readable by group or others is refused
  (:class:`AccessError`): its codes may have leaked, so the operator must decide.
- **A code.** ``join_code(secret, person_id, generation)`` is HMAC-SHA256 over
  ``"detente-join:v1:<person_id>:<generation>"``, truncated to 80 bits and written in a base32
  alphabet without the ambiguous characters 0/O and 1/I (``23456789ABCDEFGHJKLMNPQRSTUVWXYZ``), as
  four groups of four: ``K7QM-2XPA-9RTD-WE4H``. Codes are deterministic, so the packs, the join
  sheet and the server agree without storing codes anywhere; nothing but the secret is secret.
- **Revocation.** ``generation`` starts at 0. To revoke a person's code, the web app records the
  revocation as an event and issues ``join_code(secret, person_id, generation + 1)``; the
  person's current generation is a fold of those events. A printed pack carries generation 0.
- **Checking a typed code.** :func:`normalize_code` accepts lower case, spaces and missing dashes;
  :func:`person_for_code` compares in constant time against every person's current code. Rate
  limiting of attempts is the server's job (80 bits make guessing hopeless, not free).
- **The link.** ``join_url(base_url, code)`` is ``<base_url>/join/<CODE>``; the QR code
  (:func:`qr_svg`) encodes that link.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import secrets
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

import segno

SECRET_FILE = "join-secret"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""32 symbols: digits 2–9 and the letters without I and O, so no two are easily confused."""
CODE_BITS = 80
GROUP = 4
_CHARS = CODE_BITS // 5  # 16 symbols of 5 bits each


class AccessError(Exception):
    """The join secret cannot be used (unsafe permissions, unreadable, malformed)."""


def load_or_create_secret(out_dir: Path) -> bytes:
    """The meeting's join secret from `out_dir/join-secret`, created (mode 0600) when absent."""
    return load_or_create_secret_file(Path(out_dir) / SECRET_FILE)


def load_or_create_secret_file(path: Path) -> bytes:
    """A 256-bit secret kept in `path`, created (mode 0600) when absent.

    Creation uses O_EXCL, so two processes starting together cannot end with different secrets:
    the loser reads the winner's file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_secret(path)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return read_secret(path)


def read_secret(path: Path) -> bytes:
    """Read an existing secret file, refusing one that others may read."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise AccessError(
            f"{path} is readable by others (mode {mode:04o}); its join codes may have leaked. "
            f"Run `chmod 600 {path}` to keep them, or delete the file to issue new codes."
        )
    text = path.read_text(encoding="ascii").strip()
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        raise AccessError(f"{path} does not hold a hex secret") from None
    if len(secret) < 16:
        raise AccessError(f"{path} holds a secret shorter than 128 bits")
    return secret


def _encode(data: bytes) -> str:
    number = int.from_bytes(data, "big") >> (len(data) * 8 - CODE_BITS)
    chars = []
    for _ in range(_CHARS):
        chars.append(ALPHABET[number & 31])
        number >>= 5
    return "".join(reversed(chars))


def format_code(raw: str) -> str:
    """Group 16 symbols in four groups of four, e.g. `K7QM-2XPA-9RTD-H4WC`."""
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def join_code(secret: bytes, person_id: str, generation: int = 0) -> str:
    """The person's join code for this generation (see the module docstring)."""
    if generation < 0:
        raise ValueError("generation must be >= 0")
    message = f"detente-join:v1:{person_id}:{generation}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return format_code(_encode(digest[: CODE_BITS // 8]))


def normalize_code(typed: str) -> str | None:
    """A typed code in canonical form, or None when it cannot be a code.

    Case, spaces and dashes are forgiven; symbols outside the alphabet are not guessed at.
    """
    raw = "".join(ch for ch in typed.upper() if ch not in " -\t")
    if len(raw) != _CHARS or any(ch not in ALPHABET for ch in raw):
        return None
    return format_code(raw)


def person_for_code(
    secret: bytes,
    code: str,
    people: Iterable[str],
    generations: Mapping[str, int] | None = None,
) -> str | None:
    """The id of the person whose current code is `code`, or None.

    Every candidate is compared (constant time per comparison, no early exit), so the time taken
    does not reveal which person a near-miss belongs to. `generations` maps person ids to their
    current generation (default 0): a revoked code no longer matches.
    """
    wanted = normalize_code(code)
    if wanted is None:
        return None
    found: str | None = None
    for person in people:
        expected = join_code(secret, person, (generations or {}).get(person, 0))
        if hmac.compare_digest(expected.encode(), wanted.encode()) and found is None:
            found = person
    return found


def join_url(base_url: str, code: str) -> str:
    """The link a participant opens to join: `<base_url>/join/<code>`."""
    return f"{base_url.rstrip('/')}/join/{code}"


def qr_svg(data: str, *, scale: int = 4) -> str:
    """A QR code for `data` as a standalone SVG document (black on white, quiet zone kept)."""
    qr = segno.make(data, error="m", micro=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, nl=False)
    return buffer.getvalue().decode("utf-8")
