"""How long inventory validation takes on the demo, a large province and hostile files.

Run: ``.venv/bin/python benchmarks/inventory_load.py``. Prints one line per case with the
wall time and the outcome (valid, or the first problem). Nothing touches the network.
"""

from __future__ import annotations

import itertools
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from socaudit.errors import InputError
from socaudit.inventory.loader import validate_inventory

ROOT = Path(__file__).resolve().parents[1]
HEAD = """schema_version: 1
organization: {name: "Ủy ban nhân dân tỉnh"}
authorization:
  reference: "Quyết định số 1/QĐ-UBND"
  approved_by: "Chủ tịch UBND tỉnh"
  window: {from: 2026-10-01, to: 2026-12-14}
  scope: [127.0.10.0/24]
systems:
"""


def large_province(systems: int, assets: int) -> str:
    """A valid inventory with ``systems`` systems of ``assets`` assets each."""
    parts = [HEAD]
    for i in range(systems):
        parts.append(
            f'  - id: s{i}\n    name: "Hệ thống {i}"\n    level: 2\n'
            "    level_approval: {status: approved}\n    assets:\n"
        )
        parts.extend(
            f"      - {{id: a{j}, address: 127.0.10.{j + 1}, hostname: h{j}.s{i}.gov.vn,"
            " services: [{port: 443, name: https}, {port: 22, name: ssh, exposure: admin}]}\n"
            for j in range(assets)
        )
    return "".join(parts)


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghi"
    lines += [f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]" for p, n in itertools.pairwise(names)]
    return "\n".join(lines) + "\n"


CASES: dict[str, Callable[[], str]] = {
    "province, 3,000 systems x 4 assets (~2.5 MB)": lambda: large_province(3000, 4),
    "billion laughs (10^9 values once expanded)": billion_laughs,
    "7.5 MB of aliases in one list": lambda: (
        "a: &a [x]\nb: [" + ",".join(["*a"] * 2_500_000) + "]\n"
    ),
    "10 MB flat list of numbers": lambda: "b: [" + ",".join(["1"] * 5_000_000) + "]\n",
}


def timed(path: Path) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        inventory, warnings = validate_inventory(path)
        outcome = f"valid, {len(inventory.systems)} systems, {len(warnings)} warnings"
    except InputError as exc:
        outcome = exc.problems[0].render().split(": ", 1)[1]
    return time.perf_counter() - start, outcome


def main() -> None:
    elapsed, outcome = timed(ROOT / "inventories" / "demo.yaml")
    print(f"{'demo.yaml':48} {elapsed:7.3f} s  {outcome}")
    with tempfile.TemporaryDirectory() as folder:
        for name, make in CASES.items():
            path = Path(folder) / "case.yaml"
            path.write_text(make(), encoding="utf-8")
            elapsed, outcome = timed(path)
            print(f"{name:48} {elapsed:7.3f} s  {outcome[:70]}")


if __name__ == "__main__":
    main()
