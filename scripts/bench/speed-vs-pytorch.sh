#!/usr/bin/env bash
# Our MGDM training step (TF Java, dev.lddm.model.bench.TrainSpeed) vs the same step in PyTorch
# (scripts/bench/torch_reference.py), same shapes, run ALTERNATELY in one invocation: per thread count (1 and
# 2) and round, ours in fp32 and bf16, then PyTorch in fp32 and bf16 autocast. Prints each run, the medians,
# one line per thread count, and the headline `ratio ours/pytorch = X`: ours in its default precision
# (`lddm train`'s --precision default, fp32) against PyTorch's best of fp32 and bf16, the worse of the two
# thread counts (issue goal: <= 0.5). Wall ms/step is compared (the process CPU time is printed too).
#
# Usage: scripts/bench/speed-vs-pytorch.sh [rounds=3] [preset=small] [batch=64] [seqLen=64] [warmup=10] [measure=30]
# Env: THREADS="1 2" (thread counts to measure; ours runs as `lddm train --threads`: t/2 intra-op threads, at least 1, and t inter-op); DEFAULT_PRECISION=fp32 (ours' default, for the headline);
#      TORCH_BLAS=openblas (default) | system.  Debian's python3-torch calls whatever libblas.so.3 the system
#      alternative selects; with only the reference BLAS (libblas3) a step takes seconds, so by default a
#      private copy of Debian's libopenblas0-pthread is unpacked under target/openblas (apt-get download +
#      dpkg -x; nothing is installed system-wide) and put on LD_LIBRARY_PATH for the PyTorch runs only.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}; PRESET=${2:-small}; B=${3:-64}; L=${4:-64}; WARM=${5:-10}; MEAS=${6:-30}
THREADS=${THREADS:-1 2}; DEFAULT_PRECISION=${DEFAULT_PRECISION:-fp32}
PY=/usr/bin/python3   # Debian's interpreter: python3-torch is only importable there
export TF_CPP_MIN_LOG_LEVEL=2

mvn -q -B -o -pl model -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime
CP="model/target/classes:$(cat model/target/cp.txt)"

TORCH_ENV=()
if [ "${TORCH_BLAS:-openblas}" = openblas ]; then
  OB=target/openblas/root/usr/lib/x86_64-linux-gnu/openblas-pthread
  if [ ! -e "$OB/libblas.so.3" ]; then
    mkdir -p target/openblas
    (cd target/openblas && apt-get download libopenblas0-pthread >/dev/null 2>&1 && dpkg -x libopenblas0-pthread_*.deb root)
  fi
  TORCH_ENV=("LD_LIBRARY_PATH=$PWD/$OB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
fi
$PY -c 'import torch' 2>/dev/null || $PY scripts/bench/torch_reference.py --help >/dev/null  # installs python3-torch

echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p') family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1) model $(sed -n 's/^model\s*: //p' /proc/cpuinfo | head -1), $(nproc --all) vCPU; torch BLAS: ${TORCH_BLAS:-openblas}"
echo "# flags: $(grep -o -w 'avx2\|avx512f\|avx512_bf16\|avx512_fp16\|avx512_vnni\|amx_bf16\|amx_tile' /proc/cpuinfo | sort -u | tr '\n' ' ')"
ms() { sed -E 's/.*: ([0-9.]+) ms\/step.*/\1/' <<<"$1"; }
declare -A RUNS
for t in $THREADS; do
  for r in $(seq 1 "$ROUNDS"); do
    echo "## threads $t round $r: load before $(cut -d' ' -f1-3 /proc/loadavg)"
    for p in fp32 bf16; do
      # `lddm train --threads t`: t/2 intra-op threads (at least 1; one per tower) and t inter-op threads
      # (Towers.intraOpThreads).
      line=$(java -cp "$CP" dev.lddm.model.bench.TrainSpeed mgdm "$PRESET" "$B" "$L" "$WARM" "$MEAS" \
        "$(( t / 2 > 0 ? t / 2 : 1 ))" "$t" "$p" 2>/dev/null \
        | grep 'ms/step') || line=""
      if [ -z "$line" ]; then echo "ours $p:    FAILED (left out of the medians)"; continue; fi
      echo "ours $p:    $line"; RUNS[ours-$p-$t]+="$(ms "$line") "
    done
    for p in fp32 bf16; do
      line=$(env "${TORCH_ENV[@]}" OMP_NUM_THREADS="$t" OPENBLAS_NUM_THREADS="$t" MKL_NUM_THREADS="$t" \
        $PY scripts/bench/torch_reference.py --preset "$PRESET" --batch "$B" --seq-len "$L" --warmup "$WARM" \
        --measure "$MEAS" --threads "$t" --precision "$p" | grep 'ms/step') || line=""
      if [ -z "$line" ]; then echo "pytorch $p: FAILED (left out of the medians)"; continue; fi
      echo "pytorch $p: $line"; RUNS[torch-$p-$t]+="$(ms "$line") "
    done
  done
done
args=()
for t in $THREADS; do
  args+=("$t" "${RUNS[ours-fp32-$t]:-nan}" "${RUNS[ours-bf16-$t]:-nan}" "${RUNS[torch-fp32-$t]:-nan}" \
    "${RUNS[torch-bf16-$t]:-nan}")
done
$PY - "$DEFAULT_PRECISION" "${args[@]}" <<'PYEOF'
import statistics, sys
default = sys.argv[1]
a = sys.argv[2:]
worst = None
for i in range(0, len(a), 5):
    t = a[i]
    med = {k: statistics.median([float(x) for x in v.split()])
           for k, v in zip(["ours fp32", "ours bf16", "pytorch fp32", "pytorch bf16"], a[i + 1:i + 5])}
    ours = med["ours " + default]
    best_name = min(["pytorch fp32", "pytorch bf16"], key=lambda k: med[k])
    best = med[best_name]
    print(f"threads {t}: median ms/step " + ", ".join(f"{k} {v:.1f}" for k, v in med.items())
          + f"; ours {default} (default) / {best_name} (PyTorch's best) = {ours / best:.3f};"
          + f" ours bf16 / PyTorch's best = {med['ours bf16'] / best:.3f}")
    r = ours / best
    worst = r if worst is None else max(worst, r)
print(f"ratio ours/pytorch = {worst:.3f} (ours {default} vs PyTorch's best, worse of threads {' '.join(a[0::5])};"
      f" goal <= 0.5: {'MET' if worst <= 0.5 else 'NOT met'})")
PYEOF
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)"
