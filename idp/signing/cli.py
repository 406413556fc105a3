"""``onedoor sign``: verify signed PDFs and detached CAdES signatures, render a sample."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from cryptography import x509

from idp.signing.cades_validation import validate_cades
from idp.signing.render import render_application, sample_application
from idp.signing.validation import Indication, validate_pdf
from keys.files import read_certificate
from keys.layout import ROOT_CA, certificate_path
from onedoor.config import get_settings
from onedoor.errors import InvalidRequestError

app = typer.Typer(help="Electronic signatures: verify signed documents.", no_args_is_help=True)


def _roots(trust: list[Path]) -> list[x509.Certificate]:
    if trust:
        roots: list[x509.Certificate] = []
        for path in trust:
            try:
                roots += x509.load_pem_x509_certificates(path.read_bytes())
            except (OSError, ValueError) as exc:
                raise InvalidRequestError(f"{path} is not a PEM certificate file") from exc
        return roots
    return [read_certificate(certificate_path(get_settings().keys_dir, ROOT_CA))]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidRequestError(f"cannot read {path}: {exc.strerror or exc}") from exc


def is_detached_cms(path: Path, head: bytes) -> bool:
    """A .p7s / .p7m name, or DER that is not a PDF (starts with a SEQUENCE tag)."""
    return path.suffix.lower() in (".p7s", ".p7m") or (
        not head.lstrip().startswith(b"%PDF") and head[:1] == b"\x30"
    )


@app.command("verify")
def verify(
    file: Path = typer.Argument(..., help="Signed PDF, or a detached CAdES signature (.p7s)."),
    data: Path | None = typer.Option(None, help="The signed data of a detached .p7s."),
    trust: list[Path] = typer.Option([], help="Trusted root (PEM); default: OneDoor's root."),
    online: bool = typer.Option(False, help="Fetch fresh OCSP / CRLs instead of embedded ones."),
) -> None:
    """Validate every signature (ETSI EN 319 102-1 indication); exit 0 only if TOTAL_PASSED."""
    content = _read(file)
    if is_detached_cms(file, content[:16]):
        if data is None:
            raise InvalidRequestError("a detached signature needs --data FILE (the signed data)")
        report = validate_cades(content, data=_read(data), trust_roots=_roots(trust),
                                online=online)
    else:
        report = validate_pdf(content, trust_roots=_roots(trust), online=online)
    typer.echo(report.text())
    raise typer.Exit(0 if report.indication is Indication.TOTAL_PASSED else 1)


@app.command("render-sample")
def render_sample(output: Path = typer.Argument(..., help="Where to write the PDF.")) -> None:
    """Write a sample application (Lao and English) as an unsigned PDF."""
    output.write_bytes(render_application(sample_application(datetime.now(UTC))))
    typer.echo(f"wrote {output}")
