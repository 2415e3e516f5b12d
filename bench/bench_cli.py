"""Wall-clock of the ``phoihop`` console command (issue 3, "Speed").

Targets: ``phoihop --help`` under 0.5 s; ``tasks list`` and ``dashboard`` on the
demo data under 1.2 s. Each command runs as a fresh subprocess (what a user
waits for: interpreter start, imports, work, output), median of 5, stdout to
/dev/null. The demo database is built once first with ``phoihop demo``.

Baselines in the same run: ``python -c pass`` (interpreter start-up) and
``python -c "import sqlalchemy"`` (the floor for any command that touches the
database).

The issue also requires that read-only commands never import Prefect. Each
command is run once more through a small wrapper that calls ``cli.main`` and
then reports which heavy packages ended up in ``sys.modules``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _data  # bench/ is sys.path[0] when run as a script

REPEAT = 5
BIN = Path(sys.executable).parent
PHOIHOP = BIN / "phoihop"
NOW = "2024-07-22"
HEAVY = ("prefect", "sqlalchemy", "sqlmodel", "pydantic", "rich", "holidays", "fastapi")

# Runs cli.main with the given argv, then writes the heavy top-level packages loaded
# (as JSON) to the file named by PHOIHOP_BENCH_MODULES. --help exits via SystemExit.
WRAPPER = """
import json, os, sys
try:
    from cli import main
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
finally:
    loaded = sorted({m.split(".")[0] for m in sys.modules})
    with open(os.environ["PHOIHOP_BENCH_MODULES"], "w") as f:
        json.dump({"loaded": loaded, "count": len(sys.modules)}, f)
sys.exit(code or 0)
"""


def wall_clock(argv: list[str], env: dict[str, str], *, repeat: int = REPEAT) -> _data.Timing:
    """Median-able wall-clock of a subprocess; stdout discarded, a failure is reported."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples.append(time.perf_counter() - start)
        if done.returncode != 0:
            print(f"  warning: {' '.join(argv)} exited {done.returncode}: {done.stderr[-300:]!r}")
    return _data.Timing(samples)


def modules_loaded(args: list[str], env: dict[str, str], scratch: Path) -> dict[str, Any]:
    """Which heavy packages ``phoihop ARGS`` imports (via the cli.main wrapper)."""
    out = scratch / "modules.json"
    env = env | {"PHOIHOP_BENCH_MODULES": str(out)}
    subprocess.run(
        [sys.executable, "-c", WRAPPER, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=scratch,
        check=False,
    )
    return json.loads(out.read_text())


def build_demo(data_dir: Path, env: dict[str, str]) -> None:
    """``phoihop demo --data-dir DIR``: the demo organisation and one driven cycle (not timed)."""
    start = time.perf_counter()
    subprocess.run(
        [str(PHOIHOP), "demo", "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    print(f"demo built in {time.perf_counter() - start:.2f} s: {data_dir}")


def main() -> int:
    data_dir = _data.fresh_data_dir("phoihop-bench-cli-")
    env = dict(os.environ)  # PHOIHOP_DATA_DIR set, Prefect/DB URLs cleared by fresh_data_dir
    build_demo(data_dir, env)
    commands = {
        "phoihop --help": (["--help"], 0.5),
        f"phoihop tasks list --now {NOW}": (["tasks", "list", "--now", NOW], 1.2),
        f"phoihop dashboard --now {NOW}": (["dashboard", "--now", NOW], 1.2),
    }
    rows = [
        _data.Row(what, wall_clock([str(PHOIHOP), *args], env), target)
        for what, (args, target) in commands.items()
    ]
    rows.append(
        _data.Row("baseline: python -c pass", wall_clock([sys.executable, "-c", "pass"], env))
    )
    rows.append(
        _data.Row(
            "baseline: python -c 'import sqlalchemy'",
            wall_clock([sys.executable, "-c", "import sqlalchemy"], env),
        )
    )
    _data.print_table(f"phoihop CLI wall-clock (subprocess, median of {REPEAT})", rows)

    print("\nimports per command (heavy packages; prefect must be absent):")
    with tempfile.TemporaryDirectory() as scratch:
        for what, (args, _target) in commands.items():
            info = modules_loaded(args, env, Path(scratch))
            loaded = [name for name in HEAVY if name in info["loaded"]]
            verdict = "FAIL (prefect imported)" if "prefect" in loaded else "PASS"
            print(f"  {what:<36} {info['count']:>5} modules; {', '.join(loaded) or '—'}: {verdict}")
    spread = statistics.median(r.timing.median for r in rows[1:3]) - rows[3].timing.median
    print(f"\nread-only commands above bare interpreter start (median): {spread * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
