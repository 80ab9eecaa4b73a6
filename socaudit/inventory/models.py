"""Inventory v1 as frozen pydantic models (the format users write; see docs/inventory.md)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from socaudit.inventory.activities import Awareness, Drill, PreOperationAssessment, Targets
from socaudit.inventory.basetypes import ConstructionGrade as ConstructionGrade
from socaudit.inventory.basetypes import IsoDate as IsoDate
from socaudit.inventory.basetypes import NationalCritical as NationalCritical
from socaudit.inventory.basetypes import SecurityImpact as SecurityImpact
from socaudit.inventory.clock import DEFAULT_TIMEZONE, TimeZoneName
from socaudit.inventory.overrides import PolicyOverride as PolicyOverride

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
"""Stable identifiers: lower-case letters, digits and dashes, starting with a letter or digit."""

Hostname = Annotated[
    str,
    StringConstraints(
        max_length=253,
        pattern=r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
        r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$",
    ),
]
"""A DNS name; never starts with '-', so it can never look like a command-line option."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class Model(BaseModel):
    """Base for persisted types: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Period(Model):
    """A closed date range (``from`` … ``to``)."""

    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` lies inside the period, both ends included."""
        return self.start <= day <= self.end


class Organization(Model):
    name: Text
    security_unit: Text | None = None
    province: Text | None = None


class Assessor(Model):
    organization: Text
    independent_of_operator: bool | None = None
    independent_of_monitoring_provider: bool | None = None


class Signer(Model):
    """Who signs the printed report: capacity lines (``KT. GIÁM ĐỐC`` / ``PHÓ GIÁM ĐỐC``), name."""

    capacity: tuple[Text, ...] = Field(min_length=1)
    name: Text | None = None

    @field_validator("capacity", mode="before")
    @classmethod
    def _one_line(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class ReportLayout(Model):
    """NĐ 30/2020 administrative header inputs of printed reports (placeholders when missing)."""

    superior: Text | None = None
    issuer: Text | None = None
    number: Text | None = None
    """Number and symbol, e.g. ``15/BC-STTTT``."""
    place: Text | None = None
    signer: Signer | None = None
    recipients: tuple[Text, ...] = ()


class Assessment(Model):
    period: Period
    assessor: Assessor
    report: ReportLayout | None = None


class TestMethod(StrEnum):
    BLACK_BOX = "black_box"
    GREY_BOX = "grey_box"
    WHITE_BOX = "white_box"


ScopeEntry = IpNetwork | Hostname


class Authorization(Model):
    """The written authorisation: nothing outside ``scope`` and ``window`` gets a packet."""

    reference: Text
    approved_by: Text
    window: Period
    method: TestMethod = TestMethod.BLACK_BOX
    scope: tuple[ScopeEntry, ...] = Field(min_length=1)
    timezone: TimeZoneName = DEFAULT_TIMEZONE
    """IANA zone whose calendar days every date of the inventory is (socaudit.inventory.clock)."""

    @field_validator("scope", mode="before")
    @classmethod
    def _networks_strict(cls, value: object) -> object:
        """Parse CIDRs strictly (host bits set is an error) and keep hostnames as text."""
        if not isinstance(value, list | tuple):
            return value
        parsed: list[object] = []
        for item in value:
            if (isinstance(item, str) and any(ch in item for ch in "/:")) or _looks_like_ip(item):
                parsed.append(ipaddress.ip_network(str(item), strict=True))
            else:
                parsed.append(item)
        return parsed

    @property
    def networks(self) -> tuple[IpNetwork, ...]:
        return tuple(e for e in self.scope if not isinstance(e, str))

    @property
    def hostnames(self) -> tuple[str, ...]:
        return tuple(e.lower().rstrip(".") for e in self.scope if isinstance(e, str))

    def covers_address(self, address: IpAddress) -> bool:
        """Whether an IP address lies inside one of the scope's networks."""
        return any(address.version == net.version and address in net for net in self.networks)

    def covers_hostname(self, hostname: str) -> bool:
        """Whether a host name is listed in the scope (exact match, case-insensitive)."""
        return hostname.lower().rstrip(".") in self.hostnames


def _looks_like_ip(item: object) -> bool:
    if not isinstance(item, str):
        return False
    try:
        ipaddress.ip_address(item)
    except ValueError:
        return False
    return True


class Trust(Model):
    ca_bundles: tuple[Text, ...] = ()


class ApprovalStatus(StrEnum):
    DRAFTING = "drafting"
    SUBMITTED = "submitted"
    APPRAISED = "appraised"
    APPROVED = "approved"


class LevelApproval(Model):
    status: ApprovalStatus
    decision: Text | None = None
    date: IsoDate | None = None
    issuer: Text | None = None
    """Who signed the approval decision (Mẫu 08: number, date, issuer)."""
    expected_date: IsoDate | None = None
    """When approval is expected, while it is not approved yet (Mẫu 08)."""


class SystemFunction(StrEnum):
    INTERNAL = "internal"
    PUBLIC_SERVICE = "public_service"
    INFRASTRUCTURE = "infrastructure"
    INDUSTRIAL_CONTROL = "industrial_control"
    OTHER = "other"


class InformationType(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"
    PERSONAL = "personal"
    STATE_SECRET = "state_secret"  # noqa: S105 - a category, not a password


class Reach(StrEnum):
    ORGANIZATION = "organization"
    SECTOR = "sector"
    PROVINCE = "province"
    MULTI_PROVINCE = "multi_province"
    NATIONAL = "national"


class Classification(Model):
    """NĐ 85/2016 Art. 6–11 inputs for the minimum-level check."""

    function: SystemFunction
    information: tuple[InformationType, ...] = Field(min_length=1)
    users: int | None = Field(default=None, ge=0)
    public_service_level: int | None = Field(default=None, ge=1, le=4)
    reach: Reach = Reach.ORGANIZATION
    conditional_business: bool = False
    """Online service on the list of conditional business lines (Art. 8.2.b / 9.2.b)."""
    continuous_operation: bool = False
    """Must run 24/7 without unplanned downtime (Art. 10.2–10.3)."""
    security_impact: SecurityImpact = SecurityImpact.NONE
    """Harm to defence/national security if compromised (Art. 9.1, 10.1, 11.1)."""
    construction_grade: ConstructionGrade | None = None
    """Grade of the works an industrial control system operates (Art. 9.4, 10.4, 11.4)."""
    national_critical: NationalCritical | None = None
    """On the list of national critical systems, and why (Art. 11.2, 11.3, 11.5)."""


class PlanStatus(StrEnum):
    NOT_DEPLOYED = "not_deployed"
    PARTIALLY_DEPLOYED = "partially_deployed"
    FULLY_DEPLOYED = "fully_deployed"


class SecurityPlan(Model):
    status: PlanStatus
    expected_full_deployment: IsoDate | None = None


class DecisionRef(Model):
    decision: Text
    date: IsoDate | None = None


class AssetRole(StrEnum):
    WEB = "web"
    APP = "app"
    DB = "db"
    MAIL = "mail"
    NETWORK_DEVICE = "network_device"
    SERVER = "server"
    OTHER = "other"


class Zone(StrEnum):
    INTERNAL = "internal"
    EDGE = "edge"
    DMZ = "dmz"
    INTERNAL_SERVER = "internal_server"
    WIRELESS = "wireless"
    DATABASE = "database"
    MANAGEMENT = "management"
    DEVICE_MANAGEMENT = "device_management"


class Exposure(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    ADMIN = "admin"


STARTTLS_PROTOCOLS: dict[str, str] = {
    "smtp": "smtp", "submission": "smtp", "imap": "imap", "pop3": "pop3", "ftp": "ftp",
    "ldap": "ldap", "postgresql": "postgres",
}  # fmt: skip
"""Service name (nmap's) → the STARTTLS dialogue that upgrades it."""


class Service(Model):
    """An allowed service: an open port not listed for its asset is a finding."""

    port: int = Field(ge=1, le=65535)
    protocol: Literal["tcp", "udp"] = "tcp"
    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9+._-]{0,31}$")]
    exposure: Exposure = Exposure.PUBLIC
    starttls: bool = False
    """The service upgrades to TLS with STARTTLS on a port other than its usual one (e.g. smtp
    on 2587); the protocol follows ``name``. On the usual ports this is detected anyway."""

    @model_validator(mode="after")
    def _starttls_protocol(self) -> Service:
        if self.starttls and self.name not in STARTTLS_PROTOCOLS:
            names = ", ".join(sorted(STARTTLS_PROTOCOLS))
            raise ValueError(f"starttls needs a service name that has STARTTLS ({names})")
        return self


class Asset(Model):
    id: Identifier
    address: IpAddress | None = None
    hostname: Hostname | None = None
    role: AssetRole = AssetRole.SERVER
    zone: Zone | None = None
    services: tuple[Service, ...] = ()
    urls: tuple[Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$")], ...] = ()


class Endpoints(Model):
    total: int = Field(ge=0)
    protected: int = Field(ge=0)


class OnSite(Model):
    unit: Text | None = None
    staff: int | None = Field(default=None, ge=0)
    decision: Text | None = None
    trained: bool | None = None
    staff_trained: int | None = Field(default=None, ge=0)
    """How many of ``staff`` were trained in security (at most ``staff``)."""

    @model_validator(mode="after")
    def _trained_at_most_staff(self) -> OnSite:
        staff, trained = self.staff, self.staff_trained
        if staff is not None and trained is not None and trained > staff:
            raise ValueError(f"staff_trained ({trained}) is more than staff ({staff})")
        return self


class Monitoring(Model):
    provider: Text | None = None
    contract: Text | None = None
    valid_until: IsoDate | None = None
    log_retention_days: int | None = Field(default=None, ge=0)


class IndependentInspection(Model):
    organization: Text | None = None
    last_date: IsoDate | None = None
    report: Text | None = None


class NationalConnection(Model):
    connected: bool
    since: IsoDate | None = None
    reference: Text | None = None


class FourLayer(Model):
    """Chỉ thị 14/CT-TTg four-layer model, as declared by the owner."""

    on_site: OnSite | None = None
    monitoring: Monitoring | None = None
    independent_inspection: IndependentInspection | None = None
    national_connection: NationalConnection | None = None


ControlId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}(\.[0-9A-Za-z]+)+$")]


class EvidenceStatus(StrEnum):
    IMPLEMENTED = "implemented"
    PARTIAL = "partial"
    NOT_IMPLEMENTED = "not_implemented"
    NOT_APPLICABLE = "not_applicable"


class DeclaredEvidence(Model):
    control: ControlId
    status: EvidenceStatus
    document: Text | None = None
    date: IsoDate | None = None
    note: Text | None = None


class Waiver(Model):
    control: ControlId
    reason: Text
    approved_by: Text
    expires: IsoDate

    def active(self, as_of: dt.date) -> bool:
        """An expired waiver stops applying by itself."""
        return as_of <= self.expires


class System(Model):
    id: Identifier
    name: Text
    owner: Text | None = None
    operator: Text | None = None
    level: int = Field(ge=1, le=5)
    level_approval: LevelApproval
    classification: Classification | None = None
    shared_datacenter: bool = False
    security_plan: SecurityPlan | None = None
    security_regulation: DecisionRef | None = None
    assets: tuple[Asset, ...] = ()
    endpoints: Endpoints | None = None
    four_layer: FourLayer | None = None
    evidence: tuple[DeclaredEvidence, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    awareness: Awareness | None = None
    drills: tuple[Drill, ...] = ()
    pre_operation_assessment: PreOperationAssessment | None = None


class Inventory(Model):
    """A whole inventory file (schema_version 1)."""

    schema_version: Literal[1]
    organization: Organization
    assessment: Assessment | None = None
    authorization: Authorization
    trust: Trust = Trust()
    systems: tuple[System, ...] = Field(min_length=1)
    evidence_files: tuple[Text, ...] = ()
    """Extra files with ``evidence``/``waivers`` per system, kept by another office."""
    policy_overrides: tuple[PolicyOverride, ...] = ()
    """The owner's values for named policy-pack parameters (docs/policy.md)."""
    targets: Targets | None = None
    """The province's plan targets for the subcommittee summary (docs/summary.md)."""

    def system(self, system_id: str) -> System:
        """The system with this id (KeyError if absent)."""
        for system in self.systems:
            if system.id == system_id:
                return system
        raise KeyError(system_id)
