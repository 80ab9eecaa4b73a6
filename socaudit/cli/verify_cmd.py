"""``socaudit verify DIR``: is an evidence bundle exactly as it was signed?

Exit status: 0 valid; 1 tampered or invalid (each problem printed); 2 no such folder or an
unreadable --trust file.
"""

from __future__ import annotations

from pathlib import Path

import click
from cryptography import x509

from socaudit.errors import UsageError
from socaudit.exitcodes import ExitCode
from socaudit.report.verify import verify_bundle


@click.command("verify")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), metavar="DIR")
@click.option(
    "--trust",
    "trust_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="PEM",
    help="Trusted certificate(s): the signer must be one of them or chain to one.",
)
def verify(folder: Path, trust_path: Path | None) -> int:
    """Check a bundle: every file's SHA-256 against the manifest, nothing added or removed,
    the manifest's signature, and with --trust that the signer chains to a trusted certificate."""
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    trust: list[x509.Certificate] = []
    if trust_path is not None:
        try:
            trust = x509.load_pem_x509_certificates(trust_path.read_bytes())
        except ValueError as exc:
            raise UsageError(f"{trust_path}: not a PEM certificate ({exc})") from exc
    result = verify_bundle(folder, trust)
    for problem in result.problems:
        click.echo(f"{folder}: {problem}")
    if not result.valid:
        click.echo(f"{folder}: INVALID ({len(result.problems)} problems)")
        return ExitCode.FINDINGS
    trust_note = "trusted signer" if result.trusted else "signer not checked against --trust"
    click.echo(f"{folder}: valid — {result.files} files, signed by {result.signer} ({trust_note})")
    return ExitCode.OK
