"""Signed bundles: verify passes untouched, fails on any change; openssl agrees."""

from __future__ import annotations

import datetime as dt
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from socaudit.cli.main import main
from socaudit.errors import UsageError
from socaudit.report.bundle import MANIFEST, SIGNATURE, sign, write_bundle
from socaudit.report.signing import Signer, default_signer, load_signer
from socaudit.report.verify import verify_bundle

FILES = {
    "reports/dvc.vi.html": "<p>Báo cáo</p>".encode(),
    "results/assessment.json": b"{}\n",
    "evidence/nmap/001.xml": b"<nmaprun/>",
}


@pytest.fixture
def signer(tmp_path: Path) -> Signer:
    return default_signer(tmp_path / "keys")


@pytest.fixture
def bundle(tmp_path: Path, signer: Signer) -> Path:
    return write_bundle(tmp_path / "bundle", FILES, {"run": 1}, signer)


def _openssl(folder: Path, ca: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "openssl", "cms", "-verify", "-binary", "-inform", "DER",
            "-in", str(folder / SIGNATURE), "-content", str(folder / MANIFEST),
            "-CAfile", str(ca), "-purpose", "any", "-out", "/dev/null",
        ],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip


def test_untouched_bundle_verifies_here_and_with_openssl(bundle: Path, tmp_path: Path) -> None:
    result = verify_bundle(bundle)
    assert result.valid and result.files == 4  # three files and signer.pem
    assert result.signer is not None and "socaudit" in result.signer
    done = _openssl(bundle, tmp_path / "keys" / "signing-cert.pem")
    assert done.returncode == 0, done.stderr
    assert "Verification successful" in done.stderr


def test_the_key_is_created_private(tmp_path: Path, signer: Signer) -> None:
    key = tmp_path / "keys" / "signing-key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    again = default_signer(tmp_path / "keys")  # reused, not regenerated
    assert again.certificate == signer.certificate


def test_one_changed_byte_is_found(bundle: Path, tmp_path: Path) -> None:
    path = bundle / "reports" / "dvc.vi.html"
    data = bytearray(path.read_bytes())
    data[3] ^= 0x01
    path.write_bytes(bytes(data))
    assert verify_bundle(bundle).problems == (
        "reports/dvc.vi.html: changed (SHA-256 differs from the manifest)",
    )


def test_added_and_removed_files_are_found(bundle: Path) -> None:
    (bundle / "reports" / "extra.html").write_text("x")
    (bundle / "evidence" / "nmap" / "001.xml").unlink()
    assert verify_bundle(bundle).problems == (
        "reports/extra.html: added (not in the manifest)",
        "evidence/nmap/001.xml: missing",
    )


def test_a_changed_manifest_breaks_the_signature(bundle: Path, tmp_path: Path) -> None:
    manifest = bundle / MANIFEST
    manifest.write_bytes(manifest.read_bytes().replace(b'"run": 1', b'"run": 2'))
    problems = verify_bundle(bundle).problems
    assert len(problems) == 1 and problems[0].startswith(f"{SIGNATURE}: the signature does not")
    assert _openssl(bundle, tmp_path / "keys" / "signing-cert.pem").returncode != 0


def test_a_replaced_signature_is_found(bundle: Path, tmp_path: Path) -> None:
    other = default_signer(tmp_path / "other")
    # A valid signature by someone else over the same manifest: only --trust can tell.
    (bundle / SIGNATURE).write_bytes(sign((bundle / MANIFEST).read_bytes(), other))
    mine = x509.load_pem_x509_certificate((tmp_path / "keys" / "signing-cert.pem").read_bytes())
    result = verify_bundle(bundle, [mine])
    assert result.trusted is False and not result.valid
    # A signature over other bytes fails outright.
    (bundle / SIGNATURE).write_bytes(sign(b"something else", other))
    assert any("does not verify" in p for p in verify_bundle(bundle).problems)
    (bundle / SIGNATURE).write_bytes(b"\x30\x03\x02\x01\x00")
    assert any("does not verify" in p for p in verify_bundle(bundle).problems)
    assert _openssl(bundle, tmp_path / "keys" / "signing-cert.pem").returncode != 0


def _ca_and_leaf(tmp_path: Path) -> tuple[Path, Path, Path]:
    now = dt.datetime.now(dt.UTC)

    def cert(name: str, key: rsa.RSAPrivateKey, issuer: str, signing: rsa.RSAPrivateKey,
             ca: bool) -> x509.Certificate:  # fmt: skip
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(signing, hashes.SHA256())
        )

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = cert("Sở KH&CN CA", ca_key, "Sở KH&CN CA", ca_key, True)
    leaf = cert("Sở KH&CN ký số", leaf_key, "Sở KH&CN CA", ca_key, False)
    paths = tmp_path / "ca.pem", tmp_path / "leaf.pem", tmp_path / "leaf-key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def test_the_users_certificate_chains_to_the_trusted_ca(tmp_path: Path) -> None:
    ca, leaf, key = _ca_and_leaf(tmp_path)
    folder = write_bundle(tmp_path / "b", FILES, {}, load_signer(leaf, key))
    anchor = x509.load_pem_x509_certificates(ca.read_bytes())
    result = verify_bundle(folder, anchor)
    assert result.valid and result.trusted is True
    assert _openssl(folder, ca).returncode == 0  # RSA signer, CA-issued
    stranger = default_signer(tmp_path / "stranger").certificate
    assert verify_bundle(folder, [stranger]).trusted is False


def test_a_key_that_does_not_match_is_refused(tmp_path: Path) -> None:
    _ca, leaf, _key = _ca_and_leaf(tmp_path)
    default_signer(tmp_path / "k")
    with pytest.raises(UsageError, match="is not the private key"):
        load_signer(leaf, tmp_path / "k" / "signing-key.pem")


def test_a_folder_with_other_files_is_refused_an_old_bundle_replaced(
    tmp_path: Path, signer: Signer
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="not empty"):
        write_bundle(folder, FILES, {}, signer)
    shutil.rmtree(folder)
    write_bundle(folder, FILES, {}, signer)
    write_bundle(folder, {"reports/x.md": b"# x"}, {}, signer)  # the old files go away
    assert verify_bundle(folder).valid and not (folder / "reports" / "dvc.vi.html").exists()


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    code = exited.value.code
    return (code if isinstance(code, int) else 1), capsys.readouterr().out


def test_verify_command_exit_codes(
    bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _main(capsys, "verify", str(bundle))
    assert code == 0 and "valid" in out
    cert = tmp_path / "keys" / "signing-cert.pem"
    code, out = _main(capsys, "verify", str(bundle), "--trust", str(cert))
    assert code == 0 and "trusted signer" in out
    (bundle / "results" / "assessment.json").write_text("{ }\n")
    code, out = _main(capsys, "verify", str(bundle))
    assert code == 1
    assert "results/assessment.json: changed" in out and "INVALID" in out
    assert _main(capsys, "verify", str(tmp_path / "nowhere"))[0] == 2
