"""Named checks; importing this package registers every built-in check family."""

from socaudit.checks import (
    certificates,
    declared,
    four_layer,
    http,
    inventory_facts,
    net,
    ports,
    ssh,
    tls,
)
from socaudit.checks.conditions import CONDITIONS, Condition
from socaudit.checks.registry import REGISTRY, CheckResult, CheckSpec, NoParams, Reason, register

FAMILIES = (certificates, declared, four_layer, http, inventory_facts, net, ports, ssh, tls)

__all__ = [
    "CONDITIONS",
    "FAMILIES",
    "REGISTRY",
    "CheckResult",
    "CheckSpec",
    "Condition",
    "NoParams",
    "Reason",
    "register",
]
