#!/usr/bin/env bash
# CI regression gate: MGDM, LDDM and the autoregressive baseline, each a `micro` model trained with a fixed
# seed and one TensorFlow thread on the first 200 Countdown-3 training problems, checked against the
# baselines committed in results/baselines/ci-micro/<model>/. Exit 0 pass, 1 regression, 2 cannot compare.
#
# Per model, three checks:
#   1. training: the loss of every step against the baseline's losses.csv (scripts/gate_check.py losses).
#      Identical bits = "exact". Otherwise the first 30 steps must agree within 1e-4 relative (another
#      CPU rounds differently, and the AR baseline's gap passes 1e-4 by step ~50 across CPU families; a
#      change to the loss, the masking schedule, self-conditioning or the optimizer moves steps 1-3 by
#      1e-3 or more), else: regression.
#   2. decoding, golden: the committed model (results/baselines/ci-micro/<model>/model, weights only) is
#      decoded and its predictions must equal the baseline's exactly (`lddm compare --exact`), with the
#      per-step diagnostics within 1e-5 (diffusion models); diffusion models are decoded a second time
#      without --diagnostics (the sampler's fast path, no observer), again exactly. Fixed weights decode
#      to the same bytes on every CPU tried, so this check is exact everywhere: it catches any change to
#      which tokens the decoder commits, to LDDM's latent carried between steps, or to greedy AR decoding.
#   3. end to end: the model trained in step 1 is decoded too. When training was exact, its predictions
#      must equal the baseline's exactly; otherwise (another CPU) the paired exact McNemar test of
#      `lddm compare` decides (exit 1 on a significant drop) and the differing instances are listed.
# The models train two at a time (one thread each; threads do not change the bits, processes cannot).
#
# Usage: scripts/ci-regression.sh [--only mgdm,lddm,ar] [--update-baseline]
#   --update-baseline  retrain and rewrite results/baselines/ci-micro/ (after a change meant to move the
#                      numbers); review `git diff --stat results/baselines` and commit with the reason.
# Environment: LDDM (the lddm command to test; default scripts/lddm), CI_REGRESSION_DIR (work directory;
# default a new temporary one), GATE_BASELINES (default results/baselines/ci-micro).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lddm="${LDDM:-$root/scripts/lddm}"
baselines="${GATE_BASELINES:-$root/results/baselines/ci-micro}"
check="python3 $root/scripts/gate_check.py"

models="mgdm,lddm,ar"
update=0
while [ $# -gt 0 ]; do
  case "$1" in
    --update-baseline) update=1 ;;
    --only) models="${2:?--only needs a list, e.g. --only lddm}"; shift ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ci-regression: unknown argument '$1' (known: --only LIST, --update-baseline)" >&2; exit 2 ;;
  esac
  shift
done
for m in ${models//,/ }; do
  case "$m" in mgdm|lddm|ar) ;; *) echo "ci-regression: unknown model '$m' (known: mgdm, lddm, ar)" >&2; exit 2 ;; esac
done
work="${CI_REGRESSION_DIR:-$(mktemp -d)}"
mkdir -p "$work"

# The fixed configuration. Changing any of it is a baseline refresh.
common=(--task countdown3 --preset micro --batch 64 --lr 2e-3 --train-size 200 --seed 1 --threads 1 --checkpoint-every 0)
steps_of() { case "$1" in ar) echo 500 ;; *) echo 1500 ;; esac; }
# Evaluations per model: "name|eval flags". Diffusion models also write per-step diagnostics.
evals_of() {
  local e=(--split train --count 200 --threads 1) d=(--seed 1 --decode-steps 20 --diagnostics)
  case "$1" in
    mgdm) echo "countdown3-train|${e[*]} ${d[*]} --decoder masked-only"
          echo "countdown3-train-remask-T20|${e[*]} ${d[*]} --decoder remask" ;;
    lddm) echo "countdown3-train|${e[*]} ${d[*]} --decoder masked-only" ;;
    ar)   echo "countdown3-train|${e[*]}" ;;  # greedy: no seed, decoder or steps
  esac
}

# Writes the candidate run, its export and the evaluations of both; returns non-zero when a command fails.
produce() {
  local m="$1" d="$work/$1" name flags
  rm -rf "$d" && mkdir -p "$d"
  "$lddm" train --model "$m" --steps "$(steps_of "$m")" "${common[@]}" --out "$d/run" >"$d/train.out" 2>"$d/train.err" \
    || { echo "$m: training failed: $(tail -n 1 "$d/train.err")"; return 2; }
  while IFS='|' read -r name flags; do
    # shellcheck disable=SC2086
    "$lddm" eval --run "$d/run" $flags >>"$d/eval.out" 2>>"$d/eval.err" \
      || { echo "$m: eval $name failed: $(tail -n 1 "$d/eval.err")"; return 2; }
  done < <(evals_of "$m")
}

# Checks one model against its baseline; prints a report and leaves the verdict (0/1/2) in $d/verdict.
gate_one() {
  local m="$1" d="$work/$1" b="$baselines/$1" verdict=0 rc name flags
  {
    echo "== $m ($(steps_of "$m") steps)"
    if [ ! -d "$b/model" ] || [ ! -f "$b/losses.csv" ]; then
      echo "$m: no baseline under $b (make one with scripts/ci-regression.sh --update-baseline)"
      echo 2 >"$d.verdict"; return
    fi
    if ! produce "$m"; then echo 2 >"$d.verdict"; return; fi
    $check losses "$b/losses.csv" "$d/run/train_log.csv"; rc=$?
    local training
    case $rc in 0) training=exact ;; 10) training=rounding ;; 1) training=different; verdict=1 ;;
      *) echo 2 >"$d.verdict"; return ;; esac
    rm -rf "$d/golden" && cp -r "$b/model" "$d/golden"
    while IFS='|' read -r name flags; do
      # shellcheck disable=SC2086
      "$lddm" eval --run "$d/golden" $flags >>"$d/eval.out" 2>>"$d/eval.err" \
        || { echo "$m: golden eval $name failed: $(tail -n 1 "$d/eval.err")"; echo 2 >"$d.verdict"; return; }
      echo "-- $name, golden model:"
      "$lddm" compare --exact "$b/eval/$name/predictions.csv" "$d/golden/eval/$name/predictions.csv" 2>&1
      rc=$?; [ $rc -eq 0 ] || verdict=$((rc == 1 && verdict != 2 ? 1 : 2))
      if [ -f "$b/eval/$name/steps.csv" ]; then
        $check steps "$b/eval/$name/steps.csv" "$d/golden/eval/$name/steps.csv"
        rc=$?; [ $rc -eq 0 ] || verdict=$((rc == 1 && verdict != 2 ? 1 : 2))
      fi
      if [[ " $flags " == *" --diagnostics "* ]]; then
        # Without an observer the sampler takes its fast path: it must commit exactly the same tokens.
        rm -rf "$d/golden-plain" && cp -r "$b/model" "$d/golden-plain"
        # shellcheck disable=SC2086
        "$lddm" eval --run "$d/golden-plain" ${flags/ --diagnostics/} >>"$d/eval.out" 2>>"$d/eval.err" \
          || { echo "$m: golden plain eval $name failed: $(tail -n 1 "$d/eval.err")"; echo 2 >"$d.verdict"; return; }
        echo "-- $name, golden model, plain decoding (no --diagnostics: the fast path):"
        "$lddm" compare --exact "$b/eval/$name/predictions.csv" "$d/golden-plain/eval/$name/predictions.csv" 2>&1
        rc=$?; [ $rc -eq 0 ] || verdict=$((rc == 1 && verdict != 2 ? 1 : 2))
      fi
      echo "-- $name, model trained here:"
      if [ "$training" = exact ]; then
        "$lddm" compare --exact "$b/eval/$name/predictions.csv" "$d/run/eval/$name/predictions.csv" 2>&1; rc=$?
      else
        "$lddm" compare --exact "$b/eval/$name/predictions.csv" "$d/run/eval/$name/predictions.csv" 2>&1 \
          | grep -v '^FAIL' | sed "s/^/($training training) /"
        "$lddm" compare "$b/eval/$name/predictions.csv" "$d/run/eval/$name/predictions.csv" --max-drop 0.01 --alpha 0.05 2>&1
        rc=$?
      fi
      [ $rc -eq 0 ] || verdict=$((rc == 1 && verdict != 2 ? 1 : 2))
    done < <(evals_of "$m")
    echo "$verdict" >"$d.verdict"
  } >"$d.report" 2>&1
}

update_one() {
  local m="$1" d="$work/$1" name flags
  produce "$m" >"$d.report" 2>&1 || { echo 2 >"$d.verdict"; return; }
  local stage="$work/$m.baseline"
  rm -rf "$stage" && mkdir -p "$stage"
  cut -d, -f1,2 "$d/run/train_log.csv" >"$stage/losses.csv"
  "$lddm" export --run "$d/run" --out "$stage/model" >>"$d.report" 2>&1 || { echo 2 >"$d.verdict"; return; }
  while IFS='|' read -r name flags; do
    mkdir -p "$stage/eval/$name"
    cp "$d/run/eval/$name/predictions.csv" "$stage/eval/$name/"
    [ -f "$d/run/eval/$name/steps.csv" ] && cp "$d/run/eval/$name/steps.csv" "$stage/eval/$name/"
  done < <(evals_of "$m")
  { echo "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo '+dirty')"
    echo "cpu $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "$("$lddm" device 2>/dev/null | head -n 1)"
    echo "java $(java -version 2>&1 | head -n 1)"
    grep -h "strict" "$d/eval.out"; } >"$stage/platform.txt"
  echo 0 >"$d.verdict"
}

start=$(date +%s)
job() { rm -f "$work/$1.verdict" "$work/$1.report"; if [ $update -eq 1 ]; then update_one "$1"; else gate_one "$1"; fi; }
# Two at a time: the slowest (LDDM, two passes) alone, the others one after another beside it.
pids=()
list=(${models//,/ })
if [[ " ${list[*]} " == *" lddm "* ]] && [ ${#list[@]} -gt 1 ]; then
  job lddm & pids+=($!)
  for m in "${list[@]}"; do [ "$m" = lddm ] || job "$m"; done
else
  for m in "${list[@]}"; do job "$m"; done
fi
wait "${pids[@]}" 2>/dev/null

overall=0
for m in "${list[@]}"; do
  cat "$work/$m.report"
  v=$(cat "$work/$m.verdict" 2>/dev/null || echo 2)
  [ "$v" -gt "$overall" ] && overall=$v
  [ "$v" -eq 0 ] || { echo "$m: see $work/$m/ (train.err, eval.err)"; }
done

if [ $update -eq 1 ]; then
  [ $overall -eq 0 ] || { echo "ci-regression: baseline NOT updated (a command failed)"; exit 2; }
  for m in "${list[@]}"; do
    mkdir -p "$baselines"
    rm -rf "$baselines/$m.old"; [ -d "$baselines/$m" ] && mv "$baselines/$m" "$baselines/$m.old"
    mv "$work/$m.baseline" "$baselines/$m" && rm -rf "$baselines/$m.old"
    grep -h "strict" "$work/$m/eval.out" | sed "s/^/$m: /"
  done
  echo "baselines updated under $baselines in $(( $(date +%s) - start )) s: review and commit them"
  exit 0
fi
echo "ci-regression: $(case $overall in 0) echo PASS ;; 1) echo 'FAIL (regression)' ;; *) echo 'CANNOT COMPARE' ;; esac) in $(( $(date +%s) - start )) s"
exit $overall
