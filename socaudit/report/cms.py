"""Reading a detached CMS SignedData (RFC 5652) far enough to check its signature.

A minimal DER walker: the signer's certificates, the signed attributes (raw, for the
signature check) and their messageDigest, the digest algorithm and the signature value.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509

OID_SIGNED_DATA = bytes.fromhex("2a864886f70d010702")
OID_MESSAGE_DIGEST = bytes.fromhex("2a864886f70d010904")
OID_SHA256 = bytes.fromhex("608648016503040201")


class CmsError(ValueError):
    """Not a CMS SignedData we can check."""


@dataclass(frozen=True, slots=True)
class SignedData:
    certificates: tuple[x509.Certificate, ...]
    digest_oid: bytes
    signed_attributes: bytes
    """DER of the attributes as signed (a SET OF, tag 0x31)."""
    message_digest: bytes
    signature: bytes


@dataclass(frozen=True, slots=True)
class _Tlv:
    tag: int
    start: int
    content: int
    end: int


def _read(data: bytes, offset: int) -> _Tlv:
    if offset + 2 > len(data):
        raise CmsError("truncated DER")
    tag, first = data[offset], data[offset + 1]
    pos = offset + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise CmsError("bad DER length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise CmsError("truncated DER")
    return _Tlv(tag, offset, pos, pos + length)


def _children(data: bytes, node: _Tlv) -> list[_Tlv]:
    items, pos = [], node.content
    while pos < node.end:
        item = _read(data, pos)
        items.append(item)
        pos = item.end
    return items


def parse_signed_data(data: bytes) -> SignedData:
    """The parts of a DER ``ContentInfo`` holding one SignedData with one signer."""
    top = _read(data, 0)
    if top.tag != 0x30 or top.end != len(data):
        raise CmsError("not a DER ContentInfo")
    oid, wrapped = _children(data, top)[:2]
    if data[oid.content : oid.end] != OID_SIGNED_DATA or wrapped.tag != 0xA0:
        raise CmsError("not a CMS SignedData")
    fields = _children(data, _children(data, wrapped)[0])
    certs = tuple(
        x509.load_der_x509_certificate(data[c.start : c.end])
        for f in fields
        if f.tag == 0xA0
        for c in _children(data, f)
    )
    signer_infos = [f for f in fields if f.tag == 0x31][-1]
    infos = _children(data, signer_infos)
    if len(infos) != 1:
        raise CmsError(f"expected one signer, found {len(infos)}")
    parts = _children(data, infos[0])
    digest_alg = _children(data, parts[2])[0]
    attrs = next((p for p in parts if p.tag == 0xA0), None)
    if attrs is None:
        raise CmsError("no signed attributes")
    signature = next(p for p in parts[3:] if p.tag == 0x04)
    raw_attrs = b"\x31" + data[attrs.start + 1 : attrs.end]
    return SignedData(
        certificates=certs,
        digest_oid=data[digest_alg.content : digest_alg.end],
        signed_attributes=raw_attrs,
        message_digest=_message_digest(data, attrs),
        signature=data[signature.content : signature.end],
    )


def _message_digest(data: bytes, attrs: _Tlv) -> bytes:
    for attr in _children(data, attrs):
        oid, values = _children(data, attr)[:2]
        if data[oid.content : oid.end] == OID_MESSAGE_DIGEST:
            value = _children(data, values)[0]
            return data[value.content : value.end]
    raise CmsError("no messageDigest attribute")
