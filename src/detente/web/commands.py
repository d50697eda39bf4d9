"""`detente serve`: run the live meeting app for one meeting folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from detente.access import AccessError, join_url, qr_svg
from detente.console import OutOption, err_console, out_dir
from detente.console import load as _load
from detente.console import print_diagnostics as _print_diagnostics
from detente.diagnostics import InputError
from detente.public_url import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    PublicUrl,
    decide_public_url,
    listening_url,
)
from detente.web.i18n import translator

if TYPE_CHECKING:
    from detente.web.common import LiveApp

app = typer.Typer()
"""This module's commands; its plugin adds them to the CLI (`hooks.detente_commands`)."""


JOIN_SHEET = "join-sheet.html"


def write_join_sheet(live: object, base_url: str, path: Path) -> None:
    """An HTML page with every person's join code, link and QR code (mode 0600: it holds every
    code of the meeting)."""
    from detente.web.common import LiveApp

    assert isinstance(live, LiveApp)
    _ = translator("en")
    template = live.env.get_template("joinsheet.html")
    rows = []
    for identity in live.gate.people.values():
        code = live.gate.code(identity.person, live.generations)
        url = join_url(base_url, code)
        rows.append((identity, code, url, qr_svg(url)))
    html = template.render(
        _=_,
        meeting=live.folder.meeting.meeting,
        rows=rows,
        lang="en",
        fingerprint=live.tls_fingerprint,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(html)
    os.chmod(path, 0o600)


def recorded_mode(meeting_id: str, target: Path) -> str | None:
    """The `mode` of the record of `meeting_id` already in the log `serve` would use
    (`simulation` for `detente run`, `live` for the app), None when there is none yet."""
    from detente.store.log import EventStore, database_url

    store = EventStore(database_url(target / "detente.db"))
    try:
        first = next(iter(store.iter(meeting_id)), None)
    finally:
        store.close()
    if first is None or first.kind != "meeting_opened":
        return None
    return str(first.payload.get("mode", "")) or None


@app.command()
def serve(
    folder: Annotated[Path, typer.Argument(help="The meeting folder (holds meeting.yaml).")],
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = DEFAULT_PORT,
    out: OutOption = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulated seats.")] = 0,
    simulate: Annotated[
        list[str] | None,
        typer.Option("--simulate", help="Start with this delegation's seat simulated (repeat)."),
    ] = None,
    deadline: Annotated[
        float | None,
        typer.Option("--deadline", help="Minutes after which an unanswered request closes."),
    ] = None,
    tls: Annotated[
        bool,
        typer.Option(
            "--tls",
            help="Serve HTTPS with a self-signed certificate for the venue (made once in <out>).",
        ),
    ] = False,
    tls_cert: Annotated[
        Path | None, typer.Option("--tls-cert", help="PEM certificate to serve instead.")
    ] = None,
    tls_key: Annotated[
        Path | None, typer.Option("--tls-key", help="PEM private key of --tls-cert.")
    ] = None,
    proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--proxy",
            help="Address of a reverse proxy whose X-Forwarded-For/-Proto to trust (repeat).",
        ),
    ] = None,
    write_limit: Annotated[
        int,
        typer.Option(
            "--write-limit", help="Writes a delegate may make per 10 seconds (0: no limit)."
        ),
    ] = 30,
    minute: Annotated[
        float,
        typer.Option(
            "--minute",
            help="Seconds one scenario minute lasts in the exercise (compress for rehearsals).",
        ),
    ] = 60.0,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            help="Base URL in the join links (saved in <out> for `report`) "
            "[default: $DETENTE_BASE_URL, else the address saved in <out>, else http://HOST:PORT].",
        ),
    ] = None,
) -> None:
    """Serve the live meeting app: facilitator console, delegation and observer views, projector.

    Prints the facilitator's link and writes the join sheet (code, link and QR per person) to
    <out>/join-sheet.html. The log is <out>/detente.db (SQLite) unless DATABASE_URL is set; a
    restarted server resumes the meeting from its log.
    """
    # Long only by its Typer option declarations; the body is 50 lines.
    import uvicorn

    from detente.web.app import create_app
    from detente.web.common import LiveApp

    loaded = _load(folder)
    target = out_dir(folder, out)
    _refuse_other_record(loaded.meeting.meeting.id, target)
    try:
        web_app = create_app(
            loaded,
            target,
            seed=seed,
            deadline_minutes=deadline,
            simulated=simulate or (),
            minute_seconds=minute,
            write_limit=write_limit,
        )
    except InputError as exc:
        _print_diagnostics(exc.diagnostics)
        raise typer.Exit(1) from None
    except (AccessError, ValueError) as exc:
        err_console.print(str(exc), style="red", markup=False)
        raise typer.Exit(1) from None
    live = web_app.state.live
    assert isinstance(live, LiveApp)
    ssl: dict[str, str] = {}
    if tls or tls_cert is not None:
        ssl = _tls_files(live, target, tls_cert, tls_key, [host, _host_of(public_url)])
    decided = _public_url(target, public_url, host, port, bool(ssl))
    link = _publish_join_sheet(live, target, decided.url)
    if host in ("0.0.0.0", "::") and decided.source == "default":
        err_console.print(
            "listening on every interface: pass --public-url http://<this laptop's address>:"
            f"{port} so the links and QR codes point here",
            style="yellow",
            markup=False,
        )
    print(f"facilitator: {link}", flush=True)
    uvicorn.run(
        web_app,
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        # X-Forwarded-For / -Proto are believed only from the proxies named with --proxy
        proxy_headers=bool(proxy),
        forwarded_allow_ips=",".join(proxy) if proxy else "",
        **ssl,  # type: ignore[arg-type]
    )


def _public_url(target: Path, public_url: str | None, host: str, port: int, tls: bool) -> PublicUrl:
    """The base URL of the join links (:func:`detente.public_url.decide_public_url`), warning
    when it replaces the one the packs in `target` were printed with."""
    decided = decide_public_url(target, public_url, default=listening_url(host, port, tls=tls))
    if decided.replaced is not None:
        err_console.print(
            f"the live app's address is now {decided.url}; packs printed earlier in {target} "
            f"carry {decided.replaced}: run `detente report` again",
            style="yellow",
            markup=False,
        )
    return decided


def _refuse_other_record(meeting_id: str, target: Path) -> None:
    """Exit 1 when `target` already holds a record of the meeting that is not a live one (a
    `detente run` simulation): the app cannot continue it."""
    recorded = recorded_mode(meeting_id, target)
    if recorded not in (None, "live"):
        err_console.print(
            f"{target} already holds a {recorded} record of meeting "
            f"'{meeting_id}' (written by `detente run`); the live app cannot "
            "continue it. Serve into another folder (--out DIR), or remove that record first.",
            style="red",
            markup=False,
        )
        raise typer.Exit(1)


def _tls_files(
    live: LiveApp, target: Path, cert: Path | None, key: Path | None, hosts: list[str | None]
) -> dict[str, str]:
    """uvicorn's TLS options: the given certificate (`cert`, `key`), else the venue's
    self-signed one for `hosts` (made once in `target`); the app keeps its fingerprint to
    print on the join sheet. Exit 2 when a certificate is given without its key."""
    from detente.web.tls import Certificate, fingerprint, venue_certificate

    if cert is not None:
        if key is None:
            err_console.print("--tls-cert needs --tls-key", style="red", markup=False)
            raise typer.Exit(2)
        certificate = Certificate(cert, key, fingerprint(cert))
    else:
        names = [n for n in hosts if n and n not in ("0.0.0.0", "::")]
        certificate = venue_certificate(target, names)
    live.tls_fingerprint = certificate.fingerprint
    err_console.print(
        f"TLS certificate SHA-256 {certificate.fingerprint}", markup=False, highlight=False
    )
    return {"ssl_certfile": str(certificate.cert), "ssl_keyfile": str(certificate.key)}


def _publish_join_sheet(live: LiveApp, target: Path, base: str) -> str:
    """Write the join sheet into `target` (and let the app rewrite it when codes change);
    return the facilitator's join link."""
    sheet = target / JOIN_SHEET
    write_join_sheet(live, base, sheet)
    live.join_sheet = lambda: write_join_sheet(live, base, sheet)
    facilitator = next(i for i in live.gate.people.values() if i.role == "facilitator")
    link = join_url(base, live.gate.code(facilitator.person, live.generations))
    err_console.print(f"join sheet (keep it private): {sheet}", markup=False, highlight=False)
    return link


def _host_of(url: str | None) -> str | None:
    """The host name of a URL (for the certificate's names), or None."""
    if not url:
        return None
    from urllib.parse import urlsplit

    return urlsplit(url).hostname
