"""The demo inventory maps the province onto the lab address plan, and nothing else."""

from __future__ import annotations

from pathlib import Path

from socaudit.inventory.loader import load_inventory
from socaudit.lab.targets import LAB_NETWORK, TARGETS

DEMO = Path(__file__).parents[3] / "inventories" / "demo.yaml"


def test_every_declared_service_is_a_lab_target_with_its_name() -> None:
    by_endpoint = {(t.address, t.port): t for t in TARGETS}
    for system in load_inventory(DEMO).systems:
        for asset in system.assets:
            names = set()
            for service in asset.services:
                target = by_endpoint.get((str(asset.address), service.port))
                assert target is not None, f"{system.id}/{asset.id}: {service.port} not in the lab"
                names.add(target.hostname)
            assert asset.hostname is None or not names or asset.hostname in names


def test_every_lab_target_belongs_to_a_demo_asset() -> None:
    inventory = load_inventory(DEMO)
    declared = {str(a.address) for s in inventory.systems for a in s.assets}

    assert {t.address for t in TARGETS} == declared
    assert inventory.authorization.networks == (LAB_NETWORK,)


def test_the_exposed_database_port_is_not_declared() -> None:
    db = next(t for t in TARGETS if t.name == "db-exposed")
    assets = [a for s in load_inventory(DEMO).systems for a in s.assets]
    on_db_host = [a for a in assets if str(a.address) == db.address]

    assert [a.id for a in on_db_host] == ["ioc-db"]
    assert on_db_host[0].services == ()
