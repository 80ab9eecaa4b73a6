"""Host keys and DH group-exchange sizes, one short connection per test (as ssh-audit does).

For each host key algorithm the server offers (the RSA family shares one key, so one
connection serves ``ssh-rsa``/``rsa-sha2-*``), a key exchange is started offering only that
algorithm and the host key is read from the server's reply. For each group-exchange
algorithm, the modulus the server hands out is read for a small request and for a modern
client's request. Everything runs inside the probe's one deadline and at most
``MAX_CONNECTIONS`` connections; what could not be tested is named in the notes.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial
from ipaddress import IPv4Address, IPv6Address
from typing import TypeVar

from socaudit.evidence.base import ErrorReason
from socaudit.evidence.ssh import SshGexSizes, SshHostKey
from socaudit.probes.errors import ProbeError
from socaudit.probes.netio import Deadline, connect
from socaudit.probes.ssh_hello import hello, kexinit_payload
from socaudit.probes.ssh_kex import (
    GEX,
    MODERN_GEX_REQUEST,
    SPOKEN,
    request_group,
    server_host_key,
)
from socaudit.probes.ssh_keys import host_key
from socaudit.probes.ssh_transport import Transport

MAX_CONNECTIONS = 12
MAX_HOST_KEYS = 8
RSA_FAMILY = ("ssh-rsa", "rsa-sha2-256", "rsa-sha2-512")
RSA_CERTS = tuple(f"{name}-cert-v01@openssh.com" for name in RSA_FAMILY)
SMALL_GEX_REQUESTS = ((1024, 1024, 8192), (2048, 2048, 8192))
T = TypeVar("T")


@dataclass
class Depth:
    """What the depth tests found, and why some gave no answer."""

    host_keys: list[SshHostKey] = field(default_factory=list)
    gex: list[SshGexSizes] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    connections: int = 0


def key_groups(algorithms: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Host key algorithms grouped by the key (or certificate) that serves them."""
    groups: list[tuple[str, ...]] = []
    for family in (RSA_FAMILY, RSA_CERTS):
        members = tuple(a for a in algorithms if a in family)
        if members:
            groups.append(members)
    groups += [(a,) for a in algorithms if a not in RSA_FAMILY + RSA_CERTS]
    groups.sort(key=lambda group: algorithms.index(group[0]))
    return groups[:MAX_HOST_KEYS]


@dataclass(frozen=True, slots=True)
class Session:
    address: IPv4Address | IPv6Address
    port: int
    deadline: Deadline
    theirs: list[tuple[str, ...]]

    def run(self, kex: str, host_key_alg: str, step: Callable[[Transport], T]) -> T:
        """Open a connection offering only ``kex`` and ``host_key_alg``; ``step`` on it."""
        lists = [(kex,), (host_key_alg,), *self.theirs[2:8], (), ()]
        with closing(connect(self.address, self.port, self.deadline)) as sock:
            transport, _, _ = hello(sock, self.deadline, kexinit_payload(lists))
            return step(transport)


def _attempt(depth: Depth, note: str, call: Callable[[], T]) -> T | None:
    if depth.connections >= MAX_CONNECTIONS:
        depth.notes.append(f"{note}: not tested (connection budget of {MAX_CONNECTIONS} spent)")
        return None
    depth.connections += 1
    try:
        return call()
    except ProbeError as exc:
        depth.notes.append(f"{note}: {exc.detail}")
        if exc.reason is ErrorReason.TIMEOUT:
            raise
        return None


def _read_key(kex: str, group: tuple[str, ...], transport: Transport) -> SshHostKey:
    return host_key(server_host_key(transport, kex), group)


def _host_keys(session: Session, kex: str, depth: Depth) -> None:
    for group in key_groups(session.theirs[1]):
        read = partial(session.run, kex, group[0], partial(_read_key, kex, group))
        found = _attempt(depth, f"host key {group[0]}", read)
        if found is not None:
            depth.host_keys.append(found)


def _modulus(session: Session, gex: str, sizes: tuple[int, int, int]) -> int:
    def ask(transport: Transport) -> int:
        return request_group(transport, sizes)[0].bit_length()

    return session.run(gex, session.theirs[1][0], ask)


def _gex_sizes(session: Session, depth: Depth) -> None:
    if not session.theirs[1]:
        return
    for gex in (name for name in GEX if name in session.theirs[0]):
        smallest, noted = None, len(depth.notes)
        for sizes in SMALL_GEX_REQUESTS:
            smallest = _attempt(depth, f"{gex} {sizes}", partial(_modulus, session, gex, sizes))
            if smallest is not None:
                del depth.notes[noted:]  # a refused small request is expected, not a failure
                break
        modern = partial(_modulus, session, gex, MODERN_GEX_REQUEST)
        preferred = _attempt(depth, f"{gex} {MODERN_GEX_REQUEST}", modern)
        depth.gex.append(SshGexSizes(algorithm=gex, min_bits=smallest, preferred_bits=preferred))


def probe_depth(
    address: IPv4Address | IPv6Address,
    port: int,
    deadline: Deadline,
    theirs: list[tuple[str, ...]],
) -> Depth:
    """Host keys and group-exchange sizes of a server whose KEXINIT lists are ``theirs``."""
    depth = Depth()
    kex = next((name for name in SPOKEN if name in theirs[0]), None)
    session = Session(address, port, deadline, theirs)
    try:
        if kex is None:
            depth.notes.append("host keys: no key exchange this probe speaks is offered")
        elif theirs[1]:
            _host_keys(session, kex, depth)
        _gex_sizes(session, depth)
    except ProbeError:
        depth.notes.append("further host key and group-exchange tests skipped: time budget spent")
    return depth
