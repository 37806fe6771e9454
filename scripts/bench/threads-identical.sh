#!/usr/bin/env bash
# Are --threads 1 and --threads 2 bit-identical? Trains each model (mgdm, lddm, ar) in each precision with 1 and
# with 2 TensorFlow intra-op threads, same seed and data, and compares every step's loss in train_log.csv and
# the final checkpoint's weight files (model.index, model.data-*) byte for byte. Prints one line per pair and
# a last line `threads 1 vs 2: identical` or `threads 1 vs 2: DIFFERENT (...)`; exit 0 identical, 1 different.
# Usage: scripts/bench/threads-identical.sh [steps=300] [preset=small] [task=countdown3] [models="mgdm lddm ar"]
#        [precisions="fp32 bf16"]     Env: WORK (default a new temporary directory), LDDM (default scripts/lddm)
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
STEPS=${1:-300}; PRESET=${2:-small}; TASK=${3:-countdown3}; MODELS=${4:-mgdm lddm ar}; PRECISIONS=${5:-fp32 bf16}
lddm="${LDDM:-$root/scripts/lddm}"; work="${WORK:-$(mktemp -d)}"; mkdir -p "$work"
echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p') family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1) model $(sed -n 's/^model\s*: //p' /proc/cpuinfo | head -1), $(nproc --all) vCPU; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $TASK $PRESET, $STEPS steps, batch 64, train size 5000, seed 1; work dir $work"
bad=()
for m in $MODELS; do
  for p in $PRECISIONS; do
    for t in 1 2; do
      d="$work/$m-$p-t$t"; rm -rf "$d"
      "$lddm" train --task "$TASK" --model "$m" --preset "$PRESET" --steps "$STEPS" --batch 64 --train-size 5000 \
        --seed 1 --checkpoint-every 0 --precision "$p" --threads "$t" --out "$d" >"$d.out" 2>"$d.err" &
    done
    wait
    a="$work/$m-$p-t1"; b="$work/$m-$p-t2"
    if [ ! -s "$a/train_log.csv" ] || [ ! -s "$b/train_log.csv" ]; then
      echo "$m $p: training failed: $(tail -n 1 "$a.err") $(tail -n 1 "$b.err")"; bad+=("$m/$p failed"); continue
    fi
    first=$(paste -d, <(cut -d, -f1,2 "$a/train_log.csv") <(cut -d, -f2 "$b/train_log.csv") | tail -n +2 \
      | awk -F, '$2 != $3 {print $1; exit}')
    ca=$(ls -d "$a"/checkpoints/step-*); cb=$(ls -d "$b"/checkpoints/step-*)
    weights=identical
    for f in "$ca"/model.index "$ca"/model.data-*; do
      cmp -s "$f" "$cb/$(basename "$f")" || weights="different ($(basename "$f"))"
    done
    if [ -z "$first" ] && [ "$weights" = identical ]; then
      echo "$m $p: losses of all $STEPS steps identical, weights identical (sha256 $(cat "$ca"/model.data-* | sha256sum | cut -c1-16))"
    else
      echo "$m $p: losses ${first:+differ from step $first}${first:-identical}, weights $weights"
      bad+=("$m/$p")
    fi
  done
done
if [ ${#bad[@]} -eq 0 ]; then echo "threads 1 vs 2: identical"; exit 0; fi
echo "threads 1 vs 2: DIFFERENT (${bad[*]})"; exit 1
