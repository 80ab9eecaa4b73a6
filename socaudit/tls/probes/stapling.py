"""OCSP stapling: read the CertificateStatus message (RFC 6066 §8) from a TLS ≤ 1.2 flight."""

from __future__ import annotations

from socaudit.evidence.base import ErrorReason
from socaudit.tls import parse
from socaudit.tls.errors import ProbeFailure
from socaudit.tls.handshake import MAX_FLIGHT
from socaudit.tls.records import ALERT, HANDSHAKE, RecordReader

STATUS_REQUEST = 5
CERTIFICATE_STATUS = 22
OCSP_TYPE = 1


def read_staple(reader: RecordReader) -> tuple[bool, bytes | None]:
    """(the server accepted the hello, the stapled DER OCSPResponse or None)."""
    buffer = bytearray()
    hello = False
    while True:
        record = reader.next_record()
        if record is None or record.content_type == ALERT:
            if hello:
                raise ProbeFailure(ErrorReason.PROTOCOL, "flight cut off before ServerHelloDone")
            return False, None
        if record.content_type != HANDSHAKE:
            raise ProbeFailure(ErrorReason.PROTOCOL, f"record type {record.content_type} in flight")
        buffer += record.payload
        for kind, body in parse.split_handshakes(buffer, MAX_FLIGHT):
            hello = hello or kind == parse.SERVER_HELLO
            if kind == CERTIFICATE_STATUS:
                return True, _ocsp_body(body)
            if kind == parse.SERVER_HELLO_DONE:
                return hello, None


def _ocsp_body(body: bytes) -> bytes:
    cursor = parse.Cursor(body, "CertificateStatus")
    if cursor.uint(1) != OCSP_TYPE:
        raise ProbeFailure(ErrorReason.PROTOCOL, "CertificateStatus of an unknown type")
    return cursor.vector(3)
