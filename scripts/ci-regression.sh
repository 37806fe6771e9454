#!/usr/bin/env bash
# CI regression gate: trains a micro MGDM with a fixed seed and single-threaded TensorFlow on 200 fixed
# Countdown-3 problems until it has mostly learned them (about a minute), decodes those 200 problems, and
# compares the predictions with the committed baseline (results/baselines/) using `lddm compare` (exact
# McNemar test): exits 1 when the candidate is significantly worse. A micro model trained for a minute
# solves none of the held-out problems, so the gate measures what it can see in that time: that training,
# checkpointing and decoding still learn and reproduce a fixed problem set (a broken loss, mask, optimizer
# or decoder drops the score from ~88% to near 0).
#
# Refresh the baseline on purpose (after a change that is meant to move the numbers):
#   scripts/ci-regression.sh --update-baseline
# then review and commit results/baselines/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lddm="${LDDM:-$root/scripts/lddm}"
baseline="$root/results/baselines/ci-micro-countdown3-train200/predictions.csv"
work="${CI_REGRESSION_DIR:-$(mktemp -d)}"

# The fixed configuration. Changing any of it is a baseline refresh.
"$lddm" train --task countdown3 --model mgdm --preset micro --steps 1500 --batch 64 --lr 2e-3 \
  --train-size 200 --seed 1 --threads 1 --checkpoint-every 0 --out "$work/run" 2>/dev/null
"$lddm" eval --run "$work/run" --split train --count 200 --decoder masked-only --decode-steps 20 \
  --seed 1 --threads 1 2>/dev/null
cand="$work/run/eval/countdown3-train/predictions.csv"

if [ "${1:-}" = "--update-baseline" ]; then
  mkdir -p "$(dirname "$baseline")"
  cp "$cand" "$baseline"
  echo "baseline updated: $baseline (review and commit it)"
  exit 0
fi
"$lddm" compare "$baseline" "$cand" --max-drop 0.01 --alpha 0.05
