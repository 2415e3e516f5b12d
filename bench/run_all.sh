#!/usr/bin/env bash
# Run every phoihop benchmark in turn; each prints its figures against the targets of
# issue 3 ("Speed") and a raw-SQL baseline. Benchmarks report, they never fail on a miss:
# this script exits non-zero only if a benchmark crashes.
#
#   bench/run_all.sh                 # uses .venv/bin/python if present
#   PYTHON=python3 bench/run_all.sh  # or any interpreter with phoihop installed
#
# The national-scale benchmark (bench_national.py: 1M tasks on SQLite and a PostgreSQL
# it starts itself, ~10 min) is optional, after the others:
#
#   PHOIHOP_BENCH_NATIONAL=quick bench/run_all.sh   # + bench_national.py --quick (100k, ~2 min)
#   PHOIHOP_BENCH_NATIONAL=1 bench/run_all.sh       # + bench_national.py (1M)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
python="${PYTHON:-$repo/.venv/bin/python}"
[[ -x "$python" ]] || python="$(command -v python3)"

for name in open_cycle sweep dashboard scorecard cli web; do
    echo "=== bench_${name}.py ==="
    "$python" "$here/bench_${name}.py"
    echo
done

case "${PHOIHOP_BENCH_NATIONAL:-}" in
    "" | 0) ;;
    quick)
        echo "=== bench_national.py --quick ==="
        "$python" "$here/bench_national.py" --quick
        ;;
    *)
        echo "=== bench_national.py ==="
        "$python" "$here/bench_national.py"
        ;;
esac
