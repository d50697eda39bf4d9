"""TLS on the facilitator's laptop: a self-signed certificate for the venue, or one given.

`detente serve --tls` makes (once, kept in the output folder: `tls-cert.pem`, and `tls-key.pem`
mode 0600) a certificate for the laptop's names and addresses, valid a year, or takes
`--tls-cert`/`--tls-key`. Browsers warn about a self-signed certificate; people compare the
SHA-256 fingerprint their browser shows with the one printed on the join sheet and projector.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

CERT_FILE = "tls-cert.pem"
KEY_FILE = "tls-key.pem"


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path
    fingerprint: str
    """SHA-256 of the DER certificate, as colon-separated hex pairs (what browsers show)."""


def fingerprint(cert: Path) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    loaded = x509.load_pem_x509_certificate(cert.read_bytes())
    return ":".join(f"{b:02X}" for b in loaded.fingerprint(hashes.SHA256()))


def venue_certificate(out: Path, names: list[str]) -> Certificate:
    """The venue certificate in `out`, made for `names` (host names or IP addresses) when
    missing. The key is written 0600."""
    cert, key = out / CERT_FILE, out / KEY_FILE
    if not (cert.exists() and key.exists()):
        _make(cert, key, names)
    return Certificate(cert, key, fingerprint(cert))


def _make(cert_path: Path, key_path: Path, names: list[str]) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    alt: list[x509.GeneralName] = []
    for name in dict.fromkeys([*names, "localhost", "127.0.0.1"]):
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt.append(x509.DNSName(name))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0] if names else "detente")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .sign(key, hashes.SHA256())
    )
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fd = os.open(key_path, flags, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
