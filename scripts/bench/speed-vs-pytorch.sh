#!/usr/bin/env bash
# Our MGDM training step (TF Java, dev.lddm.model.bench.TrainSpeed) vs the same step in PyTorch
# (scripts/bench/torch_reference.py), run ALTERNATELY in one invocation with the same shapes, 1 thread each.
# Prints each run, the medians and the ratio ours/PyTorch (issue goal: <= 0.67).
#
# Usage: scripts/bench/speed-vs-pytorch.sh [rounds=3] [preset=small] [batch=64] [seqLen=64] [warmup=10] [measure=30]
# Env: TORCH_BLAS=openblas (default) | system.  Debian's python3-torch calls whatever libblas.so.3 the system
#      alternative selects; with only the reference BLAS (libblas3) a step takes seconds, so by default a
#      private copy of Debian's libopenblas0-pthread is unpacked under target/openblas (apt-get download +
#      dpkg -x; nothing is installed system-wide) and put on LD_LIBRARY_PATH for the PyTorch runs only.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}; PRESET=${2:-small}; B=${3:-64}; L=${4:-64}; WARM=${5:-10}; MEAS=${6:-30}
PY=/usr/bin/python3   # Debian's interpreter: python3-torch is only importable there
export TF_CPP_MIN_LOG_LEVEL=2 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

mvn -q -B -pl model -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime
CP="model/target/classes:$(cat model/target/cp.txt)"

TORCH_ENV=()
if [ "${TORCH_BLAS:-openblas}" = openblas ]; then
  OB=target/openblas/root/usr/lib/x86_64-linux-gnu/openblas-pthread
  if [ ! -e "$OB/libblas.so.3" ]; then
    mkdir -p target/openblas
    (cd target/openblas && apt-get download libopenblas0-pthread >/dev/null 2>&1 && dpkg -x libopenblas0-pthread_*.deb root)
  fi
  TORCH_ENV=(env "LD_LIBRARY_PATH=$PWD/$OB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
fi
$PY -c 'import torch' 2>/dev/null || $PY scripts/bench/torch_reference.py --help >/dev/null  # installs python3-torch

echo "# $(date -u +%FT%TZ) $(lscpu | sed -n 's/^Model name: *//p') family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1) model $(sed -n 's/^model\s*: //p' /proc/cpuinfo | head -1), $(nproc --all) vCPU; torch BLAS: ${TORCH_BLAS:-openblas}"
OURS=(); THEIRS=()
for r in $(seq 1 "$ROUNDS"); do
  echo "## round $r: load before $(cut -d' ' -f1-3 /proc/loadavg)"
  line=$(java -cp "$CP" dev.lddm.model.bench.TrainSpeed mgdm "$PRESET" "$B" "$L" "$WARM" "$MEAS" 1 1 2>/dev/null | grep 'ms/step')
  echo "ours:    $line"; OURS+=("$(sed -E 's/.*: ([0-9.]+) ms\/step.*/\1/' <<<"$line")")
  line=$("${TORCH_ENV[@]}" $PY scripts/bench/torch_reference.py --preset "$PRESET" --batch "$B" --seq-len "$L" \
         --warmup "$WARM" --measure "$MEAS" --threads 1 | grep 'ms/step')
  echo "pytorch: $line"; THEIRS+=("$(sed -E 's/.*: ([0-9.]+) ms\/step.*/\1/' <<<"$line")")
done
$PY - "${OURS[*]}" "${THEIRS[*]}" <<'PYEOF'
import statistics, sys
ours = [float(x) for x in sys.argv[1].split()]
theirs = [float(x) for x in sys.argv[2].split()]
mo, mt = statistics.median(ours), statistics.median(theirs)
print(f"median ms/step: ours {mo:.1f} {ours}, pytorch {mt:.1f} {theirs}")
print(f"ratio ours/pytorch = {mo / mt:.3f} (goal <= 0.67: {'MET' if mo / mt <= 0.67 else 'NOT met'})")
PYEOF
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)"
