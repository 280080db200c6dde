#!/usr/bin/env bash
# The suite on a loaded machine: ./run-tests N times in a row (default 3) on a fresh clone of
# this checkout's HEAD, with CI=true, while one busy loop per core keeps every CPU at 100 %.
# A test that asserts a time, or waits too little for something, fails here before it fails CI.
# Prints each run's exit code, time and summary line; exits non-zero if any run failed.
#   bench/suite_under_load.sh [RUNS]
set -uo pipefail
runs="${1:-3}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/kiosk-load.XXXXXX)"
git clone -q "$here" "$work/main"
[ -d "$here/../shared" ] && ln -s "$(cd "$here/../shared" && pwd)" "$work/shared"   # the clips, as beside the checkout
busy=()
for _ in $(seq "$(nproc)"); do python3 -c 'while True: pass' & busy+=($!); done
trap 'kill "${busy[@]}" 2>/dev/null' EXIT
echo "suite_under_load: $runs runs in $work/main, ${#busy[@]} busy loops on $(nproc) cores"
failed=0
for r in $(seq "$runs"); do
  start=$(date +%s)
  (cd "$work/main" && CI=true ./run-tests) > "$work/run-$r.log" 2>&1
  rc=$?
  [ $rc -eq 0 ] || failed=1
  echo "run $r: exit $rc in $(( $(date +%s) - start )) s: $(grep -E '^(=+ )?[0-9]+ (passed|failed)' "$work/run-$r.log" | tail -1)"
done
echo "logs: $work/run-*.log"
exit $failed
