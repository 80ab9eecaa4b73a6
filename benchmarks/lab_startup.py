"""How long the lab takes: cold `up` (PKI + every process), warm `up`, `status`, `down`.

Runs the real CLI on its own loopback /24 (default 127.0.15.0/24) so that it never touches a
lab already running on 127.0.10.0/24. Usage: python benchmarks/lab_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "socaudit", "lab", *args], capture_output=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"socaudit lab {args[0]} failed: {done.stderr.decode()}")
    return elapsed


def one_round(network: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="socaudit-bench-lab-") as tmp:
        lab = str(Path(tmp) / "lab")
        try:
            return {
                "up (cold: PKI + all processes)": timed("up", "--dir", lab, "--network", network),
                "up (warm: already running)": timed("up", "--dir", lab, "--network", network),
                "status": timed("status", "--dir", lab),
                "down": timed("down", "--dir", lab),
            }
        finally:
            subprocess.run([sys.executable, "-m", "socaudit", "lab", "down", "--dir", lab],
                           capture_output=True, check=False)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--network", default="127.0.15.0/24")
    args = parser.parse_args()
    rounds = [one_round(args.network) for _ in range(args.repeat)]
    print(f"socaudit lab timings over {args.repeat} rounds (seconds, median / max)")
    for step in rounds[0]:
        values = [r[step] for r in rounds]
        print(f"  {step:<32} {statistics.median(values):6.2f} / {max(values):6.2f}")


if __name__ == "__main__":
    main()
