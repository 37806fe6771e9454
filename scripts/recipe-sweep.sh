#!/usr/bin/env bash
# The recipe sweep of issue 11: MGDM `small` on Countdown-3, seed 1, every combination of
#   lr {3e-4, 1e-3, 2e-3} x batch {64, 256} x dropout {0, 0.1} x data {the full stream, the first 20,000 problems}
# at an equal budget of 256,000 training sequences (batch 64: 4,000 steps; batch 256: 1,000 steps), each a suite
# of its own with a learning curve (eval_every) on 1,000 *val* problems: the recipe is chosen on val, never test.
#
# Usage: scripts/recipe-sweep.sh [--list] [--dry-run] [--only ID[,ID...]] [--threads N] [--out DIR]
#   --list    print the recipes (id, lr, batch, dropout, train size, steps) and exit
#   --dry-run write the suites and check each with bench --dry-run (cells, ETA), training nothing
#   --only    run only these recipes (default: all, in order)
#   --out     where the suites and their results go (default results/recipe-sweep)
# Each recipe resumes where it stopped (bench --resume), so the sweep can run in pieces; a finished recipe is
# skipped. After each recipe, results/recipe-sweep/SWEEP.md (val accuracy per checkpoint and training hours)
# is rebuilt by scripts/recipe-sweep-summary.py.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/results/recipe-sweep"
threads=2
only=""
list=0
dry=0
while [ $# -gt 0 ]; do
  case "$1" in
    --list) list=1; shift ;;
    --dry-run) dry=1; shift ;;
    --only) only="${2:?--only needs recipe ids}"; shift 2 ;;
    --threads) threads="${2:?--threads needs a number}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    *) echo "recipe-sweep.sh: unknown option '$1' (see the header of $0)" >&2; exit 2 ;;
  esac
done

recipes=()
for lr in 3e-4 1e-3 2e-3; do
  for batch in 64 256; do
    for dropout in 0 0.1; do
      for data in full 20k; do
        recipes+=("lr$lr-b$batch-d$dropout-$data $lr $batch $dropout $data")
      done
    done
  done
done

if [ "$list" = 1 ]; then
  printf '%-24s %-6s %-5s %-7s %-6s %s\n' id lr batch dropout data steps
  for r in "${recipes[@]}"; do
    read -r id lr batch dropout data <<< "$r"
    printf '%-24s %-6s %-5s %-7s %-6s %s\n' "$id" "$lr" "$batch" "$dropout" "$data" $((256000 / batch))
  done
  exit 0
fi

if [ -n "$only" ]; then
  for want in ${only//,/ }; do
    printf '%s\n' "${recipes[@]}" | grep -q "^$want " || { echo "recipe-sweep.sh: unknown recipe '$want' (see --list)" >&2; exit 2; }
  done
fi

mkdir -p "$out/suites"
for r in "${recipes[@]}"; do
  read -r id lr batch dropout data <<< "$r"
  if [ -n "$only" ] && ! [[ ",$only," == *",$id,"* ]]; then
    continue
  fi
  steps=$((256000 / batch))
  every=$((steps / 4))
  size=""
  [ "$data" = 20k ] && size='"train_size": 20000, '
  suite="$out/suites/$id.json"
  cat > "$suite.tmp" <<EOF
{"name": "recipe-$id", "description": "Recipe sweep (issue 11): MGDM small on Countdown-3, lr $lr, batch $batch, dropout $dropout, data $data; 256,000 training sequences; chosen on val.",
 "models": ["mgdm"], "presets": ["small"], "budget": {"steps": $steps}, "batch": $batch, "lr": $lr,
 "data_seed": 4, ${size}"checkpoint_every": $every, "eval_every": $every, "dropout": $dropout,
 "decoders": ["masked-only"], "decode_steps": [20], "ablations": [],
 "runs": [{"task": "countdown3", "seeds": [1], "eval": [{"task": "countdown3", "split": "val", "count": 1000}]}]}
EOF
  mv "$suite.tmp" "$suite"
  dir="$out/$id"
  if [ "$dry" = 1 ]; then
    "$root/scripts/lddm" bench --suite "$suite" --out "$dir" --threads "$threads" --dry-run | tail -1 | sed "s/^/recipe $id: /"
    continue
  fi
  if [ -f "$dir/leaderboard.csv" ] && [ -n "$(ls "$dir/cells"/*/cell.json 2>/dev/null)" ]; then
    echo "recipe $id: done"
    continue
  fi
  resume=()
  [ -f "$dir/suite.json" ] && resume=(--resume)
  echo "recipe $id: training ($steps steps at batch $batch)"
  "$root/scripts/lddm" bench --suite "$suite" --out "$dir" --threads "$threads" "${resume[@]}"
  python3 "$root/scripts/recipe-sweep-summary.py" "$out" > "$out/SWEEP.md.tmp.$$" && mv "$out/SWEEP.md.tmp.$$" "$out/SWEEP.md"
done
[ "$dry" = 1 ] && exit 0
python3 "$root/scripts/recipe-sweep-summary.py" "$out" > "$out/SWEEP.md.tmp.$$" && mv "$out/SWEEP.md.tmp.$$" "$out/SWEEP.md"
cat "$out/SWEEP.md"
