"""The store's migrations ship in the wheel: installed outside the checkout, a store opens.

Built and installed as in ``test_policy_wheel`` (offline, no dependencies, this environment's
third-party packages borrowed through a ``.pth`` line), so socaudit comes only from the wheel
and Alembic must find ``socaudit/store/migrations`` inside the installed package.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import sysconfig
import venv
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


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "SOCAUDIT_DB"}}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.timeout(240)
def test_installed_wheel_creates_and_upgrades_stores(tmp_path: Path) -> None:
    built = run(
        sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--no-build-isolation",
        "--quiet", "--wheel-dir", tmp_path / "dist", cwd=tmp_path,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("socaudit-*.whl"))
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    site = run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
    )
    Path(site.stdout.strip(), "borrowed-deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    installed = run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel,
        cwd=tmp_path,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    old = tmp_path / "wave1.db"
    with sqlite3.connect(old) as db:
        db.executescript((ROOT / "tests" / "unit" / "store" / "wave1.sql").read_text())
        db.execute(
            "INSERT INTO runs VALUES (1, '2026-11-20 01:02:03', NULL, 'completed', '/i.yaml',"
            " 'ab', '2026-11-20', '{}', '0.1.0', NULL)"
        )

    fresh = run(python, "-c", OPEN_STORE, tmp_path / "new" / "s.db", cwd=elsewhere)
    upgraded = run(python, "-c", OPEN_STORE, old, cwd=elsewhere)

    assert fresh.returncode == 0, fresh.stderr
    count, module = fresh.stdout.split()
    assert count == "0"
    assert Path(module).is_relative_to(target)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.split()[0] == "1"
    with sqlite3.connect(old) as db:
        assert db.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
