#!/usr/bin/env bash
# A real Slurm sweep, end to end, on this machine (scripts/slurm/local-cluster.sh starts the cluster if it
# is not up, and stops it again at the end):
#   1. emits the sbatch array script of a tiny suite (micro preset, 4 cells, 120 steps each, 2 tasks at once),
#   2. submits it and cancels one array task (scancel) after its first checkpoint, mid-cell,
#   3. checks that bench status reports that cell failed (interrupted) and prints --array=1 to resubmit,
#   4. resubmits it; the cell continues from the cancelled attempt's checkpoint,
#   5. merges, and checks that the merged leaderboard equals a plain local run of the same suite in every
#      column except the timings (train_seconds, eval_seconds, tokens_per_second, started_utc).
# Needs root (Slurm as root) and Debian's slurm-wlm and munge (installed by local-cluster.sh when missing).
# Prints each phase with the seconds since the start; exits non-zero on the first check that fails.
# KEEP=1 keeps the work directory (printed) even when the sweep passes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
t0=$(date +%s)
say() { echo "[test-sweep +$(( $(date +%s) - t0 ))s] $*"; }
fail() { say "FAILED: $*"; exit 1; }

work="$(mktemp -d /tmp/lddm-sweep.XXXXXX)"
out="$work/out"
jobs=()
started_cluster=0
passed=0
cleanup() {
  for j in "${jobs[@]}"; do scancel "$j" 2>/dev/null || true; done
  if [ "$started_cluster" = 1 ]; then scripts/slurm/local-cluster.sh down || true; fi
  if [ "$passed" = 1 ] && [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "test-sweep: work directory $work" >&2; fi
}
trap cleanup EXIT

eval "$(scripts/slurm/local-cluster.sh env)"
if ! sinfo -h >/dev/null 2>&1; then
  scripts/slurm/local-cluster.sh up
  started_cluster=1
fi
say "cluster: $(sinfo -h -N -o '%N %t %c CPUs')"

# Waits (up to $2 seconds) until the job $1 has left the queue.
wait_job() {
  local deadline=$(( $(date +%s) + $2 ))
  while [ -n "$(squeue -h -j "$1" 2>/dev/null)" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "job $1 still queued after $2 s: $(squeue -h -j "$1")"
    sleep 1
  done
}

cat > "$work/slurm-sweep.json" <<'EOF'
{"name": "slurm-sweep", "description": "scripts/slurm/test-sweep.sh: four micro cells through a real Slurm",
 "models": ["mgdm", "lddm"], "presets": ["micro"], "budget": {"steps": 120},
 "batch": 8, "lr": 0.001, "data_seed": 4, "train_size": 500, "checkpoint_every": 30,
 "decoders": ["masked-only"], "decode_steps": [5], "ablations": [],
 "runs": [{"task": "countdown3", "seeds": [1, 2], "eval": [{"task": "countdown3", "split": "test", "count": 20}]}]}
EOF
suite="$work/slurm-sweep.json"
scripts/lddm bench --suite "$suite" --list-cells --threads 1 | tee "$work/cells.txt"
victim="$(awk '$1 == "1" {print $2}' "$work/cells.txt")"
[ -n "$victim" ] || fail "no cell 1 in --list-cells"
# One thread per task, so two tasks share the node's two CPUs at once.
scripts/lddm bench --suite "$suite" --emit slurm --out "$out" --throttle 2 --threads 1 > "$work/sweep.sbatch"
grep '^#SBATCH' "$work/sweep.sbatch"
say "built and emitted"

jid="$(sbatch --parsable "$work/sweep.sbatch")"
jobs+=("$jid")
say "submitted array job $jid (4 tasks, 2 at once); waiting for cell 1 ($victim) to write a checkpoint"
deadline=$(( $(date +%s) + 600 ))
until compgen -G "$out/attempts/$victim/*/checkpoints/step-*" >/dev/null; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "cell $victim wrote no checkpoint in 600 s"
  sleep 0.2
done
[ ! -e "$out/cells/$victim/cell.json" ] || fail "cell $victim finished before it could be cancelled"
scancel "${jid}_1"
say "cancelled array task ${jid}_1 mid-cell at $(basename "$(compgen -G "$out/attempts/$victim/*/checkpoints/step-*" | sort | tail -1)")"
wait_job "$jid" 600
sacct_state="$(scontrol show job "${jid}_1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z]*\).*/\1/p' | head -1 || true)"
say "array job $jid done (task 1: ${sacct_state:-gone from scontrol})"

scripts/lddm bench status "$out" | tee "$work/status1.txt"
grep -q "^  1  $victim  failed    interrupted on " "$work/status1.txt" || fail "status does not show cell 1 interrupted"
grep -q "3 finished, 0 running, 1 failed, 0 missing" "$work/status1.txt" || fail "status does not count 3 finished, 1 failed"
spec="$(sed -n 's/^resubmit the failed and missing cells: --array=\([^ ]*\).*/\1/p' "$work/status1.txt")"
[ "$spec" = 1 ] || fail "status proposes --array=$spec, not 1"

jid2="$(sbatch --parsable --array="$spec" "$work/sweep.sbatch")"
jobs+=("$jid2")
say "resubmitted: sbatch --array=$spec (job $jid2)"
wait_job "$jid2" 600
log="$out/logs/lddm-slurm-sweep-${jid2}_1.out"
grep "continuing from step-" "$log" || fail "the resubmitted cell did not continue from a checkpoint (see $log)"
scripts/lddm bench status "$out" | tee "$work/status2.txt"
grep -q "4 finished, 0 running, 0 failed, 0 missing" "$work/status2.txt" || fail "not every cell finished"
scripts/lddm bench merge "$out" > "$work/merge.txt"
say "merged: $(tail -1 "$work/merge.txt")"

scripts/lddm bench --suite "$suite" --out "$work/local" --threads 1 > /dev/null 2> "$work/local.log" \
  || { tail -5 "$work/local.log"; fail "the plain local run failed"; }
say "plain local run done"
python3 - "$out/leaderboard.csv" "$work/local/leaderboard.csv" <<'EOF'
import csv, sys
timing = {"train_seconds", "eval_seconds", "tokens_per_second", "started_utc"}
def rows(path):
    with open(path, newline="") as f:
        return [{k: v for k, v in r.items() if k not in timing} for r in csv.DictReader(f)]
merged, local = rows(sys.argv[1]), rows(sys.argv[2])
if merged != local:
    for a, b in zip(merged, local):
        for k in a:
            if a[k] != b.get(k):
                print(f"  {a['run_id']} {a['variant']}: {k} merged {a[k]!r} local {b.get(k)!r}")
    sys.exit(f"the merged leaderboard differs from the local run ({len(merged)} vs {len(local)} rows)")
print(f"merged == local: {len(merged)} rows x {len(merged[0])} columns (timing columns left out: {sorted(timing)})")
EOF
cmp "$out/LEADERBOARD.md" "$work/local/LEADERBOARD.md" || fail "LEADERBOARD.md differs from the local run's"
passed=1
say "passed"
