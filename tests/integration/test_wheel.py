"""What ships in the wheel works from an installed copy, outside the checkout.

The wheel is built once per module, offline from the working tree (hatchling, no build
isolation), and installed without dependencies into a fresh virtual environment that borrows
this environment's third-party packages through a ``.pth`` line. socaudit itself then comes only
from the wheel, so the policy pack and the store's migrations must be found inside the installed
package, from any directory.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import sysconfig
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
OPEN_STORE = """
import sys
from socaudit.store import migrate
from socaudit.store.repository import Store
store = Store("sqlite:///" + sys.argv[1])
print(len(store.runs()), migrate.__file__)
store.close()
"""


@dataclass(frozen=True)
class Installed:
    venv: Path
    python: Path
    elsewhere: Path
    """A folder outside the checkout to run from."""


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "SOCAUDIT_DB"}}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("wheel")
    built = run(
        sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--no-build-isolation",
        "--quiet", "--wheel-dir", tmp / "dist", cwd=tmp,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    wheel = next((tmp / "dist").glob("socaudit-*.whl"))
    target = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp)
    Path(site.stdout.strip(), "borrowed-deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    installed = run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel,
        cwd=tmp,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return Installed(target, python, elsewhere)


@pytest.mark.timeout(240)
def test_installed_wheel_lists_level_3_from_any_directory(installed: Installed) -> None:
    socaudit = installed.venv / "bin" / "socaudit"
    listed = run(socaudit, "policy", "list", "--level", "3", cwd=installed.elsewhere)
    as_json = run(
        socaudit, "policy", "list", "--level", "3", "--format", "json", cwd=installed.elsewhere
    )
    where = run(
        installed.python,
        "-c",
        "import socaudit.resources as r; print(r.policies_dir(), r.templates_dir())",
        cwd=installed.elsewhere,
    )

    assert listed.returncode == 0, listed.stderr
    assert "QL.5.8     7.1.5.8" in listed.stdout
    assert len(json.loads(as_json.stdout)["controls"]) == len(
        [line for line in listed.stdout.splitlines() if line.startswith("  ")]
    )
    policies, templates = (Path(p) for p in where.stdout.split())
    assert policies.is_relative_to(installed.venv)
    assert templates.is_relative_to(installed.venv) and (templates / "base.html.j2").is_file()


@pytest.mark.timeout(240)
def test_installed_wheel_creates_and_upgrades_stores(installed: Installed, tmp_path: Path) -> None:
    old = tmp_path / "wave1.db"
    with sqlite3.connect(old) as db:
        db.executescript((ROOT / "tests" / "unit" / "store" / "wave1.sql").read_text())
        db.execute(
            "INSERT INTO runs VALUES (1, '2026-11-20 01:02:03', NULL, 'completed', '/i.yaml',"
            " 'ab', '2026-11-20', '{}', '0.1.0', NULL)"
        )

    fresh = run(installed.python, "-c", OPEN_STORE, tmp_path / "new" / "s.db", cwd=tmp_path)
    upgraded = run(installed.python, "-c", OPEN_STORE, old, cwd=installed.elsewhere)

    assert fresh.returncode == 0, fresh.stderr
    count, module = fresh.stdout.split()
    assert count == "0"
    assert Path(module).is_relative_to(installed.venv)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.split()[0] == "1"
    with sqlite3.connect(old) as db:
        assert db.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
