#!/usr/bin/env bash
# Runs a suite's cells as N local processes side by side (one TensorFlow thread each), then builds the
# leaderboard: on a 2-core machine two 1-thread cells train ~1.3-1.5x more steps per hour than one cell with 2
# threads (results/bench/2026-12-02-threads). It is the cluster path of `lddm bench` on one machine: each
# process is `bench --shard I/N` into the shared output directory (cells published atomically), then
# `bench merge`. Interrupt it at any time and run the same command again: finished cells are kept and
# interrupted ones continue from their newest checkpoint.
#
# Usage: scripts/bench-parallel.sh SUITE OUT [N=2]
#   SUITE  a built-in suite name or a suite .json;  OUT  the suite's output directory;  N  processes
# A run longer than the machine lives (a session): carry its state with scripts/bench-carry.py save/restore;
# CARRY_TO=STATE_DIR saves it there every CARRY_EVERY seconds (default 1200) and once more when the shards end, so a
# machine that goes away mid-run loses at most that much (STATE_DIR on durable storage, not git; the commit recorded is this checkout's).
# At the same interval `bench-carry.py link-curve` gives resumed attempts the learning-curve checkpoints of the
# attempts they continue (code before session 9 seeded a resumed attempt with the newest checkpoint only; later code
# takes the curve's checkpoints over itself, and the links are then already there).
# Logs: OUT/logs/shard-I-of-N.log (progress bars included); every minute (PROGRESS_SECONDS) one line per shard
# with its current cell and step. Exit status: 0 when every shard and the merge
# succeeded, else the first failure's.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 2 ] || { echo "usage: scripts/bench-parallel.sh SUITE OUT [N=2]" >&2; exit 2; }
suite="$1"; out="$2"; n="${3:-2}"
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "bench-parallel.sh: N must be a positive integer, got '$n'" >&2; exit 2; }
lddm="$root/scripts/lddm"
carry_every="${CARRY_EVERY:-1200}"
[[ "$carry_every" =~ ^[1-9][0-9]*$ ]] || { echo "bench-parallel.sh: CARRY_EVERY must be a positive number of seconds, got '$carry_every'" >&2; exit 2; }
# CARRY_TO: refuse before any work a state that this run would move backwards or that git would not commit.
[ -z "${CARRY_TO:-}" ] || python3 "$root/scripts/bench-carry.py" check "$out" "$CARRY_TO" || exit 2
# Build once and check the suite before any process starts (a bad suite fails here, with lddm's message). An OUT
# that already holds the suite (a rerun, or a state restored by bench-carry.py) is checked as a resume: the shards
# continue it (and a different suite in OUT is refused here).
resume=()
[ -f "$out/suite.json" ] && resume=(--resume)
"$lddm" bench --suite "$suite" --out "$out" --threads 1 --dry-run "${resume[@]}"
mkdir -p "$out/logs"
pids=()
for ((i = 0; i < n; i++)); do
  "$lddm" bench --suite "$suite" --out "$out" --shard "$i/$n" --threads 1 > "$out/logs/shard-$i-of-$n.log" 2>&1 &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null; wait; exit 130' INT TERM
# Progress: every PROGRESS_SECONDS (default 60) one line per running shard, its latest progress bar line.
every="${PROGRESS_SECONDS:-60}"
carry() {  # link learning-curve checkpoints into resumed attempts; save the state to CARRY_TO (never fatal)
  python3 "$root/scripts/bench-carry.py" link-curve "$out" > /dev/null \
    || echo "bench-parallel.sh: linking learning-curve checkpoints in $out failed (the run goes on)" >&2
  [ -n "${CARRY_TO:-}" ] || return 0
  python3 "$root/scripts/bench-carry.py" save "$out" "$CARRY_TO" --commit "$(git -C "$root" rev-parse --short HEAD)" \
    || echo "bench-parallel.sh: saving the state to $CARRY_TO failed (the run goes on)" >&2
}
carried=$SECONDS
while :; do
  running=0
  for ((i = 0; i < n; i++)); do
    kill -0 "${pids[$i]}" 2>/dev/null || continue
    running=1
    last=$(tail -c 2000 "$out/logs/shard-$i-of-$n.log" 2>/dev/null | tr '\r' '\n' | grep -a '^cell ' | tail -n 1 \
      | sed -E 's/\[[ =>]*\] *//; s/ +$//' || true)
    echo "$(date -u +%H:%M:%S) shard $i/$n: ${last:-starting}"
  done
  [ "$running" = 1 ] || break
  if (( SECONDS - carried >= carry_every )); then carry; carried=$SECONDS; fi
  sleep "$every" & wait $! || true
done
carry
status=0
for ((i = 0; i < n; i++)); do
  s=0
  wait "${pids[$i]}" || s=$?
  if [ "$s" != 0 ]; then
    echo "bench-parallel.sh: shard $i/$n failed (exit $s); see $out/logs/shard-$i-of-$n.log" >&2
    [ "$status" = 0 ] && status=$s
  fi
done
"$lddm" bench status "$out" || true
[ "$status" = 0 ] || exit "$status"
exec "$lddm" bench merge "$out"
