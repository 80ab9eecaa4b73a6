"""The policy pack ships in the wheel: installed outside the checkout, `policy list` works.

The wheel is built offline from the working tree (hatchling, no build isolation) and installed
without dependencies into a fresh virtual environment that borrows this environment's
third-party packages through a ``.pth`` line. socaudit itself then comes only from the wheel,
so the pack must be found inside the installed package, from any directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "SOCAUDIT_DB"}}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.timeout(240)
def test_installed_wheel_lists_level_3_from_any_directory(tmp_path: Path) -> None:
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

    listed = run(target / "bin" / "socaudit", "policy", "list", "--level", "3", cwd=elsewhere)
    as_json = run(
        target / "bin" / "socaudit", "policy", "list", "--level", "3", "--format", "json",
        cwd=elsewhere,
    )  # fmt: skip
    where = run(
        python, "-c", "import socaudit.resources as r; print(r.policies_dir())", cwd=elsewhere
    )

    assert listed.returncode == 0, listed.stderr
    assert "QL.5.8     7.1.5.8" in listed.stdout
    assert len(json.loads(as_json.stdout)["controls"]) == len(
        [line for line in listed.stdout.splitlines() if line.startswith("  ")]
    )
    assert Path(where.stdout.strip()).is_relative_to(target)
