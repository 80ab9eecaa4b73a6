"""nginx configuration for every TLS and HTTP lab target (one nginx process serves them all).

nginx loads certificates before it applies ``ssl_ciphers``, so weak keys (1024-bit, SHA-1)
would be refused at the default security level 2. The process therefore runs with its own
``OPENSSL_CONF`` that sets level 0 by default, and every strong target says ``@SECLEVEL=2``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from socaudit.lab.pki import LeafFiles
from socaudit.lab.revocationpki import STAPLED
from socaudit.lab.targets import Target, require_loopback

STRONG = (
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
    ":@SECLEVEL=2"
)
WEAK_OK = "ECDHE+AESGCM:ECDHE+CHACHA20:@SECLEVEL=0"
"""Good suites, but level 0 so that the weak certificate itself can be loaded and used."""


@dataclass(frozen=True, slots=True)
class TlsProfile:
    """Protocols, cipher string and optional DH parameter file for one TLS target."""

    protocols: str = "TLSv1.2 TLSv1.3"
    ciphers: str = STRONG
    dhparam: str | None = None
    groups: str = "X25519:prime256v1:secp384r1"
    """Mozilla's key-exchange groups (nginx's default adds x448 and secp521r1)."""
    extra: tuple[str, ...] = ()
    """Further nginx directives (0-RTT, session cache and tickets)."""


PROFILES: dict[str, TlsProfile] = {
    "tls-good": TlsProfile(),
    "tls-legacy": TlsProfile("TLSv1 TLSv1.1 TLSv1.2", "DEFAULT:@SECLEVEL=0"),
    "tls-expired": TlsProfile(),
    "tls-notyet": TlsProfile(),
    "tls-selfsigned": TlsProfile(),
    "tls-rsa1024": TlsProfile(ciphers=WEAK_OK),
    "tls-sha1": TlsProfile(ciphers=WEAK_OK),
    "tls-mismatch": TlsProfile(),
    "tls-nochain": TlsProfile(),
    "tls-null-anon": TlsProfile(
        "TLSv1.2", "ECDHE+AESGCM:aNULL:eNULL:@SECLEVEL=0", dhparam="ffdhe2048.pem"
    ),
    "tls-dhe1024": TlsProfile("TLSv1.2", "DHE+AESGCM:DHE+AES:!aNULL:@SECLEVEL=0", "dh1024.pem"),
    "tls-nofs": TlsProfile("TLSv1.2", "kRSA+AESGCM:kRSA+AES:!aNULL:!eNULL:@SECLEVEL=0"),
    "tls-0rtt": TlsProfile(extra=("ssl_early_data on;", "ssl_session_tickets on;")),
    "tls-noresume": TlsProfile(extra=("ssl_session_cache off;", "ssl_session_tickets off;")),
    "tls-revoked": TlsProfile(),
    "tls-ocsp-stapled": TlsProfile(),
}

GOOD_HEADERS = (
    ("Strict-Transport-Security", '"max-age=63072000; includeSubDomains"'),
    ("Content-Security-Policy", "\"default-src 'self'\""),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)

OPENSSL_CNF = """openssl_conf = lab_init
[lab_init]
ssl_conf = lab_ssl
[lab_ssl]
system_default = lab_default
[lab_default]
CipherString = DEFAULT:@SECLEVEL=0
"""


def _listen(target: Target, tls: bool) -> str:
    require_loopback(target.address)
    host = f"[{target.address}]" if ":" in target.address else target.address
    return f"listen {host}:{target.port}{' ssl' if tls else ''};"


def _tls_server(target: Target, leaf: LeafFiles, conf_dir: Path) -> list[str]:
    profile = PROFILES[target.name]
    lines = [
        _listen(target, tls=True),
        f"server_name {target.hostname};",
        f"ssl_certificate {leaf.chain};",
        f"ssl_certificate_key {leaf.key};",
        f"ssl_protocols {profile.protocols};",
        f'ssl_ciphers "{profile.ciphers}";',
        "ssl_prefer_server_ciphers off;",
        f"ssl_ecdh_curve {profile.groups};",
    ]
    if profile.dhparam:
        lines.append(f"ssl_dhparam {conf_dir / profile.dhparam};")
    lines += profile.extra
    if target.name == STAPLED:  # a pre-signed response from a file: no resolver, no fetch
        staple = conf_dir.parent / "ca" / f"{STAPLED}.ocsp"
        lines += ["ssl_stapling on;", f"ssl_stapling_file {staple};"]
    if target.name == "tls-good":
        lines.append("server_tokens off;")
        lines += [f"add_header {name} {value} always;" for name, value in GOOD_HEADERS]
    lines.append(f'location / {{ default_type text/plain; return 200 "{target.name}\\n"; }}')
    return lines


def _http_server(target: Target, redirect_to: Target | None) -> list[str]:
    lines = [_listen(target, tls=False), f"server_name {target.hostname};"]
    if redirect_to is not None:
        url = f"https://{redirect_to.hostname}:{redirect_to.port}/"
        return [*lines, f"location / {{ return 301 {url}; }}"]
    page = f'return 200 "<p>{target.name}</p>\\n";'
    return [*lines, "server_tokens on;", f"location / {{ default_type text/html; {page} }}"]


def _block(lines: list[str]) -> str:
    return "  server {\n" + "".join(f"    {line}\n" for line in lines) + "  }\n"


def render(
    lab_dir: Path, targets: tuple[Target, ...], leaves: dict[str, LeafFiles], name: str = "nginx"
) -> str:
    """The whole nginx.conf for ``targets`` (nginx backends only), paths inside ``lab_dir``;
    ``name`` keeps a second nginx's folder, pid and log apart."""
    conf_dir = lab_dir / name
    by_name = {t.name: t for t in targets}
    servers = []
    for target in targets:
        if target.kind == "tls":
            servers.append(_block(_tls_server(target, leaves[target.name], conf_dir)))
        elif target.kind == "http":
            dest = by_name["tls-good"] if target.name == "http-redirect" else None
            servers.append(_block(_http_server(target, dest)))
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"  {kind}_temp_path {conf_dir / 'tmp' / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\ndaemon off;\nmaster_process on;\n"
        f"pid {lab_dir / 'run' / f'{name}.pid'};\n"
        f"error_log {lab_dir / 'logs' / f'{name}-error.log'};\n"
        "events { worker_connections 512; }\n"
        "http {\n  access_log off;\n  keepalive_timeout 5;\n  client_header_timeout 4;\n"
        f"  client_body_timeout 5;\n  send_timeout 5;\n{temp}" + "".join(servers) + "}\n"
    )


def write_config(
    lab_dir: Path, targets: tuple[Target, ...], leaves: dict[str, LeafFiles], name: str = "nginx"
) -> Path:
    """Write nginx.conf, openssl.cnf and the DH parameter files; return the nginx.conf path."""
    conf_dir = lab_dir / name
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (conf_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    data = resources.files("socaudit.lab") / "data"
    for param in ("dh1024.pem", "ffdhe2048.pem"):
        (conf_dir / param).write_bytes((data / param).read_bytes())
    (conf_dir / "openssl.cnf").write_text(OPENSSL_CNF, encoding="ascii")
    conf = conf_dir / "nginx.conf"
    conf.write_text(render(lab_dir, targets, leaves, name), encoding="utf-8")
    return conf
