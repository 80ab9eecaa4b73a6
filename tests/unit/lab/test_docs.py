"""docs/lab.md lists every lab target with its real address and port."""

from pathlib import Path

from socaudit.lab.targets import TARGETS

DOC = Path(__file__).parents[3] / "docs" / "lab.md"


def _target_rows() -> dict[str, str]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 4:
            rows[cells[0]] = cells[2]
    return rows


def test_every_target_is_documented_with_its_address() -> None:
    documented = _target_rows()
    for target in TARGETS:
        assert documented.get(target.name) == f"{target.address}:{target.port}", target.name
    assert len(documented) == len(TARGETS) + 1  # plus the header row
