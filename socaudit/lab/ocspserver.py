"""The lab's OCSP responder and CRL server (HTTP/1.0 in asyncio), signing live answers with the
lab intermediate CA: ``POST /ocsp`` (RFC 6960 appendix A), ``GET /ocsp/<base64>`` and
``GET /lab.crl``."""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import json
from pathlib import Path
from urllib.parse import unquote

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp

from socaudit.lab.plainprotocols import IDLE_TIMEOUT
from socaudit.lab.starttlsservers import Handler

MAX_REQUEST = 16 * 1024


class Responder:
    """Answers from ``ca/`` of a lab directory (material of ``socaudit.lab.revocationpki``)."""

    def __init__(self, ca_dir: Path) -> None:
        self.ca_dir = ca_dir

    def _issuer(self) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
        cert = x509.load_pem_x509_certificate((self.ca_dir / "lab-intermediate.pem").read_bytes())
        key = serialization.load_pem_private_key(
            (self.ca_dir / "lab-intermediate.key").read_bytes(), None
        )
        assert isinstance(key, rsa.RSAPrivateKey)  # noqa: S101 - the lab PKI is RSA
        return cert, key

    def answer(self, der: bytes) -> bytes:
        """The DER OCSP response to a DER request (malformed → malformedRequest)."""
        try:
            request = ocsp.load_der_ocsp_request(der)
        except ValueError:
            status = ocsp.OCSPResponseStatus.MALFORMED_REQUEST
            return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(
                serialization.Encoding.DER
            )
        issuer, key = self._issuer()
        view = json.loads((self.ca_dir / "revocation.json").read_text(encoding="utf-8"))
        serial = str(request.serial_number)
        known = serial in view["known"].values()
        revoked = serial in view["revoked"]
        now = dt.datetime.now(dt.UTC)
        if revoked:
            status_ = ocsp.OCSPCertStatus.REVOKED
        elif known:
            status_ = ocsp.OCSPCertStatus.GOOD
        else:
            status_ = ocsp.OCSPCertStatus.UNKNOWN
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash, issuer_key_hash=request.issuer_key_hash,
            serial_number=request.serial_number, algorithm=request.hash_algorithm,
            cert_status=status_, this_update=now - dt.timedelta(minutes=1),
            next_update=now + dt.timedelta(hours=1),
            revocation_time=now - dt.timedelta(hours=1) if revoked else None,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked else None,
        ).responder_id(ocsp.OCSPResponderEncoding.HASH, issuer)  # fmt: skip
        return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def crl(self) -> bytes:
        return (self.ca_dir / "lab.crl").read_bytes()


def _reply(code: str, body: bytes, kind: str) -> bytes:
    head = f"HTTP/1.0 {code}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
    return (head + "Connection: close\r\n\r\n").encode("ascii") + body


async def _request(reader: asyncio.StreamReader) -> tuple[str, str, bytes] | None:
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), IDLE_TIMEOUT)
    except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        return None
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length" and value.strip().isdigit():
            length = int(value.strip())
    if length > MAX_REQUEST:
        return None
    body = await asyncio.wait_for(reader.readexactly(length), IDLE_TIMEOUT) if length else b""
    return parts[0], parts[1], body


def handler(responder: Responder) -> Handler:
    async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await _request(reader)
        if request is None:
            writer.write(_reply("400 Bad Request", b"", "text/plain"))
        else:
            writer.write(_route(responder, *request))
        await asyncio.wait_for(writer.drain(), IDLE_TIMEOUT)

    return run


def _route(responder: Responder, method: str, path: str, body: bytes) -> bytes:
    kind = "application/ocsp-response"
    if method == "POST" and path == "/ocsp":
        return _reply("200 OK", responder.answer(body), kind)
    if method == "GET" and path.startswith("/ocsp/"):
        try:
            der = base64.b64decode(unquote(path[len("/ocsp/") :]), validate=True)
        except (binascii.Error, ValueError):
            der = b""
        return _reply("200 OK", responder.answer(der), kind)
    if method == "GET" and path == "/lab.crl":
        return _reply("200 OK", responder.crl(), "application/pkix-crl")
    return _reply("404 Not Found", b"", "text/plain")
