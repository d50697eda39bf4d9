"""Where the live app is reached: the one rule `detente report` (join links and QR codes in the
packs) and `detente serve` (the join sheet and the facilitator's link) both follow.

Both commands take the output folder from :func:`detente.console.out_dir` (so the packs carry
the codes `serve` accepts: they live in that folder's secrets) and the public URL from
:func:`decide_public_url`, in this order:

1. the URL given on the command line (`report --base-url`, `serve --public-url`);
2. ``$DETENTE_BASE_URL``;
3. the URL saved in ``<out>/public-url.txt`` by an earlier command that was given one (1 or 2);
4. the default: where `serve` listens (``http://HOST:PORT``; for `report`, serve's defaults
   ``http://127.0.0.1:8000``, right for a rehearsal on one laptop).

A URL chosen by 1 or 2 is saved in the folder, so packs printed with ``--base-url`` and a later
``serve`` without ``--public-url`` agree, and the other way round. A default is never saved: it
says nothing about the venue. When a command is given a URL that differs from the saved one,
:attr:`PublicUrl.replaced` holds the old one so the command can say that documents printed
earlier carry another address.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PUBLIC_URL_FILE = "public-url.txt"
ENV = "DETENTE_BASE_URL"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def listening_url(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, tls: bool = False) -> str:
    """The URL of a server listening on `host`:`port`."""
    return f"{'https' if tls else 'http'}://{host}:{port}"


DEFAULT_URL = listening_url()
"""The default public URL when nothing names one: serve's default address."""


@dataclass(frozen=True)
class PublicUrl:
    """The decided URL (no trailing slash), where it came from (`option`, `environment`,
    `saved` or `default`) and, when a given URL replaced a different saved one, that one."""

    url: str
    source: str
    replaced: str | None = None


def saved_public_url(out: Path) -> str | None:
    """The URL saved in `out` by an earlier command, or None."""
    path = out / PUBLIC_URL_FILE
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8").strip()
    return text or None


def decide_public_url(out: Path, given: str | None, *, default: str = DEFAULT_URL) -> PublicUrl:
    """The public URL for the meeting whose outputs are in `out`, by the rule of the module
    docstring; saves a given (option or environment) URL in `out` (creating the folder)."""
    saved = saved_public_url(out)
    for url, source in ((given, "option"), (os.environ.get(ENV), "environment")):
        if url:
            url = url.strip().rstrip("/")
            out.mkdir(parents=True, exist_ok=True)
            (out / PUBLIC_URL_FILE).write_text(url + "\n", encoding="utf-8")
            return PublicUrl(url, source, saved if saved not in (None, url) else None)
    if saved is not None:
        return PublicUrl(saved.rstrip("/"), "saved")
    return PublicUrl(default.rstrip("/"), "default")


__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_URL",
    "ENV",
    "PUBLIC_URL_FILE",
    "PublicUrl",
    "decide_public_url",
    "listening_url",
    "saved_public_url",
]
