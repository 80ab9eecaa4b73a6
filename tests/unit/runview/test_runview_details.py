"""build_run_view: discovery, declared-but-closed ports, TLS/HTTP/SSH summaries, counts."""

from __future__ import annotations

from socaudit.evidence.base import AttemptStatus, ErrorReason, EvidenceKind
from socaudit.runview import build_run_view

from .details import discovery, graded_tls, plain_http, weak_ssh
from .records import INVENTORY, ports, record, refusal


def test_discovery_shows_each_asset_up_or_down_and_how() -> None:
    (system,) = build_run_view([discovery(up=False)], INVENTORY).systems
    (asset,) = system.assets
    assert (asset.asset_id, asset.address, asset.host_up, asset.method) == (
        "ioc-web",
        "127.0.30.1",
        False,
        "tcp_connect",
    )


def test_declared_port_not_found_open_is_listed_with_its_state() -> None:
    (system,) = build_run_view([ports(3306)], INVENTORY).systems
    assert [(c.port, c.name, c.state) for c in system.closed_ports] == [(443, "https", "not open")]


def test_declared_closed_ports_need_the_inventory() -> None:
    (system,) = build_run_view([ports(3306)], None).systems
    assert system.closed_ports == ()


def test_tls_summary_keeps_caps_mozilla_certificate_and_hsts() -> None:
    (tls,) = build_run_view([graded_tls()], INVENTORY).systems[0].tls
    assert (tls.grade, tls.grade_if_trust_ignored) == ("C", "B")
    assert tls.caps == ("C: TLS 1.0 accepted",)
    assert tls.mozilla == (("intermediate-5.7", False), ("modern-5.7", None))
    assert tls.cert is not None
    assert (tls.cert.key, tls.cert.signature_hash, tls.cert.complete) == ("RSA-1024", "sha1", False)
    assert tls.cert.hostname_match is False
    assert tls.hsts == "max-age=300; includeSubDomains"


def test_http_summary_lists_missing_headers_and_the_banner() -> None:
    (system,) = build_run_view([plain_http()], INVENTORY).systems
    (http,) = system.http
    assert http.redirects_to_https is False
    assert http.missing_headers == (
        "content-security-policy",
        "x-content-type-options",
        "referrer-policy",
    )
    assert http.server_banner == "nginx/1.22.1"
    ids = {f.finding.id for f in system.findings}
    assert {"http.no_https_redirect", "http.server.version_disclosed"} <= ids


def test_ssh_summary_has_banner_auth_methods_and_weaknesses() -> None:
    (ssh,) = build_run_view([weak_ssh()], INVENTORY).systems[0].ssh
    assert ssh.banner == "SSH-2.0-OpenSSH_7.4"
    assert ssh.auth_methods == ("publickey", "password")
    assert ssh.weaknesses == ("kex diffie-hellman-group1-sha1 (medium)",)


def test_ssh_summary_shows_host_keys_group_exchange_and_terrapin() -> None:
    from socaudit.evidence.ssh import SshCertificate, SshGexSizes, SshHostKey
    from socaudit.probes.ssh_findings import judged

    base = weak_ssh().payload
    assert base is not None and base.kind == "ssh"
    cert = SshCertificate(
        cert_type="host",
        key_id="web",
        ca_key_type="ssh-ed25519",
        ca_bits=256,
        ca_fingerprint="SHA256:ca",
    )
    keys = (
        SshHostKey(
            algorithms=("rsa-sha2-512", "ssh-rsa"),
            key_type="ssh-rsa",
            bits=1024,
            fingerprint="SHA256:k",
        ),
        SshHostKey(
            algorithms=("ssh-ed25519-cert-v01@openssh.com",),
            key_type="ssh-ed25519",
            bits=256,
            fingerprint="SHA256:c",
            certificate=cert,
        ),
    )
    gex = (
        SshGexSizes(
            algorithm="diffie-hellman-group-exchange-sha256", min_bits=2048, preferred_bits=3072
        ),
    )
    payload = judged(base.model_copy(update={"host_keys": keys, "gex": gex, "terrapin": True}))
    (system,) = build_run_view(
        [record(EvidenceKind.SSH, "ssh:127.0.30.1:22", payload, port=22)], INVENTORY
    ).systems
    (ssh,) = system.ssh
    assert ssh.host_keys == (
        "rsa-sha2-512/ssh-rsa: ssh-rsa 1024 bits SHA256:k",
        "ssh-ed25519-cert-v01@openssh.com: ssh-ed25519 256 bits SHA256:c; host certificate 'web' "
        "by CA ssh-ed25519 256 bits SHA256:ca",
    )
    assert ssh.gex == (
        "diffie-hellman-group-exchange-sha256: smallest 2048 bits, modern request 3072 bits",
    )
    assert ssh.terrapin is True
    from socaudit.cli.evidence_text import _ssh_text

    text = "\n".join(_ssh_text(ssh))
    assert "host key rsa-sha2-512/ssh-rsa: ssh-rsa 1024 bits" in text
    assert "terrapin (CVE-2023-48795): VULNERABLE" in text
    assert {"ssh.host_key.small", "ssh.terrapin"} <= {f.finding.id for f in system.findings}


def test_errors_and_refusals_are_counted_apart() -> None:
    error = record(
        EvidenceKind.TLS,
        "tls:127.0.30.1:443",
        status=AttemptStatus.ERROR,
        reason=ErrorReason.CONNECTIVITY,
        detail="connection reset",
    )
    view = build_run_view([error, refusal()], INVENTORY)
    assert (view.errors, view.refusals, view.problems) == (1, 1, 2)


def test_a_run_system_without_records_still_appears() -> None:
    view = build_run_view([], INVENTORY, ["ioc"])
    (system,) = view.systems
    assert (system.system_id, system.level, system.open_ports) == ("ioc", 3, ())
